/**
 * Result arithmetic shared by the results and compare views (pure functions of run records —
 * no simulation, no DOM): Figure-5-style rows normalised to a baseline, per-CPU and per-VM
 * breakdowns, monitor time by cause, a flat counters table, overheads, config diffs, CSV.
 *
 * Normalisation (as Figure 5 of the Disco paper): a run's height is its total CPU time
 * (user + kernel + monitor + idle summed over CPUs = cycles × CPUs) divided by the baseline's,
 * × 100; the categories split that height in proportion to their cycles.
 */
import type { RunRecord } from '../../core/experiment/record';
import type { LoadRecord } from '../../core/load/summary';

export const CATEGORIES = ['user', 'kernel', 'monitor', 'idle'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_LABELS: Record<Category, string> = { user: 'User', kernel: 'Kernel', monitor: 'Monitor', idle: 'Idle' };

type Buckets = Record<Category, number>;

export interface BarRow extends Buckets {
  label: string;
  /** Sum of the four categories (normalised: 100 = the baseline). */
  total: number;
}

const sum4 = (b: Buckets) => b.user + b.kernel + b.monitor + b.idle;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** One row per run, normalised so the baseline's total is 100. */
export function figure5Rows(runs: { label: string; record: RunRecord }[], baseline: RunRecord): BarRow[] {
  const base = sum4(baseline.totals.buckets) || 1;
  return runs.map(({ label, record }) => {
    const b = record.totals.buckets;
    const row = { label, user: 0, kernel: 0, monitor: 0, idle: 0, total: 0 };
    for (const c of CATEGORIES) row[c] = round((100 * b[c]) / base);
    row.total = round((100 * sum4(b)) / base);
    return row;
  });
}

/** Per CPU: percent of that CPU's time in each category. */
export function perCpuRows(r: RunRecord): BarRow[] {
  return r.cpus.map((c) => {
    const t = sum4(c.buckets) || 1;
    const row = { label: `CPU ${c.id} (node ${c.node})`, user: 0, kernel: 0, monitor: 0, idle: 0, total: 100 };
    for (const k of CATEGORIES) row[k] = round((100 * c.buckets[k]) / t);
    return row;
  });
}

/**
 * Per VM, when the record has VMs (Disco runs): percent of the run's CPU time per category.
 * Reads `{ name, buckets }` entries, so it needs no change when the Disco record lands.
 */
export function perVmRows(r: RunRecord): BarRow[] {
  const total = sum4(r.totals.buckets) || 1;
  const out: BarRow[] = [];
  (r.vms as unknown[]).forEach((v, i) => {
    const vm = v as { name?: unknown; id?: unknown; buckets?: Partial<Buckets> };
    if (!vm || typeof vm !== 'object' || !vm.buckets) return;
    const row = { label: typeof vm.name === 'string' ? vm.name : `VM ${typeof vm.id === 'number' ? vm.id : i}`, user: 0, kernel: 0, monitor: 0, idle: 0, total: 0 };
    for (const k of CATEGORIES) row[k] = round((100 * (Number(vm.buckets[k]) || 0)) / total);
    row.total = round(row.user + row.kernel + row.monitor + row.idle);
    out.push(row);
  });
  return out;
}

/** Monitor cycles by cause, largest first, with the share of all monitor time. */
export function monitorCauseRows(r: RunRecord): { cause: string; cycles: number; percent: number }[] {
  const entries = Object.entries(r.monitor?.byCause ?? {});
  const total = entries.reduce((s, [, v]) => s + v, 0) || 1;
  return entries.map(([cause, cycles]) => ({ cause, cycles, percent: round((100 * cycles) / total, 1) })).sort((a, b) => b.cycles - a.cycles);
}

/** The monitor's scalar counters in a Disco record: unit and description. */
const MONITOR_COUNTERS: readonly [string, [string, string]][] = [
  ['switches', ['switches', 'Virtual CPU switches on the physical CPUs']],
  ['tlbFlushes', ['flushes', 'Hardware TLB flushes on virtual CPU switches']],
  ['migrations', ['moves', 'Virtual CPUs moved between physical CPUs (work stealing)']],
  ['pagesFreed', ['pages', 'Machine pages released by the guests\' "page is free" hints']],
  ['pagesBacked', ['pages', 'Guest pages backed again on their next use after being freed']],
  ['memoryReferences', ['references', 'The monitor\'s own code and data references through the caches']],
  ['memoryMisses', ['misses', 'Of those, the ones that missed in the L1']],
  ['memoryStallCycles', ['cycles', 'Their stall cycles (part of monitor time)']],
];

export interface CounterRow {
  name: string;
  value: number | string;
  unit: string;
  description: string;
}

/** The record's numbers as a flat table, described by the record's own `stats` list. */
export function counterRows(r: RunRecord): CounterRow[] {
  const stats = new Map((r.stats ?? []).map((s) => [s.name, s]));
  const desc = (name: string) => {
    const s = stats.get(name) ?? stats.get(name.replace(/^totals\./, '')) ?? stats.get(name.split('.').slice(0, -1).join('.').replace(/^totals\./, ''));
    return { unit: s?.unit ?? '', description: s?.description ?? '' };
  };
  const out: CounterRow[] = [];
  const add = (name: string, value: number | string | null | undefined) => {
    if (value === null || value === undefined) return;
    out.push({ name, value: typeof value === 'number' ? round(value, 4) : value, ...desc(name) });
  };
  add('cycles', r.cycles);
  add('simulatedSeconds', r.simulatedSeconds);
  for (const k of [...CATEGORIES, 'stall'] as const) add(`buckets.${k}`, r.totals.buckets[k]);
  const c = r.totals.counters;
  add('counters.instructions', c.instructions);
  for (const [k, v] of Object.entries(c.tlbMisses)) add(`counters.tlbMisses.${k}`, v);
  for (const [k, v] of Object.entries(c.exceptions)) add(`counters.exceptions.${k}`, v);
  for (const [k, v] of Object.entries(c.cache)) add(`counters.cache.${k}`, v as number);
  add('totals.localMissFraction', r.totals.localMissFraction);
  for (const [k, v] of Object.entries(r.devices?.disk ?? {})) add(`devices.disk.${k}`, v);
  add('devices.ipi.sent', r.devices?.ipi?.sent);
  add('console.bytes', r.console?.bytes);
  // Disco: the monitor's own counters (described here: the record's stats list covers the machine).
  const m = r.monitor as (RunRecord['monitor'] & Record<string, unknown>) | undefined;
  for (const [k, d] of MONITOR_COUNTERS) {
    const v = m?.[k];
    if (typeof v === 'number') out.push({ name: `monitor.${k}`, value: v, unit: d[0], description: d[1] });
  }
  for (const [group, d] of [['traps', 'Monitor entries by guest exception code'], ['emulated', 'Privileged instructions emulated, by mnemonic'], ['hypercalls', 'Monitor calls, by name']] as const) {
    for (const [k, v] of Object.entries((m?.[group] as Record<string, number> | undefined) ?? {})) out.push({ name: `monitor.${group}.${k}`, value: v, unit: group === 'traps' ? 'traps' : group === 'emulated' ? 'instructions' : 'calls', description: d });
  }
  add('host.seconds', r.host.seconds);
  add('host.guestMips', r.host.guestMips);
  add('host.simulatedMHz', r.host.simulatedMHz);
  return out;
}

/** Overhead of a run relative to a baseline, in percent of the baseline's time (+ = slower). */
export function overheadPercent(run: RunRecord, baseline: RunRecord): number {
  const b = sum4(baseline.totals.buckets);
  return b ? round((100 * sum4(run.totals.buckets)) / b - 100, 1) : 0;
}

/** Leaf values of a JSON value by dotted path (`machine.caches.l2.sizeKB`, `programs[0].path`). */
export function flatten(v: unknown, path = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (Array.isArray(v)) {
    if (!v.length) out[path] = [];
    v.forEach((x, i) => flatten(x, `${path}[${i}]`, out));
  } else if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (!keys.length && path) out[path] = {};
    for (const k of keys) flatten((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
  } else out[path] = v;
  return out;
}

/** The configuration of a run (experiment + resolved machine + seed + limits), flattened. */
export function runConfig(r: RunRecord): Record<string, unknown> {
  return flatten({ experiment: r.experiment, machine: r.machine, mode: r.mode, seed: r.seed, limits: r.limits });
}

/** Paths whose values differ between the runs' configurations; `values[i]` per run. */
export function configDiff(records: RunRecord[]): { path: string; values: unknown[] }[] {
  const flats = records.map(runConfig);
  const paths = [...new Set(flats.flatMap((f) => Object.keys(f)))].sort();
  return paths
    .map((path) => ({ path, values: flats.map((f) => f[path]) }))
    .filter((d) => d.values.some((x) => JSON.stringify(x) !== JSON.stringify(d.values[0])));
}

/** RFC 4180 CSV of rows (first row's keys are the header). */
export function toCsv(rows: Record<string, unknown>[]): string {
  if (!rows.length) return '';
  const cols = Object.keys(rows[0]);
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}

/** Loose check that parsed JSON is a run record the views can show. */
export function isRunRecord(v: unknown): v is RunRecord {
  const r = v as RunRecord;
  return Boolean(r && typeof r === 'object' && r.schema === 'disco-lab/run@1' && r.totals?.buckets && Array.isArray(r.cpus));
}

// ---------------------------------------------------------------------------------------------
// Matching runs: which native run is the baseline of a Disco run (same workload, same machine).

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});
const baseName = (p: unknown) => (typeof p === 'string' ? p.split('/').pop()! : '');
const progPath = (p: unknown) => (typeof p === 'string' ? p : obj(p).path);

