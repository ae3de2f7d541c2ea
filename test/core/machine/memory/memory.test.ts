import { describe, expect, it } from 'vitest';
import { AccessKind } from '../../../../src/core/machine/contracts';
import { PhysicalMemory } from '../../../../src/core/machine/memory/physical';
import { CacheTags } from '../../../../src/core/machine/memory/cache';
import { NumaMemoryTiming } from '../../../../src/core/machine/memory/numa';
import { preset } from '../helpers/bare';

const MB = 1024 * 1024;

describe('PhysicalMemory', () => {
  it('lays nodes end to end and reports the home node', () => {
    const m = new PhysicalMemory(4, 2 * MB);
    expect(m.bytes).toBe(8 * MB);
    expect(m.nodeOf(0)).toBe(0);
    expect(m.nodeOf(2 * MB - 1)).toBe(0);
    expect(m.nodeOf(2 * MB)).toBe(1);
    expect(m.nodeOf(8 * MB - 4)).toBe(3);
    expect(m.contains(8 * MB - 4, 4)).toBe(true);
    expect(m.contains(8 * MB - 4, 5)).toBe(false);
    expect(m.contains(0xfffffffc, 4)).toBe(false);
    expect(m.pages).toBe(2048);
  });

  it('keeps words in host order and bytes big-endian through the XOR views', () => {
    const m = new PhysicalMemory(1, 4096);
    m.write32(8, 0x11223344);
    expect(m.words[2]).toBe(0x11223344);
    expect([8, 9, 10, 11].map((a) => m.u8[a ^ 3])).toEqual([0x11, 0x22, 0x33, 0x44]);
    expect(m.u16[(8 ^ 2) >> 1]).toBe(0x1122);
    expect(m.u16[(10 ^ 2) >> 1]).toBe(0x3344);
    m.writeBytes(13, new Uint8Array([0xaa, 0xbb, 0xcc]));
    expect(m.read32(12)).toBe(0x00aabbcc);
    expect(Array.from(m.readBytes(8, 6))).toEqual([0x11, 0x22, 0x33, 0x44, 0x00, 0xaa]);
    expect(m.read8(14)).toBe(0xbb);
  });

  it('writeBytes at every alignment and length gives what byte-wise writes give (over old contents, with zero words)', () => {
    for (let start = 0; start < 8; start++) for (const len of [...Array.from({ length: 40 }, (_, i) => i), 63, 64, 65, 66, 67, 68, 100, 131, 4096, 4099]) {
      const a = new PhysicalMemory(1, 16384), b = new PhysicalMemory(1, 16384);
      for (let i = 0; i < 1200; i++) { a.words[i] = b.words[i] = Math.imul(i + 1, 0x9e3779b1); }
      const data = Uint8Array.from({ length: len }, (_, i) => (i % 9 < 4 ? 0 : (i * 37 + start) & 255));
      a.writeBytes(64 + start, data);
      data.forEach((v, i) => b.write8(64 + start + i, v));
      expect(Array.from(a.words), `start ${start} length ${len}`).toEqual(Array.from(b.words));
    }
    // large copies (an image load)
    for (const [start, len] of [[0, 70000], [1, 70003], [2, 65538], [3, 65536 + 7]]) {
      const a = new PhysicalMemory(1, 80 * 1024), b = new PhysicalMemory(1, 80 * 1024);
      for (let i = 0; i < a.words.length; i++) a.words[i] = b.words[i] = Math.imul(i + 1, 0x9e3779b1);
      const data = Uint8Array.from({ length: len }, (_, i) => (i % 9 < 4 ? 0 : (i * 37 + start) & 255));
      a.writeBytes(start, data);
      data.forEach((v, i) => b.write8(start + i, v));
      expect(a.words.every((w, i) => w === b.words[i]), `start ${start} length ${len}`).toBe(true);
    }
  });

  it('readBytes at every alignment and length gives what byte-wise reads give', () => {
    const m = new PhysicalMemory(1, 16 * 1024);
    for (let i = 0; i < m.words.length; i++) m.words[i] = i % 5 === 0 ? 0 : Math.imul(i + 7, 0x9e3779b1);
    for (let start = 0; start < 8; start++) for (const len of [0, 1, 3, 4, 5, 31, 63, 64, 65, 67, 100, 4096, 4099, 9000]) {
      const want = Array.from({ length: len }, (_, i) => m.read8(start + i));
      expect(Array.from(m.readBytes(start, len)), `start ${start} length ${len}`).toEqual(want);
    }
  });
});

