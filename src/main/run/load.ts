/**
 * Turns an experiment file of the workspace into everything a run worker needs, as plain
 * structured-cloneable data: the resolved experiment (machine validated, limits applied) and the
 * program inputs (assembly sources with their `.include`s, or ELF bytes).
 *
 * All file access goes through the confined workspace: programs, disk images and machine files
 * named relative to the experiment must stay inside it. Machine presets (a bare name such as
 * `flash-4x2`) come from Disco Lab's own resources/machines.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMachinePath, resolveExperiment, validateExperiment, type ResolvedExperiment } from '../../core/experiment/config';
import type { ConfigError } from '../../core/machine/config/types';
import type { SourceFile } from '../../core/asm/types';
import { fail } from '../../shared/api';
import { confine } from '../workspace/confine';
import type { Workspace } from '../workspace/workspace';
import { joinWorkspacePath, readIncludes } from './sources';
import { resourcesDir } from '../resources';

/** A program as sent to the worker: source text (+ included files) or ELF bytes. */
export type WorkerProgram = { source: SourceFile; /** every file it `.include`s (transitively) */ includes: SourceFile[] } | { elf: Uint8Array };

export interface LoadedExperiment {
  resolved: ResolvedExperiment;
  programs: WorkerProgram[];
  diskImage?: Uint8Array;
  /** Disco mode: one per `experiment.vms` entry — the guest kernel and the VM's disk image. */
  vms?: { kernel: WorkerProgram; diskImage?: Uint8Array }[];
}

export type LoadResult = { ok: true; value: LoadedExperiment } | { ok: false; errors: ConfigError[] };

function parseJson(text: string, what: string): { ok: true; value: unknown } | { ok: false; errors: ConfigError[] } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, errors: [{ path: '', message: `${what}: invalid JSON: ${(e as Error).message}` }] };
  }
}

const msg = (e: unknown) => (e && typeof e === 'object' && 'message' in e ? String((e as { message: unknown }).message) : String(e));

/** Reads a workspace file as bytes (confined like every workspace access). */
async function readBytes(ws: Workspace, rel: string): Promise<Uint8Array> {
  const r = await confine(ws.root, rel);
  if (!r.exists) throw fail('E_NOT_FOUND', `${rel}: no such file`);
  return new Uint8Array(await readFile(r.target));
}

export async function loadExperiment(ws: Workspace, expPath: string, resources = resourcesDir()): Promise<LoadResult> {
  const text = (await ws.read(expPath)).content; // E_NOT_FOUND etc. propagate as API errors
  const raw = parseJson(text, expPath);
  if (!raw.ok) return raw;
  const v = validateExperiment(raw.value);
  if (!v.ok) return v;
  const exp = v.value;
  const rel = (p: string, path: string): string | ConfigError => joinWorkspacePath(expPath, p) ?? { path, message: `${p}: outside the workspace` };

  let machineRaw: unknown;
  if (typeof exp.machine === 'string') {
    if (isMachinePath(exp.machine)) {
      const p = rel(exp.machine, 'machine');
      if (typeof p !== 'string') return { ok: false, errors: [p] };
      try {
        const m = parseJson((await ws.read(p)).content, p);
        if (!m.ok) return { ok: false, errors: m.errors.map((e) => ({ path: 'machine', message: e.message })) };
        machineRaw = m.value;
      } catch (e) {
        return { ok: false, errors: [{ path: 'machine', message: `${p}: ${msg(e)}` }] };
      }
    } else {
      const file = resources ? join(resources, 'machines', `${exp.machine}.json`) : '';
      if (!/^[\w.-]+$/.test(exp.machine) || !file || !existsSync(file)) return { ok: false, errors: [{ path: 'machine', message: `no machine preset '${exp.machine}'` }] };
      const m = parseJson(await readFile(file, 'utf8'), exp.machine);
      if (!m.ok) return m;
      machineRaw = m.value;
    }
  }
  const r = resolveExperiment(exp, machineRaw);
  if (!r.ok) return { ok: false, errors: r.machineErrorsIn === 'machine' ? r.errors.map((e) => ({ path: `machine.${e.path}`, message: e.message })) : r.errors };

  const programs: WorkerProgram[] = [];
  const errors: ConfigError[] = [];
  const readProgram = async (path: string): Promise<WorkerProgram> => {
    if (/\.s$/i.test(path)) {
      const source = { path, text: (await ws.read(path)).content };
      return { source, includes: await readIncludes(ws, source) };
    }
    return { elf: await readBytes(ws, path) };
  };
  const vms: { kernel: WorkerProgram; diskImage?: Uint8Array }[] = [];
  if (exp.mode === 'disco') {
    for (const [i, vm] of (exp.vms ?? []).entries()) {
      const kpath = rel(vm.kernel, `vms[${i}].kernel`);
      if (typeof kpath !== 'string') { errors.push(kpath); continue; }
      let kernel: WorkerProgram | undefined;
      try { kernel = await readProgram(kpath); } catch (e) { errors.push({ path: `vms[${i}].kernel`, message: `${vm.kernel}: ${msg(e)}` }); }
      let disk: Uint8Array | undefined;
      const img = vm.disk?.image ?? exp.disk?.image;
      const where = vm.disk?.image ? `vms[${i}].disk.image` : 'disk.image';
      if (img) {
        const dpath = rel(img, where);
        if (typeof dpath !== 'string') errors.push(dpath);
        else try { disk = await readBytes(ws, dpath); } catch (e) { errors.push({ path: where, message: `${img}: ${msg(e)}` }); }
      }
      if (kernel) vms.push({ kernel, diskImage: disk });
    }
  }
  for (const [i, p] of (exp.mode === 'disco' ? [] : exp.programs).entries()) {
    const path = rel(p.path, `programs[${i}]`);
    if (typeof path !== 'string') { errors.push(path); continue; }
    try {
      programs.push(await readProgram(path));
    } catch (e) {
      errors.push({ path: `programs[${i}]`, message: `${p.path}: ${msg(e)}` });
    }
  }
  let diskImage: Uint8Array | undefined;
  if (exp.disk?.image && exp.mode !== 'disco') {
    const path = rel(exp.disk.image, 'disk.image');
    if (typeof path !== 'string') errors.push(path);
    else {
      try { diskImage = await readBytes(ws, path); } catch (e) { errors.push({ path: 'disk.image', message: `${exp.disk.image}: ${msg(e)}` }); }
    }
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { resolved: r.value, programs, diskImage, vms: exp.mode === 'disco' ? vms : undefined } };
}