/**
 * What an experiment runs, independent of how (native or Disco, which kernel build, which
 * machine): equal keys mean the same programs with the same input.
 *   - guest OS runs with workspace programs (`guest: {programs, init}`): the programs' file names
 *     and the init command line — `guest:mytest.s|mytest 3`;
 *   - guest OS runs of a disk image (the shipped workloads): the console input (what init is told
 *     to run) and the disk image's file name — `os:pmake 4\n|guest.img`; the kernels named in
 *     `programs` (native) or `vms[].kernel` (Disco) are builds of the same OS and do not count;
 *   - bare-metal runs: the programs' file names — `bare:bare-hello.s`;
 *   - runs serving the load generator's clients: the service — `service:httpd` for Denali's
 *     built-in web server (denali/httpd.s) and for a Disco run with a `load` whose guest runs the
 *     guest OS's `httpd` (the same request handler), so the two set side by side as one workload.
 *     Denali groups with their own program count by its file name (`service:mine`).
 */
export function workloadKey(experiment: unknown): string {
  const e = obj(experiment);
  const guest = obj(e.guest);
  if (e.mode === 'denali') {
    // the service each group of VMs runs (its program, or the built-in web server)
    const groups = Array.isArray(obj(e.denali).vms) ? (obj(e.denali).vms as unknown[]).map((g) => baseName(obj(g).program).replace(/\.[^.]*$/, '') || 'httpd') : [];
    return `service:${[...new Set(groups)].sort().join(',')}`;
  }
  if (e.mode === 'disco' && e.load !== undefined && typeof guest.init === 'string') return `service:${guest.init.trim().split(/\s+/)[0]}`;
  if (e.guest !== undefined) {
    const programs = Array.isArray(guest.programs) ? guest.programs.map((p) => baseName(progPath(p))) : [];
    return `guest:${programs.join(',')}|${typeof guest.init === 'string' ? guest.init.trim() : ''}`;
  }
  const vm0 = obj(Array.isArray(e.vms) ? e.vms[0] : undefined);
  const input = obj(e.console).input ?? obj(vm0.console).input;
  const disk = obj(e.disk).image ?? obj(vm0.disk).image;
  if (e.mode === 'disco' || input !== undefined || disk !== undefined) return `os:${typeof input === 'string' ? input : ''}|${baseName(disk)}`;
  const programs = Array.isArray(e.programs) ? e.programs.map((p) => baseName(progPath(p))) : [];
  return `bare:${programs.join(',')}`;
}

