/**
 * The NUMA policy's decisions in isolation (numa-policy.ts), on a made-up 3-node memory: the move
 * limit bounds *moves* — a migration, or a page's first replication — so a replicated page at the
 * limit still gets a copy on a new reading node; a page at the limit that is not replicated stays;
 * a page shared between VMs (copy-on-write) is never examined.
 */
import { describe, expect, it } from 'vitest';
import { NumaPolicy } from '../../../src/core/disco/numa-policy';
import { Memmap } from '../../../src/core/disco/memmap';
import { Pmap } from '../../../src/core/disco/pmap';
import type { PolicyContext } from '../../../src/core/disco/policy';

const OPTS = { intervalCycles: 1000, trigger: 128, sharing: 32, writes: 1, maxMoves: 1, migrate: true, replicate: true };

function setup(opts: { replicated: boolean; shared?: boolean }) {
  const memmap = new Memmap(300, 3, 0);
  const master = memmap.allocate(0, 5, 0);
  const pmap = new Pmap(10);
  pmap.set(5, master);
  pmap.moves[5] = 1;                                   // at the limit (maxMoves 1)
  let copy = -1;
  if (opts.replicated) {
    copy = memmap.allocateOn(0, 5, 1);
    memmap.markReplica(copy, master);
    pmap.replicas.set(5, Int32Array.from([-1, copy, -1]));
  }
  if (opts.shared) { memmap.setShared(master); pmap.setCow(5, true); }
  const calls: { kind: string; nodes: number[] }[] = [];
  const memory = {
    memmap,
    replicate: (_c: unknown, _vm: number, _p: Pmap, _g: number, nodes: number[]) => { calls.push({ kind: 'replicate', nodes }); return nodes.length; },
    migrate: (_c: unknown, _vm: number, _p: Pmap, _g: number, node: number) => { calls.push({ kind: 'migrate', nodes: [node] }); return true; },
  };
  // 50 misses from each node: the master's from node 0 and 2, the replica's from node 1
  const misses = { count: (mpn: number, n: number) => (mpn === master && n !== 1) || (mpn === copy && n === 1) || (!opts.replicated && mpn === master) ? 50 : 0, writes: () => 0, resetMissCounts: () => {} };
  const posted: number[] = [];
  const ctx = (cpu: number): PolicyContext => ({
    cycle: 0, cpu: { id: cpu } as never, misses: misses as never, memory: memory as never, vtlb: null as never,
    vms: [{ id: 0, pmap } as never], charge: () => {}, nodeOf: (c) => c, post: (n) => posted.push(n),
  });
  return { policy: new NumaPolicy(OPTS), ctx, calls, posted };
}

describe('NUMA policy: the move limit', () => {
  it('a replicated page at the limit still gets a copy for a new reading node', () => {
    const { policy, ctx, calls, posted } = setup({ replicated: true });
    policy.run(ctx(0));
    expect(policy.decisions.atLimit).toBe(0);
    expect(posted).toEqual([2]);                       // the copy is made by node 2
    policy.drain(ctx(2));
    expect(calls).toEqual([{ kind: 'replicate', nodes: [2] }]);
  });

  it('a page at the limit that is not replicated stays where it is', () => {
    const { policy, ctx, calls, posted } = setup({ replicated: false });
    policy.run(ctx(0));
    expect(policy.decisions.atLimit).toBe(1);
    expect(posted).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('a page shared between VMs is not examined', () => {
    const { policy, ctx, calls } = setup({ replicated: false, shared: true });
    policy.run(ctx(0));
    expect(policy.decisions.hot).toBe(0);
    expect(calls).toEqual([]);
  });
});
