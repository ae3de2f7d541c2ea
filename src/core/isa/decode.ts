/**
 * Decoder built from the instruction table: word → table entry (or undefined for a reserved
 * encoding, which the CPU turns into a Reserved Instruction exception).
 *
 * Entries are bucketed by primary opcode (bits 31:26); within a bucket the first entry whose
 * `(w & mask) === match` wins. Buckets hold at most a few dozen entries, and the CPU caches
 * decoded words, so this is not on the hot path.
 */
import { INSTRUCTIONS } from './table';
import type { InstructionSpec } from './types';

const BUCKETS: InstructionSpec[][] = Array.from({ length: 64 }, () => []);
for (const spec of INSTRUCTIONS) BUCKETS[spec.match >>> 26].push(spec);

export function decode(word: number): InstructionSpec | undefined {
  const w = word >>> 0;
  const bucket = BUCKETS[w >>> 26];
  for (let i = 0; i < bucket.length; i++) {
    const s = bucket[i];
    if (((w & s.mask) >>> 0) === s.match) return s;
  }
  return undefined;
}

/** Field extractors (bit layouts in types.ts). */
export const rsOf = (w: number) => (w >>> 21) & 31;
export const rtOf = (w: number) => (w >>> 16) & 31;
export const rdOf = (w: number) => (w >>> 11) & 31;
export const saOf = (w: number) => (w >>> 6) & 31;
export const imm16Of = (w: number) => w & 0xffff;
export const simm16Of = (w: number) => (w << 16) >> 16;
export const targetOf = (w: number) => w & 0x3ffffff;