/** Stable JSON (sorted keys) of a value. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Loose)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** The simulated hardware of a resolved machine config, without its name, description and seed. */
export function machineKey(machine: unknown): string {
  const { name: _n, description: _d, seed: _s, $schema: _x, ...rest } = obj(machine);
  return stable(rest);
}

/** The fields of a run summary that matching reads. */
export interface RunIdentity {
  path: string;
  mode: string;
  partial: boolean;
  workload: string;
  machineKey: string;
}

/**
 * The native run a run should be normalised to: the newest complete (not partial) native run of
 * the same workload on the same machine, among `candidates` (newest first, as `runs.list`
 * returns them). Undefined for a native run (it is its own baseline) and when none matches.
 */
export function matchingBaseline<T extends RunIdentity>(run: RunIdentity, candidates: readonly T[]): T | undefined {
  if (run.mode === 'native') return undefined;
  return candidates.find((c) => c.path !== run.path && c.mode === 'native' && !c.partial && c.workload === run.workload && c.machineKey === run.machineKey);
}

/** The identity of a record (for matching) given its path. */
export function identityOf(path: string, r: RunRecord): RunIdentity {
  return { path, mode: r.mode, partial: r.partial, workload: workloadKey(r.experiment), machineKey: machineKey(r.machine) };
}

