/**
 * Experiment files (DESIGN.md "Experiments, runs, workspace"): what to run on which machine.
 *
 * The schema below is the single source: the validator checks files against it (field-level
 * errors) and `docs/experiment.schema.json` is generated from it (`npx tsx scripts/gen-schemas.ts`).
 * `mode: "native"` runs bare-metal programs (or, later, the guest OS) directly on the machine;
 * the Disco engineer adds `mode: "disco"` and its fields (VMs, monitor options) here.
 *
 * Paths inside an experiment (programs, disk image, a machine file) are relative to the
 * experiment file; src/main reads them and hands the bytes to core.
 *
 * `guest` runs the guest OS of resources/guest, built when the run starts (src/core/guest/build.ts):
 * natively its kseg0 kernel boots on the machine; under Disco each VM without a `kernel` boots
 * the build of its `variant` (default ksseg). Either way the disk image holds the guest's
 * programs plus the workspace programs `guest.programs` names, and `guest.init` is the first
 * process's command line.
 */
import type { ConfigError, MachineConfig, ValidationResult } from '../machine/config/types';
import { mergeConfig, validateMachineConfig } from '../machine/config/validate';
import { validateJson, type JsonSchema } from './json-schema';
import { DEFAULT_COSTS } from '../disco/cost-model';
import { monitorOptionsSchema, type MonitorOptionsInput } from '../disco/options';
import { MONITOR_RESERVED_PAGES } from '../disco/monitor';
import { guestNameProblem, guestProgramName } from '../guest/user';
import { FS_CMDLINE_MAX } from '../guest/disk';
import { denaliExperimentSchema, validateDenali, type ExperimentDenali } from '../denali/experiment';
import { loadSchema, validateLoad } from '../load/spec';
import type { LoadSpec } from '../load/loadgen';

export const EXPERIMENT_MODES = ['native', 'disco', 'denali'] as const;
export const KERNEL_VARIANT_NAMES = ['kseg0', 'ksseg', 'hal'] as const;
export type ExperimentMode = (typeof EXPERIMENT_MODES)[number];

export interface ExperimentProgram {
  /** ELF executable or assembly source (`.s`), relative to the experiment file. */
  path: string;
  /** This program's entry point starts the CPUs (default: the first program). */
  entry?: boolean;
}

/**
 * One VM entry of a `mode: "disco"` experiment (docs/disco.md "Experiments"). `copies` > 1
 * creates that many identical VMs named `<name>0`, `<name>1`, … (each with its own copy of the
 * disk image and of the console input).
 */
export interface ExperimentVm {
  name?: string;
  /** Virtual CPUs (default 1). */
  vcpus?: number;
  /** Guest-physical memory [MiB]. */
  memoryMB: number;
  /**
   * The guest kernel: an ELF linked at its KERNBASE, or a `.s` source (assembled at 0xC0000000 /
   * data 0xC0080000). Required unless the experiment has `guest` (then: the built `variant`).
   */
  kernel?: string;
  /** With `guest` and no `kernel`: the kernel build to boot (default ksseg). Otherwise which build `kernel` is (informational). */
  variant?: (typeof KERNEL_VARIANT_NAMES)[number];
  /**
   * Disk image of this VM (default: the experiment's `disk.image`). `persistent`: the VM's writes
   * go to the image itself, written back to its file when the run ends (docs/disco.md "Memory
   * sharing"); otherwise they go to a per-VM overlay that the run discards.
   */
  disk?: { image?: string; persistent?: boolean };
  /** Console input of this VM (default: the experiment's `console.input`). */
  console?: { input?: string };
  copies?: number;
  /** The VM (by its final name) that serves this one files over the virtual network (docs/disco.md "Virtual network"). */
  fileServer?: string;
}

/** Monitor options of a `mode: "disco"` experiment: the table in src/core/disco/options.ts. */
export type ExperimentMonitor = MonitorOptionsInput;

/**
 * The guest OS of resources/guest, built at run time (docs/experiments.md "The guest OS").
 * `programs`: workspace programs added to its disk image (`.s` assembled for the guest, or
 * static MIPS ELF executables), each under its file's base name without the extension;
 * `init`: the first process's command line (default `tests`).
 */
