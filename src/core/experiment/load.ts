/**
 * The experiment loader: the one place that turns an experiment file into what a run needs.
 * The CLI (`disco-lab run`), the UI's run manager (for its worker) and the tests all call
 * `loadExperiment`; they differ only in the `FileSource` they hand it:
 *
 *   - src/main/cli/commands/run.ts — plain files, paths relative to the working directory;
 *   - src/main/run/sources.ts      — the confined workspace (workspace-relative paths);
 *   - `createMemorySource` below   — an in-memory map (tests, previews).
 *
 * Steps: read and parse the experiment (JSON), validate it (field-level errors), find its machine
 * (a preset by name, a machine file relative to the experiment, or inline), apply
 * `machineOverrides` and `seed` and validate the machine, then read every file the run needs —
 * programs and guest kernels (`.s` sources with the files they `.include`, or ELF bytes), disk
 * images, and with `guest` the guest OS sources (Disco Lab's resources/guest, through
 * `readGuestSources`) and the user programs `guest.programs` names. Everything a step can find
 * wrong is reported at once, as errors that name the file they are in and the field. Assembling
 * is not done here: it happens when the run prepares the machine (`prepareExperiment`, in the
 * worker for the UI; the guest OS through the build cache of src/core/guest/build.ts), and its
 * diagnostics come back as `programs[i]: file.s:LINE:COL: message`.
 *
 * The result is plain structured-cloneable data (no functions), so it can be posted to a worker.
 */
import type { ConfigError } from '../machine/config/types';
import type { SourceFile } from '../asm/types';
import { applySet } from './set';
import { isMachinePath, resolveExperiment, validateExperiment, type ExperimentConfig, type ResolvedExperiment } from './config';
import { encodeUtf8, type GuestProgramInput, type IncludedFile, type ProgramInput, type RunInputs } from './run';
import { decodeUtf8 } from '../machine/devices/console';
import { guestProgramName } from '../guest/user';
import type { GuestSources } from '../guest/build';

/**
 * Where the loader reads files. Paths are this source's own strings (workspace-relative for the
 * workspace, relative to the working directory or absolute for plain files); the loader only
 * passes back what `resolve` returned, and shows them in messages.
 */
export interface FileSource {
  /**
   * The path of `rel` as written inside the file `from` (relative to `from`'s folder), or
   * `{ error }` when this source refuses it (e.g. `"outside the workspace"`).
   */
  resolve(from: string, rel: string): string | { error: string };
  /**
   * Reads a UTF-8 text file. Rejects with an Error whose message names the file and what is
   * wrong (`"programs/a.s does not exist"`); the loader shows it as is.
   */
  readText(path: string): Promise<string>;
  /** Reads a file's bytes; rejects like `readText`. */
  readBytes(path: string): Promise<Uint8Array>;
  /**
   * A machine preset by name (Disco Lab's resources/machines/NAME.json): its file, shown in
   * messages about it, and its text; undefined when there is no such preset.
   */
  readPreset(name: string): Promise<{ file: string; text: string } | undefined>;
  /**
   * The guest OS sources (Disco Lab's resources/guest): every `.s` file by its path relative to
   * that folder (`kernel/kernel.s`, `lib/runtime.s`, `programs/pmake.s`, …), and the folder as
   * messages show it. Undefined when this host has none.
   */
  readGuestSources(): Promise<{ dir: string; files: GuestSources } | undefined>;
}

/** A problem found while loading: `path` is a field of `file` ('' = the whole file). */
export interface LoadError extends ConfigError {
  /** The file the problem is in: the experiment, or the machine file/preset it names. */
  file: string;
}

export interface LoadedExperiment {
  /** The validated experiment with its machine resolved and its limits applied. */
  resolved: ResolvedExperiment;
  /** The programs (native) or VM kernels (disco) and disk images, one per entry. */
  inputs: RunInputs;
}

export type LoadResult = { ok: true; value: LoadedExperiment } | { ok: false; errors: LoadError[] };

/** Files `.include`d by one source, at most (a guard against include loops and runaway trees). */
export const MAX_INCLUDES = 64;

const errorText = (e: unknown): string => (e && typeof e === 'object' && 'message' in e ? String((e as { message: unknown }).message) : String(e));

/**
 * Loads the experiment at `expPath` from `src`. Resolves with field-level errors for anything
 * wrong inside the experiment or the files it names; rejects only when the experiment file
 * itself cannot be read (with the source's error, so a host can keep its error code).
 */