/**
 * Which of the compared runs is the baseline by default: a complete native run whose workload
 * and machine most of the others share; else a native run; else the first.
 */
export function defaultCompareBaseline(records: readonly RunRecord[]): number {
  const ids = records.map((r, i) => identityOf(String(i), r));
  let best = -1, bestScore = -1;
  ids.forEach((id, i) => {
    if (id.mode !== 'native') return;
    const score = ids.filter((o) => o.workload === id.workload && o.machineKey === id.machineKey).length * 2 + (id.partial ? 0 : 1);
    if (score > bestScore) { best = i; bestScore = score; }
  });
  return best < 0 ? 0 : best;
}

// ---------------------------------------------------------------------------------------------
// Disco counters: per VM, and causes / counters side by side for Compare.

export interface VmCounterRow {
  vm: string;
  status: string;
  traps: number;
  emulated: number;
  reflected: number;
  switchesIn: number;
  l2Hits: number;
  l2Misses: number;
  l2Inserts: number;
  /** L2 TLB hits / (hits + misses), percent; null without probes. */
  l2HitPercent: number | null;
  machinePages: number;
}

/** Per-VM monitor counters of a Disco record (traps, emulated, reflected, switches, L2 TLB). */
export function vmCounterRows(r: RunRecord): VmCounterRow[] {
  return (r.vms ?? []).map((v, i) => {
    const vm = v as unknown as Loose;
    const c = obj(vm.counters), l2 = obj(c.l2tlb);
    const n = (x: unknown) => (typeof x === 'number' ? x : 0);
    const hits = n(l2.hits), misses = n(l2.misses);
    return {
      vm: typeof vm.name === 'string' ? vm.name : `vm${i}`,
      status: vm.status === 'exited' ? `exit ${String(vm.exitCode)}` : String(vm.status ?? ''),
      traps: n(c.traps), emulated: n(c.emulated), reflected: n(c.reflected), switchesIn: n(c.switchesIn),
      l2Hits: hits, l2Misses: misses, l2Inserts: n(l2.inserts),
      l2HitPercent: hits + misses ? round((100 * hits) / (hits + misses), 1) : null,
      machinePages: n(vm.machinePages),
    };
  });
}

/** One CPU's cache misses by where they were served (the NUMA view of a run). */
export interface LocalityRow {
  cpu: number;
  node: number;
  local: number;
  remote: number;
  /** local / (local + remote), percent; null without misses. */
  localPercent: number | null;
}

/** Per CPU: L2 misses served by its own node vs another node (empty without a memory model's misses). */
export function localityRows(r: RunRecord): LocalityRow[] {
  const rows = r.cpus.map((c) => {
    const local = c.counters.cache.localMisses, remote = c.counters.cache.remoteMisses;
    return { cpu: c.id, node: c.node, local, remote, localPercent: local + remote ? round((100 * local) / (local + remote), 1) : null };
  });
  return rows.some((x) => x.local + x.remote > 0) ? rows : [];
}

