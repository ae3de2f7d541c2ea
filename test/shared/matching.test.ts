// Issue #12.4: results pick the matching native run as the baseline (same workload, same
// machine) in Results and Compare; per-VM Disco counters; causes and counters side by side.
import { describe, expect, it } from 'vitest';
import { compareCauseRows, compareCounterRows, counterRows, defaultCompareBaseline, identityOf, machineKey, matchingBaseline, vmCounterRows, workloadKey, type RunRecord, type RunSummary } from '../../src/shared/api';

const machine = { name: 'flash-8node', nodes: 1, cpusPerNode: 1, memoryPerNodeMB: 32, cpuModel: 'timing', seed: 1 };

function rec(mode: 'native' | 'disco', experiment: Record<string, unknown>, extra: Record<string, unknown> = {}): RunRecord {
  return {
    schema: 'disco-lab/run@1', name: String(experiment.name ?? 'x'), mode, experiment: { machine: 'flash-8node', mode, ...experiment }, machine, seed: 1, limits: {},
    status: { reason: 'exit', description: '', exitCode: 0, exitCpu: 0 }, partial: false, cycles: 100, simulatedSeconds: 1e-6, cpuCount: 1,
    cpus: [], totals: { buckets: { user: 1, kernel: 1, monitor: 0, idle: 0, stall: 0 }, counters: { instructions: 1, tlbMisses: { refill: 0, invalid: 0, modified: 0 }, exceptions: {}, cache: {} }, localMissFraction: null },
    vms: [], monitor: { byCause: {} }, console: { output: '', bytes: 0, truncated: false }, devices: { disk: {}, ipi: { sent: 0 }, mmioAccesses: {} }, stats: [], host: { seconds: 1, guestMips: 1, simulatedMHz: 1 },
    ...extra,
  } as unknown as RunRecord;
}

describe('workload and machine keys', () => {
  it('ignores how a workload runs: native kernel, Disco VMs, kernel variant', () => {
    const native = workloadKey({ mode: 'native', programs: [{ path: '../guest/kernel-kseg0.elf' }], disk: { image: '../guest/guest.img' }, console: { input: 'pmake 4\n' } });
    const disco = workloadKey({ mode: 'disco', vms: [{ kernel: '../guest/kernel-ksseg.elf', memoryMB: 12 }], disk: { image: '../guest/guest.img' }, console: { input: 'pmake 4\n' } });
    expect(native).toBe('os:pmake 4\n|guest.img');
    expect(disco).toBe(native);
    expect(workloadKey({ mode: 'native', programs: ['../programs/bare-hello.s'] })).toBe('bare:bare-hello.s');
    // guest programs from the workspace (experiment field `guest`)
    const g = { programs: ['../programs/mytest.s'], init: 'mytest 3' };
    expect(workloadKey({ mode: 'native', guest: g })).toBe('guest:mytest.s|mytest 3');
    expect(workloadKey({ mode: 'disco', guest: g, vms: [{ memoryMB: 16, copies: 2 }] })).toBe('guest:mytest.s|mytest 3');
    expect(workloadKey({ mode: 'disco', guest: { ...g, init: 'mytest 4' }, vms: [] })).not.toBe('guest:mytest.s|mytest 3');
  });

  it('compares machines without their name and seed', () => {
    expect(machineKey({ ...machine, name: 'other', seed: 9 })).toBe(machineKey(machine));
    expect(machineKey({ ...machine, nodes: 2 })).not.toBe(machineKey(machine));
    expect(machineKey({ b: 1, a: { d: 2, c: 3 } })).toBe(machineKey({ a: { c: 3, d: 2 }, b: 1 }));
  });
});

