/**
 * The conformance programs (test/fixtures/conformance/*.s) on every platform they run on:
 *
 *   native   Disco Lab's machine, bare metal (fast model: interpreter, default JIT, every block
 *            compiled; timing model)
 *   disco    the same ELF as the guest kernel of a Disco VM, L2 TLB on or off: the kseg0 build
 *            (KERNBASE 0x80000000, code run through the monitor's alias) and, where it applies,
 *            the ksseg build (KERNBASE 0xC0000000, what IRIX was relinked to for Disco)
 *   malta    QEMU's MIPS Malta board (`qemu-system-mips -M malta -cpu 34Kf`: MIPS32, 64-entry
 *            TLB, supervisor mode), the real-hardware reference for the checks themselves
 *
 * Each program is the platform include + prelude.inc + the program, assembled and linked with GNU
 * binutils. A run's observable result is its console output ("… PASS" / "FAIL n") and exit status.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Machine } from '../../../src/core/machine/machine';
import { parseElf } from '../../../src/core/machine/elf';
import { createMonitor } from '../../../src/core/disco/monitor';
import type { CpuModelId } from '../../../src/core/machine/cpu/core';
import { gnuBuild } from '../machine/cpu/tools';
import { preset } from '../machine/helpers/bare';

export const CONF = join(__dirname, '../../fixtures/conformance');
export type Platform = 'disco-lab' | 'malta';
/** Where the program is linked: kseg0 (0x80000000) or ksseg (0xC0000000, it maps itself with wired entry 0). */
export type Link = 'kseg0' | 'ksseg';

export const PROGRAMS: readonly string[] = readdirSync(CONF).filter((f) => f.endsWith('.s')).sort();

/** Programs whose checks depend on time (Count/Compare against instruction counts): not run on QEMU, whose Count follows host time. */
export const TIME_DEPENDENT: ReadonlySet<string> = new Set(['interrupts.s']);
/**
 * Programs the ksseg build applies to: not those that rewrite Wired or TLB entries 0–1, flush the
 * whole TLB, or map ksseg themselves (the ksseg build's own wired mapping lives there).
 */
export const KSSEG_EXCLUDED: ReadonlySet<string> = new Set(['wired.s', 'wired_switch.s', 'flush_asid_reuse.s', 'supervisor.s']);
/** Programs that need a second CPU (Malta has one). */
export const NEEDS_SMP: ReadonlySet<string> = new Set(['llsc_migration.s']);
/** CPUs of a native run: CPU 0 runs the program, the others its `helper` (prelude.inc). */
export const NATIVE_CPUS = 3;

export function source(file: string, platform: Platform, link: Link = 'kseg0'): string {
  const prog = readFileSync(join(CONF, file), 'utf8');
  const defines = (/^helper:/m.test(prog) ? '    .set HELPER_DEFINED, 1\n' : '') + (link === 'ksseg' ? '    .set KSSEG_LINK, 1\n' : '');
  return readFileSync(join(CONF, 'platform', `${platform}.inc`), 'utf8') + defines + readFileSync(join(CONF, 'prelude.inc'), 'utf8') + prog;
}

export function build(file: string, platform: Platform, link: Link = 'kseg0'): string {
  return gnuBuild(source(file, platform, link), { bare: true, kernbase: link === 'ksseg' ? 0xc0000000 : 0x80000000, name: `${file.replace('.s', '')}-${platform}-${link}` });
}

export interface Outcome { output: string; exitCode: number | null; reason: string; cycles: number }

function machine(model: CpuModelId, cpus = 1) {
  return new Machine(preset('uma-smp4', { nodes: 1, cpusPerNode: cpus, memoryPerNodeMB: 16, cpuModel: model, quantumCycles: 1000 }));
}

/** Bare metal on Disco Lab's machine. `jit`: 'off' = interpreter only, 'eager' = every block compiled on first visit. */
export function runNative(elf: string, model: CpuModelId, jit: 'default' | 'off' | 'eager' = 'default', maxCycles = 50_000_000): Outcome & { machine: Machine } {
  const e = parseElf(new Uint8Array(readFileSync(elf)));
  if (!e.ok) throw new Error(e.message);
  const m = machine(model, NATIVE_CPUS);
  if (jit === 'off') for (const c of m.cpus) c.jit = false;
  if (jit === 'eager') for (const c of m.cpus) c.jitThreshold = 1;
  const err = m.load(e.image);
  if (err) throw new Error(err);
  m.start((e.image.entry & 0x1fffffff) | 0x80000000);   // a ksseg build starts at its kseg0 alias and maps itself
  const r = m.run({ maxCycles });
  return { output: m.console.text(), exitCode: r.exitCode, reason: r.reason, cycles: r.cycles, machine: m };
}

/** How a Disco VM runs the program: physical CPUs, vCPUs (vCPU 0 runs it, the others spin), time slice [cycles]. */
export interface GuestShape { cpus: number; vcpus: number; sliceCycles: number }
export const GUEST_SHAPES: readonly GuestShape[] = [
  { cpus: 1, vcpus: 2, sliceCycles: 20_000 },   // two vCPUs time-share one CPU: switches
  { cpus: 2, vcpus: 3, sliceCycles: 5_000 },    // three on two: switches and migrations
];

/** As the guest kernel of one Disco VM (KERNBASE from the entry point, as `disco-lab run` does). */
export function runGuest(elf: string, model: CpuModelId, l2tlbEntries: number, shape: GuestShape, maxCycles = 400_000_000): Outcome & { stopReason: string | null; machine: Machine } {
  const e = parseElf(new Uint8Array(readFileSync(elf)));
  if (!e.ok) throw new Error(e.message);
  const m = machine(model, shape.cpus);
  const kernbase = (e.image.entry >>> 0) >= 0xc0000000 ? 0xc0000000 : 0x80000000;
  const mon = createMonitor(m, [{ name: 'vm0', vcpus: shape.vcpus, memoryMB: 4, image: e.image, kernbase }], { l2tlbEntries, sliceCycles: shape.sliceCycles });
  if (!mon.ok) throw new Error(JSON.stringify(mon.errors));
  const r = m.run({ maxCycles });
  const vm = mon.monitor.vms[0];
  return { output: vm.consoleText(), exitCode: vm.exitCode, reason: r.reason, cycles: r.cycles, stopReason: vm.stopReason, machine: m };
}

/** On QEMU's Malta board (34Kf). Output is the UART's; QEMU exits on the board's software reset. */
export function runMalta(elf: string): Outcome {
  const r = spawnSync('qemu-system-mips', ['-M', 'malta', '-cpu', '34Kf', '-m', '64', '-kernel', elf, '-nographic', '-serial', 'stdio',
    '-monitor', 'none', '-display', 'none', '-no-reboot', '-nodefaults'], { encoding: 'latin1', timeout: 60_000 });
  return { output: (r.stdout ?? '').replace(/\r/g, ''), exitCode: r.status, reason: r.signal ? `killed (${r.signal})` : 'exit', cycles: 0 };
}