/** The NUMA policy's work as label / value / unit lines (empty when the policy was off). */
export function numaRows(r: RunRecord): { name: string; value: string; unit: string }[] {
  const n = r.monitor?.numa;
  if (!n) return [];
  const f = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d });
  const us = (x: number | null) => (x === null ? '—' : f(x, 1));
  return [
    { name: 'migrations', value: f(n.migrations), unit: 'pages' },
    { name: 'migrations per second', value: f(n.migrationsPerSecond), unit: '1/s (simulated)' },
    { name: 'cost per migration', value: us(n.migrationCostUs), unit: 'µs' },
    { name: 'replications', value: f(n.replications), unit: 'copies' },
    { name: 'replications per second', value: f(n.replicationsPerSecond), unit: '1/s (simulated)' },
    { name: 'cost per replication', value: us(n.replicationCostUs), unit: 'µs' },
    { name: 'replicas collapsed by a write', value: f(n.collapses), unit: 'pages' },
    { name: 'replica pages at the end (peak)', value: `${f(n.replicaPages)} (${f(n.replicaPagesPeak)})`, unit: 'pages' },
    { name: 'hot pages examined', value: f(n.hotPages), unit: 'pages × intervals' },
    { name: 'stayed: write-shared / at the move limit / already placed / spread thin / no memory', value: `${f(n.stayed.writeShared)} / ${f(n.stayed.atLimit)} / ${f(n.stayed.alreadyPlaced)} / ${f(n.stayed.spread ?? 0)} / ${f(n.stayed.noMemory)}`, unit: 'pages × intervals' },
  ];
}

/**
 * Memory footprint and sharing of a Disco run (the paper's Figure 6): one row per VM — the
 * guest pages it uses (its V) and how many map a page shared with other VMs — and the machine's
 * summary: V summed, M (the machine pages behind them, each shared page once), the monitor's own
 * pages and what sharing did. Empty for runs without the record's `monitor.sharing`.
 */
export function memoryRows(r: RunRecord): { vms: { name: string; pages: number; mb: number; sharedPages: number; sharedPercent: number | null }[]; machine: { name: string; value: string; unit: string }[] } {
  const s = r.monitor?.sharing;
  if (!s) return { vms: [], machine: [] };
  const mb = (pages: number) => round(pages / 256, 2);
  const f = (x: number) => x.toLocaleString('en-US');
  const vms = r.vms.filter((v) => v.footprint).map((v) => ({
    name: v.name, pages: v.footprint.pages, mb: mb(v.footprint.pages), sharedPages: v.footprint.sharedPages,
    sharedPercent: v.footprint.pages ? round((100 * v.footprint.sharedPages) / v.footprint.pages, 1) : null,
  }));
  const machine = [
    { name: 'V: pages the VMs use, summed', value: `${f(s.vmPages)} (${mb(s.vmPages)} MiB)`, unit: 'pages' },
    { name: 'M: machine pages behind them (shared pages once)', value: `${f(s.machinePages)} (${mb(s.machinePages)} MiB)`, unit: 'pages' },
    { name: 'saved by sharing (V − M)', value: `${f(s.vmPages - s.machinePages)} (${mb(s.vmPages - s.machinePages)} MiB)`, unit: 'pages' },
    { name: 'the monitor\'s own pages', value: `${f(s.monitorPages)} (${mb(s.monitorPages)} MiB)`, unit: 'pages' },
    { name: 'shared machine pages at the end (peak)', value: `${f(s.sharedPages)} (${f(s.sharedPagesPeak)})`, unit: 'pages' },
    { name: 'disk pages mapped instead of read / read and offered', value: `${f(s.diskPagesMapped)} / ${f(s.diskPagesRegistered)}`, unit: 'pages' },
    { name: 'disk reads done without the disk', value: f(s.diskReadsAvoided), unit: 'requests' },
    { name: 'kernel-image pages mapped from another VM', value: f(s.imagePagesMapped), unit: 'pages' },
    { name: 'copy-on-write: copies / handed over', value: `${f(s.cowCopies)} / ${f(s.cowHandovers)}`, unit: 'faults' },
  ];
  const net = r.vms.reduce((a, v) => (v.network ? { n: a.n + v.network.received, pages: a.pages + v.network.pagesRemapped, bytes: a.bytes + v.network.bytesCopied } : a), { n: 0, pages: 0, bytes: 0 });
  if (net.n > 0) machine.push({ name: 'virtual network: messages / pages remapped / bytes copied', value: `${f(net.n)} / ${f(net.pages)} / ${f(net.bytes)}`, unit: 'messages / pages / bytes' });
  return { vms, machine };
}

