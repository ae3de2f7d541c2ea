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
