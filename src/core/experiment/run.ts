/**
 * Runs a resolved experiment (native or disco) on a fresh machine: assembles `.s` inputs, loads
 * the programs or installs the monitor with its VMs, runs, builds the record. With `guest`, the
 * guest OS kernel(s) and disk image are built here from the sources the host read (cached by
 * content hash: src/core/guest/build.ts). Reading files (./load.ts with a host's FileSource) and
 * timing happen in the caller; this is pure and deterministic.
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
import { guestDisk, guestKernel, type GuestSources } from '../guest/build';
import type { UserProgramInput } from '../guest/user';
import type { KernelVariant } from '../guest/kernel';
import { createDenali, DENALI_DATA_BASE, DENALI_TEXT_BASE, type DenaliGroupSpec, type DenaliMonitor } from '../denali/monitor';
import { DEFAULT_DENALI_MEMORY_KB, DENALI_GUEST } from '../denali/experiment';
import { resolveLoad } from '../load/spec';

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

/** A user program of `guest.programs` (`name` on the guest's file system, `path` as the host shows it). */
export type GuestProgramInput = UserProgramInput;

/** With `experiment.guest`: what the guest OS is built from. */
export interface GuestInputs {
  /** Where the sources came from, as messages show it (`resources/guest`). */
  dir: string;
  /** resources/guest's `.s` files by relative path. */
  sources: GuestSources;
  /** One per `guest.programs` entry. */
  programs: GuestProgramInput[];
}