/**
 * A Denali run's summary (mode "denali"): VMs and memory, the load's answers and response
 * times (percentiles, not one bar per VM — a run may have 10,000), switches and swapping.
 * Empty for other modes.
 */
export function denaliRows(r: RunRecord): { name: string; value: string; unit: string }[] {
  const d = r.denali;
  if (!d) return [];
  const f = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits });
  const opt = (x: number | null, digits = 1) => (x === null ? '—' : f(x, digits));
  return [
    { name: 'VMs', value: f(d.vmCount), unit: `${f(d.memory.guestKBPerVm)} KiB each` },
    { name: 'kernel metadata per VM (resident, swapped or not)', value: f(d.memory.metadataBytesPerVm), unit: 'bytes' },
    { name: 'VMs resident at the end (peak)', value: `${f(d.memory.residentVmsAtEnd)} (${f(d.memory.residentVmsPeak)})`, unit: 'VMs' },
    ...loadRows(d.load, r.machine.clockMHz),
    { name: 'requests per VM: fewest / mean / most', value: `${f(d.perVmRequests.min)} / ${f(d.perVmRequests.mean, 1)} / ${f(d.perVmRequests.max)}`, unit: 'requests' },
    { name: 'VM switches', value: f(d.switches), unit: `${opt(d.switchUs, 2)} µs of kernel time each` },
    { name: 'virtual interrupts posted', value: f(d.interrupts.posted), unit: 'interrupts' },
    { name: 'swap-ins / swap-outs', value: `${f(d.swap.swapIns)} / ${f(d.swap.swapOuts)}`, unit: 'VMs' },
    { name: 'VMs stopped by the kernel', value: f(d.groups.reduce((s, g) => s + g.stopped, 0)), unit: 'VMs' },
  ];
}

/** A run's load section: `denali.load` of a Denali run, `load` of a Disco run serving the clients; undefined otherwise. */
export function loadOf(r: RunRecord): LoadRecord | undefined {
  return r.load ?? r.denali?.load;
}

/** What the load generator's clients saw (either monitor's run): answers, throughput, response times, CPU per request. */
export function loadRows(l: LoadRecord, clockMHz: number): { name: string; value: string; unit: string }[] {
  const f = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits });
  const opt = (x: number | null, digits = 1) => (x === null ? '—' : f(x, digits));
  const p = l.latencyUs;
  return [
    { name: 'requests answered / sent (wrong)', value: `${f(l.responses)} / ${f(l.sent)} (${f(l.badResponses)})`, unit: 'requests' },
    { name: 'throughput', value: f(l.throughputPerSecond), unit: 'requests/s (simulated, from the first request)' },
    { name: 'response time: mean', value: opt(l.meanResponseUs), unit: 'µs' },
    { name: 'response time: median / 90th / 99th percentile', value: p ? `${f(p.p50, 1)} / ${f(p.p90, 1)} / ${f(p.p99, 1)}` : '—', unit: 'µs' },
    { name: 'CPU time per request', value: opt(l.cpuCyclesPerRequest === null ? null : l.cpuCyclesPerRequest / clockMHz, 2), unit: 'µs (user + kernel + monitor, all CPUs, while the load ran)' },
    { name: 'first request sent at', value: opt(l.loadStartCycle === null ? null : l.loadStartCycle / clockMHz / 1000, 2), unit: 'ms (a guest OS boots first)' },
  ];
}

/**
 * The Compare view's service table: one row per measure, one value per run (null for a run
 * without a load) — so a Denali run and a Disco run of the same service read side by side.
 * Empty when no run has a load.
 */
