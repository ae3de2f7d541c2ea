/**
 * The persistent guest build store (src/core/guest/store.ts and its use in build.ts): the entry
 * format round-trips every value exactly (shared and all-zero byte arrays, non-ASCII text),
 * rejects damaged entries, and builds read back from a store are the builder's own — the same
 * kernel and disk, and the same run records as an uncached build.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildGuest, buildKernel, clearGuestCache, decodeBuildValue, encodeBuildValue, guestCacheStats, guestDisk, guestKernel,
  setGuestBuildStore, type GuestBuildStore,
} from '../../../src/core/guest/index';
import { loadExperiment } from '../../../src/core/experiment/load';
import { prepareExperiment } from '../../../src/core/experiment/run';
import type { RunRecord } from '../../../src/core/experiment/record';
import { EXPERIMENTS, repoSource } from '../repo-source';
import { GUEST } from './guest';

const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.s') ? [join(d, e.name)] : []));
const SOURCES: Record<string, string> = Object.fromEntries(walk(GUEST).map((f) => [relative(GUEST, f).split('\\').join('/'), readFileSync(f, 'utf8')]));

class MemoryStore implements GuestBuildStore {
  readonly map = new Map<string, Uint8Array>();
  gets = 0;
  get(key: string) { this.gets++; return this.map.get(key); }
  put(key: string, bytes: Uint8Array) { this.map.set(key, bytes.slice()); }
}

describe('entry format', () => {
  it('round-trips plain data with byte arrays, shared ones staying shared', () => {
    const shared = new Uint8Array([1, 2, 3, 255]);
    const v = { a: [1, -2, 0x80000000, 3.5, 'ä € 𝄞 \u0000 "q"', true, false, null], b: shared, c: { d: shared, z: new Uint8Array(40000), e: new Uint8Array(0) } };
    const out = decodeBuildValue(encodeBuildValue(v)) as typeof v;
    expect(out).toEqual(v);
    expect(out.b).toBeInstanceOf(Uint8Array);
    expect(out.c.d).toBe(out.b);
    const bytes = encodeBuildValue(v);
    expect(bytes.length).toBeLessThan(1000); // the zero blob is not stored
  });

  it('round-trips byte arrays at the top, in nested arrays and objects, and entries read at any byte offset', () => {
    const top = new Uint8Array([5, 6, 7]);
    expect(decodeBuildValue(encodeBuildValue(top))).toEqual(top);
    const v = { list: [[new Uint8Array([1]), { k: [null, new Uint8Array([2, 3])] }], 'x'], 'a b': { '0': new Uint8Array(7) }, e: [] };
    const e = encodeBuildValue(v);
    expect(decodeBuildValue(e)).toEqual(v);
    for (let off = 1; off < 4; off++) {
      const buf = new Uint8Array(e.length + off);
      buf.set(e, off);
      expect(decodeBuildValue(buf.subarray(off)), `offset ${off}`).toEqual(v);
    }
  });

  it('rejects damaged entries: a flipped byte anywhere, truncation, extra bytes, another format', () => {
    const good = encodeBuildValue({ x: new Uint8Array([9, 8, 7]), s: 'text' });
    for (let i = 0; i < good.length; i++) {
      const bad = good.slice();
      bad[i] ^= 0x10;
      expect(decodeBuildValue(bad), `byte ${i}`).toBeUndefined();
    }
    expect(decodeBuildValue(good.subarray(0, good.length - 1))).toBeUndefined();
    expect(decodeBuildValue(new Uint8Array([...good, 0]))).toBeUndefined();
    expect(decodeBuildValue(new Uint8Array(0))).toBeUndefined();
    expect(decodeBuildValue(new TextEncoder().encode('{"v":1}'))).toBeUndefined();
  });
});

describe('guest builds through a store', () => {
  let store: MemoryStore;
  beforeEach(() => { clearGuestCache(); store = new MemoryStore(); setGuestBuildStore(store); });
  afterEach(() => { setGuestBuildStore(undefined); clearGuestCache(); });

  it('a kernel read back from the store equals the builder\'s, for every variant', () => {
    for (const variant of ['kseg0', 'ksseg', 'hal'] as const) {
      const built = guestKernel(SOURCES, variant);
      expect(built.ok).toBe(true);
      clearGuestCache();
      const loaded = guestKernel(SOURCES, variant);
      expect(guestCacheStats()).toEqual({ hits: 0, misses: 0, loaded: 1 });
      expect(loaded).not.toBe(built);
      const fresh = buildKernel(variant, { kernel: SOURCES['kernel/kernel.s'], include: (n) => (SOURCES[n] !== undefined ? { path: n, text: SOURCES[n] } : undefined) });
      if (!loaded.ok) throw new Error('not ok');
      const k = loaded.value;
      expect(k.image).toEqual(fresh.image);
      expect(k.load).toEqual(fresh.load);
      expect(k.elf).toEqual(fresh.elf);
      expect(k.diagnostics).toEqual(fresh.diagnostics);
      expect(k.result).toEqual({ ...fresh.result, listing: [] });
      expect(k.load!.segments[0].bytes).toBe(k.image!.segments[0].bytes); // shared as the builder shares them
      clearGuestCache();
    }
  });

  it('a disk read back from the store equals the uncached build; a corrupt entry is rebuilt and rewritten', () => {
    const d1 = guestDisk({ sources: SOURCES, programs: [], init: 'pmake 4' });
    expect(d1.ok).toBe(true);
    const uncached = buildGuest(SOURCES, { init: 'pmake 4' });
    expect(d1.ok && Buffer.from(d1.image).equals(Buffer.from(uncached.disk!))).toBe(true);
    clearGuestCache();
    const d2 = guestDisk({ sources: SOURCES, programs: [], init: 'pmake 4' });
    expect(d2).toEqual(d1);
    expect(guestCacheStats().loaded).toBe(1);
    if (!d1.ok) return;
    const entry = store.map.get(d1.key)!;
    entry[entry.length - 1] ^= 1;
    clearGuestCache();
    const d3 = guestDisk({ sources: SOURCES, programs: [], init: 'pmake 4' });
    expect(d3).toEqual(d1);
    expect(guestCacheStats()).toEqual({ hits: 0, misses: 1, loaded: 1 }); // the disk rebuilt from the stored programs
    expect(decodeBuildValue(store.map.get(d1.key)!)).toBeDefined();
  });

  it('a store that throws is a store that misses', () => {
    setGuestBuildStore({ get: () => { throw new Error('io'); }, put: () => { throw new Error('io'); } });
    expect(guestKernel(SOURCES, 'kseg0').ok).toBe(true);
    expect(guestCacheStats()).toEqual({ hits: 0, misses: 1, loaded: 0 });
  });

  const sha = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex');
  const record = async (name: string): Promise<RunRecord> => {
    const loaded = await loadExperiment(repoSource(), join(EXPERIMENTS, `${name}.json`));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const p = prepareExperiment(loaded.value.resolved, loaded.value.inputs);
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    const { host: _host, ...rest } = p.value.run().record;
    return rest as RunRecord;
  };
  for (const name of ['pmake-native-1cpu', 'pmake-disco-1cpu-1vm']) {
    it(`${name}: the same run record (minus host) from stored builds as from an uncached build`, async () => {
      setGuestBuildStore(undefined);
      const plain = sha(await record(name));
      clearGuestCache();
      setGuestBuildStore(store);
      expect(sha(await record(name))).toBe(plain); // built and stored
      clearGuestCache();
      expect(sha(await record(name))).toBe(plain); // read back
      expect(guestCacheStats()).toMatchObject({ misses: 0 });
      expect(guestCacheStats().loaded).toBeGreaterThanOrEqual(2);
    }, 120_000);
  }
});
