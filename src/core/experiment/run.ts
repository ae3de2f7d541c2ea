/**
 * Runs a resolved experiment (native or disco) on a fresh machine: assembles `.s` inputs, loads
 * the programs or installs the monitor with its VMs, runs, builds the record. Reading files
 * (./load.ts with a host's FileSource) and timing happen in the caller; this is pure and
 * deterministic.
 */
import type { ConfigError } from '../machine/config/types';
import { Machine, type RunOptions, type RunResult } from '../machine/machine';
import { parseElf, type LoadImage } from '../machine/elf';
import { assemble } from '../asm/index';
import type { SourceFile } from '../asm/types';
import { expandVms, type ResolvedExperiment } from './config';
import { createMonitor, type Monitor, type VmSpec } from '../disco/monitor';
import { resolveMonitorOptions } from '../disco/options';
import { buildRunRecord, type RunRecord } from './record';

/**
 * Where bare-metal `.s` programs are linked: `.text` in kseg0 just above the exception vectors
 * (the first 4 KiB of RAM), `.data` at 512 KiB. The same for the project assembler and GNU ld.
 */
export const BARE_METAL_TEXT_BASE = 0x80001000;
export const BARE_METAL_DATA_BASE = 0x80080000;

/**
 * One program (same order as `experiment.programs`): ELF bytes, an already assembled image, or
 * assembly source, assembled when the machine is prepared, with the project assembler at the
 * bare-metal bases. `includes` are the files it `.include`s, read beforehand by the host
 * (`readIncludes` in ./load.ts): the assembler is synchronous and core reads no files. Every
 * variant is structured-cloneable, so inputs can be posted to a worker as they are.
 */
export type ProgramInput =
  | { elf: Uint8Array }
  | { image: LoadImage }
  | { source: SourceFile; includes?: readonly IncludedFile[] };

/** A file `.include "name"`d by the file `from` (both paths as the host's FileSource gave them). */
export interface IncludedFile { from: string; name: string; file: SourceFile }

/**
 * Where `.s` guest kernels of disco-mode VMs are assembled: the supervisor segment (KERNBASE =
 * 0xC0000000: vectors at +0/+0x180), data 512 KiB above.
 */
export const DISCO_GUEST_TEXT_BASE = 0xc0000000;
export const DISCO_GUEST_DATA_BASE = 0xc0080000;

export interface RunInputs {
  /** Native mode: one per `experiment.programs` entry. */
  programs: ProgramInput[];
  /** Disco mode: one per `experiment.vms` entry (copies share it): the kernel and the disk image. */
  vms?: { kernel: ProgramInput; diskImage?: Uint8Array }[];
  diskImage?: Uint8Array;
  /** Overrides `experiment.console.input` (UTF-8 bytes). */
  consoleInput?: Uint8Array;
}

/** UTF-8 encoder (core has no TextEncoder in its lib). */
export function encodeUtf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

/** The assembler's `include` callback over the files a host read for one source. */
export function includeCallback(includes: readonly IncludedFile[] = []): (name: string, from: string) => SourceFile | undefined {
  const byEdge = new Map(includes.map((i) => [`${i.from}\n${i.name}`, i.file]));
  return (name, from) => byEdge.get(`${from}\n${name}`);
}

/**
 * The load image of one program: parses ELF bytes, or assembles a source at the given bases.
 * Errors are messages for the field naming the program: `shown: reason` for an ELF,
 * `file:LINE:COL: message` for each assembler error.
 */