export async function loadExperiment(src: FileSource, expPath: string, opts: { set?: Readonly<Record<string, unknown>> } = {}): Promise<LoadResult> {
  const text = await src.readText(expPath);
  const errors: LoadError[] = [];
  const at = (file: string) => (e: ConfigError): LoadError => ({ file, path: e.path, message: e.message });

  const raw = parseJson(text);
  if (!raw.ok) return { ok: false, errors: [{ file: expPath, path: '', message: raw.message }] };
  // values written into the experiment before it is validated (a lab's sweep: experiment/set.ts)
  const patched = opts.set ? applySet(raw.value, opts.set) : { ok: true as const, value: raw.value };
  if (!patched.ok) return { ok: false, errors: [{ file: expPath, path: '', message: patched.message }] };
  const v = validateExperiment(patched.value);
  if (!v.ok) return { ok: false, errors: v.errors.map(at(expPath)) };
  const exp = v.value;

  // The machine: inline, a preset, or a file relative to the experiment.
  let resolved: ResolvedExperiment | undefined;
  const machine = await readMachine(src, expPath, exp);
  if ('errors' in machine) errors.push(...machine.errors);
  else {
    const r = resolveExperiment(exp, machine.raw);
    if (r.ok) resolved = r.value;
    else errors.push(...r.errors.map(at(r.machineErrorsIn === 'machine' ? machine.file : expPath)));
  }

  // Files named relative to the experiment: programs, kernels, disk images.
  const fileError = (path: string, message: string) => errors.push({ file: expPath, path, message });
  const where = (rel: string, path: string): string | undefined => {
    const p = src.resolve(expPath, rel);
    if (typeof p === 'string') return p;
    fileError(path, `${rel}: ${p.error}`);
    return undefined;
  };
  const program = async (rel: string, path: string): Promise<ProgramInput | undefined> => {
    const p = where(rel, path);
    if (p === undefined) return undefined;
    try {
      if (!/\.s$/i.test(p)) return { elf: await src.readBytes(p) };
      const source: SourceFile = { path: p, text: await src.readText(p) };
      return { source, includes: await readIncludes(src, source) };
    } catch (e) {
      fileError(path, errorText(e));
      return undefined;
    }
  };
  const bytes = async (rel: string, path: string): Promise<Uint8Array | undefined> => {
    const p = where(rel, path);
    if (p === undefined) return undefined;
    try { return await src.readBytes(p); } catch (e) { fileError(path, errorText(e)); return undefined; }
  };

  const inputs: RunInputs = { programs: [] };
  if (exp.guest) {
    let sources: { dir: string; files: GuestSources } | undefined;
    try { sources = await src.readGuestSources(); } catch (e) { fileError('guest', `cannot read the guest OS sources: ${errorText(e)}`); }
    if (!sources && !errors.some((e) => e.path === 'guest')) fileError('guest', 'this host has no guest OS sources (Disco Lab\'s resources/guest)');
    const programs: GuestProgramInput[] = [];
    for (const [i, rel] of (exp.guest.programs ?? []).entries()) {
      const prog = await program(rel, `guest.programs[${i}]`);
      if (prog && !('image' in prog)) programs.push({ name: guestProgramName(rel), path: src.resolve(expPath, rel) as string, program: prog });
    }
    if (sources) inputs.guest = { dir: sources.dir, sources: sources.files, programs };
  }
  if (exp.mode === 'denali') {
    // each group's program (in `vms`, one entry per group); a group without one runs the
    // built-in Ilwaco guest from the guest OS sources (resources/guest/denali)
    inputs.vms = [];
    const groups = exp.denali?.vms ?? [];
    for (const [i, g] of groups.entries()) {
      const prog = g.program === undefined ? undefined : await program(g.program, `denali.vms[${i}].program`);
      inputs.vms.push(prog ? { kernel: prog } : {});
    }
    if (groups.some((g) => g.program === undefined)) {
      let sources: { dir: string; files: GuestSources } | undefined;
      try { sources = await src.readGuestSources(); } catch (e) { fileError('denali', `cannot read the built-in guest (resources/guest/denali): ${errorText(e)}`); }
      if (sources) inputs.guest = { dir: sources.dir, sources: sources.files, programs: [] };
      else if (!errors.some((e) => e.path === 'denali')) fileError('denali', 'this host has no built-in Denali guest (Disco Lab\'s resources/guest/denali): give each denali.vms entry a program');
    }
  } else if (exp.mode === 'disco') {
    inputs.vms = [];
    // one image file read once: VM entries naming the same image boot from the same bytes, which
    // the monitor shares between them (docs/disco.md "Memory sharing")
    const images = new Map<string, Uint8Array | undefined>();
    for (const [i, vm] of (exp.vms ?? []).entries()) {
      // with `guest`, a VM without a kernel boots the built one (prepareDisco)
      const kernel = vm.kernel === undefined ? undefined : await program(vm.kernel, `vms[${i}].kernel`);
      const image = vm.disk?.image ?? exp.disk?.image;
      if (image !== undefined && !images.has(image)) images.set(image, await bytes(image, vm.disk?.image ? `vms[${i}].disk.image` : 'disk.image'));
      const diskImage = image === undefined ? undefined : images.get(image);
      inputs.vms.push(kernel ? { kernel, diskImage } : { diskImage });
    }
  } else {
    for (const [i, p] of exp.programs.entries()) {
      const prog = await program(p.path, `programs[${i}]`);
      if (prog) inputs.programs.push(prog);
    }
    if (exp.disk?.image !== undefined) inputs.diskImage = await bytes(exp.disk.image, 'disk.image');
  }
  if (errors.length || !resolved) return { ok: false, errors };
  return { ok: true, value: { resolved, inputs } };
}

