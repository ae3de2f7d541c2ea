/**
 * Running a lab (src/core/labs) on the host: every point's experiment is loaded through the one
 * experiment loader (with the point's `set` values), keyed by a content hash of everything its
 * record depends on, answered from the cache when that key was run before, and otherwise run on
 * a pool of worker threads (default: one per core) — the same run worker the workbench uses.
 * Progress (done / total, cached, running, ETA) is reported as points finish.
 *
 * Two steps, so a host can decide between them how many workers it may use:
 *
 *   prepareLab   reads and validates the lab, loads and keys every point, reads the cache
 *                (no worker: this is all `labs.result` / `cachedOnly` needs — instant when
 *                every point is cached);
 *   runPrepared  runs the points the cache lacks on `jobs` workers, each kept from point to
 *                point (../run/pool.ts: V8 compiles the simulator once per worker, not once
 *                per point); stops early on `signal` (the points that finished are kept and
 *                cached, the running ones are dropped).
 *
 * `runLab` does both (the CLI). The cache is a folder of `<key>.json` run records (written
 * atomically). A changed parameter, input file or simulator changes the key, so only what
 * changed reruns. A stopped point's (partial) record is never cached.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { contentKey } from '../../core/labs/cache';
import { deriveLab, type LabResult } from '../../core/labs/derive';
import { expandLab, type LabPoint } from '../../core/labs/expand';
import { validateLab, type LabFile } from '../../core/labs/lab';
import { formatLoadErrors, loadExperiment, type FileSource, type LoadedExperiment } from '../../core/experiment/load';
import { hasPersistentDisk } from '../../core/experiment/config';
import type { RunRecord } from '../../core/experiment/record';
import type { WorkerInput } from '../run/protocol';
import { RunWorkerPool } from '../run/pool';
import { workerScript, type WorkerScript } from '../worker-script';
import type { LabProgress } from '../../shared/lab/types';

export type { LabProgress };

export interface LabPrepareOptions {
  /** Only these points (a shard), default all. */
  points?: (all: LabPoint[]) => LabPoint[];
  /** Folder of cached records; null = no cache. */
  cacheDir: string | null;
  /** Changes whenever the simulator's code changes (version.ts). */
  simulatorVersion: string;
}

export interface LabExecOptions {
  /** Worker threads (default: the machine's cores). */
  jobs?: number;
  /** Folder the records that ran are cached in; null = no cache. */
  cacheDir: string | null;
  onProgress?: (p: LabProgress) => void;
  /** A point's record arrived from a worker (after it was cached). */
  onRecord?: (point: PreparedPoint, record: RunRecord) => void | Promise<void>;
  /** One pool worker has nothing left to run (a host can give its slot back). */
  onWorkerIdle?: () => void;
  /** The run worker (default: beside the host; tests pass a bundle). */
  worker?: WorkerScript;
  /** Aborting stops the running points (their partial records are dropped) and runs no more. */
  signal?: AbortSignal;
  /** Unref the workers (a host that stays alive by itself; never the CLI, which awaits them). */
  unref?: boolean;
}

export interface LabRunOptions extends LabPrepareOptions, Omit<LabExecOptions, 'cacheDir'> {
  /** Derive from the cache only: run nothing (points without a record are `missing`). */
  cachedOnly?: boolean;
}

export type LabRun =
  | { ok: true; lab: LabFile; points: LabPoint[]; records: Map<string, RunRecord>; result: LabResult; ran: number; cached: number; /** stopped by `signal` before every point ran */ stopped?: boolean }
  | { ok: false; errors: string[] };

/** A point loaded and keyed: what a worker needs, and the cache key of its record. */
export interface PreparedPoint { point: LabPoint; loaded: LoadedExperiment; key: string }

export interface PreparedLab {
  lab: LabFile;
  labPath: string;
  /** The points this run covers (all, or a shard), each loaded and keyed, in sweep order. */
  points: PreparedPoint[];
  /** Records found in the cache, by point id. */
  cached: Map<string, RunRecord>;
  /** The points the cache lacks. */
  misses: PreparedPoint[];
}