describe('CacheTags', () => {
  it('replaces the least recently used way', () => {
    const c = new CacheTags(4 * 64, 64, 2); // 2 sets × 2 ways
    expect(c.sets).toBe(2);
    expect(c.insert(0)).toBe(-1);
    expect(c.insert(2)).toBe(-1);  // same set (even lines)
    expect(c.lookup(0)).toBe(true); // 0 becomes MRU
    expect(c.insert(4)).toBe(2);    // evicts LRU = 2
    expect(c.has(2)).toBe(false);
    expect(c.has(0) && c.has(4)).toBe(true);
    expect(c.remove(0)).toBe(true);
    expect(c.remove(0)).toBe(false);
    expect(c.insert(6)).toBe(-1);   // the freed way is used first
  });
});

describe('ccNUMA timing model (flash-4x2: 200 MHz, 300/900 ns, L2 hit 50 ns)', () => {
  const cfg = preset('flash-4x2');
  const NODE = cfg.memoryPerNodeMB * MB;
  const LOCAL = 60, REMOTE = 180, L2HIT = 10;

  it('converts the distance matrix to cycles', () => {
    const t = new NumaMemoryTiming(cfg);
    expect(t.distCycles[0]).toBe(LOCAL);
    expect(t.distCycles[1]).toBe(REMOTE);
    expect(t.l2HitCycles).toBe(L2HIT);
  });

  it('charges local vs remote miss latency, then hits are free', () => {
    const t = new NumaMemoryTiming(cfg);
    // CPU 0 and 1 are on node 0; CPU 2 on node 1.
    expect(t.access(0, 0x1000, AccessKind.Load)).toBe(LOCAL);
    expect(t.access(0, 0x1004, AccessKind.Load)).toBe(0);
    expect(t.access(0, NODE + 0x1000, AccessKind.Load)).toBe(REMOTE);
    expect(t.access(2, NODE + 0x2000, AccessKind.Fetch)).toBe(LOCAL);
    const c0 = t.counters(0);
    expect(c0).toMatchObject({ l1dMisses: 2, l2Misses: 2, localMisses: 1, remoteMisses: 1, stallCycles: LOCAL + REMOTE });
    expect(t.counters(2)).toMatchObject({ l1iMisses: 1, localMisses: 1, remoteMisses: 0 });
  });

  it('serves an L1 miss from the L2 (line 128 B vs L1D line 32 B)', () => {
    const t = new NumaMemoryTiming(cfg);
    expect(t.access(0, 0x4000, AccessKind.Load)).toBe(LOCAL);
    expect(t.access(0, 0x4040, AccessKind.Load)).toBe(L2HIT);  // another L1 line, same L2 line
    expect(t.access(0, 0x4040, AccessKind.Fetch)).toBe(L2HIT); // I-cache miss, L2 hit
    expect(t.counters(0).l2Misses).toBe(1);
  });

  it('a remote store invalidates the sharers through the directory', () => {
    const t = new NumaMemoryTiming(cfg);
    const a = 0x8000; // home node 0
    t.access(0, a, AccessKind.Load);        // nobody else holds it: Exclusive at CPU 0
    expect(t.directory(a)).toEqual({ sharers: [0], owner: 0, dirty: false });
    // CPU 1 (same node) reads it: the home forwards to the exclusive holder (three hops, both local)
    expect(t.access(1, a, AccessKind.Load)).toBe(LOCAL + LOCAL);
    expect(t.directory(a)).toEqual({ sharers: [0, 1], owner: -1, dirty: false });
    // CPU 4 (node 2) stores: a remote miss for exclusive ownership.
    expect(t.access(4, a, AccessKind.Store)).toBe(REMOTE);
    expect(t.directory(a)).toEqual({ sharers: [4], owner: 4, dirty: true });
    expect(t.holds(0, a) || t.holds(1, a)).toBe(false);
    expect(t.counters(0).invalidationsReceived).toBe(1);
    expect(t.counters(1).invalidationsReceived).toBe(1);
    // CPU 0 reads again: a miss to a line dirty on node 2 — three hops (home node 0 → owner node 2).
    expect(t.access(0, a, AccessKind.Load)).toBe(LOCAL + REMOTE);
    expect(t.counters(0).threeHopMisses).toBe(1);
    expect(t.directory(a)).toEqual({ sharers: [0, 4], owner: -1, dirty: false });
    // Stores to an owned line are free; to a shared one an upgrade costs a directory round trip.
    expect(t.access(4, a, AccessKind.Store)).toBe(REMOTE);
    expect(t.counters(4).upgrades).toBe(1);
    expect(t.access(4, a, AccessKind.Store)).toBe(0);
    expect(t.directory(a)).toEqual({ sharers: [4], owner: 4, dirty: true });
  });

  it('Exclusive state: one CPU reading then writing pays no upgrade', () => {
    const t = new NumaMemoryTiming(cfg);
    const a = 0x9000;
    expect(t.access(0, a, AccessKind.Load)).toBe(LOCAL);
    expect(t.counters(0).exclusiveGrants).toBe(1);
    expect(t.directory(a)).toEqual({ sharers: [0], owner: 0, dirty: false });
    expect(t.access(0, a, AccessKind.Store)).toBe(0);           // L1 hit, E → M silently
    expect(t.directory(a)).toEqual({ sharers: [0], owner: 0, dirty: true });
    expect(t.access(0, a + 64, AccessKind.Load)).toBe(L2HIT);   // another L1 line of the same L2 line
    expect(t.access(0, a + 96, AccessKind.Store)).toBe(L2HIT);  // L1 miss, L2 hit, already M
    expect(t.counters(0)).toMatchObject({ upgrades: 0, l2Misses: 1, stallCycles: LOCAL + 2 * L2HIT });
    // the silent E → M reaches no directory: the page's miss counter saw the one miss only
    expect(t.missCount(a >>> 12, 0)).toBe(1);
    // a store to a line read as E whose L1 copy was displaced pays the L2 hit, no upgrade
    const b = 0xa000;
    t.access(0, b, AccessKind.Load);
    t.access(0, b + 32, AccessKind.Store);
    expect(t.counters(0).upgrades).toBe(0);
  });

  it('Exclusive state: two CPUs read, then one writes — an upgrade that invalidates the other', () => {
    const t = new NumaMemoryTiming(cfg);
    const a = 0xb000;
    t.access(0, a, AccessKind.Load);                            // E at 0
    t.access(2, a, AccessKind.Load);                            // downgrades 0: S at 0 and 2
    expect(t.directory(a)).toEqual({ sharers: [0, 2], owner: -1, dirty: false });
    expect(t.counters(2)).toMatchObject({ exclusiveGrants: 0, threeHopMisses: 1 });
    expect(t.access(0, a, AccessKind.Store)).toBe(LOCAL);        // upgrade at the home (node 0)
    expect(t.counters(0).upgrades).toBe(1);
    expect(t.counters(2).invalidationsReceived).toBe(1);
    expect(t.holds(2, a)).toBe(false);
    expect(t.directory(a)).toEqual({ sharers: [0], owner: 0, dirty: true });
  });

  it('Exclusive state: a remote read downgrades E to S with a three-hop miss; fetches are never granted E', () => {
    const t = new NumaMemoryTiming(cfg);
    const a = NODE + 0xc000;                                     // home node 1
    expect(t.access(2, a, AccessKind.Load)).toBe(LOCAL);         // CPU 2 is on node 1: E
    expect(t.access(6, a, AccessKind.Load)).toBe(REMOTE + LOCAL); // node 3 → home node 1 → holder on node 1
    expect(t.directory(a)).toEqual({ sharers: [2, 6], owner: -1, dirty: false });
    expect(t.holds(2, a)).toBe(true);                            // downgraded, not invalidated
    expect(t.counters(2).invalidationsReceived).toBe(0);
    expect(t.access(2, a, AccessKind.Store)).toBe(LOCAL);         // S now: a store is an upgrade again
    expect(t.counters(2).upgrades).toBe(1);
    // instruction fetches take the line shared
    t.access(0, 0xd000, AccessKind.Fetch);
    expect(t.directory(0xd000)).toEqual({ sharers: [0], owner: -1, dirty: false });
    // a line evicted or invalidated while E leaves no exclusive holder behind
    t.access(0, 0xe000, AccessKind.Load);
    t.invalidatePage(0xe);
    expect(t.directory(0xe000)).toEqual({ sharers: [], owner: -1, dirty: false });
    expect(t.access(1, 0xe000, AccessKind.Load)).toBe(LOCAL);
  });

  it('counts misses per page per node (FLASH MAGIC) and resets them', () => {
    const t = new NumaMemoryTiming(cfg);
    const page = 5, a = page << 12;
    t.access(0, a, AccessKind.Load);        // node 0
    t.access(1, a + 128, AccessKind.Load);  // node 0, another line
    t.access(6, a, AccessKind.Load);        // node 3 (a three-hop miss: CPU 0 held the line E)
    t.access(6, a, AccessKind.Store);       // upgrade by node 3 counts too
    expect([0, 1, 2, 3].map((n) => t.missCount(page, n))).toEqual([2, 0, 0, 2]);
    expect(t.pageMissCounts(page)).toEqual([2, 0, 0, 2]);
    expect(t.missCount(page + 1, 0)).toBe(0);
    t.access(0, (page + 1) << 12, AccessKind.Load);
    t.resetMissCounts(page);
    expect(t.pageMissCounts(page)).toEqual([0, 0, 0, 0]);
    expect(t.missCount(page + 1, 0)).toBe(1);
    t.resetMissCounts();
    expect(t.missCount(page + 1, 0)).toBe(0);
  });

  it('invalidatePage drops every cached copy of the page', () => {
    const t = new NumaMemoryTiming(cfg);
    t.access(0, 0x3000, AccessKind.Load);
    t.access(3, 0x3f80, AccessKind.Store);
    t.invalidatePage(3);
    expect(t.holds(0, 0x3000) || t.holds(3, 0x3f80)).toBe(false);
    expect(t.directory(0x3f80)).toEqual({ sharers: [], owner: -1, dirty: false });
    expect(t.access(0, 0x3000, AccessKind.Load)).toBe(LOCAL);
  });

  it('capacity evictions keep the directory exact (L2 inclusive of L1)', () => {
    const small = preset('flash-4x2', { caches: { l1i: { sizeKB: 1 }, l1d: { sizeKB: 1, assoc: 1 }, l2: { sizeKB: 1, assoc: 1 } } });
    const t = new NumaMemoryTiming(small);
    t.access(0, 0, AccessKind.Load);
    expect(t.directory(0).sharers).toEqual([0]);
    t.access(0, 1024, AccessKind.Load); // same L2 set (1 KB direct-mapped) → evicts line 0
    expect(t.directory(0).sharers).toEqual([]);
    expect(t.holds(0, 0)).toBe(false);
    expect(t.access(0, 0, AccessKind.Load)).toBe(LOCAL); // L1 copy went with it
  });

  it('uncached references pay the full latency and leave the caches alone', () => {
    const t = new NumaMemoryTiming(cfg);
    expect(t.uncachedAccess(0, 0x5000)).toBe(LOCAL);
    expect(t.uncachedAccess(0, NODE + 0x5000)).toBe(REMOTE);
    expect(t.uncachedAccess(0, 0x5000)).toBe(LOCAL);
    expect(t.holds(0, 0x5000)).toBe(false);
    expect(t.counters(0)).toMatchObject({ uncached: 3, l2Misses: 0, stallCycles: 2 * LOCAL + REMOTE });
    expect(t.missCount(5, 0)).toBe(0);
  });

  it('uses a full distance matrix when one is given', () => {
    const c = preset('numa-2socket');
    const t = new NumaMemoryTiming(c); // 2 GHz: 90 ns = 180 cycles, 140 ns = 280 cycles
    expect(t.access(0, 0, AccessKind.Load)).toBe(180);
    expect(t.access(4, 64, AccessKind.Load)).toBe(280);
  });

  it('is deterministic: the same access sequence gives the same stalls and counters', () => {
    const run = () => {
      const t = new NumaMemoryTiming(cfg);
      let s = 0, x = 12345;
      for (let i = 0; i < 20000; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        s += t.access(x % 8, (x >>> 3) % (4 * NODE) & ~3, (x % 3) as AccessKind);
      }
      return { s, c: [0, 1, 2, 3, 4, 5, 6, 7].map((i) => t.counters(i)) };
    };
    expect(run()).toEqual(run());
  });
});