export interface RunInputs {
  /** Native mode: one per `experiment.programs` entry. */
  programs: ProgramInput[];
  /**
   * Disco mode: one per `experiment.vms` entry (copies share it): the kernel (absent when the
   * VM boots the guest OS kernel built from `guest`) and the disk image.
   */
  vms?: { kernel?: ProgramInput; diskImage?: Uint8Array }[];
  diskImage?: Uint8Array;
  /** Overrides `experiment.console.input` (UTF-8 bytes). */
  consoleInput?: Uint8Array;
  /** With `experiment.guest`: the guest OS sources and the user programs. */
  guest?: GuestInputs;
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
export function imageOf(p: ProgramInput, textBase: number, dataBase: number, shown: string): { image: LoadImage } | { errors: string[] } {
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
  const errors: ConfigError[] = [];
  const guest = exp.guest ? buildGuestInputs(r, inputs, errors) : undefined;
  const images = inputs.vms.map((v, i) => {
    if (!v.kernel) {
      if (!guest) { errors.push({ path: `vms[${i}].kernel`, message: 'is required without `guest`' }); return undefined; }
      return guest.kernel(entries[i].variant ?? 'ksseg', `vms[${i}].variant`)?.image;
    }
    const im = imageOf(v.kernel, DISCO_GUEST_TEXT_BASE, DISCO_GUEST_DATA_BASE, entries[i].kernel ?? '');
    if ('errors' in im) { for (const m of im.errors) errors.push({ path: `vms[${i}].kernel`, message: m }); return undefined; }
    return im.image;
  });
  if (errors.length) return { ok: false, errors };
  const machine = new Machine(r.machine, {});
  const expanded = expandVms(entries);
  const specs: VmSpec[] = expanded.map((v) => {
    const image = images[v.entry]!;
    const text = v.console?.input ?? exp.console?.input;
    const input = inputs.consoleInput ?? (text !== undefined ? encodeUtf8(text) : undefined);
    return {
      name: v.name, vcpus: v.vcpus ?? 1, memoryMB: v.memoryMB, image,
      kernbase: (image.entry >>> 0) >= 0xc0000000 ? 0xc0000000 : 0x80000000,
      consoleInput: input, diskImage: guest ? guest.disk : inputs.vms![v.entry].diskImage,
      ...(v.fileServer !== undefined ? { fileServer: expanded.findIndex((x) => x.name === v.fileServer) } : {}),
      ...(v.disk?.persistent === true ? { diskPersistent: true } : {}),
    };
  });
  // the machine was just constructed: its memory is all zeros
  const m = createMonitor(machine, specs, { ...resolveMonitorOptions(exp.monitor), memoryZeroed: true, ...(exp.load ? { load: resolveLoad(exp.load) } : {}) });
  if (!m.ok) return { ok: false, errors: m.errors };
  return { ok: true, machine, monitor: m.monitor };
}

/**
 * Denali mode: a machine with the isolation kernel installed and the experiment's VM groups,
 * each running its program (assembled with .text at 0x1000, .data at 0x2000) or the built-in
 * Ilwaco guest (resources/guest/denali/httpd.s, from the guest OS sources the host read).
 */
export function prepareDenali(r: ResolvedExperiment, inputs: RunInputs): { ok: true; machine: Machine; denali: DenaliMonitor } | { ok: false; errors: ConfigError[] } {
  const d = r.experiment.denali;
  if (!d) return { ok: false, errors: [{ path: 'denali', message: 'is required in mode "denali"' }] };
  const errors: ConfigError[] = [];
  const groups: DenaliGroupSpec[] = [];
  d.vms.forEach((g, i) => {
    let p = inputs.vms?.[i]?.kernel;
    let shown = g.program ?? '';
    if (!p) {
      const src = inputs.guest?.sources;
      const text = src?.[DENALI_GUEST.main];
      if (!src || text === undefined) { errors.push({ path: `denali.vms[${i}].program`, message: `is required: the host has no built-in guest (${DENALI_GUEST.main} in resources/guest)` }); return; }
      const dir = inputs.guest!.dir;
      shown = `${dir}/${DENALI_GUEST.main}`;
      const includes: IncludedFile[] = Object.keys(src).filter((k) => k.startsWith(DENALI_GUEST.dir) && k !== DENALI_GUEST.main)
        .map((k) => ({ from: shown, name: k.slice(DENALI_GUEST.dir.length), file: { path: `${dir}/${k}`, text: src[k] } }));
      p = { source: { path: shown, text }, includes };
    }
    const im = imageOf(p, DENALI_TEXT_BASE, DENALI_DATA_BASE, shown);
    if ('errors' in im) { for (const m of im.errors) errors.push({ path: `denali.vms[${i}].program`, message: m }); return; }
    groups.push({ name: g.name ?? `vm${i}`, count: g.count ?? 1, memoryKB: g.memoryKB ?? DEFAULT_DENALI_MEMORY_KB, image: im.image });
  });
  if (errors.length) return { ok: false, errors };
  const machine = new Machine(r.machine, {});
  const m = createDenali(machine, groups, resolveLoad(d.load), d.options ?? {});
  if (!m.ok) return { ok: false, errors: m.errors };
  return { ok: true, machine, denali: m.monitor };
}

/**
 * The guest OS of an experiment with `guest`: its disk image (built or from the cache) and a
 * kernel builder by variant; problems go to `errors` as the experiment's fields (`guest`,
 * `guest.init`, `guest.programs[i]`). Undefined when the disk cannot be built.
 */
function buildGuestInputs(r: ResolvedExperiment, inputs: RunInputs, errors: ConfigError[]):
  { disk: Uint8Array; kernel(variant: KernelVariant, field: string): { image: LoadImage; load: LoadImage } | undefined } | undefined {
  const g = inputs.guest;
  if (!g) { errors.push({ path: 'guest', message: 'the host gave no guest OS sources (resources/guest)' }); return undefined; }
  const d = guestDisk({ sources: g.sources, programs: g.programs, init: r.experiment.guest?.init });
  if (!d.ok) {
    for (const p of d.problems) errors.push({ path: p.program !== undefined ? `guest.programs[${p.program}]` : p.init ? 'guest.init' : 'guest', message: p.message });
    return undefined;
  }
  const diskBytes = r.machine.diskSizeMB * 1024 * 1024;
  if (d.image.length > diskBytes) {
    errors.push({ path: 'guest', message: `the guest's disk image (${Math.ceil(d.image.length / 1024)} KiB) does not fit the machine's disk (diskSizeMB ${r.machine.diskSizeMB}): raise machineOverrides.diskSizeMB` });
    return undefined;
  }
  return {
    disk: d.image,
    kernel(variant, field) {
      const k = guestKernel(g.sources, variant);
      if (!k.ok) { for (const m of k.errors) errors.push({ path: field, message: `${g.dir}/${m}` }); return undefined; }
      return { image: k.value.image!, load: k.value.load! };
    },
  };
}

/** Builds the machine and loads the programs (or, with `guest`, the guest OS); errors point at `programs[i]`. */
export function prepareMachine(r: ResolvedExperiment, inputs: RunInputs): { ok: true; machine: Machine; entry: number } | { ok: false; errors: ConfigError[] } {
  const exp = r.experiment;
  if (exp.guest) return prepareGuestMachine(r, inputs);
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

/** Native mode with `guest`: the kseg0 kernel booted on the bare machine with the built disk image. */
function prepareGuestMachine(r: ResolvedExperiment, inputs: RunInputs): { ok: true; machine: Machine; entry: number } | { ok: false; errors: ConfigError[] } {
  const exp = r.experiment;
  const errors: ConfigError[] = [];
  const guest = buildGuestInputs(r, inputs, errors);
  const kernel = guest?.kernel('kseg0', 'guest');
  if (!guest || !kernel) return { ok: false, errors };
  const machine = new Machine(r.machine, {
    diskImage: guest.disk,
    consoleInput: inputs.consoleInput ?? (exp.console?.input !== undefined ? encodeUtf8(exp.console.input) : undefined),
  });
  const err = machine.load(kernel.load);
  if (err) return { ok: false, errors: [{ path: 'guest', message: `the guest kernel does not load: ${err}` }] };
  machine.start(kernel.load.entry);
  return { ok: true, machine, entry: kernel.load.entry };
}

export interface ExperimentRun {
  machine: Machine;
  /** Disco mode: the monitor (its VMs, counters). */
  monitor?: Monitor;
  /** Denali mode: the isolation kernel (its VMs, the load generator). */
  denali?: DenaliMonitor;
  result: RunResult;
  record: RunRecord;
}

/** A machine ready to run an experiment (native: programs loaded; disco: the monitor installed). */
export interface PreparedRun {
  machine: Machine;
  /** Disco mode: the monitor. */
  monitor?: Monitor;
  /** Denali mode: the isolation kernel. */
  denali?: DenaliMonitor;
  /**
   * Runs to a stop condition under the experiment's limits and builds the record (host fields
   * null). `opts` adds progress reporting; it does not change the schedule.
   */
  run(opts?: Omit<RunOptions, 'maxCycles' | 'maxInstructions'>): ExperimentRun;
}

/**
 * Disco mode, after a run: the persistent disks it wrote (`vms[].disk.persistent`) — the VM
 * entry and the VM's name, the image file as the experiment names it (relative to the experiment file), and the
 * image to write back: as long as the original, or up to the end of the highest sector written
 * when that is longer. The host writes them (the core knows no files).
 */
export function persistentDisks(r: ResolvedExperiment, inputs: RunInputs, p: PreparedRun): { entry: number; vm: string; image: string; bytes: Uint8Array; sectorsWritten: number }[] {
  const exp = r.experiment, mon = p.monitor;
  if (exp.mode !== 'disco' || !mon) return [];
  const out: { entry: number; vm: string; image: string; bytes: Uint8Array; sectorsWritten: number }[] = [];
  expandVms(exp.vms ?? []).forEach((v, i) => {
    const image = v.disk?.image ?? exp.disk?.image, d = mon.vms[i]?.dev.disk;
    if (v.disk?.persistent !== true || image === undefined || d === undefined || d.sectorsWritten === 0) return;
    const len = Math.min(d.base.length, Math.max(inputs.vms?.[v.entry]?.diskImage?.length ?? 0, d.highWater));
    out.push({ entry: v.entry, vm: v.name, image, bytes: d.base.slice(0, len), sectorsWritten: d.sectorsWritten });
  });
  return out;
}

/** Builds the machine for either mode; errors are the experiment's fields. */
export function prepareExperiment(r: ResolvedExperiment, inputs: RunInputs): { ok: true; value: PreparedRun } | { ok: false; errors: ConfigError[] } {
  const mode = r.experiment.mode;
  const p = mode === 'disco' ? prepareDisco(r, inputs) : mode === 'denali' ? prepareDenali(r, inputs) : prepareMachine(r, inputs);
  if (!p.ok) return p;
  const { machine } = p;
  const monitor = 'monitor' in p ? p.monitor : undefined;
  const denali = 'denali' in p ? p.denali : undefined;
  return {
    ok: true,
    value: {
      machine, monitor, denali,
      run(opts = {}) {
        const result = machine.run({ ...opts, ...r.limits });
        // The monitor settles its per-VM accounting with each CPU's end-of-run idle padding.
        const padding = machine.cpuReports().map((c, i) => c.buckets.idle - machine.cpus[i].buckets.idle);
        monitor?.finish(padding);
        denali?.finish(padding);
        const record = buildRunRecord({ experiment: r.experiment, machine, result, limits: r.limits, monitor, denali });
        return { machine, monitor, denali, result, record };
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
