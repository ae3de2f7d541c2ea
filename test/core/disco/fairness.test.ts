/**
 * Issue #11, item 3: one VM cannot starve another. A guest kernel that traps on every other
 * instruction used to keep its CPU: each monitor entry re-armed the physical timer, so the
 * end-of-slice interrupt never came and a pmake VM sharing the CPU got 0.11 % of 400 M cycles.
 * The slice is now enforced at every monitor exit as well as by the timer.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../../src/core/machine/machine';
import { createMonitor } from '../../../src/core/disco/monitor';
import { guest, machineConfig } from './helpers';
import { boot, disk, kernel, machine } from '../guest/guest';

/** Share of the CPU each VM got (user + kernel + monitor charged to it) over the run. */
function shares(cycles: number, vms: { buckets: { user: number; kernel: number; monitor: number } }[]): number[] {
  return vms.map((a) => (a.buckets.user + a.buckets.kernel + a.buckets.monitor) / cycles);
}

describe('fair time slices whatever a guest does', () => {
  it('a VM that traps on every other instruction and a VM that never traps each get half of one CPU (±5 %)', () => {
    const m = new Machine(machineConfig(1));
    const r = createMonitor(m, [
      { name: 'trapper', vcpus: 1, memoryMB: 1, kernbase: 0xc0000000, image: guest('trapper') },
      { name: 'spinner', vcpus: 1, memoryMB: 1, kernbase: 0xc0000000, image: guest('spinner') },
    ], { sliceCycles: 100_000 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const res = m.run({ maxCycles: 20_000_000 });
    r.monitor.finish(m.cpuReports().map((c, i) => c.buckets.idle - m.cpus[i].buckets.idle));
    const [t, s] = shares(res.cycles, r.monitor.acct.vms);
    expect(t).toBeGreaterThan(0.45); expect(t).toBeLessThan(0.55);
    expect(s).toBeGreaterThan(0.45); expect(s).toBeLessThan(0.55);
    expect(r.monitor.counts.switches).toBeGreaterThan(150);      // 20 M cycles / 100 k-cycle slices
  });

  it('a vCPU waiting for its virtual timer wakes on time beside a VM that traps all the time', () => {
    // each monitor entry re-arms the physical timer: the waiting vCPU's timer must be checked at
    // every entry, or it never fires (found by test/core/disco/hostile.test.ts)
    const alone = (() => {
      const m = new Machine(machineConfig(1));
      const r = createMonitor(m, [{ name: 'basic', vcpus: 1, memoryMB: 1, kernbase: 0xc0000000, image: guest('basic') }]);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      m.run({ maxCycles: 20_000_000 });
      return r.monitor.vms[0];
    })();
    const m = new Machine(machineConfig(1));
    const r = createMonitor(m, [
      { name: 'trapper', vcpus: 1, memoryMB: 1, kernbase: 0xc0000000, image: guest('trapper') },
      { name: 'basic', vcpus: 1, memoryMB: 1, kernbase: 0xc0000000, image: guest('basic') },
    ]);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    m.run({ maxCycles: 20_000_000 });
    const basic = r.monitor.vms[1];
    expect(basic.status).toBe('exited');
    expect(basic.consoleText()).toBe(alone.consoleText());
    expect(basic.endCycle!).toBeLessThan(4 * alone.endCycle! + 400_000);   // its share, plus a few slices
  });

  it('pmake finishes beside the trapping VM, printing what it prints natively', () => {
    const native = boot('pmake 1', 1, { overrides: { cpuModel: 'fast' } });
    const line = native.console.split('\n').find((l) => l.startsWith('pmake:'));
    expect(line).toMatch(/checksum 0x[0-9a-f]{8}/);
    const m = new Machine(machine(1, { cpuModel: 'fast' }));
    const r = createMonitor(m, [
      { name: 'trapper', vcpus: 1, memoryMB: 1, kernbase: 0xc0000000, image: guest('trapper') },
      { name: 'pmake', vcpus: 1, memoryMB: 24, kernbase: 0xc0000000, image: kernel('ksseg').image!, diskImage: disk('pmake 1') },
    ]);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    m.run({ maxCycles: 400_000_000 });
    const pmake = r.monitor.vms[1];
    expect(pmake.status, pmake.stopReason ?? '').toBe('exited');
    expect(pmake.consoleText()).toContain(`${line}\n`);
  });
});
