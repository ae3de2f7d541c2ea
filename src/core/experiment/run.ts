/**
 * Runs a resolved native experiment on a fresh machine. File reading, assembling `.s` sources
 * and timing happen in the caller (src/main); this is pure and deterministic.
 */
import type { ConfigError } from '../machine/config/types';
import { Machine, type RunOptions, type RunResult } from '../machine/machine';
import { parseElf, type LoadImage } from '../machine/elf';
import { assemble } from '../asm/index';
import type { SourceFile } from '../asm/types';
import { expandVms, type ResolvedExperiment } from './config';
import { createMonitor, type Monitor, type VmSpec } from '../disco/monitor';
import { buildRunRecord, type RunRecord } from './record';

/**
 * Where bare-metal `.s` programs are linked: `.text` in kseg0 just above the exception vectors
 * (the first 4 KiB of RAM), `.data` at 512 KiB. The same for the project assembler and GNU ld.
 */
export const BARE_METAL_TEXT_BASE = 0x80001000;
export const BARE_METAL_DATA_BASE = 0x80080000;

/**
 * One program (same order as `experiment.programs`): ELF bytes, an already assembled image, or
 * assembly source, assembled here with the project assembler at the bare-metal bases
 * (`include` resolves `.include`; the host reads files).
 */
export type ProgramInput =
  | { elf: Uint8Array }
  | { image: LoadImage }
  | { source: SourceFile; include?: (name: string, from: string) => SourceFile | undefined };

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

function imageOf(p: ProgramInput, textBase: number, dataBase: number, shown: string): { image: LoadImage } | { errors: string[] } {
  if ('elf' in p) {
    const e = parseElf(p.elf);
    return e.ok ? { image: e.image } : { errors: [`${shown}: ${e.message}`] };
  }
  if ('source' in p) {
    const a = assemble([p.source], { textBase, dataBase, include: p.include, elf: false });
    if (!a.ok || !a.image) return { errors: a.diagnostics.filter((x) => x.severity === 'error').map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`) };
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
  const m = createMonitor(machine, specs, { l2tlbEntries: exp.monitor?.l2tlbEntries, sliceCycles: exp.monitor?.sliceCycles, costs: exp.monitor?.costs });
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
    let image: LoadImage;
    if ('elf' in p) {
      const e = parseElf(p.elf);
      if (!e.ok) { errors.push({ path, message: `${exp.programs[i].path}: ${e.message}` }); return; }
      image = e.image;
    } else if ('source' in p) {
      const a = assemble([p.source], { textBase: BARE_METAL_TEXT_BASE, dataBase: BARE_METAL_DATA_BASE, include: p.include, elf: false });
      if (!a.ok || !a.image) {
        for (const d of a.diagnostics.filter((x) => x.severity === 'error')) errors.push({ path, message: `${d.file}:${d.line}:${d.col}: ${d.message}` });
        return;
      }
      image = a.image;
    } else image = p.image;
    const err = machine.load(image);
    if (err) { errors.push({ path, message: `${exp.programs[i].path}: ${err}` }); return; }
    if (exp.programs[i].entry || (i === 0 && !exp.programs.some((q) => q.entry))) entry = image.entry;
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

/** Prepares, runs to a stop condition and builds the record (host fields left null). */
export function runExperiment(r: ResolvedExperiment, inputs: RunInputs, opts: Omit<RunOptions, 'maxCycles' | 'maxInstructions'> = {}):
  { ok: true; value: ExperimentRun } | { ok: false; errors: ConfigError[] } {
  if (r.experiment.mode === 'disco') {
    const d = prepareDisco(r, inputs);
    if (!d.ok) return d;
    const result = d.machine.run({ ...opts, ...r.limits });
    d.monitor.finish(d.machine.cpuReports().map((c, i) => c.buckets.idle - d.machine.cpus[i].buckets.idle));
    const record = buildRunRecord({ experiment: r.experiment, machine: d.machine, result, limits: r.limits, monitor: d.monitor });
    return { ok: true, value: { machine: d.machine, result, record, monitor: d.monitor } };
  }
  const p = prepareMachine(r, inputs);
  if (!p.ok) return p;
  const result = p.machine.run({ ...opts, ...r.limits });
  const record = buildRunRecord({ experiment: r.experiment, machine: p.machine, result, limits: r.limits });
  return { ok: true, value: { machine: p.machine, result, record } };
}
