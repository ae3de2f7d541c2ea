/**
 * Data files for the guest workloads, generated deterministically (so the disk image is a pure
 * function of the sources): `src1.c` … `src8.c` — "source files" for pmake's compile jobs, and
 * `db.dat` — fixed-size records for the database workload.
 */
import type { DiskFile } from './disk';

/** 32-bit LCG (Numerical Recipes), the same as the guest runtime's `rand_next`. */
export function lcg(x: number): number { return (Math.imul(x, 1664525) + 1013904223) >>> 0; }

const WORDS = ['int', 'return', 'while', 'for', 'if', 'else', 'struct', 'char', 'void', 'static', 'x', 'y', 'n', 'p', 'buf', 'len', '+', '-', '*', '=', ';', '{', '}', '(', ')'];

function sourceFile(seed: number, bytes: number): Uint8Array {
  const out: number[] = [];
  let x = seed;
  while (out.length < bytes) {
    x = lcg(x);
    const w = WORDS[(x >>> 16) % WORDS.length];
    for (const ch of w) out.push(ch.charCodeAt(0));
    out.push((x >>> 8) % 7 === 0 ? 10 : 32);
  }
  return new Uint8Array(out.slice(0, bytes));
}

/** Number of records in db.dat, each DB_RECORD bytes: { key, value, category, pad[5] } words. */
export const DB_RECORDS = 4096;
export const DB_RECORD = 32;

function database(): Uint8Array {
  const b = new Uint8Array(DB_RECORDS * DB_RECORD);
  const dv = new DataView(b.buffer);
  let x = 12345;
  for (let i = 0; i < DB_RECORDS; i++) {
    x = lcg(x);
    dv.setUint32(i * DB_RECORD, i, false);
    dv.setUint32(i * DB_RECORD + 4, x >>> 8, false);
    dv.setUint32(i * DB_RECORD + 8, (x >>> 4) & 15, false);
  }
  return b;
}

export function standardDataFiles(): DiskFile[] {
  const files: DiskFile[] = [];
  for (let i = 1; i <= 8; i++) files.push({ name: `src${i}.c`, bytes: sourceFile(i * 7919, 3000 + i * 700) });
  files.push({ name: 'db.dat', bytes: database() });
  return files;
}
