/**
 * `disco-lab run-guest PROG.s|PROG.elf [--cpus N] [--disco V] [--vcpus C] …`: runs a user program
 * as the first process of the guest OS (resources/guest, built at run time), natively on N CPUs
 * or under the Disco monitor in V VMs of C vCPUs — the same run as an experiment with
 * `"guest": { "programs": ["PROG.s"], "init": "PROG" }` (`--save` writes that experiment).
 *
 * Standard output is exactly the program's output (VM 0's under Disco): the bytes the kernel
 * counts as written by processes (`output=N` in its exit line; src/core/guest/console.ts). The
 * kernel's messages go to standard error. The exit status is the program's, as `run-user` gives
 * it: its exit status (low 8 bits), or 128 + ExcCode when the kernel killed it for an exception.
 * Standard input, when it is not a terminal, is typed on the guest's console after the command
 * line, so the program's read(0, …) gets it.
 */
import { basename, dirname, join, relative, resolve } from 'node:path';
import { defaultLimitNote, type ExperimentConfig } from '../../../core/experiment/config';
import { formatLoadErrors, loadExperiment, type FileSource } from '../../../core/experiment/load';
import { encodeUtf8, prepareExperiment } from '../../../core/experiment/run';
import { withHostSpeed } from '../../../core/experiment/record';
import { splitGuestConsole } from '../../../core/guest/console';
import { guestNameProblem, guestProgramName } from '../../../core/guest/user';
import { EXC_NAMES } from '../../../core/machine/cpu/cp0';
import { atomicWriteFile } from '../../workspace/atomic';
import { fileSystemSource } from '../../run/sources';
import { installGuestCache } from '../../guest-cache';
import type { CliCommand, CliIo } from '../command';
import { checkOutput } from './run';

const USAGE = `usage: disco-lab run-guest PROG.s|PROG.elf [options] [-- ARGS...]

Runs PROG as the first process of the guest OS (resources/guest, built now), natively or under
the Disco monitor. PROG is a program for Linux o32 as run-user and qemu-mips take it (exit 4001,
read 4003, write 4004, brk 4045; docs/guest-syscalls.md). Standard output is exactly its output
(VM 0's under Disco), the kernel's messages go to standard error, and the exit status is its
exit status. Standard input, unless it is a terminal, is what the program reads from fd 0.

options:
  --cpus N            physical CPUs (default 1)
  --disco V           run under the Disco monitor in V virtual machines (1-8), each booting the guest
  --vcpus C           virtual CPUs per VM (default 1)
  --variant K         the VMs' kernel build: ksseg (default), hal or kseg0
  --memory MB         guest-physical memory per VM [MiB] (default 32)
  --model fast|timing CPU model (default fast)
  --init CMDLINE      the first process's command line (default: PROG's name, then ARGS)
  --max-cycles N      stop after N cycles of simulated time (default 2,000,000,000; exit status 124)
  --json OUT          write the run record (disco-lab/run@1) to the file OUT
  --save FILE.json    also write the equivalent experiment file (paths relative to it)

exit status: the program's (its exit status, or 128 + ExcCode when killed for an exception);
124 when a limit stopped the run; 1 invalid input, or VM 0 stopped by the monitor (the reason
on standard error); 2 usage error`;

const MAX_STDIN = 1 << 20;
/** The machine run-guest builds on: the FLASH-like preset with one CPU per node. */
const PRESET = 'flash-8node';
const PRESET_NODE_MB = 32;