export interface ExperimentGuest {
  programs?: string[];
  init?: string;
}
export interface ExperimentConfig {
  name: string;
  description?: string;
  /** Preset name (`flash-4x2`), a path to a machine JSON file, or an inline machine config. */
  machine: string | Record<string, unknown>;
  /** Partial machine config merged over `machine` (e.g. `{ "cpuModel": "fast" }`). */
  machineOverrides?: Record<string, unknown>;
  mode: ExperimentMode;
  /** Native mode: what to load (required, ≥ 1, unless `guest`). Unused in disco mode. */
  programs: ExperimentProgram[];
  /** The guest OS, built at run time (native: its kseg0 kernel boots; disco: VMs boot it). */
  guest?: ExperimentGuest;
  /** Disco mode: the VMs (required, 1–8 after expanding `copies`). */
  vms?: ExperimentVm[];
  monitor?: ExperimentMonitor;
  /** Denali mode: the VM groups, the load generator, the isolation kernel's options (src/core/denali/experiment.ts). */
  denali?: ExperimentDenali;
  /** Disco mode: the load generator's clients on the virtual network, `clientsPerVm` for every VM (src/core/load, src/core/disco/vdevices/clients.ts). */
  load?: Partial<LoadSpec>;
  console?: { input?: string };
  disk?: { image?: string };
  limits?: { maxCycles?: number; maxInstructions?: number };
  /** Overrides the machine's seed. */
  seed?: number;
}

export const MAX_VMS = 16;
/**
 * vCPUs of all VMs together: the monitor's reserved memory holds page 0 plus one HAL page per
 * vCPU (src/core/disco/monitor.ts, `halPage`), so it can run at most its reserved pages − 1.
 */
export const MAX_TOTAL_VCPUS = MONITOR_RESERVED_PAGES - 1;

/**
 * Default limits when an experiment gives none: a program that never exits stops here. 5 × 10⁷
 * cycles (0.25 s simulated at 200 MHz) is far more than a bare-metal example needs (bare-hello:
 * < 10⁶) and stops a runaway loop on every preset within about 10 s of host time with the fast
 * CPU model (8 CPUs: ~6 simulated MHz; docs/experiments.md "Limits" has the measurements).
 * Longer runs (the guest workloads) set `limits.maxCycles`.
 */
export const DEFAULT_LIMITS = { maxCycles: 50_000_000 } as const;

const LIMIT = { type: 'number', minimum: 1, maximum: 1e15 };

