/**
 * Encoder driven by the instruction table: a table entry plus evaluated operand values become
 * one 32-bit word. Range problems come back as messages (user errors), never exceptions.
 */
import { FIELDS, put } from '../isa/fields';
import type { InstructionSpec } from '../isa/types';

/** An operand value after evaluation: a register number, or an integer (immediates, addresses). */
export type Val = { r: number } | { v: number } | { base: number; off: number };

export interface EncodeError { index: number; message: string }

export { OPERAND_SYNTAX, syntaxOf } from '../isa/syntax';

const hex = (n: number) => (n < 0 ? '-0x' + (-n).toString(16) : '0x' + n.toString(16));

/**
 * Encodes `spec` at address `pc`. `vals` follow `spec.operands`; missing optional operands are 0;
 * `brkcode` takes up to two values (`vals[i]`, `vals[i + 1]`).
 */
export function encode(spec: InstructionSpec, vals: readonly (Val | undefined)[], pc: number): { word: number; errors: EncodeError[] } {
  let w = spec.match >>> 0;
  const errors: EncodeError[] = [];
  const ops = spec.operands;
  for (let i = 0; i < ops.length; i++) {
    const k = ops[i];
    const a = vals[i];
    if (k === 'brkcode') {
      const n = a && 'v' in a ? a.v : 0;
      const b = vals[i + 1];
      const m = b && 'v' in b ? b.v : 0;
      if (n < 0 || n > 0x3ff) errors.push({ index: i, message: `break code ${hex(n)} out of range (0..0x3ff)` });
      if (m < 0 || m > 0x3ff) errors.push({ index: i + 1, message: `break code ${hex(m)} out of range (0..0x3ff)` });
      w |= ((n & 0x3ff) << 16) | ((m & 0x3ff) << 6);
      continue;
    }
    if (k === 'mem') {
      const m = a && 'base' in a ? a : { base: 0, off: 0 };
      if (m.off < -0x8000 || m.off > 0x7fff) errors.push({ index: i, message: `offset ${m.off} out of range (-32768..32767)` });
      w |= (m.base << 21) | (m.off & 0xffff);
      continue;
    }
    if (k === 'branch') {
      const t = a && 'v' in a ? a.v : pc + 4;
      const d = (t - (pc + 4)) | 0; // modulo 2^32: pc and target may be signed or unsigned views (kseg0)
      if (d & 3) errors.push({ index: i, message: `branch to misaligned address ${hex(t >>> 0)}` });
      else if (d < -0x20000 || d > 0x1fffc) errors.push({ index: i, message: `branch out of range (target ${hex(t >>> 0)} is ${d} bytes away; limit ±128 KB)` });
      w |= (d >> 2) & 0xffff;
      continue;
    }
    if (k === 'jtarget') {
      const t = (a && 'v' in a ? a.v : 0) >>> 0;
      if (t & 3) errors.push({ index: i, message: `jump to misaligned address ${hex(t)}` });
      else if (((t ^ (pc + 4)) & 0xf0000000) !== 0) errors.push({ index: i, message: `jump target ${hex(t)} is outside the 256 MB region of the jump` });
      w |= (t >>> 2) & 0x3ffffff;
      continue;
    }
    const f = FIELDS[k]!;
    let v: number;
    if (k === 'rd' || k === 'rs' || k === 'rt' || k === 'c0reg') v = a && 'r' in a ? a.r : 0;
    else v = a && 'v' in a ? a.v : 0;
    if (v < f.min || v > f.max) { errors.push({ index: i, message: `operand ${i + 1} value ${v} out of range (${f.min}..${f.max})` }); v = 0; }
    w |= put(f, v);
  }
  if (spec.tie === 'rt=rd') w |= put(FIELDS.rt!, (w >>> 11) & 31);
  return { word: w >>> 0, errors };
}
