// Result arithmetic of the results and compare views: Figure-5 normalisation, per-CPU/VM rows,
// monitor causes, counters, overheads, config diffs, CSV.
import { describe, expect, it } from 'vitest';
import { configDiff, counterRows, figure5Rows, isRunRecord, localityRows, memoryRows, monitorCauseRows, numaRows, pagesPerNodeHeat, overheadPercent, perCpuRows, perVmRows, toCsv, type RunRecord } from '../../src/shared/api';

function rec(buckets: [number, number, number, number][], extra: Partial<RunRecord> = {}): RunRecord {
  const cpus = buckets.map(([user, kernel, monitor, idle], id) => ({ id, node: id >> 1, state: 'halted', buckets: { user, kernel, monitor, idle, stall: 0 }, counters: { instructions: 10, tlbMisses: { refill: 1, invalid: 0, modified: 0 }, exceptions: { Sys: 2 }, cache: {} } }));
  const tot = (k: 'user' | 'kernel' | 'monitor' | 'idle') => cpus.reduce((s, c) => s + c.buckets[k], 0);
  return {
    schema: 'disco-lab/run@1', name: 'r', mode: 'native', experiment: { name: 'r', machine: 'flash-4x2', mode: 'native', programs: [{ path: 'a.s' }] },
    machine: { name: 'm', nodes: 2, cpuModel: 'timing' }, seed: 1, limits: {}, status: { reason: 'exit', description: '', exitCode: 0, exitCpu: 0 }, partial: false,
    cycles: 100, simulatedSeconds: 1e-6, cpuCount: cpus.length, cpus,
    totals: { buckets: { user: tot('user'), kernel: tot('kernel'), monitor: tot('monitor'), idle: tot('idle'), stall: 0 }, counters: { instructions: 20, tlbMisses: { refill: 2, invalid: 0, modified: 0 }, exceptions: { Sys: 4 }, cache: { l2Misses: 3 } }, localMissFraction: null },
    vms: [], monitor: { byCause: {} }, console: { output: '', bytes: 0, truncated: false }, devices: { disk: { reads: 0 }, ipi: { sent: 0 }, mmioAccesses: {} },
    stats: [{ name: 'cycles', description: 'Simulated time', unit: 'cycles' }, { name: 'counters.exceptions', description: 'Exceptions by code', unit: 'exceptions' }],
    host: { seconds: 1, guestMips: 2, simulatedMHz: 3 },
    ...extra,
  } as unknown as RunRecord;
}

describe('memory locality and the NUMA policy', () => {
  it('per CPU: misses served by its own node vs another, percent local; nothing without misses', () => {
    const r = rec([[1, 0, 0, 0], [1, 0, 0, 0]]);
    expect(localityRows(r)).toEqual([]);
    r.cpus[0].counters.cache = { localMisses: 30, remoteMisses: 10 } as never;
    r.cpus[1].counters.cache = { localMisses: 0, remoteMisses: 0 } as never;
    expect(localityRows(r)).toEqual([{ cpu: 0, node: 0, local: 30, remote: 10, localPercent: 75 }, { cpu: 1, node: 0, local: 0, remote: 0, localPercent: null }]);
  });

  it('memory: each VM\'s footprint and its shared part, V and M for the machine; nothing without the sharing record', () => {
    expect(memoryRows(rec([[1, 0, 0, 0]]))).toEqual({ vms: [], machine: [] });
    const sharing = { vmPages: 1144, machinePages: 430, monitorPages: 448, sharedPages: 102, sharedPagesPeak: 109, diskPagesMapped: 119, diskPagesRegistered: 17, diskReadsAvoided: 0, imagePagesMapped: 763, cowCopies: 49, cowHandovers: 7, cowCycles: 1 };
    const vms = [{ name: 'vm0', footprint: { pages: 512, sharedPages: 128 } }, { name: 'vm1', footprint: { pages: 0, sharedPages: 0 } }];
    const m = memoryRows(rec([[1, 0, 0, 0]], { vms: vms as never, monitor: { byCause: {}, sharing } as never }));
    expect(m.vms).toEqual([{ name: 'vm0', pages: 512, mb: 2, sharedPages: 128, sharedPercent: 25 }, { name: 'vm1', pages: 0, mb: 0, sharedPages: 0, sharedPercent: null }]);
    const by = Object.fromEntries(m.machine.map((x) => [x.name, x.value]));
    expect(by['V: pages the VMs use, summed']).toBe('1,144 (4.47 MiB)');
    expect(by['M: machine pages behind them (shared pages once)']).toBe('430 (1.68 MiB)');
    expect(by['saved by sharing (V − M)']).toBe('714 (2.79 MiB)');
    expect(by['copy-on-write: copies / handed over']).toBe('49 / 7');
  });

  it('lists what the NUMA policy did, in the units of the paper\'s Table 3; nothing when it was off', () => {
    expect(numaRows(rec([[1, 0, 0, 0]]))).toEqual([]);
    const numa = { policyRuns: 9, hotPages: 40, migrations: 12, replications: 3, collapses: 1, migrationsPerSecond: 2461.4, replicationsPerSecond: 615, migrationCostUs: 67.25, replicationCostUs: null, replicaPages: 2, replicaPagesPeak: 3, stayed: { writeShared: 5, atLimit: 1, alreadyPlaced: 7, spread: 4, noMemory: 0 } };
    const rows = numaRows(rec([[1, 0, 0, 0]], { monitor: { byCause: {}, numa } as never }));
    const by = Object.fromEntries(rows.map((x) => [x.name, `${x.value} ${x.unit}`]));
    expect(by['migrations per second']).toBe('2,461 1/s (simulated)');
    expect(by['cost per migration']).toBe('67.3 µs');
    expect(by['cost per replication']).toBe('— µs');
    expect(by['replica pages at the end (peak)']).toBe('2 (3) pages');
    expect(by['stayed: write-shared / at the move limit / already placed / spread thin / no memory']).toBe('5 / 1 / 7 / 4 / 0 pages × intervals');
  });
});

