/**
 * Decoder built from the instruction table: word → table entry (or undefined for a reserved
 * encoding, which the CPU turns into a Reserved Instruction exception).
 *
 * Entries are bucketed by primary opcode (bits 31:26); within a bucket the first entry whose
 * `(w & mask) === match` wins. Buckets hold at most a few dozen entries, and the CPU caches
 * decoded words, so this is not on the hot path. Masks and matches are kept as int32 in typed
 * arrays (the table's `match`/`mask` ≥ 2^31 are heap numbers, and reading them from the row
 * objects made V8 deoptimise the decoder once per process on the rows' changing field
 * representation).
 */
import { INSTRUCTIONS } from './table';
import type { InstructionSpec } from './types';

/** Per primary opcode: the table indices of its entries, in table order, and their mask and match as int32. */
const B_INDEX: Int32Array[] = [], B_MASK: Int32Array[] = [], B_MATCH: Int32Array[] = [];
for (let op = 0; op < 64; op++) {
  const rows = INSTRUCTIONS.map((_, i) => i).filter((i) => INSTRUCTIONS[i].match >>> 26 === op);
  B_INDEX.push(Int32Array.from(rows));
  B_MASK.push(Int32Array.from(rows, (i) => INSTRUCTIONS[i].mask | 0));
  B_MATCH.push(Int32Array.from(rows, (i) => INSTRUCTIONS[i].match | 0));
}

/** The index in INSTRUCTIONS of the entry a word decodes to, or −1 for a reserved encoding. */
export function decodeIndex(word: number): number {
  const w = word | 0, op = w >>> 26;
  const mask = B_MASK[op], match = B_MATCH[op];
  for (let i = 0; i < mask.length; i++) if ((w & mask[i]) === match[i]) return B_INDEX[op][i];
  return -1;
}

export function decode(word: number): InstructionSpec | undefined {
  const i = decodeIndex(word);
  return i < 0 ? undefined : INSTRUCTIONS[i];
}

/** Field extractors (bit layouts in types.ts). */
export const rsOf = (w: number) => (w >>> 21) & 31;
export const rtOf = (w: number) => (w >>> 16) & 31;
export const rdOf = (w: number) => (w >>> 11) & 31;
export const saOf = (w: number) => (w >>> 6) & 31;
export const imm16Of = (w: number) => w & 0xffff;
export const simm16Of = (w: number) => (w << 16) >> 16;
export const targetOf = (w: number) => w & 0x3ffffff;
