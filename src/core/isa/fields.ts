/**
 * Where each operand kind lives in the instruction word, and its accepted range in assembly.
 * Shared by the assembler (encode) and the disassembler (extract); see types.ts for syntax.
 *
 * `min`/`max` are what GNU as accepts (a 16-bit signed immediate also accepts 0x8000..0xffff,
 * which is stored as the same 16 bits). Kinds with a non-field encoding (`mem`, `branch`,
 * `jtarget`, `brkcode`) are handled by the assembler and disassembler themselves.
 */
import type { OperandKind } from './types';

export interface FieldSpec { shift: number; width: number; min: number; max: number; signed?: boolean }

export const FIELDS: Readonly<Partial<Record<OperandKind, FieldSpec>>> = {
  rs: { shift: 21, width: 5, min: 0, max: 31 },
  rt: { shift: 16, width: 5, min: 0, max: 31 },
  rd: { shift: 11, width: 5, min: 0, max: 31 },
  c0reg: { shift: 11, width: 5, min: 0, max: 31 },
  sa: { shift: 6, width: 5, min: 0, max: 31 },
  simm16: { shift: 0, width: 16, min: -0x8000, max: 0xffff, signed: true },
  uimm16: { shift: 0, width: 16, min: 0, max: 0xffff },
  code20: { shift: 6, width: 20, min: 0, max: 0xfffff },
  trapcode: { shift: 6, width: 10, min: 0, max: 0x3ff },
  sel: { shift: 0, width: 3, min: 0, max: 7 },
  cacheop: { shift: 16, width: 5, min: 0, max: 31 },
  stype: { shift: 6, width: 5, min: 0, max: 31 },
  waitcode: { shift: 6, width: 19, min: 0, max: 0x7ffff },
};

/** Places `v` into field `f` (no range check). */
export const put = (f: FieldSpec, v: number): number => ((v & ((1 << f.width) - 1 || -1)) << f.shift) >>> 0;
/** Reads field `f` of `w` (sign-extended when `f.signed`). */
export function get(f: FieldSpec, w: number): number {
  const x = f.width === 32 ? w : (w >>> f.shift) & ((1 << f.width) - 1);
  return f.signed ? (x << (32 - f.width)) >> (32 - f.width) : x;
}
