/**
 * The monitor's own memory references through the cache model (monitor-memory.ts,
 * docs/monitor-cost-model.md "The monitor's memory references"): on with the timing model by
 * default, they miss and stall, charged as monitor time; off (option 0, the fast model, or a
 * cost table of zeros) the run is exactly what it was; the guest computes the same results.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../../src/core/machine/machine';
import { createMonitor, type Monitor } from '../../../src/core/disco/monitor';
import { COST_PARAMS } from '../../../src/core/disco/cost-model';
import { CODE_BYTES } from '../../../src/core/disco/monitor-memory';
import { MONITOR_VM } from '../../../src/core/disco/memmap';
import { disk, kernel, machine } from '../guest/guest';
import { runDisco } from './helpers';

const LINE = 'pmake: 16 jobs, checksum 0xf3e06fae';

function pmake(model: 'fast' | 'timing', opts: Record<string, unknown> = {}, cpus = 1): { m: Machine; mon: Monitor; cycles: number } {
  const m = new Machine(machine(cpus, { cpuModel: model }));
  const r = createMonitor(m, [{ name: 'vm0', vcpus: cpus, memoryMB: 24, kernbase: 0xc0000000, image: kernel('ksseg').image!, diskImage: disk('pmake 4 1') }], opts);   // size 1 (the tests' size: test/core/guest/guest.test.ts)
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const res = m.run({ maxCycles: 2_000_000_000 });
  expect(res.reason).toBe('exit');
  r.monitor.finish(m.cpuReports().map((c, i) => c.buckets.idle - m.cpus[i].buckets.idle));
  expect(r.monitor.vms[0].consoleText()).toContain(`${LINE}\n`);
  return { m, mon: r.monitor, cycles: res.cycles };
}

const total = (m: Machine, k: 'user' | 'kernel' | 'monitor' | 'idle' | 'stall') => m.cpuReports().reduce((s, c) => s + c.buckets[k], 0);

describe("the monitor's memory references", () => {
  it('miss and stall with the option on (timing model), are monitor time, and leave the guest\'s results alone', () => {
    const on = pmake('timing');
    const off = pmake('timing', { monitorMemoryRefs: 0 });
    const c = on.mon.mem!.counts;
    expect(c.references).toBeGreaterThan(10_000);
    expect(c.misses).toBeGreaterThan(0);
    expect(c.stallCycles).toBeGreaterThan(0);
    expect(off.mon.mem).toBeNull();
    // the stall is monitor time: monitor grows by about it (the two runs' timing differs, so a
    // few interrupts and traps more or less — ≈ 140 cycles each — move the difference: measured
    // 0.98–1.0 of the stall over kernel builds; 5 % allows for them); every cycle is still in one bucket
    expect(total(on.m, 'monitor')).toBeGreaterThanOrEqual(total(off.m, 'monitor') + 0.95 * c.stallCycles);
    for (const r of [on, off]) {
      for (const cpu of r.m.cpuReports()) expect(cpu.buckets.user + cpu.buckets.kernel + cpu.buckets.monitor + cpu.buckets.idle).toBe(r.cycles);
      const byCause = r.m.cpuReports().reduce((s, cpu) => s + Object.values(cpu.monitorByCause).reduce((a, b) => a + b, 0), 0);
      expect(byCause).toBe(total(r.m, 'monitor'));
    }
    // the guest prints the same thing (its switch count aside, which depends on time)
    const text = (r: { mon: Monitor }) => r.mon.vms[0].consoleText().replace(/switches=\d+/g, '');
    expect(text(on)).toBe(text(off));
    // the monitor's lines displace the guest's: the guest's own stall grows
    expect(total(on.m, 'stall') - c.stallCycles).toBeGreaterThan(total(off.m, 'stall'));
    // its data and code pages belong to the monitor
    expect(on.mon.memmap.owner[on.mon.memmap.totalPages - 1]).toBe(MONITOR_VM);
  }, 120_000);

  it('off is exactly the old run: option 0, the fast model, a cost table of zeros', () => {
    const off = pmake('timing', { monitorMemoryRefs: 0 });
    const zeros = Object.fromEntries(COST_PARAMS.map((p) => [p.name, 0]));
    const zeroOff = pmake('timing', { costs: zeros, monitorMemoryRefs: 0 });
    const zeroOn = pmake('timing', { costs: zeros });
    expect(zeroOn.mon.mem!.counts).toEqual({ references: 0, misses: 0, stallCycles: 0 });
    expect(zeroOn.m.cpuReports()).toEqual(zeroOff.m.cpuReports());
    expect(total(zeroOn.m, 'monitor')).toBe(0);
    const fast = pmake('fast');
    expect(fast.mon.mem).toBeNull();
    expect(fast.m.cpuReports()).toEqual(pmake('fast', { monitorMemoryRefs: 0 }).m.cpuReports());
    expect(off.m.cpuReports()[0].buckets.monitor).toBeGreaterThan(0);
  }, 120_000);

  it('is deterministic', () => {
    const once = () => { const r = pmake('timing', {}, 2); return { reports: r.m.cpuReports(), counts: r.mon.mem!.counts, acct: r.mon.acct.vms }; };
    expect(once()).toEqual(once());
  }, 120_000);

  it('fetches each action\'s code from the replica on the CPU\'s own node', () => {
    // 2 nodes: both CPUs' code fetches are local misses (a remote one would show as remoteMisses
    // beyond what the guest takes; here we check the monitor's code pages lie on both nodes)
    const r = runDisco([{ vcpus: 1 }, { vcpus: 1 }], 2, { machine: { cpuModel: 'timing' } });
    const mm = r.monitor.memmap;
    const monitorPages = (n: number) => { let k = 0; for (let p = n * mm.pagesPerNode; p < (n + 1) * mm.pagesPerNode; p++) if (mm.owner[p] === MONITOR_VM) k++; return k; };
    expect(monitorPages(1)).toBeGreaterThan(0);
    expect(r.monitor.mem!.counts.references).toBeGreaterThan(0);
    expect(CODE_BYTES.trap % 64).toBe(0);
  });

  it('asks for the memory it needs: VMs that fill the machine are refused with the option on, not with it off', () => {
    const m = () => new Machine(machine(1, { cpuModel: 'timing' }));
    const spec = { name: 'vm0', vcpus: 1, memoryMB: 31, kernbase: 0xc0000000, image: kernel('ksseg').image! };
    const r = createMonitor(m(), [spec]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].path).toBe('monitor.monitorMemoryRefs');
    expect(createMonitor(m(), [spec], { monitorMemoryRefs: 0 }).ok).toBe(true);
  });
});