export function serviceCompareRows(records: readonly RunRecord[]): { name: string; unit: string; values: (number | null)[] }[] {
  const loads = records.map(loadOf);
  if (loads.every((l) => l === undefined)) return [];
  const row = (name: string, unit: string, at: (l: LoadRecord, r: RunRecord) => number | null) =>
    ({ name, unit, values: loads.map((l, i) => (l ? at(l, records[i]) : null)) });
  const us = (cycles: number | null, r: RunRecord) => (cycles === null ? null : cycles / r.machine.clockMHz);
  return [
    row('VMs', 'VMs', (_, r) => r.denali?.vmCount ?? r.vms.length),
    row('requests answered', 'requests', (l) => l.responses),
    row('wrong answers', 'requests', (l) => l.badResponses),
    row('throughput', 'requests/s', (l) => l.throughputPerSecond),
    row('response time: mean', 'µs', (l) => l.meanResponseUs),
    row('response time: median', 'µs', (l) => l.latencyUs?.p50 ?? null),
    row('response time: 99th percentile', 'µs', (l) => l.latencyUs?.p99 ?? null),
    row('CPU time per request', 'µs', (l, r) => us(l.cpuCyclesPerRequest, r)),
    row('first request sent at', 'ms', (l, r) => (l.loadStartCycle === null ? null : l.loadStartCycle / r.machine.clockMHz / 1000)),
  ];
}

/**
 * Where the NUMA policy put pages over the run, as a heat map: one row per policy run (at most
 * `maxRows`, evenly spaced, the last always included), one cell per node with the machine pages
 * the VMs hold there (replicas included) and the change since the first run; `level` in [−1, 1]
 * is that change over the largest change anywhere (for the cell's colour: + gained, − lost).
 * Empty when the policy was off.
 */
export function pagesPerNodeHeat(r: RunRecord, maxRows = 12): { nodes: number; rows: { ms: number; cells: { pages: number; delta: number; level: number }[] }[] } {
  const samples = r.monitor?.numa?.pagesPerNode ?? [];
  if (samples.length === 0) return { nodes: 0, rows: [] };
  const first = samples[0].pages, n = first.length;
  const step = Math.max(1, Math.ceil(samples.length / maxRows));
  const picked = samples.filter((_, i) => i % step === 0 || i === samples.length - 1);
  const maxDelta = Math.max(1, ...samples.flatMap((x) => x.pages.map((p, k) => Math.abs(p - first[k]))));
  const ms = (cycle: number) => cycle / (r.machine.clockMHz * 1000);
  return {
    nodes: n,
    rows: picked.map((x) => ({ ms: ms(x.cycle), cells: x.pages.map((p, k) => ({ pages: p, delta: p - first[k], level: (p - first[k]) / maxDelta })) })),
  };
}

/** Monitor cycles by cause for several runs side by side (`cycles[i]` per run; 0 when absent), largest first. */
export function compareCauseRows(records: readonly RunRecord[]): { cause: string; cycles: number[] }[] {
  const causes = [...new Set(records.flatMap((r) => Object.keys(r.monitor?.byCause ?? {})))];
  return causes
    .map((cause) => ({ cause, cycles: records.map((r) => r.monitor?.byCause?.[cause] ?? 0) }))
    .sort((a, b) => Math.max(...b.cycles) - Math.max(...a.cycles) || a.cause.localeCompare(b.cause));
}

/** The counters of several runs side by side (`values[i]` per run; undefined when a run lacks it). */
export function compareCounterRows(records: readonly RunRecord[]): { name: string; unit: string; description: string; values: (number | string | undefined)[] }[] {
  const tables = records.map((r) => new Map(counterRows(r).map((c) => [c.name, c])));
  const names = [...new Set(tables.flatMap((t) => [...t.keys()]))];
  return names.map((name) => {
    const first = tables.map((t) => t.get(name)).find(Boolean)!;
    return { name, unit: first.unit, description: first.description, values: tables.map((t) => t.get(name)?.value) };
  });
}

/**
 * A short label of a run record's path for charts and tables: its experiment name and the time
 * of day from the record's timestamp (`runs/pmake-disco-2026-11-21T20-31-05-123Z-2.json` →
 * `pmake-disco 20:31:05 (2)`); other names as they are, without folder and `.json`.
 */
export function runLabel(path: string): string {
  const stem = path.split('/').pop()!.replace(/\.json$/, '');
  const m = /^(.*)-(\d{4})-(\d\d)-(\d\d)T(\d\d)-(\d\d)-(\d\d)-\d{3}Z(?:-(\d+))?$/.exec(stem);
  return m ? `${m[1]} ${m[5]}:${m[6]}:${m[7]}${m[8] ? ` (${m[8]})` : ''}` : stem;
}
