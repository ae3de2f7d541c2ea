/**
 * `disco-lab figure5 RECORD.json...`: the Disco paper's Figure 5 from run records — execution
 * time split into user / kernel / monitor / idle (summed over CPUs), normalised to the native
 * run of the same workload = 100. The workload is the experiment name up to `-native`/`-disco`;
 * the configuration label is `native`, or `disco NvmV` plus `, no L2 TLB` when the monitor ran
 * with `l2tlbEntries = 0` and `, hal kernel` (or another build) for a kernel other than ksseg (`figure5RowOf` in src/core/disco/figure5.ts, which checks every field
 * it reads: a file that is not a usable record is an error naming the file and the field).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { figure5, figure5Problems, figure5RowOf, formatFigure5, type Figure5Row } from '../../../core/disco/figure5';
import { formatConfigErrors } from '../../../core/machine/config/validate';
import type { CliCommand, CliIo } from '../command';

const USAGE = `usage: disco-lab figure5 RECORD.json...

Prints a Figure-5-style table (user / kernel / monitor / idle, native = 100) from run records
written by \`disco-lab run --json\`: one native record per workload and any number of disco ones.

exit status: 0 ok; 1 a file is not a usable run record (each problem printed as
FILE: FIELD: message) or a workload has no native record; 2 usage error`;

export const figure5Command: CliCommand = {
  name: 'figure5',
  summary: 'print a Figure-5-style table (native = 100) from run records',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    if (!args.length || args.some((a) => a.startsWith('-'))) { io.err(`${USAGE}\n`); return 2; }
    const rows: Figure5Row[] = [];
    let bad = false;
    for (const a of args) {
      let rec: unknown;
      try { rec = JSON.parse(readFileSync(resolve(io.cwd, a), 'utf8')); } catch (e) { io.err(`${a}: cannot read a run record: ${(e as Error).message}\n`); bad = true; continue; }
      const r = figure5RowOf(rec);
      if (r.ok) rows.push(r.row);
      else { io.err(formatConfigErrors(a, r.errors) + '\n'); bad = true; }
    }
    if (bad) return 1;
    const problems = figure5Problems(rows);
    if (problems.length) { io.err(problems.map((p) => `figure5: ${p}\n`).join('')); return 1; }
    // workloads in argument order, native first, then the others in argument order
    const order = [...new Set(rows.map((r) => r.workload))];
    const sorted = rows.map((r, i) => ({ r, i })).sort((a, b) => order.indexOf(a.r.workload) - order.indexOf(b.r.workload)
      || Number(b.r.config === 'native') - Number(a.r.config === 'native') || a.i - b.i).map((x) => x.r);
    io.out(formatFigure5(figure5(sorted)));
    return 0;
  },
};
