/**
 * ELF executables for the user-mode runner: entry point, PT_LOAD segments and the symbol table
 * (for fault reports: pc → nearest symbol). Malformed input is a value (`ElfError`), not a throw.
 */
import { readElf } from '../../asm/elf-read';

export interface ElfSegment {
  vaddr: number;
  /** Load (physical) address, p_paddr: differs from vaddr for sections placed with AT(). */
  paddr: number;
  memSize: number;
  /** The segment's bytes: file bytes followed by zeros (bss), `memSize` long. */
  data: Uint8Array;
  readable: boolean;
  writable: boolean;
  executable: boolean;
}

export interface ElfSymbol { name: string; value: number }

export interface ElfImage {
  entry: number;
  segments: ElfSegment[];
  symbols: ElfSymbol[];
}

export interface ElfError { error: string }

/** Symbols the linker defines at section boundaries: never the best name for a pc. */
const LINKER_SYMBOLS = new Set(['_ftext', '_fdata', '_fbss', '_etext', '_edata', '_end', '_gp', '_gp_disp', '__bss_start', '_DYNAMIC', '_GLOBAL_OFFSET_TABLE_', '_fini', '_init']);

/**
 * Reads an executable with the project's one ELF reader (`asm/elf-read.ts`) into the runner's
 * shape. `memoryBytes` (the process's physical memory) bounds what the segments may declare,
 * checked before anything is allocated; `checkUserImage` (runner.ts) then checks the layout.
 */
export function parseElf(bytes: Uint8Array, opts: { memoryBytes?: number } = {}): ElfImage | ElfError {
  const r = readElf(bytes, opts.memoryBytes !== undefined ? { maxLoadBytes: opts.memoryBytes } : {});
  if (!r.ok) return { error: r.message };
  const segments = r.segments.map((s) => ({
    vaddr: s.vaddr, paddr: s.paddr, memSize: s.bytes.length, data: s.bytes,
    readable: s.flags?.r ?? true, writable: s.flags?.w ?? true, executable: s.flags?.x ?? true,
  }));
  const symbols = r.symbols
    .filter((s) => s.kind === 'label' && !s.name.startsWith('$') && !LINKER_SYMBOLS.has(s.name))
    .map(({ name, value }) => ({ name, value }))
    .sort((a, b) => a.value - b.value);
  return { entry: r.entry, segments, symbols };
}

/** `name+0xoff` of the nearest symbol at or below `addr`, or undefined. */
export function symbolize(symbols: readonly ElfSymbol[], addr: number): string | undefined {
  let best: ElfSymbol | undefined;
  for (const s of symbols) { if (s.value <= addr >>> 0) best = s; else break; }
  if (!best) return undefined;
  const off = (addr >>> 0) - best.value;
  return off === 0 ? best.name : `${best.name}+0x${off.toString(16)}`;
}
