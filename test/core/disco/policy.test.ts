/**
 * The monitor's policy interface (policy.ts): a registered policy is called every interval with
 * FLASH's per-page, per-node miss counters, which are reset after each call — the hook NUMA
 * migration and replication plug into.
 */
import { describe, expect, it } from 'vitest';
import type { MonitorPolicy, PolicyContext } from '../../../src/core/disco/policy';
import { runDisco } from './helpers';

describe('memory-management policies', () => {
  it('are called every interval with the miss counters since the last call, by page and node', () => {
    const calls: { cycle: number; pages: number; misses: number; nodes: number }[] = [];
    const policy: MonitorPolicy = {
      name: 'observer',
      intervalCycles: 20_000,
      run(c: PolicyContext) {
        let misses = 0, pages = 0;
        for (let p = 0; p < c.misses.pages; p++) {
          let m = 0;
          for (let n = 0; n < c.misses.nodes; n++) m += c.misses.count(p, n);
          if (m) { pages++; misses += m; }
        }
        calls.push({ cycle: c.cycle, pages, misses, nodes: c.misses.nodes });
        // the backmaps are reachable from here: every mapped machine page has its mappers
        for (const vm of c.vms) for (let g = 0; g < vm.pmap.pages; g++) {
          for (const m of c.vtlb.mappersOf(vm.pmap.mpn[g])) expect(m.vm === vm.id || m.vm === -2).toBe(true);
        }
      },
    };
    const r = runDisco([{}], 2, { policies: [policy], machine: { cpuModel: 'timing' } });
    expect(r.monitor.vms[0].status).toBe('exited');
    expect(calls.length).toBeGreaterThanOrEqual(3);
    // one call per interval: at the first monitor entry at or after each boundary (entries come
    // when the guest traps, so how far past the boundary a call lands depends on the guest)
    for (let i = 1; i < calls.length; i++) expect(calls[i].cycle).toBeGreaterThanOrEqual((Math.floor(calls[i - 1].cycle / 20_000) + 1) * 20_000);
    expect(calls[0].nodes).toBe(2);
    expect(calls.some((c) => c.misses > 0)).toBe(true);
    expect(r.monitor.policies.calls).toEqual([calls.length]);
    // reset after each call: summed over the calls, the per-page counters never exceed the misses
    // (L2 misses and upgrades) the CPUs took in the whole run — cumulative counters would
    const taken = r.machine.cpus.reduce((s, _, i) => s + r.machine.timing.counters(i).l2Misses + r.machine.timing.counters(i).upgrades, 0);
    const reported = calls.reduce((s, c) => s + c.misses, 0);
    expect(reported).toBeGreaterThan(0);
    expect(reported).toBeLessThanOrEqual(taken);
  });
});
