/**
 * A Figure-5-style table (Disco paper, Figure 5): execution time of each workload broken into
 * user / kernel / monitor / idle, normalised to the native run = 100. Input: time buckets summed
 * over CPUs (a run record's `totals.buckets`); pure text output.
 */
import type { TimeBuckets } from '../machine/contracts';

export interface Figure5Row {
  workload: string;
  /** Configuration label, e.g. "native", "Disco", "Disco, no L2 TLB". */
  config: string;
  buckets: TimeBuckets;
}

export interface Figure5Line { workload: string; config: string; user: number; kernel: number; monitor: number; idle: number; total: number }

/** Normalises every row to its workload's `native` row (total = 100). */
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

export function formatFigure5(lines: readonly Figure5Line[]): string {
  const f = (x: number) => x.toFixed(1).padStart(7);
  const w = Math.max(8, ...lines.map((l) => l.workload.length)), c = Math.max(6, ...lines.map((l) => l.config.length));
  const out = [`${'workload'.padEnd(w)}  ${'config'.padEnd(c)}    user  kernel monitor    idle   total`];
  for (const l of lines) out.push(`${l.workload.padEnd(w)}  ${l.config.padEnd(c)} ${f(l.user)} ${f(l.kernel)} ${f(l.monitor)} ${f(l.idle)} ${f(l.total)}`);
  return out.join('\n') + '\n';
}
