/**
 * New-file templates and the experiments the Run dialog writes — pure text and data (no DOM, no
 * API), so tests check that every template assembles with the real assembler and validates
 * against the real experiment schema (test/renderer/templates.test.ts).
 *
 *   - guest user program: a process of the guest OS using the Linux o32 system calls write
 *     (4004) and exit (4001) — it also runs unchanged under `disco-lab run-user` and `qemu-mips`;
 *   - bare-metal program: runs on the machine itself, in kernel mode, with no OS (console and
 *     power-off device registers through kseg1);
 *   - machine: a preset's configuration under a new name;
 *   - experiment, native or Disco.
 *
 * Experiments that run a workspace program on the guest OS use the experiment field
 * `guest: { programs: [...], init: "prog args" }` — in mode "native" the machine boots the guest
 * OS (built at run time) with the programs on its disk and runs `init`; in mode "disco" every VM
 * does, its kernel built from its `variant` (default ksseg). The UI offers these only when the
 * host's experiment schema has `guest` ({@link schemaHasGuest}).
 */

/** What a new file can start from. */
export type TemplateId = 'guest-program' | 'bare-program' | 'machine' | 'experiment-native' | 'experiment-disco' | 'empty';

export interface TemplateInfo {
  id: TemplateId;
  label: string;
  description: string;
  /** The folder it belongs in, and the default file name there. */
  folder: string;
  name: string;
}

export const TEMPLATES: readonly TemplateInfo[] = [
  { id: 'guest-program', label: 'Guest user program', description: 'A process on the guest OS: Linux o32 system calls write (4004) and exit (4001). Runs natively and under Disco (F5).', folder: 'programs', name: 'untitled.s' },
  { id: 'bare-program', label: 'Bare-metal program', description: 'Runs on the machine itself, in kernel mode, without an OS: device registers, every CPU starts at __start.', folder: 'programs', name: 'bare.s' },
  { id: 'machine', label: 'Machine (from a preset)', description: 'A machine configuration to edit: nodes, CPUs, memory, caches, latencies.', folder: 'machines', name: 'my-machine.json' },
  { id: 'experiment-native', label: 'Experiment — native', description: 'Runs a program directly on the machine (no monitor): the baseline.', folder: 'experiments', name: 'my-native.json' },
  { id: 'experiment-disco', label: 'Experiment — Disco', description: 'Runs virtual machines under the Disco monitor.', folder: 'experiments', name: 'my-disco.json' },
  { id: 'empty', label: 'Empty file', description: 'A blank file of any kind.', folder: '', name: 'untitled.txt' },
];

/** The template a new file in `folder` starts from by default. */
export function defaultTemplate(folder: string): TemplateId {
  const top = folder.split('/')[0];
  return top === 'programs' ? 'guest-program' : top === 'machines' ? 'machine' : top === 'experiments' ? 'experiment-native' : 'empty';
}

/** The program's name on the guest: its file's base name without the extension. */
export function programName(path: string): string {
  return path.split('/').pop()!.replace(/\.[^.]*$/, '');
}

export function guestProgramText(name: string): string {
  return `# ${name}.s — a user program for the Disco Lab guest OS.
#
# It runs as a process: in user mode, in its own address space,
# asking the kernel for everything through system calls. They follow
# the Linux o32 convention, so this file also runs unchanged under
# \`disco-lab run-user\` and \`qemu-mips\`:
#   $v0 = call number, arguments in $a0..$a3, then \`syscall\`;
#   the result comes back in $v0.
#     4004 write(fd, buffer, length)      4001 exit(status)
# At entry $sp points at argc, then argv[0..argc-1] (the init
# command line, split at spaces).
#
# F5 runs it: natively on the guest OS, or under Disco in several
# virtual machines at once. docs/guest-syscalls.md has the calls.

        .text
        .globl  __start
        .set    noreorder           # branch delay slots are written out explicitly

__start:
        li      $v0, 4004           # write(1, greeting, greeting_len)
        li      $a0, 1
        la      $a1, greeting
        li      $a2, greeting_len
        syscall

        # Some work to measure: sum 1 .. 100000 (user time).
        li      $t0, 100000
        li      $t1, 0
loop:   addu    $t1, $t1, $t0
        addiu   $t0, $t0, -1
        bnez    $t0, loop
        nop

        li      $v0, 4004           # write(1, done, done_len)
        li      $a0, 1
        la      $a1, done
        li      $a2, done_len
        syscall

        li      $v0, 4001           # exit(0)
        li      $a0, 0
        syscall

        .data
greeting:
        .ascii  "hello from ${name}\\n"
        .set    greeting_len, . - greeting
done:
        .ascii  "${name}: done\\n"
        .set    done_len, . - done
`;
}

