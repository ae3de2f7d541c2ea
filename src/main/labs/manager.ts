/**
 * Labs in the workbench host (`labs.*` of the API): lists the workspace's labs, derives a lab
 * from the cache without running (`result`), runs a lab on worker threads with progress and
 * stop (`run`, `stop`, `active`), and gives each point's run record a place under runs/.
 *
 * **Cache.** The workspace's `.disco-lab/cache/<key>.json` — the CLI's folder when it runs in the
 * workspace, so both reuse each other's records. It is a dot-folder: the file tree and the
 * watcher ignore it (workspace listings hide dot-files; the watcher drops dot segments).
 *
 * **Point records.** Each record that runs is also saved as
 * `runs/<lab>/<point>-<key 12 hex>.json` (e.g. `runs/figure5/pmake-native-1cpu-3fa9c2e1b7d0.json`),
 * so the run results view opens it and `runs.list` offers it as a baseline. The name is the
 * content key's: the same key is the same (deterministic) record, written once; a point answered
 * from the cache gets its file when asked for (`record`).
 *
 * **Run budget.** A host runs at most MAX_ACTIVE_RUNS (2) simulations at once — experiment runs
 * and lab points together. `run` takes the free slots (up to its `jobs`) synchronously, before
 * its first `await`, so admission stays atomic with `runs.start`'s; once its points are loaded
 * it gives back what it cannot use (fewer points to run than slots; none when the cache has
 * every point) and needs at least one slot to run anything (else `E_BUSY`). Each pool worker
 * gives its slot back when nothing is left for it to run. While a lab holds slots, `runs.start`
 * gets the rest (the service checks both: ../service/lab.ts).
 *
 * Loading and keying the points runs on the host thread, one point at a time between awaits
 * (≈ 25 ms for a guest-OS experiment: reading its sources and hashing them); the simulations run
 * in workers.
 */
import { join } from 'node:path';
import { LAB_SCHEMA } from '../../core/labs/lab';
import { deriveLab } from '../../core/labs/derive';
import type { LabPoint } from '../../core/labs/expand';
import type { RunRecord } from '../../core/experiment/record';
import { fail, isApiError, type ActiveLab, type DiscoEmit, type LabFinished, type LabInfo, type LabPointInfo, type LabProgressEvent, type LabRunStarted, type LabView } from '../../shared/api';
import { workspaceSource } from '../run/sources';
import type { Workspace } from '../workspace/workspace';
import type { WorkerScript } from '../worker-script';
import { parseLab, prepareLab, readCached, runPrepared, type PreparedLab, type PreparedPoint } from './runner';
import { simulatorVersion as defaultVersion } from './version';

/** The cache folder, relative to the workspace root (a dot-folder: hidden from the tree and the watcher). */
export const LAB_CACHE_DIR = '.disco-lab/cache';
/** Least host time between progress events that carry the derived view [ms]. */
export const VIEW_EVERY_MS = 400;
/** Where labs live in a workspace. */
export const LABS_FOLDER = 'labs';

export interface LabManagerOptions {
  workspace: () => Workspace;
  emit?: DiscoEmit;
  /** The run worker (default: beside the host's bundle). */
  worker?: WorkerScript;
  /** Run slots free in the host now (synchronous: admission depends on it). */
  freeSlots: () => number;
  /** Most workers one lab uses (the host's run budget). */
  maxJobs: number;
  simulatorVersion?: () => string;
}

interface LiveLab {
  info: ActiveLab;
  abort: AbortController;
  /** Run slots this lab holds now. */
  slots: number;
}

/** A point's file stem: its string values as they are, numbers with their parameter's name (`pmake-native-1cpu`, `cpus4`). */
export function pointStem(point: Pick<LabPoint, 'params'>): string {
  const s = Object.entries(point.params).map(([k, v]) => (typeof v === 'number' ? `${k}${v}` : v)).join('-');
  return s.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '').slice(0, 80) || 'point';
}

/** `runs/<lab>/<point>-<key 12 hex>.json`: where a point's record is saved in the workspace. */
export function pointRecordPath(lab: string, point: Pick<LabPoint, 'params'>, key: string): string {
  return `runs/${lab}/${pointStem(point)}-${key.slice(0, 12)}.json`;
}

const recordText = (r: RunRecord) => JSON.stringify(r, null, 2) + '\n';

export class LabManager {
  private next = 1;
  private readonly live = new Map<string, LiveLab>();

  constructor(private readonly opts: LabManagerOptions) {}

  /** Run slots the labs hold now (loading or running). */
  get slots(): number {
    let n = 0;
    for (const l of this.live.values()) n += l.slots;
    return n;
  }

  /** The labs holding run slots, for messages (`figure5 (2)`). */
  holders(): string {
    return [...this.live.values()].filter((l) => l.slots > 0).map((l) => `${l.info.name} (${l.slots})`).join(', ');
  }

  private cacheDir(ws: Workspace): string {
    return join(ws.root, LAB_CACHE_DIR);
  }

