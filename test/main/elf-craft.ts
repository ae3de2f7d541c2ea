/**
 * Crafted ELF files for the robustness tests (test/main/elf-*.test.ts): the "bombs" of issue
 * #11 — a program-header bomb, a symbol-table bomb, a huge zero-fill segment — and a small
 * valid executable to mutate. Pure functions returning bytes; nothing here touches the disk.
 */

export interface Phdr { type?: number; offset?: number; vaddr: number; paddr?: number; filesz?: number; memsz: number; flags?: number }
export interface Shdr { name?: number; type: number; flags?: number; addr?: number; offset: number; size: number; link?: number; entsize?: number }

/** A big-endian ELF32 MIPS executable: header, program headers, section headers and `tail` bytes. */
export function craftElf(o: { entry?: number; phdrs?: Phdr[]; shdrs?: Shdr[]; body?: Uint8Array; phnum?: number; shnum?: number; shstrndx?: number }): Uint8Array {
  const phdrs = o.phdrs ?? [];
  const shdrs = o.shdrs ?? [];
  const phoff = 52, shoff = phoff + phdrs.length * 32, bodyOff = shoff + shdrs.length * 40;
  const body = o.body ?? new Uint8Array(0);
  const b = new Uint8Array(bodyOff + body.length);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 2, 1], 0);
  dv.setUint16(16, 2); dv.setUint16(18, 8); dv.setUint32(20, 1);
  dv.setUint32(24, o.entry ?? 0x400000);
  dv.setUint32(28, phdrs.length ? phoff : 0); dv.setUint32(32, shdrs.length ? shoff : 0);
  dv.setUint16(40, 52); dv.setUint16(42, 32); dv.setUint16(44, o.phnum ?? phdrs.length);
  dv.setUint16(46, 40); dv.setUint16(48, o.shnum ?? shdrs.length); dv.setUint16(50, o.shstrndx ?? 0);
  phdrs.forEach((p, i) => {
    const q = phoff + i * 32;
    dv.setUint32(q, p.type ?? 1); dv.setUint32(q + 4, p.offset ?? 0); dv.setUint32(q + 8, p.vaddr); dv.setUint32(q + 12, p.paddr ?? p.vaddr);
    dv.setUint32(q + 16, p.filesz ?? 0); dv.setUint32(q + 20, p.memsz); dv.setUint32(q + 24, p.flags ?? 5); dv.setUint32(q + 28, 0x1000);
  });
  shdrs.forEach((s, i) => {
    const q = shoff + i * 40;
    dv.setUint32(q, s.name ?? 0); dv.setUint32(q + 4, s.type); dv.setUint32(q + 8, s.flags ?? 0); dv.setUint32(q + 12, s.addr ?? 0);
    dv.setUint32(q + 16, s.offset); dv.setUint32(q + 20, s.size); dv.setUint32(q + 24, s.link ?? 0); dv.setUint32(q + 36, s.entsize ?? 0);
  });
  b.set(body, bodyOff);
  return b;
}

/** Offset of the body in a file made by craftElf with these header counts. */
export const bodyOffset = (phnum: number, shnum: number) => 52 + phnum * 32 + shnum * 40;

/** 65,535 PT_LOAD headers of 256 MB each (≈ 2 MB file). */
export function phdrBomb(count = 65535, memsz = 0x10000000): Uint8Array {
  return craftElf({ phdrs: Array.from({ length: count }, () => ({ vaddr: 0x400000, memsz, flags: 5 })) });
}

/**
 * A symbol table whose every entry names a different offset inside one long run of non-NUL
 * bytes (with a NUL every `nulEvery` bytes if given), so each name is up to megabytes long
 * (≈ `bytes` file). Every symbol has the same value.
 */
export function symtabBomb(bytes = 2 << 20, nulEvery = 0): Uint8Array {
  const nsyms = Math.floor(bytes / 2 / 16);
  const strSize = bytes - nsyms * 16;
  const shnum = 3;
  const off = bodyOffset(1, shnum);
  const body = new Uint8Array(nsyms * 16 + strSize);
  const dv = new DataView(body.buffer);
  for (let i = 1; i < nsyms; i++) { dv.setUint32(i * 16, i % strSize); dv.setUint32(i * 16 + 4, 0x400000); body[i * 16 + 12] = 0x12; dv.setUint16(i * 16 + 14, 1); }
  body.fill(0x41, nsyms * 16);
  if (nulEvery) for (let i = nsyms * 16 + nulEvery; i < body.length; i += nulEvery) body[i] = 0;
  return craftElf({
    phdrs: [{ vaddr: 0x400000, memsz: 16, filesz: 16, offset: off, flags: 5 }],
    shdrs: [
      { type: 0, offset: 0, size: 0 },
      { type: 2, offset: off, size: nsyms * 16, link: 2, entsize: 16 },
      { type: 3, offset: off + nsyms * 16, size: strSize },
    ],
    body,
  });
}

/** One executable PT_LOAD of `memsz` bytes (zero-fill beyond 16 file bytes). */
export function hugeSegment(memsz = 0x10000000): Uint8Array {
  const off = bodyOffset(1, 0);
  return craftElf({ phdrs: [{ vaddr: 0x400000, memsz, filesz: 16, offset: off, flags: 5 }], body: new Uint8Array(16) });
}