export function bareProgramText(name: string): string {
  return `# ${name}.s — a bare-metal program for Disco Lab: no OS, no TLB,
# kernel mode.
#
# Every CPU starts at __start (kseg0, cached) with interrupts off.
# Devices are reached uncached through kseg1 at 0xBF000000
# (docs/physical-address-map.md): console TX 0xBF000000, power EXIT
# 0xBF003000 (the value written is the exit status), sysinfo CPU_ID
# 0xBF004000. CPU 0 prints a line and powers the machine off; the
# other CPUs sleep in \`wait\` (idle time). F5 → Bare metal runs it.

        .text
        .globl  __start
        .set    noreorder

__start:
        lui     $s0, 0xbf00             # device window (kseg1)
        lw      $t0, 0x4000($s0)        # CPU id
        bnez    $t0, sleep
        nop

        la      $a0, message
print:  lbu     $t1, 0($a0)
        beqz    $t1, off
        nop
        sw      $t1, 0($s0)             # console TX
        b       print
        addiu   $a0, $a0, 1             # (delay slot) next character

off:    sw      $zero, 0x3000($s0)      # power off, exit status 0
halt:   b       halt
        nop

sleep:  wait
        b       sleep
        nop

        .data
message:
        .asciiz "hello from ${name} on bare metal\\n"
`;
}