  private version(): string {
    return (this.opts.simulatorVersion ?? defaultVersion)();
  }

  async list(): Promise<LabInfo[]> {
    const ws = this.opts.workspace();
    let files;
    try { files = (await ws.list(LABS_FOLDER)).root.children ?? []; } catch { return []; }
    const out: LabInfo[] = [];
    for (const f of files.filter((x) => x.kind === 'file' && x.name.endsWith('.json'))) {
      const stem = f.name.replace(/\.json$/, '');
      let text: string;
      try { text = (await ws.read(f.path)).content; } catch (e) { out.push({ path: f.path, name: stem, title: '', points: 0, valid: false, errors: [`${f.path}: ${isApiError(e) ? e.message : String(e)}`] }); continue; }
      const p = parseLab(text, f.path);
      if (!p.ok) { out.push({ path: f.path, name: stem, title: '', points: 0, valid: false, errors: p.errors }); continue; }
      const lab = p.lab;
      out.push({
        path: f.path, name: lab.name, title: lab.title, description: lab.description, source: lab.source,
        points: Object.values(lab.sweep.params).reduce((n, v) => n * v.length, 1), figure: lab.figure.type, valid: true, errors: [],
      });
    }
    return out;
  }

  /** The records of `lab` under runs/<lab>/, by file name (one listing, confined like every listing). */
  private async savedRecords(ws: Workspace, lab: string): Promise<Set<string>> {
    try {
      const t = await ws.list(`runs/${lab}`);
      return new Set((t.root.children ?? []).filter((c) => c.kind === 'file').map((c) => c.path));
    } catch { return new Set(); }
  }

  private viewOf(path: string, p: PreparedLab, records: ReadonlyMap<string, RunRecord>, saved: ReadonlySet<string>, t0: number): LabView {
    const points: LabPointInfo[] = p.points.map(({ point, key }) => {
      const rec = pointRecordPath(p.lab.name, point, key);
      return { id: point.id, index: point.index, params: { ...point.params }, experiment: point.experiment, key, cached: records.has(point.id), ...(saved.has(rec) ? { record: rec } : {}) };
    });
    return { path, lab: p.lab, result: deriveLab(p.lab, records), points, errors: [], seconds: (performance.now() - t0) / 1000 };
  }

  /** Reads the lab (E_NOT_FOUND etc. as API errors), then loads, keys and reads the cache. */
  private async prepare(ws: Workspace, path: string, only?: string) {
    const text = (await ws.read(path)).content;
    const parsed = parseLab(text, path);
    if (!parsed.ok) return { ok: false as const, errors: parsed.errors };
    const prep = await prepareLab(workspaceSource(ws), path, {
      cacheDir: this.cacheDir(ws), simulatorVersion: this.version(),
      points: only === undefined ? undefined : (all) => all.filter((x) => x.id === only),
    });
    return prep.ok ? prep : { ...prep, lab: parsed.lab };
  }

  async result(path: string): Promise<LabView> {
    const t0 = performance.now();
    const ws = this.opts.workspace();
    const prep = await this.prepare(ws, path);
    if (!prep.ok) {
      const lab = 'lab' in prep ? prep.lab : undefined;
      return { path, ...(lab ? { lab } : {}), points: [], errors: prep.errors, seconds: (performance.now() - t0) / 1000 };
    }
    const p = prep.prepared;
    return this.viewOf(path, p, p.cached, await this.savedRecords(ws, p.lab.name), t0);
  }

  /** The run record of one point as a workspace path, written from the cache when runs/ lacks it. */
  async record(path: string, pointId: string): Promise<string> {
    const ws = this.opts.workspace();
    const prep = await this.prepare(ws, path, pointId);
    if (!prep.ok) throw fail('E_INVALID_INPUT', prep.errors.join('\n'));
    const pp = prep.prepared.points[0];
    if (!pp) throw fail('E_NOT_FOUND', `${path}: no point '${pointId}' in the lab`);
    const rel = pointRecordPath(prep.prepared.lab.name, pp.point, pp.key);
    if ((await this.savedRecords(ws, prep.prepared.lab.name)).has(rel)) return rel;
    const rec = prep.prepared.cached.get(pointId) ?? (await readCached(this.cacheDir(ws), pp.key));
    if (!rec) throw fail('E_NOT_FOUND', `${path}: point ${pointId} has no record yet (run the lab)`);
    await this.save(ws, rel, rec);
    return rel;
  }

  /** Writes a point's record once (its name is its key's: an existing file is the same record). */
  private async save(ws: Workspace, rel: string, rec: RunRecord): Promise<void> {
    try { await ws.writeNew(rel, recordText(rec)); } catch (e) { if (!(isApiError(e) && e.code === 'E_EXISTS')) throw e; }
  }

  active(): ActiveLab[] {
    return [...this.live.values()].map((l) => ({ ...l.info, workers: l.slots }));
  }

  stop(labRunId: string): void {
    const l = this.live.get(labRunId);
    if (!l) throw fail('E_NO_RUN', `${labRunId} is not running`);
    l.info.state = 'stopping';
    l.abort.abort();
  }

