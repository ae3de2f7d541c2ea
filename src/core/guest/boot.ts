/**
 * A small runner for the guest OS on the platform's Machine (until `disco-lab run` learns guest
 * experiments): load a kernel variant, attach a disk image, reset every CPU at the kernel entry,
 * run to power-off or a limit, and report console output, exit status and time buckets.
 * Pure and deterministic (no host input).
 */
import { Machine, type RunResult, type CpuReport } from '../machine/machine';
import type { MachineConfig } from '../machine/config/types';
import type { LoadImage } from '../machine/elf';

export interface GuestBootOptions {
  config: MachineConfig;
  /** Kernel image as loaded on the bare machine (`KernelBuild.load`). */
  kernel: LoadImage;
  disk: Uint8Array;
  maxCycles?: number;
  maxInstructions?: number;
  consoleInput?: Uint8Array;
}

export interface GuestBootResult {
  result: RunResult;
  console: string;
  cpus: CpuReport[];
  /** Sums over CPUs of the time buckets (cycles). */
  totals: { user: number; kernel: number; monitor: number; idle: number; stall: number; instructions: number };
  /** The machine after the run (devices, memory, CPUs) for further inspection. */
  machine: Machine;
}

export function bootGuest(o: GuestBootOptions): GuestBootResult {
  const machine = new Machine(o.config, { diskImage: o.disk, consoleInput: o.consoleInput });
  const err = machine.load(o.kernel);
  if (err) throw new Error(`kernel does not load: ${err}`);
  machine.start(o.kernel.entry);
  const result = machine.run({ maxCycles: o.maxCycles ?? 2_000_000_000, maxInstructions: o.maxInstructions });
  const cpus = machine.cpuReports();
  const totals = { user: 0, kernel: 0, monitor: 0, idle: 0, stall: 0, instructions: 0 };
  for (const c of cpus) {
    totals.user += c.buckets.user; totals.kernel += c.buckets.kernel; totals.monitor += c.buckets.monitor;
    totals.idle += c.buckets.idle; totals.stall += c.buckets.stall; totals.instructions += c.instructions;
  }
  return { result, console: machine.console.text(), cpus, totals, machine };
}
