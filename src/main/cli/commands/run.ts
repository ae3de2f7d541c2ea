/**
 * `disco-lab run EXPERIMENT.json [--json OUT] [--quiet] [--progress]`: a full-system run.
 *
 * Loads the experiment with the one loader (src/core/experiment/load.ts) over plain files —
 * its machine (a preset name from resources/machines, a machine file relative to the
 * experiment, or inline), its programs or VM kernels (ELF files, or `.s` sources assembled by
 * the project assembler: bare-metal .text at 0x80001000 and .data at 0x80080000 in kseg0;
 * errors are printed as file:line:col) and disk images —, runs the machine, prints the console
 * output and a per-CPU summary, and with `--json OUT` writes the run record (disco-lab/run@1)
 * atomically to the file OUT (a folder, or a file in a missing folder, is refused before the
 * run, so a long run is not lost at the end). A run stopped by the default cycle limit says
 * so on stderr, with how to raise it.
 *
 * Exit status: the program's exit status (low 8 bits) when it powered off; 0 when every CPU
 * halted; 124 when the run stopped early (limit or deadlock; the record says `partial: true`);
 * 1 for invalid input (printed as `file: path: message`); 2 for usage errors.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { defaultLimitNote } from '../../../core/experiment/config';
import { formatLoadErrors, loadExperiment } from '../../../core/experiment/load';
import { persistentDisks, prepareExperiment } from '../../../core/experiment/run';
import { withHostSpeed, type RunRecord } from '../../../core/experiment/record';
import { atomicWriteFile } from '../../workspace/atomic';
import { fileSystemSource } from '../../run/sources';
import { installGuestCache } from '../../guest-cache';
import type { CliCommand, CliIo } from '../command';

const USAGE = `usage: disco-lab run EXPERIMENT.json [--json OUT] [--quiet] [--progress]

Runs an experiment (docs/experiments.md) on the simulated machine: prints the console output
and a per-CPU time summary (user / kernel / monitor / idle), and writes the run record.

options:
  --json OUT    write the run record (disco-lab/run@1, docs/run-record.schema.json) to the
                file OUT, replacing it atomically (OUT may not be a folder)
  --quiet       print only the console output (no summary)
  --progress    report simulated cycles and host speed on stderr while running

exit status: the program's exit status when it powers off; 0 when all CPUs halted;
124 when a limit stopped the run early; 1 invalid input; 2 usage error`;

/**
 * `--json OUT` must name a file in an existing folder: not a folder (nor end in a separator),
 * so the record is never written beside it under a temp name. Returns the problem or undefined.
 */