/** The parsed machine config an experiment names (undefined for an inline one) and its file. */
async function readMachine(src: FileSource, expPath: string, exp: ExperimentConfig): Promise<{ raw: unknown; file: string } | { errors: LoadError[] }> {
  const fail = (message: string, file = expPath, path = 'machine') => ({ errors: [{ file, path, message }] });
  if (typeof exp.machine !== 'string') return { raw: undefined, file: expPath };
  let file: string, text: string;
  if (isMachinePath(exp.machine)) {
    const p = src.resolve(expPath, exp.machine);
    if (typeof p !== 'string') return fail(`${exp.machine}: ${p.error}`);
    try { text = await src.readText(p); } catch (e) { return fail(errorText(e)); }
    file = p;
  } else {
    const preset = await src.readPreset(exp.machine);
    if (!preset) return fail(`no machine preset '${exp.machine}' in resources/machines`);
    ({ file, text } = preset);
  }
  const m = parseJson(text);
  return m.ok ? { raw: m.value, file } : fail(m.message, file, '');
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: `invalid JSON: ${errorText(e)}` };
  }
}

// [^\S\n]: whitespace within the line (`\s*` at a line start would scan on across every
// following blank line: quadratic in a file of empty lines)
const INCLUDE_RE = /^[^\S\n]*\.include[^\S\n]+"([^"\n]+)"/gm;

/**
 * Reads every file `root` `.include`s, transitively (at most MAX_INCLUDES files), resolving
 * each name relative to the including file as gas does. Names that cannot be read are left
 * out: the assembler then reports its own located "cannot find include file" diagnostic.
 */
export async function readIncludes(src: FileSource, root: SourceFile): Promise<IncludedFile[]> {
  const files = new Map<string, SourceFile>([[root.path, root]]);
  const out: IncludedFile[] = [];
  const queue: SourceFile[] = [root];
  while (queue.length) {
    const f = queue.shift()!;
    for (const m of f.text.matchAll(INCLUDE_RE)) {
      const p = src.resolve(f.path, m[1]);
      if (typeof p !== 'string') continue;
      let file = files.get(p);
      if (!file) {
        if (files.size > MAX_INCLUDES) continue;
        try { file = { path: p, text: await src.readText(p) }; } catch { continue; }
        files.set(p, file);
        queue.push(file);
      }
      out.push({ from: f.path, name: m[1], file });
    }
  }
  return out;
}

/**
 * A `/`-separated relative path join: `rel` (as written in the file `fromFile`) relative to
 * `fromFile`'s folder, normalised. Undefined for an absolute path (any OS form), a backslash,
 * or a path that climbs above the root. The workspace's and the memory source's `resolve`.
 */
export function joinRelative(fromFile: string, rel: string): string | undefined {
  if (rel.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(rel) || rel.includes('\\')) return undefined;
  const out = fromFile.split('/').slice(0, -1);
  for (const part of rel.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!out.length) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.length ? out.join('/') : undefined;
}

/**
 * A FileSource over an in-memory map of `/`-separated relative paths (text or bytes), preset
 * texts by name and (optionally) the guest OS sources; paths that climb above the root are
 * refused like a workspace does.
 */
export function createMemorySource(files: Readonly<Record<string, string | Uint8Array>>, presets: Readonly<Record<string, string>> = {}, guest?: GuestSources): FileSource {
  const get = (p: string) => {
    if (!Object.prototype.hasOwnProperty.call(files, p)) return Promise.reject(new Error(`${p} does not exist`));
    return Promise.resolve(files[p]);
  };
  return {
    resolve: (from, rel) => joinRelative(from, rel) ?? { error: 'outside the workspace' },
    readText: async (p) => { const f = await get(p); return typeof f === 'string' ? f : decodeUtf8(f); },
    readBytes: async (p) => { const f = await get(p); return typeof f === 'string' ? encodeUtf8(f) : f.slice(); },
    readPreset: async (name) => (Object.prototype.hasOwnProperty.call(presets, name) ? { file: `resources/machines/${name}.json`, text: presets[name] } : undefined),
    readGuestSources: async () => (guest ? { dir: 'resources/guest', files: guest } : undefined),
  };
}

/**
 * Errors as the experiment's own fields, for hosts that show one list under the experiment
 * (the UI): an error in another file (the machine file) becomes `machine: FILE: PATH: message`.
 */
export function errorsInExperiment(expPath: string, errors: readonly LoadError[]): ConfigError[] {
  return errors.map((e) => (e.file === expPath ? { path: e.path, message: e.message } : { path: 'machine', message: `${e.file}: ${e.path || '(document)'}: ${e.message}` }));
}

/** `file: path: message` lines, one per error (the CLI's format). */
export function formatLoadErrors(errors: readonly LoadError[]): string {
  return errors.map((e) => `${e.file}: ${e.path || '(document)'}: ${e.message}`).join('\n');
}
