// Test helpers for the Disco monitor: assemble the bare-metal test guests
// (test/fixtures/disco/*.s, linked at KERNBASE = 0xC0000000) and run them in VMs on a Machine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble } from '../../../src/core/asm/index';
import type { LoadImage } from '../../../src/core/machine/elf';
import { Machine } from '../../../src/core/machine/machine';
import { mergeConfig, validateMachineConfig } from '../../../src/core/machine/config/validate';
import type { MachineConfig } from '../../../src/core/machine/config/types';
import { createMonitor, type Monitor, type MonitorOptions, type VmSpec } from '../../../src/core/disco/monitor';

export const ROOT = join(__dirname, '..', '..', '..');
export const FIX = join(ROOT, 'test', 'fixtures', 'disco');

export function guest(name: string, defines = ''): LoadImage {
  const text = defines + readFileSync(join(FIX, `${name}.s`), 'utf8');
  const r = assemble([{ path: `${name}.s`, text }], { textBase: 0xc0000000, dataBase: 0xc0080000, elf: false });
  if (!r.ok || !r.image) throw new Error(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
  return r.image;
}

export function machineConfig(cpus: number, overrides: Record<string, unknown> = {}): MachineConfig {
  const preset = JSON.parse(readFileSync(join(ROOT, 'resources', 'machines', 'flash-4x2.json'), 'utf8'));
  const r = validateMachineConfig(mergeConfig(preset, { nodes: cpus, cpusPerNode: 1, memoryPerNodeMB: 16, cpuModel: 'fast', ...overrides }));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

export interface DiscoRun { machine: Machine; monitor: Monitor; result: ReturnType<Machine['run']> }

export function runDisco(vms: Partial<VmSpec>[], cpus = 1, opts: MonitorOptions & { maxCycles?: number; machine?: Record<string, unknown> } = {}): DiscoRun {
  const machine = new Machine(machineConfig(cpus, opts.machine));
  const specs: VmSpec[] = vms.map((v, i) => ({ name: `vm${i}`, vcpus: 1, memoryMB: 2, kernbase: 0xc0000000, image: guest('basic'), ...v }));
  const m = createMonitor(machine, specs, opts);
  if (!m.ok) throw new Error(JSON.stringify(m.errors));
  const result = machine.run({ maxCycles: opts.maxCycles ?? 50_000_000 });
  m.monitor.finish(machine.cpuReports().map((c, i) => c.buckets.idle - machine.cpus[i].buckets.idle));
  return { machine, monitor: m.monitor, result };
}
