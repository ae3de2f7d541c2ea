/**
 * Loading ELF executables into a machine. Parsing is the toolchain's `readElf` (one ELF reader
 * for the whole project; it also reads GNU ld's output); this module keeps only what a machine
 * needs: the loadable, non-empty segments and the entry point, as a `LoadImage` — the same shape
 * as the assembler's `Image`, so either can be loaded.
 *
 * Bad files are the user's mistake: `parseElf` returns `{ ok: false, message }`, never throws.
 */
import { readElf } from '../asm/elf-read';
import { MAX_RAM_MB } from './config/params';

export interface LoadSegment {
  /**
   * Where the first byte is loaded: the segment's virtual address, or its ELF load address
   * (p_paddr) when the linker set one apart from it (an `AT(...)` in a linker script — e.g.
   * user code linked at kuseg but carried in a kernel image).
   */
  vaddr: number;
  /** In-memory bytes (file bytes followed by zeros up to p_memsz). */
  bytes: Uint8Array;
}

export interface LoadImage {
  segments: LoadSegment[];
  entry: number;
}

/**
 * `memoryBytes`: RAM of the machine the file is for; segments declaring more memory in total are
 * refused before anything is allocated (default: the largest machine, MAX_RAM_MB).
 */
export function parseElf(file: Uint8Array, opts: { memoryBytes?: number } = {}): { ok: true; image: LoadImage } | { ok: false; message: string } {
  const r = readElf(file, { maxLoadBytes: opts.memoryBytes ?? MAX_RAM_MB * 1048576 });
  if (!r.ok) return r;
  const segments = r.segments.filter((s) => s.bytes.length > 0).map(({ vaddr, paddr, bytes }) => ({ vaddr: paddr !== vaddr ? paddr : vaddr, bytes }));
  if (!segments.length) return { ok: false, message: 'ELF file has no loadable segments' };
  return { ok: true, image: { segments, entry: r.entry } };
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