describe('the matching native baseline', () => {
  const input = { disk: { image: '../guest/guest.img' }, console: { input: 'pmake 4\n' } };
  const disco = rec('disco', { name: 'pmake-disco', vms: [{ kernel: 'k', memoryMB: 12 }], ...input });
  const sum = (path: string, r: RunRecord, over: Partial<RunSummary> = {}): RunSummary => ({ ...identityOf(path, r), name: r.name, reason: 'exit', cycles: 1, cpuCount: 1, mtimeMs: 0, hostSeconds: 1, ...over });
  const native = rec('native', { name: 'pmake-native', programs: [{ path: 'k0' }], ...input });
  const other = rec('native', { name: 'raytrace-native', programs: [{ path: 'k0' }], disk: input.disk, console: { input: 'raytrace\n' } });
  const bigger = rec('native', { name: 'pmake-native-4', programs: [{ path: 'k0' }], ...input }, { machine: { ...machine, nodes: 4 } });

  it('is the newest complete native run of the same workload on the same machine', () => {
    const list = [sum('runs/d.json', disco), sum('runs/o.json', other), sum('runs/b.json', bigger), sum('runs/np.json', native, { partial: true }), sum('runs/n2.json', native), sum('runs/n1.json', native)];
    expect(matchingBaseline(identityOf('runs/d.json', disco), list)?.path).toBe('runs/n2.json');
    expect(matchingBaseline(identityOf('runs/n1.json', native), list)).toBeUndefined(); // a native run is its own baseline
    expect(matchingBaseline(identityOf('runs/d.json', disco), [sum('runs/o.json', other), sum('runs/b.json', bigger)])).toBeUndefined();
  });

  it('is Compare\'s default baseline', () => {
    expect(defaultCompareBaseline([disco, other, native])).toBe(2);
    expect(defaultCompareBaseline([disco, disco])).toBe(0);
    expect(defaultCompareBaseline([disco, rec('native', { ...native.experiment }, { partial: true }), native])).toBe(2);
  });
});

describe('Disco counters', () => {
  const vm = (name: string, hits: number, misses: number) => ({ name, status: 'exited', exitCode: 0, counters: { traps: 10, emulated: 6, reflected: 3, switchesIn: 2, l2tlb: { hits, misses, inserts: 5 } }, machinePages: 64, monitor: { byCause: {} } });
  const d1 = rec('disco', { name: 'a' }, { vms: [vm('vm0', 3, 1), vm('vm1', 0, 0)], monitor: { byCause: { trap: 400, mmio: 150 }, switches: 4, migrations: 1, traps: { CpU: 7 }, emulated: { mtc0: 2 } } });
  const d2 = rec('disco', { name: 'b' }, { monitor: { byCause: { trap: 800, 'tlb.l2hit': 60 } } });

  it('lists per-VM counters with the L2 TLB hit rate', () => {
    expect(vmCounterRows(d1)).toEqual([
      { vm: 'vm0', status: 'exit 0', traps: 10, emulated: 6, reflected: 3, switchesIn: 2, l2Hits: 3, l2Misses: 1, l2Inserts: 5, l2HitPercent: 75, machinePages: 64 },
      { vm: 'vm1', status: 'exit 0', traps: 10, emulated: 6, reflected: 3, switchesIn: 2, l2Hits: 0, l2Misses: 0, l2Inserts: 5, l2HitPercent: null, machinePages: 64 },
    ]);
    const c = counterRows(d1);
    expect(c.find((x) => x.name === 'monitor.migrations')).toMatchObject({ value: 1, unit: 'moves' });
    expect(c.find((x) => x.name === 'monitor.traps.CpU')).toMatchObject({ value: 7 });
    expect(c.find((x) => x.name === 'monitor.emulated.mtc0')).toMatchObject({ value: 2, unit: 'instructions' });
  });

  it('puts causes and counters of several runs side by side', () => {
    expect(compareCauseRows([d1, d2])).toEqual([{ cause: 'trap', cycles: [400, 800] }, { cause: 'mmio', cycles: [150, 0] }, { cause: 'tlb.l2hit', cycles: [0, 60] }]);
    const rows = compareCounterRows([d1, d2]);
    expect(rows.find((r) => r.name === 'monitor.switches')!.values).toEqual([4, undefined]);
    expect(rows.find((r) => r.name === 'cycles')!.values).toEqual([100, 100]);
  });
});

describe('run labels', () => {
  it('shortens record paths to the experiment name and the time of day', async () => {
    const { runLabel } = await import('../../src/shared/api');
    expect(runLabel('runs/pmake-disco-1cpu-2vm-2026-11-21T20-31-05-123Z.json')).toBe('pmake-disco-1cpu-2vm 20:31:05');
    expect(runLabel('runs/mytest-native-2026-11-21T20-31-05-123Z-2.json')).toBe('mytest-native 20:31:05 (2)');
    expect(runLabel('runs/by-hand.json')).toBe('by-hand');
  });
});