export const EXPERIMENT_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://disco-lab.invalid/schemas/experiment.schema.json',
  title: 'Disco Lab experiment',
  description: 'What to run on which machine. Paths are relative to the experiment file. Generated from src/core/experiment/config.ts — do not edit by hand.',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'machine', 'mode'],
  properties: {
    $schema: { type: 'string', description: 'URI or path of this schema (ignored)' },
    name: { type: 'string', minLength: 1, description: 'Short name of the experiment (run records carry it)' },
    description: { type: 'string', description: 'Free text: what the experiment shows' },
    machine: {
      description: 'The machine: a preset name from resources/machines (e.g. "flash-4x2"), a path to a machine config file (ending in .json), or an inline machine config (docs/machine-config.schema.json)',
      anyOf: [
        { type: 'string', minLength: 1, description: 'a preset name or a path to a machine config' },
        { type: 'object', description: 'an inline machine config' },
      ],
    },
    machineOverrides: { type: 'object', description: 'Partial machine config deep-merged over `machine` (e.g. {"cpuModel": "fast"}); arrays are replaced' },
    mode: { type: 'string', enum: [...EXPERIMENT_MODES], description: '"native": programs (or, with `guest`, the guest OS) run directly on the machine (no monitor); "disco": guest kernels run in virtual machines under the Disco monitor (`vms`, `monitor`); "denali": many small paravirtual VMs under the Denali isolation kernel, driven by a load generator (`denali`)' },
    vms: {
      type: 'array', minItems: 1, description: `Mode "disco": the virtual machines (at most ${MAX_VMS} after expanding \`copies\`, with at most ${MAX_TOTAL_VCPUS} vCPUs in total: the monitor keeps one HAL page per vCPU). Each gets guest-physical memory from the machine, its own virtual devices (console, disk, IPI, power, sysinfo) and vCPUs time-shared over the physical CPUs`,
      items: {
        type: 'object', additionalProperties: false, required: ['memoryMB'], description: 'One VM (or `copies` identical VMs)',
        properties: {
          name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_.-]+$', description: 'Name (default vm<i>); with copies > 1, the copies are named <name>0, <name>1, …' },
          vcpus: { type: 'integer', minimum: 1, maximum: 32, description: 'Virtual CPUs (default 1)' },
          memoryMB: { type: 'integer', minimum: 1, maximum: 496, description: 'Guest-physical memory [MiB]' },
          kernel: { type: 'string', minLength: 1, description: 'Guest kernel: an ELF linked at its KERNBASE (0xC0000000 for the ksseg/hal builds) or a .s source assembled at 0xC0000000 (.data at 0xC0080000), relative to the experiment file. Required unless the experiment has `guest`: then the guest OS kernel of `variant` is built and booted' },
          variant: { type: 'string', enum: [...KERNEL_VARIANT_NAMES], description: 'With `guest` and no `kernel`: the guest OS kernel build to boot (default ksseg; hal = with the HAL patch; kseg0 = the unmodified kernel, slow under Disco). Otherwise which build `kernel` is (informational; KERNBASE comes from the entry point: ≥ 0xC0000000 → 0xC0000000, else 0x80000000)' },
          disk: {
            type: 'object', additionalProperties: false, description: 'This VM\'s disk',
            properties: {
              image: { type: 'string', minLength: 1, description: 'Initial disk contents (default: the experiment\'s disk.image). VMs booted from the same image share its unwritten pages; each VM\'s writes go to its own overlay, discarded when the run ends (non-persistent). Not with `guest` (the run builds the disk image)' },
              persistent: { type: 'boolean', description: 'A persistent disk: this VM\'s writes go to the image itself, which `disco-lab run` and the workbench\'s Run write back to its file when the run ends (labs and the debugger refuse such experiments). It belongs to this VM alone: not with `copies`, `guest`, or another VM using the same image; its pages are not shared' },
            },
          },
          console: { type: 'object', additionalProperties: false, description: 'This VM\'s console', properties: { input: { type: 'string', description: 'Bytes queued on the VM\'s console (default: the experiment\'s console.input)' } } },
          copies: { type: 'integer', minimum: 1, maximum: 8, description: 'Create this many identical VMs (default 1)' },
          fileServer: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_.-]+$', description: 'The VM (its name, after copies are expanded) that serves this VM\'s files over the virtual network: the guest OS then reads its file system from that VM (which runs `nfsd`) instead of its own disk, and the pages arrive by remapping, shared (docs/disco.md "Virtual network"). With `guest` only' },
        },
      },
    },
    monitor: monitorOptionsSchema(),
    denali: denaliExperimentSchema(),
    load: { ...loadSchema(), description: 'Mode "disco": the load generator\'s closed-loop clients on the virtual network (the same clients as denali.load), `clientsPerVm` for every VM, at network address 0xffff; each VM\'s guest answers them (the guest OS\'s `httpd` program, docs/disco.md "Serving clients"). The run ends (exit 0) when every client is done' },
    guest: {
      type: 'object', additionalProperties: false,
      description: 'Run the guest OS of resources/guest, built when the run starts: in mode "native" its kseg0 kernel boots on the machine (then leave out `programs`); in mode "disco" every VM without a `kernel` boots the build of its `variant` (default ksseg). The disk image holds the guest\'s programs and data files plus `programs`; `init` is the first process\'s command line. A first line in `console.input` is typed before boot and replaces `init`',
      properties: {
        programs: {
          type: 'array', maxItems: 32,
          description: 'Your programs for the guest\'s disk, relative to the experiment file: .s sources (assembled for the guest, .text at 0x00400000, .data at 0x10000000) or static big-endian MIPS ELF executables (as `disco-lab run-user` and qemu-mips take). Each is stored under its file\'s base name without the extension (programs/mytest.s → mytest); one named like a guest program replaces it. They start as Linux o32 processes and may use exit (4001), read (4003), write (4004) and brk (4045) — docs/guest-syscalls.md',
          items: { type: 'string', minLength: 1, description: 'a path to a .s source or an ELF executable' },
        },
        init: { type: 'string', minLength: 1, maxLength: FS_CMDLINE_MAX, pattern: '^[!-~][ -~]*$', 'x-pattern-message': 'must be printable ASCII and start with a program name', description: 'The first process\'s command line: a program on the guest\'s disk and its arguments, e.g. "mytest 3" or "pmake 4" (default "tests"); its exit status is the run\'s' },
      },
    },
    programs: {
      type: 'array',
      minItems: 1,
      description: 'Programs loaded into physical memory before the CPUs start (kseg0/kseg1 addresses load at their physical address). Every CPU starts at the entry point of the first program, or of the one marked `entry`.',
      items: {
        anyOf: [
          { type: 'string', minLength: 1, description: 'a path to an ELF executable or a .s source' },
          {
            type: 'object',
            description: 'a program with options',
            additionalProperties: false,
            required: ['path'],
            properties: {
              path: { type: 'string', minLength: 1, description: 'ELF executable or assembly source (.s), relative to the experiment file' },
              entry: { type: 'boolean', description: 'Start the CPUs at this program\'s entry point' },
            },
          },
        ],
      },
    },
    console: {
      type: 'object', additionalProperties: false, description: 'Console device options',
      properties: { input: { type: 'string', description: 'Bytes (UTF-8) queued on the console receiver at reset' } },
    },
    disk: {
      type: 'object', additionalProperties: false, description: 'Block disk options',
      properties: { image: { type: 'string', minLength: 1, description: 'Initial disk contents: a file relative to the experiment file (padded with zeros or cut to the machine\'s diskSizeMB)' } },
    },
    limits: {
      type: 'object', additionalProperties: false, description: 'When to stop a run that does not power off by itself (the record is then marked partial)',
      properties: {
        maxCycles: { ...LIMIT, description: `Stop after this many cycles of simulated time (default ${DEFAULT_LIMITS.maxCycles.toLocaleString('en-US')}) [cycles]` },
        maxInstructions: { ...LIMIT, description: 'Stop after the CPUs together executed this many instructions [instructions]' },
      },
    },
    seed: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'Seed for every pseudo-random choice; overrides the machine\'s seed' },
  },
};