function imageOf(p: ProgramInput, textBase: number, dataBase: number, shown: string): { image: LoadImage } | { errors: string[] } {
  if ('elf' in p) {
    const e = parseElf(p.elf);
    return e.ok ? { image: e.image } : { errors: [`${shown}: ${e.message}`] };
  }
  if ('source' in p) {
    const a = assemble([p.source], { textBase, dataBase, include: includeCallback(p.includes), elf: false });
    if (!a.ok || !a.image) {
      const errors = a.diagnostics.filter((x) => x.severity === 'error').map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`);
      return { errors: errors.length ? errors : [`${shown}: the assembler produced no image`] };
    }
    return { image: a.image };
  }
  return { image: p.image };
}

/**
 * Disco mode: a machine with the monitor installed and one VM per expanded `vms` entry (the
 * console and disk inputs are per VM; `inputs.consoleInput` overrides every VM's console).
 */
export function prepareDisco(r: ResolvedExperiment, inputs: RunInputs): { ok: true; machine: Machine; monitor: Monitor } | { ok: false; errors: ConfigError[] } {
  const exp = r.experiment;
  const entries = exp.vms ?? [];
  if (!inputs.vms || inputs.vms.length !== entries.length) {
    return { ok: false, errors: [{ path: 'vms', message: `the host loaded ${inputs.vms?.length ?? 0} VM kernel(s) for ${entries.length} vms entr${entries.length === 1 ? 'y' : 'ies'} (one kernel input per entry is needed)` }] };
  }
  const machine = new Machine(r.machine, {});
  const errors: ConfigError[] = [];
  const images = inputs.vms.map((v, i) => {
    const im = imageOf(v.kernel, DISCO_GUEST_TEXT_BASE, DISCO_GUEST_DATA_BASE, entries[i].kernel);
    if ('errors' in im) { for (const m of im.errors) errors.push({ path: `vms[${i}].kernel`, message: m }); return undefined; }
    return im.image;
  });
  if (errors.length) return { ok: false, errors };
  const specs: VmSpec[] = expandVms(entries).map((v) => {
    const image = images[v.entry]!;
    const text = v.console?.input ?? exp.console?.input;
    const input = inputs.consoleInput ?? (text !== undefined ? encodeUtf8(text) : undefined);
    return {
      name: v.name, vcpus: v.vcpus ?? 1, memoryMB: v.memoryMB, image,
      kernbase: (image.entry >>> 0) >= 0xc0000000 ? 0xc0000000 : 0x80000000,
      consoleInput: input, diskImage: inputs.vms![v.entry].diskImage,
    };
  });
  const m = createMonitor(machine, specs, resolveMonitorOptions(exp.monitor));
  if (!m.ok) return { ok: false, errors: m.errors };
  return { ok: true, machine, monitor: m.monitor };
}

/** Builds the machine and loads the programs; errors point at `programs[i]`. */
export function prepareMachine(r: ResolvedExperiment, inputs: RunInputs): { ok: true; machine: Machine; entry: number } | { ok: false; errors: ConfigError[] } {
  const exp = r.experiment;
  if (inputs.programs.length !== exp.programs.length) throw new Error('bug: one ProgramInput per experiment program expected');
  const machine = new Machine(r.machine, {
    diskImage: inputs.diskImage,
    consoleInput: inputs.consoleInput ?? (exp.console?.input !== undefined ? encodeUtf8(exp.console.input) : undefined),
  });
  const errors: ConfigError[] = [];
  let entry: number | undefined;
  inputs.programs.forEach((p, i) => {
    const path = `programs[${i}]`;
    const im = imageOf(p, BARE_METAL_TEXT_BASE, BARE_METAL_DATA_BASE, exp.programs[i].path);
    if ('errors' in im) { for (const m of im.errors) errors.push({ path, message: m }); return; }
    const err = machine.load(im.image);
    if (err) { errors.push({ path, message: `${exp.programs[i].path}: ${err}` }); return; }
    if (exp.programs[i].entry || (i === 0 && !exp.programs.some((q) => q.entry))) entry = im.image.entry;
  });
  if (errors.length) return { ok: false, errors };
  machine.start(entry!);
  return { ok: true, machine, entry: entry! };
}

export interface ExperimentRun {
  machine: Machine;
  /** Disco mode: the monitor (its VMs, counters). */
  monitor?: Monitor;
  result: RunResult;
  record: RunRecord;
}

/** A machine ready to run an experiment (native: programs loaded; disco: the monitor installed). */
export interface PreparedRun {
  machine: Machine;
  /** Disco mode: the monitor. */
  monitor?: Monitor;
  /**
   * Runs to a stop condition under the experiment's limits and builds the record (host fields
   * null). `opts` adds progress reporting; it does not change the schedule.
   */
  run(opts?: Omit<RunOptions, 'maxCycles' | 'maxInstructions'>): ExperimentRun;
}

/** Builds the machine for either mode; errors are the experiment's fields. */
export function prepareExperiment(r: ResolvedExperiment, inputs: RunInputs): { ok: true; value: PreparedRun } | { ok: false; errors: ConfigError[] } {
  const p = r.experiment.mode === 'disco' ? prepareDisco(r, inputs) : prepareMachine(r, inputs);
  if (!p.ok) return p;
  const { machine } = p;
  const monitor = 'monitor' in p ? p.monitor : undefined;
  return {
    ok: true,
    value: {
      machine, monitor,
      run(opts = {}) {
        const result = machine.run({ ...opts, ...r.limits });
        // The monitor settles its per-VM accounting with each CPU's end-of-run idle padding.
        monitor?.finish(machine.cpuReports().map((c, i) => c.buckets.idle - machine.cpus[i].buckets.idle));
        const record = buildRunRecord({ experiment: r.experiment, machine, result, limits: r.limits, monitor });
        return { machine, monitor, result, record };
      },
    },
  };
}

/** Prepares, runs to a stop condition and builds the record (host fields left null). */
export function runExperiment(r: ResolvedExperiment, inputs: RunInputs, opts: Omit<RunOptions, 'maxCycles' | 'maxInstructions'> = {}):
  { ok: true; value: ExperimentRun } | { ok: false; errors: ConfigError[] } {
  const p = prepareExperiment(r, inputs);
  return p.ok ? { ok: true, value: p.value.run(opts) } : p;
}