describe('pages per node over the run (the NUMA heat map)', () => {
  it('one row per policy run (at most maxRows, the last kept), the change since the first, levels scaled to the largest change', () => {
    const base = rec([[1, 0, 0, 0]]);
    expect(pagesPerNodeHeat(base)).toEqual({ nodes: 0, rows: [] });
    const pagesPerNode = [0, 1, 2, 3, 4].map((i) => ({ cycle: (i + 1) * 20_000_000, pages: [100 - 10 * i, 100 + 5 * i] }));
    const r = rec([[1, 0, 0, 0]], { monitor: { byCause: {}, numa: { pagesPerNode } } as never });
    const clock = r.machine.clockMHz;
    const h = pagesPerNodeHeat(r, 2);
    expect(h.nodes).toBe(2);
    expect(h.rows.map((x) => x.ms)).toEqual([0, 2, 4].map((i) => ((i + 1) * 20_000_000) / (clock * 1000)));
    expect(h.rows[0].cells).toEqual([{ pages: 100, delta: 0, level: 0 }, { pages: 100, delta: 0, level: 0 }]);
    expect(h.rows[2].cells).toEqual([{ pages: 60, delta: -40, level: -1 }, { pages: 120, delta: 20, level: 0.5 }]);
  });
});

describe('results arithmetic', () => {
  const native = rec([[50, 30, 0, 20], [40, 40, 0, 20]]);
  const disco = rec([[50, 40, 30, 0], [45, 35, 40, 10]], { mode: 'disco', monitor: { byCause: { 'emulate.mtc0': 30, 'tlb.refill': 40 } }, vms: [{ name: 'vm0', buckets: { user: 95, kernel: 75, monitor: 70, idle: 10 } }] as never });

  it('normalises to the baseline: baseline total = 100, categories proportional', () => {
    const [b, d] = figure5Rows([{ label: 'IRIX', record: native }, { label: 'Disco', record: disco }], native);
    expect(b).toEqual({ label: 'IRIX', user: 45, kernel: 35, monitor: 0, idle: 20, total: 100 });
    expect(d).toEqual({ label: 'Disco', user: 47.5, kernel: 37.5, monitor: 35, idle: 5, total: 125 });
    expect(overheadPercent(disco, native)).toBe(25);
    expect(overheadPercent(native, native)).toBe(0);
  });

  it('breaks down per CPU (percent of each CPU) and per VM (percent of all CPU time)', () => {
    expect(perCpuRows(disco)[1]).toEqual({ label: 'CPU 1 (node 0)', user: 34.62, kernel: 26.92, monitor: 30.77, idle: 7.69, total: 100 });
    expect(perVmRows(disco)).toEqual([{ label: 'vm0', user: 38, kernel: 30, monitor: 28, idle: 4, total: 100 }]);
    expect(perVmRows(native)).toEqual([]);
  });

  it('lists monitor causes largest first and counters with the record\'s own descriptions', () => {
    expect(monitorCauseRows(disco)).toEqual([{ cause: 'tlb.refill', cycles: 40, percent: 57.1 }, { cause: 'emulate.mtc0', cycles: 30, percent: 42.9 }]);
    const c = counterRows(native);
    expect(c.find((x) => x.name === 'cycles')).toEqual({ name: 'cycles', value: 100, unit: 'cycles', description: 'Simulated time' });
    expect(c.find((x) => x.name === 'counters.exceptions.Sys')).toMatchObject({ value: 4, unit: 'exceptions' });
    expect(c.some((x) => x.name === 'totals.localMissFraction')).toBe(false); // null is left out
  });

  it('diffs configurations by dotted path', () => {
    const a = rec([[1, 1, 0, 0]]);
    const b = rec([[1, 1, 0, 0]], { mode: 'disco', machine: { name: 'm', nodes: 4, cpuModel: 'timing' } as never });
    expect(configDiff([a, b])).toEqual([{ path: 'machine.nodes', values: [2, 4] }, { path: 'mode', values: ['native', 'disco'] }]);
    expect(configDiff([a, a])).toEqual([]);
  });

  it('writes RFC 4180 CSV and recognises run records', () => {
    expect(toCsv([{ a: 1, b: 'x,y' }, { a: 2, b: 'say "hi"' }])).toBe('a,b\r\n1,"x,y"\r\n2,"say ""hi"""\r\n');
    expect(toCsv([])).toBe('');
    expect(isRunRecord(native)).toBe(true);
    expect(isRunRecord({ schema: 'other' })).toBe(false);
  });
});
