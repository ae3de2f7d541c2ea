/**
 * `disco-lab figure5 RECORD.json...`: the Disco paper's Figure 5 from run records — execution
 * time split into user / kernel / monitor / idle (summed over CPUs), normalised to the native
 * run of the same workload = 100. The workload is the experiment name up to `-native`/`-disco`;
 * the configuration label is `native`, or `disco NvmV` plus `, no L2 TLB` when the monitor ran
 * with `l2tlbEntries = 0`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { figure5, formatFigure5, type Figure5Row } from '../../../core/disco/figure5';
import type { RunRecord } from '../../../core/experiment/record';
import type { CliCommand, CliIo } from '../command';

const USAGE = `usage: disco-lab figure5 RECORD.json...

Prints a Figure-5-style table (user / kernel / monitor / idle, native = 100) from run records
written by \`disco-lab run --json\`: one native record per workload and any number of disco ones.`;

export function rowOf(r: RunRecord): Figure5Row {
  const m = /^(.*?)-(native|disco)\b/.exec(r.name);
  const workload = m ? m[1] : r.name;
  const config = r.mode === 'native' ? 'native'
    : `disco ${r.vms.length}vm${r.monitor.l2tlbEntries === 0 ? ', no L2 TLB' : ''}`;
  return { workload, config, buckets: r.totals.buckets };
}

export const figure5Command: CliCommand = {
  name: 'figure5',
  summary: 'print a Figure-5-style table (native = 100) from run records',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    if (!args.length || args.some((a) => a.startsWith('-'))) { io.err(`${USAGE}\n`); return 2; }
    const rows: Figure5Row[] = [];
    for (const a of args) {
      let rec: RunRecord;
      try { rec = JSON.parse(readFileSync(resolve(io.cwd, a), 'utf8')) as RunRecord; } catch (e) { io.err(`${a}: cannot read a run record: ${(e as Error).message}\n`); return 1; }
      if (rec.schema !== 'disco-lab/run@1') { io.err(`${a}: not a run record (schema ${String(rec.schema)})\n`); return 1; }
      rows.push(rowOf(rec));
    }
    const missing = [...new Set(rows.map((r) => r.workload))].filter((w) => !rows.some((r) => r.workload === w && r.config === 'native'));
    if (missing.length) { io.err(`figure5: no native record for ${missing.join(', ')}\n`); return 1; }
    // workloads in argument order, native first, then the others in argument order
    const order = [...new Set(rows.map((r) => r.workload))];
    const sorted = rows.map((r, i) => ({ r, i })).sort((a, b) => order.indexOf(a.r.workload) - order.indexOf(b.r.workload)
      || Number(b.r.config === 'native') - Number(a.r.config === 'native') || a.i - b.i).map((x) => x.r);
    io.out(formatFigure5(figure5(sorted)));
    return 0;
  },
};