/**
 * What to tell the user when a run stopped at a default limit (one the experiment did not set),
 * or undefined (`stopped at the default limit of 50,000,000 cycles; raise it with limits.maxCycles in the experiment`).
 */
export function defaultLimitNote(r: Pick<ResolvedExperiment, 'experiment' | 'limits'>, reason: string): string | undefined {
  if (reason !== 'maxCycles' || r.experiment.limits?.maxCycles !== undefined || r.limits.maxCycles === undefined) return undefined;
  return `stopped at the default limit of ${r.limits.maxCycles.toLocaleString('en-US')} cycles; raise it with limits.maxCycles in the experiment`;
}

/** Validates a parsed experiment file; normalises `programs` to objects. */
export function validateExperiment(input: unknown): ValidationResult<ExperimentConfig> {
  const errors = validateJson(EXPERIMENT_SCHEMA, input);
  if (errors.length) return { ok: false, errors };
  const e = input as ExperimentConfig & { programs: (string | ExperimentProgram)[] };
  const programs = (e.programs ?? []).map((p) => (typeof p === 'string' ? { path: p } : { ...p }));
  const more: ConfigError[] = [];
  if (programs.filter((p) => p.entry).length > 1) more.push({ path: 'programs', message: 'at most one program may be marked `entry`' });
  const guest = e.guest;
  if (guest) {
    (guest.programs ?? []).forEach((p, i) => {
      const problem = guestNameProblem(guestProgramName(p));
      if (problem) more.push({ path: `guest.programs[${i}]`, message: problem });
    });
    if (e.disk?.image !== undefined) more.push({ path: 'disk.image', message: 'does not apply with `guest` (the run builds the guest\'s disk image)' });
  }
  if (e.mode !== 'denali' && e.denali !== undefined) more.push({ path: 'denali', message: 'only applies to mode "denali"' });
  if (e.load !== undefined) {
    if (e.mode !== 'disco') more.push({ path: 'load', message: e.mode === 'denali' ? 'does not apply to mode "denali" (its load is denali.load)' : 'only applies to mode "disco" (the clients are on Disco\'s virtual network; the bare machine has no network)' });
    else {
      more.push(...validateLoad(e.load, 'load'));
      // a file client or server uses the interface for the file service: its guest refuses processes the network, and the clients would wait forever
      if ((e.vms ?? []).some((v) => v.fileServer !== undefined)) more.push({ path: 'load', message: 'not with the network file service (vms[].fileServer): its VMs use their network interface for the file service, so none of them could answer the clients' });
    }
  }
  if (e.mode === 'denali') {
    if (e.denali === undefined) more.push({ path: 'denali', message: 'is required in mode "denali"' });
    else more.push(...validateDenali(e.denali));
    for (const k of ['vms', 'monitor', 'guest', 'disk'] as const) if (e[k] !== undefined) more.push({ path: k, message: `does not apply to mode "denali" (its VMs are denali.vms, its options denali.options)` });
    if (e.programs !== undefined && programs.length) more.push({ path: 'programs', message: 'does not apply to mode "denali" (each VM group names its program: denali.vms[].program)' });
  } else if (e.mode === 'native') {
    if (guest) {
      if (programs.length) more.push({ path: 'programs', message: 'does not apply with `guest` (the guest OS kernel is built and booted; add your programs to guest.programs)' });
    } else if (e.programs === undefined) more.push({ path: 'programs', message: 'is required in mode "native" (or give `guest` to boot the guest OS)' });
    else if (!programs.length) more.push({ path: 'programs', message: 'must have at least 1 item' });
    if (e.vms !== undefined) more.push({ path: 'vms', message: 'only applies to mode "disco"' });
    if (e.monitor !== undefined) more.push({ path: 'monitor', message: 'only applies to mode "disco"' });
  } else {
    if (e.vms === undefined) more.push({ path: 'vms', message: 'is required in mode "disco"' });
    else {
      const n = e.vms.reduce((s, v) => s + (v.copies ?? 1), 0);
      if (n > MAX_VMS) more.push({ path: 'vms', message: `at most ${MAX_VMS} VMs, got ${n} (counting copies)` });
      const vcpus = e.vms.reduce((s, v) => s + (v.vcpus ?? 1) * (v.copies ?? 1), 0);
      if (vcpus > MAX_TOTAL_VCPUS) more.push({ path: 'vms', message: `at most ${MAX_TOTAL_VCPUS} vCPUs in total (the monitor keeps one HAL page per vCPU in its ${MONITOR_RESERVED_PAGES} reserved pages), got ${vcpus}` });
      const names = expandVms(e.vms).map((v) => v.name);
      const dup = names.find((x, i) => names.indexOf(x) !== i);
      if (dup) more.push({ path: 'vms', message: `VM names must be unique ('${dup}' appears twice)` });
      e.vms.forEach((v, i) => {
        if (v.fileServer !== undefined) {
          if (!guest) more.push({ path: `vms[${i}].fileServer`, message: 'applies with `guest` only (the guest OS has the network file client)' });
          else if (!names.includes(v.fileServer)) more.push({ path: `vms[${i}].fileServer`, message: `names no VM ('${v.fileServer}'; the VMs: ${names.join(', ')})` });
          else if (expandVms(e.vms ?? []).some((x) => x.entry === i && x.name === v.fileServer)) more.push({ path: `vms[${i}].fileServer`, message: 'a VM cannot serve its own files' });
        }
        if (v.kernel === undefined && !guest) more.push({ path: `vms[${i}].kernel`, message: 'is required (or give the experiment `guest` to boot the guest OS kernel of `variant`)' });
        if (guest && v.disk?.image !== undefined) more.push({ path: `vms[${i}].disk.image`, message: 'does not apply with `guest` (every VM boots the guest\'s disk image)' });
        if (v.disk?.persistent === true) {
          const image = v.disk.image ?? e.disk?.image;
          if (guest) more.push({ path: `vms[${i}].disk.persistent`, message: 'does not apply with `guest` (the run builds the guest\'s disk image: there is no file to keep)' });
          else if (image === undefined) more.push({ path: `vms[${i}].disk.persistent`, message: 'needs a disk image file (vms[].disk.image or disk.image) to write back to' });
          else if ((v.copies ?? 1) > 1) more.push({ path: `vms[${i}].disk.persistent`, message: 'a persistent disk belongs to one VM: not with copies' });
          else if (e.vms!.some((w, j) => j !== i && (w.disk?.image ?? e.disk?.image) === image)) more.push({ path: `vms[${i}].disk.persistent`, message: `a persistent disk belongs to one VM: another VM uses ${image} too` });
        }
      });
    }
    if (e.programs !== undefined && programs.length) more.push({ path: 'programs', message: 'does not apply to mode "disco" (each VM names its kernel)' });
    for (const k of Object.keys(e.monitor?.costs ?? {})) if (!(k in DEFAULT_COSTS)) more.push({ path: `monitor.costs.${k}`, message: `unknown cost '${k}' (known: ${Object.keys(DEFAULT_COSTS).join(', ')})` });
  }
  if (more.length) return { ok: false, errors: more };
  const out: ExperimentConfig = { ...e, programs };
  delete (out as { $schema?: string }).$schema;
  return { ok: true, value: out };
}

