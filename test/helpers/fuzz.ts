/**
 * The fuzz tests' seed and generator (one place): the seed is $DISCO_FUZZ_SEED, else the day
 * number (UTC), so CI explores new inputs every day while a failure names the seed that
 * reproduces it: `DISCO_FUZZ_SEED=<seed> npx vitest run <test file>`.
 */
export const FUZZ_SEED = Number(process.env.DISCO_FUZZ_SEED ?? Math.floor(Date.now() / 86_400_000)) >>> 0;

/** xorshift32: a small deterministic generator of unsigned 32-bit numbers. */
export function prng(seed: number): () => number {
  let s = (seed >>> 0) || 1;
  return () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return s >>> 0; };
}
