/**
 * A Figure-5-style table (Disco paper, Figure 5): execution time of each workload broken into
 * user / kernel / monitor / idle, normalised to the native run = 100. Input: time buckets summed
 * over CPUs (a run record's `totals.buckets`); pure text output. `figure5RowOf` turns a parsed
 * run record — any JSON value a user hands over — into a row, or field-level errors.
 */
import type { TimeBuckets } from '../machine/contracts';
import type { ConfigError } from '../machine/config/types';

export interface Figure5Row {
  workload: string;
  /** Configuration label, e.g. "native", "Disco", "Disco, no L2 TLB". */
  config: string;
  buckets: TimeBuckets;
}

const BUCKETS = ['user', 'kernel', 'monitor', 'idle'] as const;

/**
 * The row of one run record (disco-lab/run@1): the workload is the record's `name` up to
 * `-native` / `-disco`; the configuration is `native`, or `disco NvmV` plus `, no L2 TLB` when
 * the monitor ran with `l2tlbEntries = 0` and `, <variant> kernel` when the VM's guest kernel was
 * not the default ksseg build (`hal`, `kseg0`). Checks every field it reads, so a record that is not
 * an object, has another schema or lacks its buckets gives errors such as
 * `totals.buckets.idle: must be a number ≥ 0, got "x"` rather than a crash.
 */
export function figure5RowOf(record: unknown): { ok: true; row: Figure5Row } | { ok: false; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  const got = (x: unknown) => (x === undefined ? 'nothing' : JSON.stringify(x)?.slice(0, 40) ?? String(x));
  if (!isObj(record)) return { ok: false, errors: [{ path: '', message: `not a run record: expected an object, got ${got(record)}` }] };
  if (record.schema !== 'disco-lab/run@1') return { ok: false, errors: [{ path: 'schema', message: `not a run record: expected "disco-lab/run@1", got ${got(record.schema)}` }] };
  const { name, mode, totals, vms, monitor } = record;
  if (typeof name !== 'string') errors.push({ path: 'name', message: `must be a string, got ${got(name)}` });
  if (mode !== 'native' && mode !== 'disco') errors.push({ path: 'mode', message: `must be "native" or "disco", got ${got(mode)}` });
  const buckets = isObj(totals) ? totals.buckets : undefined;
  if (!isObj(buckets)) errors.push({ path: isObj(totals) ? 'totals.buckets' : 'totals', message: `must be an object, got ${got(isObj(totals) ? buckets : totals)}` });
  else for (const k of BUCKETS) {
    const v = buckets[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) errors.push({ path: `totals.buckets.${k}`, message: `must be a number ≥ 0, got ${got(v)}` });
  }
  if (mode === 'disco') {
    if (!Array.isArray(vms)) errors.push({ path: 'vms', message: `must be an array, got ${got(vms)}` });
    if (!isObj(monitor)) errors.push({ path: 'monitor', message: `must be an object, got ${got(monitor)}` });
  }
  if (errors.length) return { ok: false, errors };
  const b = buckets as Record<string, unknown>, num = (k: string) => (typeof b[k] === 'number' ? (b[k] as number) : 0);
  const m = /^(.*?)-(native|disco)\b/.exec(name as string);
  const exp = record.experiment, vm0 = isObj(exp) && Array.isArray(exp.vms) && isObj(exp.vms[0]) ? exp.vms[0] : undefined;
  const variant = typeof vm0?.variant === 'string' && vm0.variant !== 'ksseg' ? `, ${vm0.variant} kernel` : '';
  const config = mode === 'native' ? 'native' : `disco ${(vms as unknown[]).length}vm${(monitor as { l2tlbEntries?: unknown }).l2tlbEntries === 0 ? ', no L2 TLB' : ''}${variant}`;
  return { ok: true, row: { workload: m ? m[1] : (name as string), config, buckets: { user: num('user'), kernel: num('kernel'), monitor: num('monitor'), idle: num('idle'), stall: num('stall') } } };
}

export interface Figure5Line { workload: string; config: string; user: number; kernel: number; monitor: number; idle: number; total: number }

/**
 * Normalises every row to its workload's `native` row (total = 100). Every workload needs a
 * native row with time in it (check with `figure5Problems` first).
 */
export function figure5(rows: readonly Figure5Row[], nativeConfig = 'native'): Figure5Line[] {
  return rows.map((r) => {
    const base = rows.find((x) => x.workload === r.workload && x.config === nativeConfig);
    if (!base) throw new Error(`bug: no ${nativeConfig} row for ${r.workload}`);
    const b = base.buckets, t = b.user + b.kernel + b.monitor + b.idle;
    const n = (x: number) => (100 * x) / t;
    const { user, kernel, monitor, idle } = r.buckets;
    return { workload: r.workload, config: r.config, user: n(user), kernel: n(kernel), monitor: n(monitor), idle: n(idle), total: n(user + kernel + monitor + idle) };
  });
}

/** What keeps `figure5` from normalising `rows`: workloads without a native row, or whose native row has no time. */
export function figure5Problems(rows: readonly Figure5Row[], nativeConfig = 'native'): string[] {
  const out: string[] = [];
  for (const w of [...new Set(rows.map((r) => r.workload))]) {
    const base = rows.find((x) => x.workload === w && x.config === nativeConfig);
    if (!base) out.push(`no ${nativeConfig} record for ${w}`);
    else if (base.buckets.user + base.buckets.kernel + base.buckets.monitor + base.buckets.idle <= 0) out.push(`the ${nativeConfig} record for ${w} has no time in it (its buckets are all 0)`);
  }
  return out;
}

export function formatFigure5(lines: readonly Figure5Line[]): string {
  const f = (x: number) => x.toFixed(1).padStart(7);
  const w = Math.max(8, ...lines.map((l) => l.workload.length)), c = Math.max(6, ...lines.map((l) => l.config.length));
  const out = [`${'workload'.padEnd(w)}  ${'config'.padEnd(c)}    user  kernel monitor    idle   total`];
  for (const l of lines) out.push(`${l.workload.padEnd(w)}  ${l.config.padEnd(c)} ${f(l.user)} ${f(l.kernel)} ${f(l.monitor)} ${f(l.idle)} ${f(l.total)}`);
  return out.join('\n') + '\n';
}