/** Does the experiment have a persistent disk (its run writes an image file back: not for labs or the debugger)? */
export function hasPersistentDisk(e: ExperimentConfig): boolean {
  return (e.vms ?? []).some((v) => v.disk?.persistent === true);
}

/** A VM after expanding `copies`: index into `vms` it came from, and its final name. */
export interface ExpandedVm extends ExperimentVm { name: string; entry: number }

/** Expands `copies` (names `<name><k>`, default name `vm<i>`). */
export function expandVms(vms: readonly ExperimentVm[]): ExpandedVm[] {
  const out: ExpandedVm[] = [];
  vms.forEach((v, entry) => {
    const copies = v.copies ?? 1;
    for (let k = 0; k < copies; k++) {
      const base = v.name ?? `vm${out.length}`;
      out.push({ ...v, entry, name: copies > 1 ? `${v.name ?? 'vm'}${k}` : base });
    }
  });
  return out;
}

/** Is `machine` a path to a file rather than a preset name? */
export function isMachinePath(machine: string): boolean {
  return machine.includes('/') || machine.includes('\\') || machine.endsWith('.json');
}

/** An experiment with its machine resolved and validated. */
export interface ResolvedExperiment {
  experiment: ExperimentConfig;
  machine: MachineConfig;
  limits: { maxCycles?: number; maxInstructions?: number };
}

