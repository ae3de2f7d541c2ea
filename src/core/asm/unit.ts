/**
 * The state pass 1 builds for one translation unit (one input file plus its includes): its
 * sections' contents as items at section offsets, and its symbols. Pass 2 (`pass2.ts`) lays the
 * sections out and turns items into bytes.
 */
import type { InstructionSpec } from '../isa/types';
import type { Loc } from './diagnostics';
import type { Expr } from './expr';
import type { Arg } from './pseudo';
import type { SectionName } from './types';

/** Section indices in layout order. */
export const SECTIONS: readonly SectionName[] = ['.text', '.rdata', '.data', '.bss'];
export const TEXT = 0, RDATA = 1, DATA = 2, BSS = 3;

export type Item =
  | { k: 'insn'; sec: number; off: number; spec: InstructionSpec; args: Arg[]; loc: Loc; stmt: number }
  | { k: 'data'; sec: number; off: number; width: 1 | 2 | 4; e: Expr; col: number; end: number; loc: Loc; stmt: number }
  | { k: 'bytes'; sec: number; off: number; bytes: Uint8Array; loc: Loc; stmt: number }
  /** `size` bytes of `value` (`.space`, `.org`, alignment padding): one item however large. */
  | { k: 'fill'; sec: number; off: number; size: number; value: number; loc: Loc; stmt: number };

export interface UnitSym {
  name: string;
  kind: 'label' | 'equ';
  unit: number;
  /** Labels: section index and offset. */
  sec?: number;
  off?: number;
  /** Equates: a constant value known in pass 1, or an expression evaluated in pass 2. */
  value?: bigint;
  expr?: Expr;
  global: boolean;
  /** Internal names (numeric local labels) stay out of the symbol table. */
  hidden?: boolean;
  loc: Loc;
  col: number;
  end: number;
}

export interface Unit {
  index: number;
  path: string;
  /** Size of each section (pass 1 location counters). */
  size: number[];
  /** Alignment of each section (bytes): its start is aligned to it; its size is padded to it (.text) or to min(it, 16) (others), as gas does. */
  align: number[];
  items: Item[];
  syms: Map<string, UnitSym>;
  /** Names declared .globl (may be defined later or in another unit). */
  globals: Map<string, { loc: Loc; col: number; end: number }>;
}

export function newUnit(index: number, path: string): Unit {
  // gas creates .text/.data/.bss 16-aligned; `.section .rdata` starts at 1 (the `.rdata` directive raises it to 16)
  return { index, path, size: [0, 0, 0, 0], align: [16, 1, 16, 16], items: [], syms: new Map(), globals: new Map() };
}
