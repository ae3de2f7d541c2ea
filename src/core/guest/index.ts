/**
 * The guest OS builders (platform-free; the caller reads the files):
 *
 *   buildKernel(variant, {kernel, include}) → kernel image / bare-machine load image / ELF
 *   buildProgram(name, source, include)     → DXE1 executable for the disk image
 *   buildUserProgram / elfToDxe             → a workspace program (.s or ELF) as a DXE1 file
 *   buildDiskImage(files, initCmdline)      → DSFS image
 *   guestKernel / guestDisk                 → the cached builds runs use (./build.ts)
 *   buildGuest(sources, opts)               → a kernel and a disk image, uncached (tests)
 *   bootGuest(...)                          → a run on the platform's Machine
 *
 * See docs/guest-os.md (design, formats) and docs/guest-syscalls.md (system calls).
 */
import type { Diagnostic, SourceFile } from '../asm/types';
import { buildKernel, type KernelBuild, type KernelVariant } from './kernel';
import { buildProgram, type ProgramBuild } from './programs';
import { buildDiskImage, type DiskLayoutEntry } from './disk';
import { standardDataFiles } from './data';
import { DEFAULT_INIT, type GuestSources } from './build';

export * from './kernel';
export * from './programs';
export * from './disk';
export * from './data';
export * from './boot';
export * from './build';
export * from './user';
export * from './hash';
export { encodeBuildValue, decodeBuildValue } from './store';

export interface GuestBuild {
  ok: boolean;
  /** Every error, as `file:line:col: message`. */
  errors: string[];
  kernel?: KernelBuild;
  programs: ProgramBuild[];
  disk?: Uint8Array;
  layout?: DiskLayoutEntry[];
}

const fmt = (d: Diagnostic) => `${d.file}:${d.line}:${d.col}: ${d.message}`;

/**
 * Builds a kernel variant and the disk image holding every program of `programs/` (by file
 * name without `.s`) plus the standard data files.
 */
export function buildGuest(sources: GuestSources, opts: { variant?: KernelVariant; init?: string } = {}): GuestBuild {
  const include = (name: string): SourceFile | undefined => (sources[name] !== undefined ? { path: name, text: sources[name] } : undefined);
  const errors: string[] = [];
  const kernel = buildKernel(opts.variant ?? 'kseg0', { kernel: sources['kernel/kernel.s'] ?? '', include });
  if (!kernel.ok) errors.push(...kernel.diagnostics.filter((d) => d.severity === 'error').map(fmt));
  const names = Object.keys(sources).filter((p) => /^programs\/[^/]+\.s$/.test(p)).sort();
  const programs = names.map((path) => buildProgram(path.slice('programs/'.length, -2), { path, text: sources[path] }, include));
  for (const p of programs) if (!p.ok) errors.push(...p.diagnostics.filter((d) => d.severity === 'error').map(fmt));
  if (errors.length) return { ok: false, errors, kernel, programs };
  const { image, layout } = buildDiskImage([...programs.map((p) => ({ name: p.name, bytes: p.exe! })), ...standardDataFiles()], opts.init ?? DEFAULT_INIT);
  return { ok: true, errors, kernel, programs, disk: image, layout };
}
export * from './console';