  /** Stops every lab (host shutdown). */
  stopAll(): void {
    for (const id of this.live.keys()) this.stop(id);
  }

  async run(path: string, opts: { jobs?: number } = {}): Promise<LabRunStarted> {
    for (const l of this.live.values()) if (l.info.path === path) throw fail('E_BUSY', `${path} is already running (${l.info.labRunId}); stop it or wait`);
    // Take the free slots with no await in between: admission is atomic with runs.start's.
    const want = Math.max(1, Math.min(opts.jobs ?? this.opts.maxJobs, this.opts.maxJobs));
    const labRunId = `lab-${this.next++}`;
    const entry: LiveLab = {
      info: { labRunId, path, name: path.split('/').pop()!.replace(/\.json$/, ''), startedAt: Date.now(), state: 'running', workers: 0 },
      abort: new AbortController(),
      slots: Math.min(want, Math.max(0, this.opts.freeSlots())),
    };
    this.live.set(labRunId, entry);
    const t0 = performance.now();
    const ws = this.opts.workspace();
    let prepared: PreparedLab;
    try {
      const prep = await this.prepare(ws, path);
      if (!prep.ok) throw fail('E_INVALID_INPUT', prep.errors.join('\n'));
      prepared = prep.prepared;
      entry.info.name = prepared.lab.name;
      const misses = prepared.misses.length;
      if (misses > 0 && entry.slots === 0) entry.slots = Math.min(want, Math.max(0, this.opts.freeSlots()));
      if (misses > 0 && entry.slots === 0) throw fail('E_BUSY', `every run slot is taken (at most ${this.opts.maxJobs} runs at once, lab points included); ${prepared.lab.name} has ${misses} point${misses === 1 ? '' : 's'} to run: stop a run or wait`);
      if (entry.abort.signal.aborted) throw fail('E_CANCELLED', `${labRunId} was stopped before it started`);
      entry.slots = Math.min(entry.slots, misses);
    } catch (e) {
      this.live.delete(labRunId);
      throw e;
    }
    entry.info.workers = entry.slots;
    void this.execute(entry, ws, prepared, t0);
    return { labRunId, path, name: prepared.lab.name, total: prepared.points.length, cached: prepared.cached.size, workers: entry.slots };
  }

  private async execute(entry: LiveLab, ws: Workspace, p: PreparedLab, t0: number): Promise<void> {
    const { labRunId, path } = entry.info;
    const records = new Map<string, RunRecord>(p.cached);
    const saved = await this.savedRecords(ws, p.lab.name);
    let changed = true; // the first progress event carries the view from the cache
    let viewAt = -Infinity;
    const emitProgress = (pr: Omit<LabProgressEvent, 'labRunId' | 'path' | 'view'>) => {
      const ev: LabProgressEvent = { labRunId, path, ...pr };
      // The derived view when points finished — at most every VIEW_EVERY_MS (a big sweep would
      // otherwise send its whole table per point); the end always carries it (onLabFinished).
      const now = performance.now();
      if (changed && now - viewAt >= VIEW_EVERY_MS) { ev.view = this.viewOf(path, p, records, saved, t0); changed = false; viewAt = now; }
      entry.info.progress = { ...ev, view: ev.view ?? entry.info.progress?.view };
      this.opts.emit?.('onLabProgress', ev);
    };
    const onRecord = async (pp: PreparedPoint, rec: RunRecord) => {
      records.set(pp.point.id, rec);
      const rel = pointRecordPath(p.lab.name, pp.point, pp.key);
      try { await this.save(ws, rel, rec); saved.add(rel); } catch { /* the cache has it; `record` writes it on demand */ }
      changed = true;
    };
    let fin: LabFinished;
    try {
      const r = await runPrepared(p, {
        jobs: Math.max(1, entry.slots), cacheDir: this.cacheDir(ws), worker: this.opts.worker, signal: entry.abort.signal, unref: true,
        onProgress: emitProgress, onRecord,
        onWorkerIdle: () => { entry.slots = Math.max(0, entry.slots - 1); },
      });
      const view = this.viewOf(path, p, records, saved, t0);
      fin = r.ok
        ? { labRunId, path, ok: true, ...(r.stopped ? { stopped: true } : {}), view, ran: r.ran, cached: r.cached, seconds: (performance.now() - t0) / 1000 }
        : { labRunId, path, ok: false, errors: r.errors, view, ran: records.size - p.cached.size, cached: p.cached.size, seconds: (performance.now() - t0) / 1000 };
    } catch (e) {
      fin = { labRunId, path, ok: false, errors: [`the lab run failed: ${e instanceof Error ? e.message : String(e)}`], ran: records.size - p.cached.size, cached: p.cached.size, seconds: (performance.now() - t0) / 1000 };
    }
    entry.slots = 0;
    this.live.delete(labRunId);
    this.opts.emit?.('onLabFinished', fin);
  }

  schema(): Record<string, unknown> {
    return LAB_SCHEMA as Record<string, unknown>;
  }
}