/** Reads and validates a lab file; errors as `file: path: message`. */
export async function readLab(src: FileSource, labPath: string): Promise<{ ok: true; lab: LabFile } | { ok: false; errors: string[] }> {
  let text: string;
  try { text = await src.readText(labPath); } catch (e) { return { ok: false, errors: [e instanceof Error ? e.message : String(e)] }; }
  return parseLab(text, labPath);
}

/** Parses and validates a lab file's text; errors as `file: path: message`. */
export function parseLab(text: string, labPath: string): { ok: true; lab: LabFile } | { ok: false; errors: string[] } {
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { return { ok: false, errors: [`${labPath}: invalid JSON: ${e instanceof Error ? e.message : String(e)}`] }; }
  const v = validateLab(json);
  return v.ok ? { ok: true, lab: v.value } : { ok: false, errors: v.errors.map((e) => `${labPath}: ${e.path || '(document)'}: ${e.message}`) };
}

/**
 * Reads the lab, loads every point first (a broken experiment is reported before anything
 * runs), keys each and reads the cache. No worker runs here.
 */
export async function prepareLab(src: FileSource, labPath: string, opts: LabPrepareOptions): Promise<{ ok: true; prepared: PreparedLab } | { ok: false; errors: string[] }> {
  const read = await readLab(src, labPath);
  if (!read.ok) return read;
  const lab = read.lab;
  const all = expandLab(lab);
  const selected = opts.points ? opts.points(all) : all;
  const errors: string[] = [];
  const points: PreparedPoint[] = [];
  for (const point of selected) {
    const expPath = src.resolve(labPath, point.experiment);
    if (typeof expPath !== 'string') { errors.push(`${labPath}: point ${point.id}: ${point.experiment}: ${expPath.error}`); continue; }
    let loaded;
    try { loaded = await loadExperiment(src, expPath, { set: point.set }); } catch (e) { errors.push(`${labPath}: point ${point.id}: ${e instanceof Error ? e.message : String(e)}`); continue; }
    if (!loaded.ok) { errors.push(`${labPath}: point ${point.id}:\n${formatLoadErrors(loaded.errors)}`); continue; }
    if (hasPersistentDisk(loaded.value.resolved.experiment)) { errors.push(`${labPath}: point ${point.id}: ${point.experiment}: a persistent disk (vms[].disk.persistent) changes its image file, so a lab's cached results would not be repeatable: run it with \`disco-lab run\` or the workbench's Run`); continue; }
    points.push({ point, loaded: loaded.value, key: contentKey({ resolved: loaded.value.resolved, inputs: loaded.value.inputs }, opts.simulatorVersion) });
  }
  if (errors.length) return { ok: false, errors };
  const cached = new Map<string, RunRecord>();
  const misses: PreparedPoint[] = [];
  for (const p of points) {
    const hit = opts.cacheDir ? await readCached(opts.cacheDir, p.key) : undefined;
    if (hit) cached.set(p.point.id, hit); else misses.push(p);
  }
  return { ok: true, prepared: { lab, labPath, points, cached, misses } };
}

/** The lab's result from what the cache holds (points without a record are `missing`). */
export function cachedResult(p: PreparedLab): LabResult {
  return deriveLab(p.lab, p.cached);
}

