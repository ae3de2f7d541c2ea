/**
 * The guest OS built at run time: kernels and disk images from resources/guest's sources (as
 * data, read by the host: `FileSource.readGuestSources`) plus an experiment's user programs,
 * deterministic and cached by content hash, so a run — in the CLI or a run worker — assembles
 * only what changed:
 *
 *   guestKernel(sources, variant)                  → KernelBuild of kseg0 / ksseg / hal
 *   guestDisk({ sources, programs, init })          → the DSFS image: the guest's programs, the
 *                                                     data files, the user's programs, the init
 *                                                     command line in the superblock
 *
 * Keys are SHA-256 digests of the inputs: the whole set of guest sources (path and text of
 * every file, in path order) and, for a disk, each user program's name, path and contents
 * (source and `.include`d files, or ELF bytes) and the command line. The caches are small LRUs
 * in this module (one per thread: the CLI process, each run worker); `guestCacheStats()` counts
 * hits and misses. Cached results are shared: callers must not modify them (the machine and the
 * monitor copy disk images and load images, so runs never do).
 *
 * Behind the LRUs, a host may inject a persistent store (`setGuestBuildStore`, ./store.ts: the
 * CLI and the run workers use a folder of files, src/main/guest-cache.ts): a kernel, the guest's
 * programs, a user program or a disk image the LRU lacks is read from it before being built, and
 * a successful build is written to it. Failed builds are never stored.
 */
import { keyHash } from './hash';
import { buildKernel, type KernelBuild, type KernelVariant } from './kernel';
import { buildProgram } from './programs';
import { buildDiskImage, FS_MAX_FILES, type DiskFile, type DiskLayoutEntry } from './disk';
import { standardDataFiles } from './data';
import { buildUserProgram, type UserProgramInput } from './user';
import type { SourceFile } from '../asm/types';
import { decodeBuildValue, encodeBuildValue, type GuestBuildStore } from './store';

export type { GuestBuildStore } from './store';

/** resources/guest as data: paths relative to it (`kernel/kernel.s`, `lib/runtime.s`, `programs/x.s`). */
export type GuestSources = Readonly<Record<string, string>>;

/** The default init command line baked into the disk image (the console can override it). */
export const DEFAULT_INIT = 'tests';

/**
 * The program an init command line runs: its first word after the kernel's own options (words
 * starting with `+`, e.g. `+stats`: docs/guest-os.md "Kernel time per service").
 */
export function initProgram(init: string): string {
  return init.split(' ').filter((w) => w !== '').find((w) => !w.startsWith('+')) ?? '';
}

/** A least-recently-used map with at most `max` entries. */
export class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) { this.map.delete(key); this.map.set(key, v); }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  get size(): number { return this.map.size; }
  clear(): void { this.map.clear(); }
}

type Built<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const kernels = new Lru<Built<KernelBuild>>(6);
const standard = new Lru<Built<DiskFile[]>>(2);
const users = new Lru<Built<Uint8Array>>(32);
const disks = new Lru<GuestDiskResult>(4);
const stats = { hits: 0, misses: 0, loaded: 0 };
const sourceKeys = new WeakMap<object, string>();
let store: GuestBuildStore | undefined;

/**
 * How a result goes to and comes back from the persistent store: `save` gives the plain data to
 * encode (or undefined: not stored), `load` checks and rebuilds the result from decoded data
 * (undefined: unusable, build it instead).
 */
interface Persist<T> { save(v: T): unknown; load(data: unknown): T | undefined }

function cached<T>(lru: Lru<T>, key: string, build: () => T, persist?: Persist<T>): T {
  const hit = lru.get(key);
  if (hit !== undefined) { stats.hits++; return hit; }
  if (store && persist) {
    let bytes: Uint8Array | undefined;
    try { bytes = store.get(key); } catch { bytes = undefined; }
    const v = bytes && persist.load(decodeBuildValue(bytes));
    if (v !== undefined) { stats.loaded++; lru.set(key, v); return v; }
  }
  stats.misses++;
  const v = build();
  lru.set(key, v);
  if (store && persist) {
    try {
      const data = persist.save(v);
      if (data !== undefined) store.put(key, encodeBuildValue(data));
    } catch { /* a store that fails is a store that misses */ }
  }
  return v;
}

/**
 * Installs (or, with undefined, removes) the host's persistent store of build outputs. Set once
 * per thread before the first run; results already in the in-process caches stay there.
 */
export function setGuestBuildStore(s: GuestBuildStore | undefined): void { store = s; }