function intOption(v: string | undefined, min: number, max: number): number | undefined {
  const n = Number(v);
  return v !== undefined && /^\d+$/.test(v) && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

export interface RunGuestOptions {
  cpus: number;
  disco?: number;
  vcpus: number;
  variant: 'ksseg' | 'hal' | 'kseg0';
  memoryMB: number;
  model: 'fast' | 'timing';
  init: string;
  maxCycles: number;
}

/** The experiment run-guest runs: `program` as written in it (relative to the experiment). */
export function runGuestExperiment(name: string, program: string, o: RunGuestOptions): Omit<ExperimentConfig, 'programs'> {
  const vms = o.disco ?? 0;
  // room for every VM's memory and the monitor's 1 MiB, spread over the nodes
  const nodeMB = Math.max(PRESET_NODE_MB, Math.ceil((vms * o.memoryMB + 1) / o.cpus));
  const mode: ExperimentConfig['mode'] = vms ? 'disco' : 'native';
  return {
    name: `run-guest-${name}${vms ? `-disco-${o.cpus}cpu-${vms}vm` : `-native-${o.cpus}cpu`}`,
    description: `${name} as the first process of the guest OS (${vms ? `under the Disco monitor: ${vms} VM(s) × ${o.vcpus} vCPU(s), ${o.memoryMB} MiB each, ${o.variant} kernel` : 'native, kseg0 kernel'}) on ${o.cpus} CPU(s); written by disco-lab run-guest`,
    machine: PRESET,
    machineOverrides: { nodes: o.cpus, cpusPerNode: 1, cpuModel: o.model, ...(nodeMB !== PRESET_NODE_MB && { memoryPerNodeMB: nodeMB }) },
    mode,
    ...(vms ? { vms: [{ name: vms > 1 ? 'vm' : 'vm0', vcpus: o.vcpus, memoryMB: o.memoryMB, variant: o.variant, ...(vms > 1 && { copies: vms }) }] } : {}),
    guest: { programs: [program], init: o.init },
    limits: { maxCycles: o.maxCycles },
  };
}

/** All of standard input unless it is a terminal (at most MAX_STDIN bytes). */
export type StdinReader = () => Uint8Array;

export const runGuestCommand: CliCommand = {
  name: 'run-guest',
  summary: 'run a user program (.s or .elf) on the guest OS, natively or under Disco',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const usage = (m: string) => { io.err(`run-guest: ${m}\n${USAGE}\n`); return 2; };
    let prog: string | undefined, json: string | undefined, save: string | undefined, init: string | undefined;
    const o: Omit<RunGuestOptions, 'init'> = { cpus: 1, vcpus: 1, variant: 'ksseg', memoryMB: 32, model: 'fast', maxCycles: 2_000_000_000 };
    const argv: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const value = () => args[++i];
      if (a === '--') { argv.push(...args.slice(i + 1)); break; }
      if (a === '--cpus') { const n = intOption(value(), 1, 32); if (n === undefined) return usage('--cpus needs a number of CPUs, 1-32'); o.cpus = n; }
      else if (a === '--disco') { const n = intOption(value(), 1, 8); if (n === undefined) return usage('--disco needs a number of VMs, 1-8'); o.disco = n; }
      else if (a === '--vcpus') { const n = intOption(value(), 1, 32); if (n === undefined) return usage('--vcpus needs a number of virtual CPUs, 1-32'); o.vcpus = n; }
      else if (a === '--memory') { const n = intOption(value(), 1, 496); if (n === undefined) return usage('--memory needs MiB, 1-496'); o.memoryMB = n; }
      else if (a === '--variant') { const v = value(); if (v !== 'ksseg' && v !== 'hal' && v !== 'kseg0') return usage('--variant must be ksseg, hal or kseg0'); o.variant = v; }
      else if (a === '--model') { const v = value(); if (v !== 'fast' && v !== 'timing') return usage('--model must be fast or timing'); o.model = v; }
      else if (a === '--max-cycles') { const n = intOption(value(), 1, 1e15); if (n === undefined) return usage('--max-cycles needs a positive whole number'); o.maxCycles = n; }
      else if (a === '--init') { init = value(); if (!init) return usage('--init needs a command line'); }
      else if (a === '--json') { json = value(); if (!json) return usage('--json needs a file name'); }
      else if (a === '--save') { save = value(); if (!save) return usage('--save needs a file name'); }
      else if (a.startsWith('-')) return usage(`unknown option '${a}'`);
      else if (prog === undefined) prog = a;
      else argv.push(a);
    }
    if (prog === undefined) { io.err(`${USAGE}\n`); return 2; }
    if ((o.vcpus !== 1 || o.variant !== 'ksseg') && !o.disco) return usage('--vcpus and --variant apply under Disco (--disco V)');
    const name = guestProgramName(prog);
    const bad = guestNameProblem(name);
    if (bad) { io.err(`run-guest: ${prog}: ${bad}\n`); return 1; }
    const opts: RunGuestOptions = { ...o, init: init ?? [name, ...argv].join(' ') };

    // The experiment, served to the one loader beside the program (so its path resolves as written).
    const expPath = join(dirname(prog), `${name}.run-guest.json`);
    const exp = runGuestExperiment(name, basename(prog), opts);
    const files = fileSystemSource(io.cwd);
    const src: FileSource = { ...files, readText: (p) => (p === expPath ? Promise.resolve(JSON.stringify(exp)) : files.readText(p)) };
    const loaded = await loadExperiment(src, expPath);
    const report = (errors: { path: string; message: string }[]) => {
      for (const e of errors) io.err(e.path === 'guest.programs[0]' ? `${e.message}\n` : `run-guest: ${e.path ? `${e.path}: ` : ''}${e.message}\n`);
      return 1;
    };
    if (!loaded.ok) return report(loaded.errors.map((e) => (e.file === expPath ? e : { path: '', message: formatLoadErrors([e]) })));
    const { resolved, inputs } = loaded.value;

    const jsonPath = json === undefined ? undefined : resolve(io.cwd, json);
    if (json !== undefined) { const p = await checkOutput(json, jsonPath!, exp.name); if (p) { io.err(`run-guest: ${p}\n`); return 2; } }
    if (save !== undefined) {
      const at = resolve(io.cwd, save);
      const p = await checkOutput(save, at, exp.name);
      if (p) { io.err(`run-guest: ${p.replace('--json', '--save')}\n`); return 2; }
      const saved = runGuestExperiment(name, relative(dirname(at), resolve(io.cwd, prog)).split('\\').join('/'), opts);
      try { await atomicWriteFile(at, JSON.stringify(saved, null, 2) + '\n'); } catch (e) { io.err(`run-guest: cannot write ${save}: ${(e as Error).message}\n`); return 1; }
    }

    // Standard input follows the command line on the console (the kernel reads its first line).
    let consoleInput: Uint8Array | undefined;
    const stdin = io.stdin?.() ?? new Uint8Array(0);
    if (stdin.length) {
      if (stdin.length > MAX_STDIN) io.err(`run-guest: standard input cut to its first ${MAX_STDIN} bytes (the console's input queue)\n`);
      const line = encodeUtf8(`${opts.init}\n`);
      consoleInput = new Uint8Array(line.length + Math.min(stdin.length, MAX_STDIN));
      consoleInput.set(line);
      consoleInput.set(stdin.subarray(0, MAX_STDIN), line.length);
    }

    installGuestCache(); // the guest build, cached across processes (docs/guest-os.md)
    const t0 = performance.now();
    const prep = prepareExperiment(resolved, { ...inputs, ...(consoleInput && { consoleInput }) });
    if (!prep.ok) return report(prep.errors);
    const { machine, monitor } = prep.value;
    const run = prep.value.run();
    const record = withHostSpeed(run.record, (performance.now() - t0) / 1000);

    // VM 0's console under Disco, else the machine's: program output → stdout, kernel → stderr.
    const vm0 = monitor?.vms[0];
    const bytes = vm0 ? vm0.consoleOut : machine.console.getState().out;
    const c = splitGuestConsole(bytes);
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    io.err(text(c.boot));
    if (io.outBytes) io.outBytes(c.output); else io.out(text(c.output));
    io.err(text(c.tail));
    if (!c.exact && c.status !== undefined) io.err('run-guest: kernel messages came between the program\'s output; standard output may hold some of them\n');
    if (record.console.truncated && !vm0) io.err('run-guest: the console kept only its first 1 MiB; the output is incomplete\n');
    for (const v of monitor?.vms.slice(1) ?? []) {
      const other = splitGuestConsole(v.consoleOut);
      const same = Buffer.from(other.output).equals(Buffer.from(c.output));
      io.err(`[${v.name}] ${v.status === 'exited' ? `exit ${v.exitCode}` : v.status}${v.stopReason ? `: ${v.stopReason}` : ''}; output ${same ? 'identical to' : 'differs from'} ${vm0!.name}'s\n`);
    }
    const note = defaultLimitNote(resolved, record.status.reason);
    if (note) io.err(`run-guest: ${note}\n`);
    if (record.partial) io.err(`run-guest: stopped (${record.status.reason}) after ${record.cycles.toLocaleString('en-US')} cycles; raise --max-cycles\n`);
    if (vm0?.stopReason) io.err(`run-guest: the monitor stopped ${vm0.name}: ${vm0.stopReason}\n`);
    if (jsonPath !== undefined) {
      try { await atomicWriteFile(jsonPath, JSON.stringify(record, null, 2) + '\n'); }
      catch (e) { io.err(`run-guest: cannot write ${json}: ${(e as Error).message}\n`); return 1; }
    }
    if (record.partial) return 124;
    if (c.killedBy !== undefined) {
      const code = EXC_NAMES.indexOf(c.killedBy);
      if (code > 0) return 128 + code;
    }
    const status = vm0 ? vm0.exitCode : record.status.exitCode;
    if (vm0 && vm0.status !== 'exited') return 1;
    return (status ?? c.status ?? 0) & 0xff;
  },
};
