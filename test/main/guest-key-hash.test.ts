/**
 * node:crypto's SHA-256 injected into core's guest build keys (src/main/guest-cache.ts
 * `nodeSha256`, core/guest/hash.ts `setSha256Backend`) gives the digests of core's TypeScript
 * SHA-256 on the same fields: the cache keys do not change with the host.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../src/main/guest-cache';
import { keyHash, setSha256Backend, Sha256, type KeyHasher } from '../../src/core/guest/hash';
import { guestSourcesKey } from '../../src/core/guest/build';
import { GUEST } from '../core/guest/guest';

afterEach(() => setSha256Backend(undefined));

type Step = ['update' | 'field', Uint8Array | string];
const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 255);
const STRINGS = ['', 'a', 'kernel/kernel.s', 'héllo wörld', '中文 テキスト', 'emoji 😀 pair', 'x'.repeat(1000) + 'ü',
  'lone high \ud800 here', 'lone low \udc00 here', 'high at end \udbff', '\udfff\ud800 reversed pair', 'pair \ud83d\ude00 then lone \ud83d'];
const LENGTHS = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 4099];

function run(h: KeyHasher, steps: Step[]): string {
  for (const [op, d] of steps) h[op](d);
  return h.hex();
}

describe('guest build keys through node:crypto', () => {
  it('same digests as the TypeScript SHA-256 for strings (multi-byte, surrogate pairs, lone surrogates) and byte arrays, as fields and as updates', () => {
    const cases: Step[][] = [[]];
    for (const s of STRINGS) cases.push([['field', s]], [['update', s]], [['field', 'guest-sources'], ['field', s], ['update', s]]);
    for (const n of LENGTHS) cases.push([['field', bytes(n)]], [['update', bytes(n)]], [['update', 'abc'], ['field', bytes(n)], ['field', 'é']]);
    cases.push(STRINGS.map((s) => ['field', s] as Step));
    for (const steps of cases) {
      setSha256Backend(undefined);
      const ts = run(keyHash(), steps);
      expect(ts).toBe(run(new Sha256(), steps));
      setSha256Backend(nodeSha256);
      expect(run(keyHash(), steps), JSON.stringify(steps.map(([o, d]) => [o, typeof d === 'string' ? d : d.length]))).toBe(ts);
    }
  });

  it('the same key for the guest sources', () => {
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    const sources: Record<string, string> = Object.fromEntries(walk(GUEST).map((f) => [relative(GUEST, f).split('\\').join('/'), readFileSync(f, 'utf8')]));
    const ts = guestSourcesKey({ ...sources });
    setSha256Backend(nodeSha256);
    expect(guestSourcesKey({ ...sources })).toBe(ts);   // a fresh object: the key is memoised per object
  });
});
