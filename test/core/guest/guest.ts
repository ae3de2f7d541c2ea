// Test helpers for the guest OS: read resources/guest from disk, build kernel variants,
// programs and disk images with src/core/guest, boot them on a machine preset.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildKernel, type KernelVariant, type KernelBuild } from '../../../src/core/guest/kernel';
import { buildProgram } from '../../../src/core/guest/programs';
import { buildDiskImage, type DiskFile } from '../../../src/core/guest/disk';
import { bootGuest, type GuestBootResult } from '../../../src/core/guest/boot';
import { standardDataFiles } from '../../../src/core/guest/data';
import type { SourceFile } from '../../../src/core/asm/types';
import { mergeConfig, validateMachineConfig } from '../../../src/core/machine/config/validate';
import type { MachineConfig } from '../../../src/core/machine/config/types';

export const ROOT = join(__dirname, '..', '..', '..');
export const GUEST = join(ROOT, 'resources', 'guest');

export const include = (name: string): SourceFile | undefined => {
  try { return { path: name, text: readFileSync(join(GUEST, name), 'utf8') }; } catch { return undefined; }
};

const kernels = new Map<string, KernelBuild>();
/** A kernel variant (`selfMap`: ksseg/hal mapping themselves, to run without the monitor). */
export function kernel(v: KernelVariant = 'kseg0', selfMap = false): KernelBuild {
  let k = kernels.get(`${v}:${selfMap}`);
  if (!k) {
    k = buildKernel(v, { kernel: readFileSync(join(GUEST, 'kernel', 'kernel.s'), 'utf8'), include }, { selfMap });
    if (!k.ok) throw new Error(k.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
    kernels.set(`${v}:${selfMap}`, k);
  }
  return k;
}

export const PROGRAMS = readdirSync(join(GUEST, 'programs')).filter((f) => f.endsWith('.s')).map((f) => f.slice(0, -2)).sort();

let progFiles: DiskFile[] | undefined;
export function programFiles(): DiskFile[] {
  if (!progFiles) {
    progFiles = PROGRAMS.map((name) => {
      const path = `programs/${name}.s`;
      const b = buildProgram(name, { path, text: readFileSync(join(GUEST, path), 'utf8') }, include);
      if (!b.ok) throw new Error(b.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
      return { name, bytes: b.exe! };
    });
  }
  return progFiles;
}

export function disk(init: string): Uint8Array {
  return buildDiskImage([...programFiles(), ...standardDataFiles()], init).image;
}

export function machine(cpus: number, overrides: Record<string, unknown> = {}): MachineConfig {
  const preset = JSON.parse(readFileSync(join(ROOT, 'resources', 'machines', 'flash-8node.json'), 'utf8'));
  const r = validateMachineConfig(mergeConfig(preset, { nodes: cpus, cpusPerNode: 1, memoryPerNodeMB: 32 / Math.min(cpus, 2), cpuModel: 'fast', ...overrides }));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

export function boot(init: string, cpus = 1, opts: { variant?: KernelVariant; selfMap?: boolean; maxCycles?: number; overrides?: Record<string, unknown> } = {}): GuestBootResult {
  return bootGuest({ config: machine(cpus, opts.overrides), kernel: kernel(opts.variant, opts.selfMap).load!, disk: disk(init), maxCycles: opts.maxCycles ?? 400_000_000 });
}
