/**
 * Running a lab (src/core/labs) on the host: every point's experiment is loaded through the one
 * experiment loader (with the point's `set` values), keyed by a content hash of everything its
 * record depends on, answered from the cache when that key was run before, and otherwise run on
 * a pool of worker threads (default: one per core) — the same run worker the workbench uses.
 * Progress (done / total, cached, running, ETA) is reported as points finish.
 *
 * The cache is a folder of `<key>.json` run records (written atomically). A changed parameter,
 * input file or simulator changes the key, so only what changed reruns.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { contentKey } from '../../core/labs/cache';
import { deriveLab, type LabResult } from '../../core/labs/derive';
import { expandLab, type LabPoint } from '../../core/labs/expand';
import { validateLab, type LabFile } from '../../core/labs/lab';
import { formatLoadErrors, loadExperiment, type FileSource, type LoadedExperiment } from '../../core/experiment/load';
import type { RunRecord } from '../../core/experiment/record';
import type { WorkerInput, WorkerMessage } from '../run/protocol';
import { workerScript, type WorkerScript } from '../worker-script';

export interface LabProgress {
  /** Points finished (run or from the cache), of `total`. */
  done: number;
  total: number;
  cached: number;
  running: string[];
  /** Host seconds since the start, and the estimate to finish (null until a point has run). */
  seconds: number;
  etaSeconds: number | null;
}

export interface LabRunOptions {
  /** Worker threads (default: the machine's cores). */
  jobs?: number;
  /** Only these points (a shard), default all. */
  points?: (all: LabPoint[]) => LabPoint[];
  /** Folder of cached records; null = no cache. */
  cacheDir: string | null;
  /** Changes whenever the simulator's code changes (version.ts). */
  simulatorVersion: string;
  onProgress?: (p: LabProgress) => void;
  /** The run worker (default: beside the host; tests pass a bundle). */
  worker?: WorkerScript;
}

export type LabRun =
  | { ok: true; lab: LabFile; points: LabPoint[]; records: Map<string, RunRecord>; result: LabResult; ran: number; cached: number }
  | { ok: false; errors: string[] };

/** Reads and validates a lab file; errors as `file: path: message`. */
export async function readLab(src: FileSource, labPath: string): Promise<{ ok: true; lab: LabFile } | { ok: false; errors: string[] }> {
  let text: string;
  try { text = await src.readText(labPath); } catch (e) { return { ok: false, errors: [e instanceof Error ? e.message : String(e)] }; }
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { return { ok: false, errors: [`${labPath}: invalid JSON: ${e instanceof Error ? e.message : String(e)}`] }; }
  const v = validateLab(json);
  return v.ok ? { ok: true, lab: v.value } : { ok: false, errors: v.errors.map((e) => `${labPath}: ${e.path || '(document)'}: ${e.message}`) };
}

interface Job { point: LabPoint; loaded: LoadedExperiment; key: string }

export async function runLab(src: FileSource, labPath: string, opts: LabRunOptions): Promise<LabRun> {
  const t0 = performance.now();
  const read = await readLab(src, labPath);
  if (!read.ok) return read;
  const lab = read.lab;
  const all = expandLab(lab);
  const points = opts.points ? opts.points(all) : all;

  // Load every point first: a broken experiment is reported before anything runs.
  const errors: string[] = [];
  const jobs: Job[] = [];
  for (const point of points) {
    const expPath = src.resolve(labPath, point.experiment);
    if (typeof expPath !== 'string') { errors.push(`${labPath}: point ${point.id}: ${point.experiment}: ${expPath.error}`); continue; }
    let loaded;
    try { loaded = await loadExperiment(src, expPath, { set: point.set }); } catch (e) { errors.push(`${labPath}: point ${point.id}: ${e instanceof Error ? e.message : String(e)}`); continue; }
    if (!loaded.ok) { errors.push(`${labPath}: point ${point.id}:\n${formatLoadErrors(loaded.errors)}`); continue; }
    jobs.push({ point, loaded: loaded.value, key: contentKey({ resolved: loaded.value.resolved, inputs: loaded.value.inputs }, opts.simulatorVersion) });
  }
  if (errors.length) return { ok: false, errors };

  const records = new Map<string, RunRecord>();
  const misses: Job[] = [];
  for (const j of jobs) {
    const hit = opts.cacheDir ? await readCached(opts.cacheDir, j.key) : undefined;
    if (hit) records.set(j.point.id, hit); else misses.push(j);
  }
  const cached = records.size;
  const running = new Set<string>();
  let ranSeconds = 0, ran = 0;
  const progress = () => {
    const seconds = (performance.now() - t0) / 1000;
    const left = misses.length - ran;
    const per = ran ? ranSeconds / ran : null;
    const parallel = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), left || 1));
    opts.onProgress?.({ done: records.size, total: jobs.length, cached, running: [...running], seconds, etaSeconds: per === null ? null : (per * left) / parallel });
  };
  progress();

  const script = opts.worker ?? workerScript('worker', 'run/worker.ts', import.meta.url);
  const queue = [...misses];
  const failures: string[] = [];
  const one = async (): Promise<void> => {
    for (let j = queue.shift(); j; j = queue.shift()) {
      running.add(j.point.id);
      progress();
      const s = performance.now();
      const r = await runInWorker(script, j.loaded);
      running.delete(j.point.id);
      if ('record' in r) {
        records.set(j.point.id, r.record);
        if (opts.cacheDir) await writeCached(opts.cacheDir, j.key, r.record);
      } else failures.push(`point ${j.point.id}: ${r.error}`);
      ranSeconds += (performance.now() - s) / 1000; ran++;
      progress();
    }
  };
  const n = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), misses.length));
  await Promise.all(Array.from({ length: n }, one));
  if (failures.length) return { ok: false, errors: failures };
  return { ok: true, lab, points, records, result: deriveLab(lab, records), ran, cached };
}

function runInWorker(script: WorkerScript, loaded: LoadedExperiment): Promise<{ record: RunRecord } | { error: string }> {
  const { resolved, inputs } = loaded;
  const input: WorkerInput = {
    resolved, programs: inputs.programs, diskImage: inputs.diskImage, vms: inputs.vms, guest: inputs.guest,
    stop: new SharedArrayBuffer(4), progressMs: 60_000,
  };
  return new Promise((resolve) => {
    const w = new Worker(script, { workerData: input });
    let settled = false;
    const end = (r: { record: RunRecord } | { error: string }) => { if (!settled) { settled = true; resolve(r); void w.terminate(); } };
    w.on('message', (m: WorkerMessage) => {
      if (m.type === 'done') end({ record: m.record });
      else if (m.type === 'error') end({ error: m.errors.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ') });
    });
    w.on('error', (e) => end({ error: `worker failed: ${e.message}` }));
    w.on('exit', (code) => end({ error: `worker exited (${code}) without a record` }));
  });
}

async function readCached(dir: string, key: string): Promise<RunRecord | undefined> {
  try {
    const r = JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8')) as RunRecord;
    return r && r.schema === 'disco-lab/run@1' ? r : undefined;
  } catch { return undefined; }
}

async function writeCached(dir: string, key: string, record: RunRecord): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${key}.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(record));
  await rename(tmp, join(dir, `${key}.json`));
}