export async function checkOutput(out: string, abs: string, name: string): Promise<string | undefined> {
  const isDir = async (p: string) => (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
  if (/[\\/]$/.test(out) || (await isDir(abs))) return `--json ${out}: is a folder; give the record's file name, e.g. --json ${out.replace(/[\\/]+$/, '')}/${name}.json`;
  if (!(await isDir(dirname(abs)))) return `--json ${out}: the folder ${dirname(abs)} does not exist`;
  return undefined;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (n: number, d: number) => (d > 0 ? ((100 * n) / d).toFixed(1) : '0.0');

/** The summary table printed after a run. */
export function formatSummary(r: RunRecord): string {
  const m = r.machine;
  const st = r.status;
  const how = st.reason === 'exit' ? `exit ${st.exitCode} (CPU ${st.exitCpu})` : st.reason;
  const lines = [
    `${r.name}: ${m.name} (${r.cpuCount} CPUs on ${m.nodes} node${m.nodes === 1 ? '' : 's'}, ${m.cpuModel}, ${m.clockMHz} MHz): ${how}${r.partial ? ' — partial run' : ''}`,
    `  ${fmt(r.cycles)} cycles = ${(r.simulatedSeconds * 1e3).toFixed(3)} ms simulated, ${fmt(r.totals.counters.instructions)} instructions`,
    '',
    ' cpu node  user%  kernel%  monitor%  idle%  stall%   instructions  l2 misses  remote',
  ];
  const row = (label: string, node: string, b: RunRecord['cpus'][number]['buckets'], total: number, instr: number, miss: number, remote: number) =>
    `${label.padStart(4)} ${node.padStart(4)} ${pct(b.user, total).padStart(6)} ${pct(b.kernel, total).padStart(8)} ${pct(b.monitor, total).padStart(9)} ${pct(b.idle, total).padStart(6)} ${pct(b.stall, total).padStart(7)} ${fmt(instr).padStart(14)} ${fmt(miss).padStart(10)} ${fmt(remote).padStart(7)}`;
  for (const c of r.cpus) lines.push(row(String(c.id), String(c.node), c.buckets, r.cycles, c.counters.instructions, c.counters.cache.l2Misses, c.counters.cache.remoteMisses));
  const t = r.totals;
  lines.push(row('all', '', t.buckets, r.cycles * r.cpuCount, t.counters.instructions, t.counters.cache.l2Misses, t.counters.cache.remoteMisses));
  if (r.vms.length) {
    lines.push('', '  vm  vcpus  status        user%  kernel%  monitor%  idle%   traps   emulated  l2tlb hit/miss');
    for (const v of r.vms) {
      const b = v.buckets, tot = b.user + b.kernel + b.monitor + b.idle;
      const st = v.status === 'exited' ? `exit ${v.exitCode}` : v.status;
      lines.push(`${v.name.padStart(4)} ${String(v.vcpus).padStart(6)}  ${st.padEnd(12)} ${pct(b.user, tot).padStart(6)} ${pct(b.kernel, tot).padStart(8)} ${pct(b.monitor, tot).padStart(9)} ${pct(b.idle, tot).padStart(6)} ${fmt(v.counters.traps).padStart(7)} ${fmt(v.counters.emulated).padStart(10)}  ${fmt(v.counters.l2tlb.hits)}/${fmt(v.counters.l2tlb.misses)}`);
      if (v.stopReason) lines.push(`       stopped by the monitor: ${v.stopReason}`);
    }
    const causes = Object.entries(r.monitor.byCause).sort((a, b) => b[1] - a[1]);
    const all = causes.reduce((s, [, c]) => s + c, 0);
    lines.push('', `monitor time by cause: ${causes.slice(0, 8).map(([k, c]) => `${k} ${pct(c, all)}%`).join(', ')}`);
  }
  if (r.denali) {
    const d = r.denali, n = (x: number | null, k = 1) => (x === null ? '–' : x.toFixed(k));
    lines.push('', `denali: ${fmt(d.vmCount)} VMs of ${n(d.memory.guestKBPerVm, 0)} KiB (kernel metadata ${fmt(d.memory.metadataBytesPerVm)} bytes each; at most ${fmt(d.memory.residentVmsPeak)} resident in ${n(d.memory.machineMB, 0)} MiB)`,
      `  ${fmt(d.load.responses)} of ${fmt(d.load.sent)} requests answered (${fmt(d.load.badResponses)} wrong), ${fmt(d.load.throughputPerSecond)} requests/s simulated, mean response ${n(d.load.meanResponseUs)} µs`,
      `  ${fmt(d.switches)} switches (${n(d.switchUs, 2)} µs of kernel time each), ${fmt(d.interrupts.posted)} virtual interrupts, ${fmt(d.swap.swapIns)} swap-ins, ${fmt(d.swap.swapOuts)} swap-outs, ${fmt(d.groups.reduce((s, g) => s + g.stopped, 0))} VMs stopped`);
    for (const x of d.stopped.slice(0, 5)) lines.push(`  ${x.name} stopped: ${x.reason}`);
  }
  if (r.load) {
    const l = r.load, n = (x: number | null, k = 1) => (x === null ? '–' : x.toFixed(k));
    lines.push('', `load: ${fmt(l.clients)} clients, ${fmt(l.responses)} of ${fmt(l.sent)} requests answered (${fmt(l.badResponses)} wrong), ${fmt(l.throughputPerSecond)} requests/s simulated, mean response ${n(l.meanResponseUs)} µs${l.latencyUs ? ` (p50 ${n(l.latencyUs.p50)}, p99 ${n(l.latencyUs.p99)})` : ''}`);
  }
  if (r.host.seconds !== null) lines.push('', `host: ${r.host.seconds.toFixed(3)} s, ${(r.host.guestMips ?? 0).toFixed(1)} MIPS, ${(r.host.simulatedMHz ?? 0).toFixed(1)} simulated MHz${r.host.memoryMB != null ? `, peak memory ${r.host.memoryMB.toFixed(0)} MiB` : ''}`);
  return lines.join('\n') + '\n';
}

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run an experiment (machine + programs) and write its run record',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    let file: string | undefined, out: string | undefined, quiet = false, progress = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--json') { out = args[++i]; if (!out) { io.err(`run: --json needs a file name\n${USAGE}\n`); return 2; } }
      else if (a === '--quiet' || a === '-q') quiet = true;
      else if (a === '--progress') progress = true;
      else if (a.startsWith('-')) { io.err(`run: unknown option '${a}'\n${USAGE}\n`); return 2; }
      else if (file) { io.err(`run: one experiment file expected\n${USAGE}\n`); return 2; }
      else file = a;
    }
    if (!file) { io.err(`${USAGE}\n`); return 2; }

    // The one loader (src/core/experiment/load.ts) over plain files; paths as given.
    let loaded;
    try { loaded = await loadExperiment(fileSystemSource(io.cwd), file); } catch (e) { io.err(`run: ${(e as Error).message}\n`); return 1; }
    if (!loaded.ok) { io.err(formatLoadErrors(loaded.errors) + '\n'); return 1; }
    const { resolved, inputs } = loaded.value;
    const outPath = out === undefined ? undefined : resolve(io.cwd, out);
    if (out !== undefined) {
      const bad = await checkOutput(out, outPath!, resolved.experiment.name.replace(/[^\w.-]+/g, '-'));
      if (bad) { io.err(`run: ${bad}\n`); return 2; }
    }

    installGuestCache(); // the guest build, cached across processes (docs/guest-os.md)
    const t0 = performance.now();
    const prep = prepareExperiment(resolved, inputs);
    if (!prep.ok) { io.err(formatLoadErrors(prep.errors.map((e) => ({ file, ...e }))) + '\n'); return 1; }
    const run = prep.value.run({
      onProgress: progress ? (p) => {
        const s = (performance.now() - t0) / 1000;
        io.err(`run: ${fmt(p.cycles)} cycles, ${fmt(p.instructions)} instructions, ${(p.instructions / Math.max(s, 1e-9) / 1e6).toFixed(1)} MIPS\n`);
      } : undefined,
      progressEveryCycles: 10 * resolved.machine.quantumCycles * 1000,
    });
    // peak resident memory of this process (maxRSS is in KiB)
    const record = withHostSpeed(run.record, (performance.now() - t0) / 1000, process.resourceUsage().maxRSS / 1024);
    // persistent disks keep what their VM wrote: the image files are replaced atomically
    for (const d of persistentDisks(resolved, inputs, prep.value)) {
      const path = resolve(dirname(resolve(io.cwd, file)), d.image);
      try { await atomicWriteFile(path, d.bytes); io.err(`run: ${d.image}: ${d.sectorsWritten} sector(s) written by ${d.vm} (persistent disk), saved\n`); }
      catch (e) { io.err(`run: cannot write the persistent disk ${d.image}: ${(e as Error).message}\n`); return 1; }
    }

    io.out(record.console.output);
    if (record.console.output && !record.console.output.endsWith('\n') && !quiet) io.out('\n');
    if (!quiet) io.out((record.console.output ? '\n' : '') + formatSummary(record));
    const note = defaultLimitNote(resolved, record.status.reason);
    if (note) io.err(`run: ${note}\n`);
    if (outPath !== undefined) {
      try { await atomicWriteFile(outPath, JSON.stringify(record, null, 2) + '\n'); }
      catch (e) { io.err(`run: cannot write ${out}: ${(e as Error).message}\n`); return 1; }
    }
    const st = record.status;
    if (st.reason === 'exit') return (st.exitCode ?? 0) & 0xff;
    return record.partial ? 124 : 0;
  },
};