/** A machine file from a preset's configuration. */
export function machineText(preset: { name: string; config: Record<string, unknown> }, name: string): string {
  const { $schema: _, name: _n, description, ...rest } = preset.config;
  return JSON.stringify({
    name,
    description: `Starts from the ${preset.name} preset${typeof description === 'string' ? ` (${description.replace(/\.$/, '')})` : ''}. Edit the fields in the form; the diagram follows.`,
    ...rest,
  }, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------
// Experiments

/** How the Run dialog runs a program. */
export type RunKind = 'bare' | 'guest-native' | 'guest-disco';

export const RUN_KINDS: readonly { kind: RunKind; label: string; suffix: string }[] = [
  { kind: 'bare', label: 'Bare metal', suffix: 'bare' },
  { kind: 'guest-native', label: 'On the guest OS, natively', suffix: 'native' },
  { kind: 'guest-disco', label: 'On the guest OS, under Disco', suffix: 'disco' },
];

/** The machine every Run-dialog experiment uses: FLASH with one CPU per node (N CPUs = N nodes). */
export const RUN_MACHINE = 'flash-8node';
/** Memory per node of {@link RUN_MACHINE} [MiB], and what the monitor keeps for itself. */
const NODE_MB = 32, MONITOR_MB = 2;
/** Default guest memory of a VM [MiB] (the shipped workloads run in 12). */
export const VM_MEMORY_MB = 12;
/** Simulated time a guest run may take before it is stopped [cycles] (2 s at 200 MHz). */
export const GUEST_MAX_CYCLES = 400_000_000;

export interface RunOptions {
  kind: RunKind;
  /** The program, workspace-relative (`programs/mytest.s`). */
  program: string;
  /** Physical CPUs (1–8: nodes of {@link RUN_MACHINE}). */
  cpus: number;
  /** Disco: virtual machines and vCPUs per VM. */
  vms: number;
  vcpus: number;
  /** Arguments after the program's name on the init command line. */
  args: string;
}

/** Path of `target` (workspace-relative) as written in a file of `fromFolder`. */
export function relativeTo(fromFolder: string, target: string): string {
  const depth = fromFolder ? fromFolder.split('/').length : 0;
  return '../'.repeat(depth) + target;
}

/** The experiment file the Run dialog writes: `experiments/<program>-<bare|native|disco>.json`. */
export function runExperimentPath(o: Pick<RunOptions, 'kind' | 'program'>): string {
  return `experiments/${programName(o.program)}-${RUN_KINDS.find((k) => k.kind === o.kind)!.suffix}.json`;
}

/** The init command line: the program's name and the arguments. */
export function initLine(o: Pick<RunOptions, 'program' | 'args'>): string {
  return `${programName(o.program)} ${o.args.trim()}`.trim();
}

/** Guest memory per VM that fits V VMs on N nodes of {@link RUN_MACHINE} [MiB]. */
export function vmMemoryMB(cpus: number, vms: number): number {
  return Math.max(1, Math.min(VM_MEMORY_MB, Math.floor((cpus * NODE_MB - MONITOR_MB) / Math.max(1, vms))));
}

/**
 * The experiment the Run dialog writes for a program (an object to `JSON.stringify`). The three
 * kinds share the machine, so a Disco run finds its native baseline (same workload, same
 * machine) by itself.
 */
export function runExperiment(o: RunOptions): Record<string, unknown> {
  const prog = programName(o.program);
  const rel = relativeTo('experiments', o.program);
  const name = runExperimentPath(o).replace(/^experiments\/|\.json$/g, '');
  const machine = { machine: RUN_MACHINE, ...(o.cpus === 8 ? {} : { machineOverrides: { nodes: o.cpus } }) };
  const cpus = `${o.cpus} CPU${o.cpus === 1 ? '' : 's'}`;
  if (o.kind === 'bare') {
    return {
      name,
      description: `${prog}.s on bare metal (no OS, no monitor), ${cpus} of FLASH. Written by the Run dialog; edit it freely.`,
      ...machine, mode: 'native', programs: [rel],
      limits: { maxCycles: 50_000_000 },
    };
  }
  const guest = { programs: [rel], init: initLine(o) };
  if (o.kind === 'guest-native') {
    return {
      name,
      description: `${prog} as a process of the guest OS, natively on ${cpus} of FLASH (init: "${guest.init}"). The baseline of ${prog}-disco. Written by the Run dialog; edit it freely.`,
      ...machine, mode: 'native', guest,
      limits: { maxCycles: GUEST_MAX_CYCLES },
    };
  }
  const vm = { name: 'vm', vcpus: o.vcpus, memoryMB: vmMemoryMB(o.cpus, o.vms), variant: 'ksseg', ...(o.vms > 1 ? { copies: o.vms } : {}) };
  return {
    name,
    description: `${prog} as a process of the guest OS in ${o.vms} virtual machine${o.vms === 1 ? '' : 's'} × ${o.vcpus} vCPU${o.vcpus === 1 ? '' : 's'} under Disco, on ${cpus} of FLASH (init: "${guest.init}"); compare with ${prog}-native. Written by the Run dialog; edit it freely.`,
    ...machine, mode: 'disco', guest, vms: [vm],
    limits: { maxCycles: GUEST_MAX_CYCLES },
  };
}

/** How the Run dialog proposes to run a program: a guest user program makes system calls; a bare-metal one touches CP0 or the device window. */
export function guessKind(text: string): RunKind {
  const code = text.replace(/#.*$/gm, '');
  if (/\bsyscall\b/.test(code)) return 'guest-disco';
  if (/\b(mtc0|mfc0|eret|wait)\b|0xbf00/i.test(code)) return 'bare';
  return 'guest-disco';
}

/** Whether the host's experiment schema accepts `guest` (guest programs from the workspace). */
export function schemaHasGuest(schema: unknown): boolean {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return Boolean(props && typeof props.guest === 'object');
}

/**
 * The New-file experiment templates. With `guest` support they run a workspace program on the
 * guest OS; without it, native runs a bare-metal program and Disco the guest OS's pmake workload.
 */
export function experimentTemplate(kind: 'native' | 'disco', name: string, o: { guest: boolean; program?: string }): string {
  const program = o.program ?? (o.guest ? 'programs/hello.s' : 'programs/bare-hello.s');
  let e: Record<string, unknown>;
  if (o.guest) {
    e = runExperiment({ kind: kind === 'native' ? 'guest-native' : 'guest-disco', program, cpus: 1, vms: 2, vcpus: 1, args: '' });
  } else if (kind === 'native') {
    e = runExperiment({ kind: 'bare', program, cpus: 1, vms: 1, vcpus: 1, args: '' });
  } else {
    e = {
      name,
      machine: RUN_MACHINE, machineOverrides: { nodes: 1 }, mode: 'disco',
      vms: [{ name: 'vm', vcpus: 1, memoryMB: VM_MEMORY_MB, variant: 'ksseg', copies: 2 }],
      guest: { init: 'pmake 4' },
      limits: { maxCycles: 2_000_000_000 },
    };
  }
  e.name = name;
  e.description = kind === 'native'
    ? `What this experiment shows. Native: ${o.guest ? 'the guest OS runs the program on the bare machine' : 'the program runs on the bare machine'} — the baseline for Disco runs of the same workload on the same machine. Edit in the form, or in Source view (with completion from the schema).`
    : `What this experiment shows. Disco: virtual machines under the monitor, each with its vCPUs and memory; add VMs or change the monitor options in the form. Compare with a native run of the same workload on the same machine.`;
  return JSON.stringify(e, null, 2) + '\n';
}

/** `untitled.s`, `untitled-2.s`, …: the first name not in `taken`. */
export function uniqueName(folder: string, name: string, taken: ReadonlySet<string>): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name, ext = dot > 0 ? name.slice(dot) : '';
  const at = (n: string) => (folder ? `${folder}/${n}` : n);
  if (!taken.has(at(name))) return at(name);
  for (let i = 2; ; i++) if (!taken.has(at(`${stem}-${i}${ext}`))) return at(`${stem}-${i}${ext}`);
}

/** `a.json` → `a-copy.json` (then `-copy-2`, …): the name a Duplicate gets. */
export function duplicateName(path: string, taken: ReadonlySet<string>): string {
  const slash = path.lastIndexOf('/');
  const folder = slash >= 0 ? path.slice(0, slash) : '';
  const name = path.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const copy = dot > 0 ? `${name.slice(0, dot)}-copy${name.slice(dot)}` : `${name}-copy`;
  return uniqueName(folder, copy, taken);
}