/**
 * Since the start (or `clearGuestCache`): `hits` answered by the in-process caches, `loaded` by
 * the persistent store, `misses` built.
 */
export function guestCacheStats(): { hits: number; misses: number; loaded: number } { return { ...stats }; }

/** Empties the in-process caches and zeroes the counts (tests, measurements); the store is kept. */
export function clearGuestCache(): void {
  for (const c of [kernels, standard, users, disks]) c.clear();
  stats.hits = stats.misses = stats.loaded = 0;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;

/** A kernel build as data: the result without its duplicate `result` (rebuilt on load; its listing was empty). */
const persistKernel: Persist<Built<KernelBuild>> = {
  save: (b) => (b.ok ? { variant: b.value.variant, diagnostics: b.value.diagnostics, image: b.value.image, load: b.value.load, elf: b.value.elf } : undefined),
  load: (d) => {
    if (!isObj(d) || typeof d.variant !== 'string' || !Array.isArray(d.diagnostics) || !isObj(d.image) || !isObj(d.load)) return undefined;
    const image = d.image as unknown as KernelBuild['image'] & object;
    const load = d.load as unknown as KernelBuild['load'] & object;
    if (!Array.isArray(image.segments) || !Array.isArray(image.symbols) || !Array.isArray(image.sourceMap) || !Array.isArray(load.segments)) return undefined;
    if (!image.segments.every((s) => isBytes(s.bytes)) || !load.segments.every((s) => isBytes(s.bytes))) return undefined;
    const elf = isBytes(d.elf) ? d.elf : undefined;
    const diagnostics = d.diagnostics as KernelBuild['diagnostics'];
    return { ok: true, value: { ok: true, variant: d.variant as KernelVariant, diagnostics, image, load, ...(elf && { elf }), result: { ok: true, diagnostics, image, ...(elf && { elf }), listing: [] } } };
  },
};

const persistFiles: Persist<Built<DiskFile[]>> = {
  save: (b) => (b.ok ? b.value : undefined),
  load: (d) => (Array.isArray(d) && d.every((f) => isObj(f) && typeof f.name === 'string' && isBytes(f.bytes)) ? { ok: true, value: d as DiskFile[] } : undefined),
};

const persistBytes: Persist<Built<Uint8Array>> = {
  save: (b) => (b.ok ? b.value : undefined),
  load: (d) => (isBytes(d) ? { ok: true, value: d } : undefined),
};

const persistDisk: Persist<GuestDiskResult> = {
  save: (r) => (r.ok ? { image: r.image, layout: r.layout, key: r.key } : undefined),
  load: (d) => (isObj(d) && isBytes(d.image) && Array.isArray(d.layout) && typeof d.key === 'string'
    ? { ok: true, image: d.image, layout: d.layout as DiskLayoutEntry[], key: d.key } : undefined),
};

/** The content hash of a set of guest sources (memoised per object). */
export function guestSourcesKey(sources: GuestSources): string {
  let k = sourceKeys.get(sources);
  if (k === undefined) {
    const h = keyHash().field('guest-sources');
    for (const p of Object.keys(sources).sort()) h.field(p).field(sources[p]);
    k = h.hex();
    sourceKeys.set(sources, k);
  }
  return k;
}

const fmt = (d: { file: string; line: number; col: number; message: string }) => `${d.file}:${d.line}:${d.col}: ${d.message}`;
const includeFrom = (sources: GuestSources) => (name: string): SourceFile | undefined =>
  (Object.prototype.hasOwnProperty.call(sources, name) ? { path: name, text: sources[name] } : undefined);

/** A kernel variant built from `sources['kernel/kernel.s']` (cached). Errors as `file:line:col: message`. */
export function guestKernel(sources: GuestSources, variant: KernelVariant, opts: { selfMap?: boolean } = {}): Built<KernelBuild> {
  const key = keyHash().field('kernel').field(guestSourcesKey(sources)).field(variant).field(opts.selfMap ? '1' : '0').hex();
  return cached(kernels, key, () => {
    if (sources['kernel/kernel.s'] === undefined) return { ok: false, errors: ['the guest sources have no kernel/kernel.s'] };
    const k = buildKernel(variant, { kernel: sources['kernel/kernel.s'], include: includeFrom(sources) }, opts);
    return k.ok ? { ok: true, value: k } : { ok: false, errors: k.diagnostics.filter((d) => d.severity === 'error').map(fmt) };
  }, persistKernel);
}

/** The guest's own programs (`programs/NAME.s` → NAME, in name order) as disk files (cached). */
export function guestStandardPrograms(sources: GuestSources): Built<DiskFile[]> {
  return cached(standard, keyHash().field('programs').field(guestSourcesKey(sources)).hex(), () => {
    const include = includeFrom(sources);
    const errors: string[] = [];
    const files: DiskFile[] = [];
    for (const path of Object.keys(sources).filter((p) => /^programs\/[^/]+\.s$/.test(p)).sort()) {
      const p = buildProgram(path.slice('programs/'.length, -2), { path, text: sources[path] }, include);
      if (p.ok) files.push({ name: p.name, bytes: p.exe! });
      else errors.push(...p.diagnostics.filter((d) => d.severity === 'error').map(fmt));
    }
    return errors.length ? { ok: false, errors } : { ok: true, value: files };
  }, persistFiles);
}

function userKey(p: UserProgramInput): string {
  const h = keyHash().field('user').field(p.name).field(p.path);
  if ('elf' in p.program) h.field('elf').field(p.program.elf);
  else {
    h.field('source').field(p.program.source.path).field(p.program.source.text);
    for (const i of p.program.includes ?? []) h.field(i.from).field(i.name).field(i.file.path).field(i.file.text);
  }
  return h.hex();
}

/** One user program as a DXE1 executable (cached by its contents). */
export function guestUserProgram(p: UserProgramInput): Built<Uint8Array> {
  return cached(users, userKey(p), () => {
    const r = buildUserProgram(p);
    return r.ok ? { ok: true, value: r.exe } : r;
  }, persistBytes);
}

export interface GuestDiskInputs {
  sources: GuestSources;
  /** The user's programs (names unique; a name of the guest's own replaces that program). */
  programs: readonly UserProgramInput[];
  /** The init command line in the superblock (default DEFAULT_INIT). */
  init?: string;
}

/** A problem building a disk: `program` indexes `programs` when it is about one of them. */
export interface GuestProblem { program?: number; init?: true; message: string }

export type GuestDiskResult =
  | { ok: true; image: Uint8Array; layout: DiskLayoutEntry[]; key: string }
  | { ok: false; problems: GuestProblem[] };

/**
 * The disk image: the guest's own programs, the data files (src1.c … src8.c, db.dat), then the
 * user's programs (one of the same name as a guest program replaces it), and the init command
 * line, whose first word must name a program on the disk. Cached by content.
 */
export function guestDisk(inputs: GuestDiskInputs): GuestDiskResult {
  const init = inputs.init ?? DEFAULT_INIT;
  const h = keyHash().field('disk').field(guestSourcesKey(inputs.sources)).field(init);
  for (const p of inputs.programs) h.field(userKey(p));
  const key = h.hex();
  return cached(disks, key, (): GuestDiskResult => {
    const problems: GuestProblem[] = [];
    const std = guestStandardPrograms(inputs.sources);
    if (!std.ok) problems.push(...std.errors.map((message) => ({ message: `resources/guest: ${message}` })));
    const mine: DiskFile[] = [];
    inputs.programs.forEach((p, i) => {
      const first = inputs.programs.findIndex((q) => q.name === p.name);
      if (first !== i) { problems.push({ program: i, message: `${p.path}: another program (${inputs.programs[first].path}) has the same name '${p.name}' on the guest` }); return; }
      const b = guestUserProgram(p);
      if (b.ok) mine.push({ name: p.name, bytes: b.value });
      else problems.push(...b.errors.map((message) => ({ program: i, message })));
    });
    if (problems.length || !std.ok) return { ok: false, problems };
    const names = new Set(mine.map((f) => f.name));
    const files = [...std.value.filter((f) => !names.has(f.name)), ...standardDataFiles().filter((f) => !names.has(f.name)), ...mine];
    const cmd = initProgram(init);
    if (!files.some((f) => f.name === cmd)) {
      return { ok: false, problems: [{ init: true, message: `'${cmd}' is not a program on the guest's disk (the guest's: ${std.value.map((f) => f.name).join(', ')}${mine.length ? `; yours: ${mine.map((f) => f.name).join(', ')}` : ''})` }] };
    }
    if (files.length > FS_MAX_FILES) return { ok: false, problems: [{ message: `the guest's disk holds at most ${FS_MAX_FILES} files; with yours it would hold ${files.length}` }] };
    const { image, layout } = buildDiskImage(files, init);
    return { ok: true, image, layout, key };
  }, persistDisk);
}
