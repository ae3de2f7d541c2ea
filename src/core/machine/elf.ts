/**
 * A minimal ELF32 loader for big-endian MIPS executables (what `mips-linux-gnu-ld` and the
 * project assembler produce): reads the PT_LOAD program headers into a `LoadImage`, which has
 * the same shape as the assembler's `Image` so either can be loaded into a machine.
 *
 * Bad files are the user's mistake: `parseElf` returns `{ ok: false, message }`, never throws.
 */

export interface LoadSegment {
  /** Virtual address of the first byte. */
  vaddr: number;
  /** In-memory bytes (file bytes followed by zeros up to p_memsz). */
  bytes: Uint8Array;
}

export interface LoadImage {
  segments: LoadSegment[];
  entry: number;
}

const PT_LOAD = 1;
const EM_MIPS = 8;

export function parseElf(file: Uint8Array): { ok: true; image: LoadImage } | { ok: false; message: string } {
  if (file.length < 52 || file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) return { ok: false, message: 'not an ELF file' };
  if (file[4] !== 1) return { ok: false, message: 'not a 32-bit ELF file (EI_CLASS must be ELFCLASS32)' };
  if (file[5] !== 2) return { ok: false, message: 'not a big-endian ELF file (EI_DATA must be ELFDATA2MSB)' };
  const u16 = (o: number) => (file[o] << 8) | file[o + 1];
  const u32 = (o: number) => ((file[o] << 24) | (file[o + 1] << 16) | (file[o + 2] << 8) | file[o + 3]) >>> 0;
  if (u16(18) !== EM_MIPS) return { ok: false, message: `not a MIPS ELF file (e_machine = ${u16(18)})` };
  const entry = u32(24), phoff = u32(28), phentsize = u16(42), phnum = u16(44);
  if (phnum === 0) return { ok: false, message: 'ELF file has no program headers' };
  if (phentsize < 32 || phoff + phnum * phentsize > file.length) return { ok: false, message: 'ELF program headers lie outside the file' };
  const segments: LoadSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const h = phoff + i * phentsize;
    if (u32(h) !== PT_LOAD) continue;
    const offset = u32(h + 4), vaddr = u32(h + 8), filesz = u32(h + 16), memsz = u32(h + 20);
    if (memsz === 0) continue;
    if (filesz > memsz || offset + filesz > file.length) return { ok: false, message: `ELF segment ${i} lies outside the file` };
    if (memsz > 512 * 1024 * 1024) return { ok: false, message: `ELF segment ${i} is too large (${memsz} bytes)` };
    const bytes = new Uint8Array(memsz);
    bytes.set(file.subarray(offset, offset + filesz));
    segments.push({ vaddr, bytes });
  }
  if (!segments.length) return { ok: false, message: 'ELF file has no loadable segments' };
  return { ok: true, image: { segments, entry } };
}

/**
 * Physical address at which a bare machine loads virtual address `vaddr`: kseg0 and kseg1
 * (0x80000000–0xBFFFFFFF) drop the top 3 bits; kuseg addresses load at the same physical
 * address (as with Status.ERL = 1 after reset, when kuseg is unmapped); ksseg and kseg3 are
 * mapped-only and cannot be loaded before a TLB exists → undefined.
 */
export function loadAddress(vaddr: number): number | undefined {
  const v = vaddr >>> 0;
  if (v < 0x80000000) return v;
  if (v < 0xc0000000) return v & 0x1fffffff;
  return undefined;
}