/** Runs the points the cache lacks on a pool of workers; records are cached as they arrive. */
export async function runPrepared(p: PreparedLab, opts: LabExecOptions): Promise<LabRun> {
  const t0 = performance.now();
  const records = new Map<string, RunRecord>(p.cached);
  const cached = p.cached.size;
  const running = new Set<string>();
  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  let ranSeconds = 0, ran = 0;
  const progress = () => {
    const seconds = (performance.now() - t0) / 1000;
    const left = p.misses.length - ran;
    const per = ran ? ranSeconds / ran : null;
    const parallel = Math.max(1, Math.min(jobs, left || 1));
    opts.onProgress?.({ done: records.size, total: p.points.length, cached, running: [...running], seconds, etaSeconds: per === null ? null : (per * left) / parallel });
  };
  progress();

  const script = opts.worker ?? workerScript('worker', 'run/worker.ts', import.meta.url);
  const n = Math.max(1, Math.min(jobs, p.misses.length));
  // one worker per lane, kept from point to point: V8 compiles the simulator once per worker
  const pool = new RunWorkerPool(script, { keep: n, unref: opts.unref });
  const queue = [...p.misses];
  const failures: string[] = [];
  const stopped = () => opts.signal?.aborted === true;
  const one = async (): Promise<void> => {
    for (let j = queue.shift(); j && !stopped(); j = queue.shift()) {
      running.add(j.point.id);
      progress();
      const s = performance.now();
      const r = await runInWorker(pool, j.loaded, opts.signal);
      running.delete(j.point.id);
      if ('record' in r) {
        records.set(j.point.id, r.record);
        if (opts.cacheDir) await writeCached(opts.cacheDir, j.key, r.record);
        await opts.onRecord?.(j, r.record);
        ranSeconds += (performance.now() - s) / 1000; ran++;
      } else if (!('stopped' in r)) {
        failures.push(`point ${j.point.id}: ${r.error}`);
        ranSeconds += (performance.now() - s) / 1000; ran++;
      }
      progress();
    }
    opts.onWorkerIdle?.();
  };
  try {
    await Promise.all(Array.from({ length: n }, one));
  } finally {
    await pool.close();
  }
  if (failures.length) return { ok: false, errors: failures };
  const all = p.points.map((x) => x.point);
  return { ok: true, lab: p.lab, points: all, records, result: deriveLab(p.lab, records), ran, cached, ...(stopped() && records.size < all.length ? { stopped: true } : {}) };
}

/** Prepares and runs a lab (or, with `cachedOnly`, derives it from the cache). */
export async function runLab(src: FileSource, labPath: string, opts: LabRunOptions): Promise<LabRun> {
  const prep = await prepareLab(src, labPath, opts);
  if (!prep.ok) return prep;
  const p = prep.prepared;
  if (opts.cachedOnly) return { ok: true, lab: p.lab, points: p.points.map((x) => x.point), records: new Map(p.cached), result: cachedResult(p), ran: 0, cached: p.cached.size };
  return runPrepared(p, opts);
}

function runInWorker(pool: RunWorkerPool, loaded: LoadedExperiment, signal?: AbortSignal): Promise<{ record: RunRecord } | { error: string } | { stopped: true }> {
  const { resolved, inputs } = loaded;
  const input: WorkerInput = {
    resolved, programs: inputs.programs, diskImage: inputs.diskImage, vms: inputs.vms, guest: inputs.guest,
    stop: new SharedArrayBuffer(4), progressMs: 60_000,
  };
  if (signal?.aborted) return Promise.resolve({ stopped: true });
  const job = pool.run(input);
  // A stopped point's record would be partial: drop the worker, keep nothing.
  const abort = () => job.kill();
  signal?.addEventListener('abort', abort);
  return job.done.then((f) => {
    signal?.removeEventListener('abort', abort);
    if (f.type === 'done') return { record: f.record };
    if (signal?.aborted) return { stopped: true };
    if (f.type === 'error') return { error: f.errors.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ') };
    return { error: f.message };
  });
}

/** The cached record of `key`, or undefined. */
export async function readCached(dir: string, key: string): Promise<RunRecord | undefined> {
  try {
    const r = JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8')) as RunRecord;
    return r && r.schema === 'disco-lab/run@1' ? r : undefined;
  } catch { return undefined; }
}

async function writeCached(dir: string, key: string, record: RunRecord): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  await writeFile(tmp, JSON.stringify(record));
  await rename(tmp, join(dir, `${key}.json`));
}