/**
 * Resolves an experiment against its machine: `machineRaw` is the parsed machine config (the
 * preset or file `machine` names, read by the caller) or undefined for an inline one. Applies
 * `machineOverrides` and `seed`, validates the result. Machine errors keep machine-config paths
 * (`caches.l1d.sizeKB`); the caller says which file they belong to (`machineErrorsIn`).
 */
export function resolveExperiment(exp: ExperimentConfig, machineRaw?: unknown):
  { ok: true; value: ResolvedExperiment } | { ok: false; errors: ConfigError[]; machineErrorsIn: 'machine' | 'experiment' } {
  const inline = typeof exp.machine !== 'string';
  let raw = inline ? exp.machine : machineRaw;
  if (exp.machineOverrides) raw = mergeConfig(raw, exp.machineOverrides);
  if (exp.seed !== undefined) raw = mergeConfig(raw, { seed: exp.seed });
  const m = validateMachineConfig(raw);
  if (!m.ok) {
    // Inline machines and override mistakes are the experiment file's: prefix the path.
    const overridden = (p: string) => exp.machineOverrides !== undefined && hasPath(exp.machineOverrides, p);
    const inExp = inline || m.errors.every((e) => overridden(e.path));
    return {
      ok: false,
      machineErrorsIn: inExp ? 'experiment' : 'machine',
      errors: inExp ? m.errors.map((e) => ({ path: `${inline && !overridden(e.path) ? 'machine' : 'machineOverrides'}${e.path.startsWith('[') || !e.path ? '' : '.'}${e.path}`, message: e.message })) : m.errors,
    };
  }
  const limits = { ...DEFAULT_LIMITS, ...(exp.limits ?? {}) };
  return { ok: true, value: { experiment: exp, machine: m.value, limits } };
}

function hasPath(o: Record<string, unknown>, path: string): boolean {
  const head = path.split(/[.[]/)[0];
  return head in o;
}
