/**
 * The run manager: starts experiments in worker threads (never on the Electron main thread or
 * the web host's event loop), relays their progress as `onRunProgress`, and saves each run
 * record atomically through the workspace as `runs/<name>-<timestamp>.json`, then announces it
 * with `onRunFinished`. A stopped run still saves its record: the simulator marks it
 * `partial: true` with status reason `stopped`.
 *
 * Admission is atomic: a start takes its slot synchronously, before its first `await`, so any
 * number of concurrent `runs.start` calls give at most {@link MAX_ACTIVE_RUNS} runs (loading or
 * running); the others fail at once with `E_BUSY` (the caller retries when a run finishes —
 * `onRunFinished`). Record names are unique: a record is created with an exclusive, atomic
 * create (`Workspace.writeNew`), never written over another (`-2`, `-3`, ... on a clash).
 *
 * Runs belong to the host, not to the window that started them: the manager keeps each running
 * run's last progress and its console output so far (the last MAX_CONSOLE_CHARS per source), and
 * `active()` returns them, so a window that connects or reloads lists the run, shows its console
 * and can stop it. A start is announced at once with a progress event of zero cycles, so a
 * window shows the run while its worker still prepares (assembles, builds the machine).
 */
import { posix } from 'node:path';
import { RunWorkerPool } from './pool';
import { workerScript, type WorkerScript } from '../worker-script';
import type { RunRecord } from '../../core/experiment/record';
import { fail, MAX_CONSOLE_CHARS, type ActiveRun, type ConfigError, type DiscoEmit, type RunFinished, type RunProgress, type RunStarted } from '../../shared/api';
import type { Workspace } from '../workspace/workspace';
import { loadExperiment } from './load';
import type { WorkerInput, WorkerMessage } from './protocol';

/** Runs allowed at once per host (each takes a CPU core). */
export const MAX_ACTIVE_RUNS = 2;

/** How long a run worker is kept warm after its run [ms] (pool.ts). */
export const WARM_WORKER_MS = 60_000;

/**
 * Where the bundled worker is: out/run/worker.js, next to the folder of the bundle that imports
 * this module (out/main/index.js in Electron, out/web/server.js in browser mode). In a packaged
 * app the worker is unpacked beside app.asar (scripts/package.mjs), and is started from there:
 * worker threads read their script with plain file access.
 */
export function defaultWorkerPath(): WorkerScript {
  return workerScript('worker', 'run/worker.ts', import.meta.url);
}

/** `2026-11-21T20-31-05-123Z`: sortable, safe in file names on every OS. */
export function timestampForFile(d = new Date()): string {
  return d.toISOString().replace(/[:.]/g, '-');
}

/** A run name safe as a file name stem. */
export function fileStem(name: string): string {
  return name.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '').slice(0, 80) || 'run';
}

interface Live {
  info: ActiveRun;
  /** Console text so far per source (insertion order = order of first output). */
  console: Map<string, string>;
  stop: Int32Array;
  maxCycles: number | null;
  clockMHz: number;
}

export interface RunManagerOptions {
  workspace: () => Workspace;
  emit?: DiscoEmit;
  workerPath?: WorkerScript;
  resources?: string;
  /** Least host time between progress events [ms] (default 150). */
  progressMs?: number;
}

export class RunManager {
  private next = 1;
  private readonly live = new Map<string, Live>();
  /** Starts admitted but still loading their inputs (they hold a slot too). */
  private starting = 0;

  /**
   * The run workers: up to MAX_ACTIVE_RUNS kept warm between runs for a minute (pool.ts), unref'd
   * so that a running or idle simulation never keeps a closing host alive.
   */
  private readonly pool: RunWorkerPool;

  constructor(private readonly opts: RunManagerOptions) {
    this.pool = new RunWorkerPool(opts.workerPath ?? defaultWorkerPath(), { keep: MAX_ACTIVE_RUNS, unref: true, idleMs: WARM_WORKER_MS });
  }

  /** The runs executing now, with their last progress and console so far (copies). */
  active(): ActiveRun[] {
    return [...this.live.values()].map((l) => ({
      ...l.info,
      progress: l.info.progress && { ...l.info.progress, console: [] },
      console: [...l.console].map(([source, text]) => ({ source, text })),
    }));
  }

  /** Runs holding a slot: running, stopping, saving, or still loading. */
  get busy(): number {
    return this.live.size + this.starting;
  }

  async start(experimentPath: string): Promise<RunStarted> {
    // Check and take the slot with no await in between: this is what makes admission atomic.
    if (this.busy >= MAX_ACTIVE_RUNS) throw fail('E_BUSY', `${MAX_ACTIVE_RUNS} runs are already running; stop one or wait`);
    this.starting++;
    try {
      return await this.launch(experimentPath);
    } finally {
      this.starting--; // launch() has moved the run into `live` (or failed)
    }
  }

  private async launch(experimentPath: string): Promise<RunStarted> {
    const ws = this.opts.workspace();
    const loaded = await loadExperiment(ws, experimentPath, this.opts.resources);
    // One mention of the file: the errors are its fields (the renderer does not add it again).
    if (!loaded.ok) throw fail('E_INVALID_INPUT', `${experimentPath}: ${loaded.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`);
    const { resolved, programs, diskImage, vms, guest } = loaded.value;
    const runId = `run-${this.next++}`;
    const stopBuf = new SharedArrayBuffer(4);
    const input: WorkerInput = { resolved, programs, diskImage, vms, guest, stop: stopBuf, progressMs: this.opts.progressMs ?? 150 };
    const info: ActiveRun = { runId, experiment: experimentPath, name: resolved.experiment.name, startedAt: Date.now(), state: 'running', console: [] };
    const l: Live = { info, console: new Map(), stop: new Int32Array(stopBuf), maxCycles: resolved.limits.maxCycles ?? null, clockMHz: resolved.machine.clockMHz };
    this.live.set(runId, l);
    /** Publishes progress and keeps it (and the console) for windows that attach later. */
    const publish = (p: RunProgress) => {
      for (const c of p.console) l.console.set(c.source, ((l.console.get(c.source) ?? '') + c.text).slice(-MAX_CONSOLE_CHARS));
      info.progress = { ...p, console: [] };
      this.opts.emit?.('onRunProgress', p);
    };
    let settled = false;
    const finish = (f: Omit<RunFinished, 'runId' | 'experiment'>) => {
      if (settled) return;
      settled = true;
      this.live.delete(runId);
      info.state = f.ok ? 'finished' : 'failed';
      this.opts.emit?.('onRunFinished', { runId, experiment: experimentPath, ...f });
    };
    // the figures of the last progress event: a warning repeats them, so progress never jumps back
    let last = { cycles: 0, instructions: 0, simSeconds: 0, hostSeconds: 0, hostMips: 0 };
    let disks: Extract<WorkerMessage, { type: 'disks' }>['disks'] = [];
    const onMessage = (m: WorkerMessage) => {
      if (m.type === 'progress') {
        last = {
          cycles: m.cycles,
          instructions: m.instructions,
          simSeconds: m.cycles / (l.clockMHz * 1e6),
          hostSeconds: m.hostSeconds,
          hostMips: m.hostSeconds > 0 ? m.instructions / m.hostSeconds / 1e6 : 0,
        };
        publish({ runId, maxCycles: l.maxCycles, ...last, console: m.console });
      } else if (m.type === 'warning') {
        publish({ runId, maxCycles: l.maxCycles, ...last, console: [{ source: 'host', text: `warning: ${m.message}\n` }] });
      } else if (m.type === 'error') finish({ ok: false, errors: m.errors });
      else if (m.type === 'disks') disks = m.disks;
      else if (m.type === 'done') {
        settled = true; // the saves below are the end of this run
        const note = (text: string) => publish({ runId, maxCycles: l.maxCycles, ...last, console: [{ source: 'host', text }] });
        void this.writeDisks(ws, experimentPath, disks, note).then(() => this.save(ws, m.record)).then(
          (path) => { settled = false; finish({ ok: true, path, partial: m.record.partial, reason: m.record.status.reason }); },
          (e: unknown) => { settled = false; finish({ ok: false, errors: [{ path: '', message: (e as { code?: string }).code === 'E_IO' ? String((e as { message?: string }).message) : `cannot save the run record: ${(e as { message?: string }).message ?? String(e)}` }] }); },
        );
      }
    };
    // a worker kept from earlier runs if one is idle (pool.ts): V8 has compiled the simulator there
    void this.pool.run(input, onMessage).done.then((f) => {
      if (f.type === 'died') finish({ ok: false, errors: [{ path: '', message: f.message }] });
    });
    // Announced at once: the worker's first progress comes only after it has prepared the machine.
    publish({ runId, maxCycles: l.maxCycles, ...last, console: [] });
    return { runId, name: info.name };
  }

  stop(runId: string): void {
    const l = this.live.get(runId);
    if (!l) throw fail('E_NO_RUN', `${runId} is not running`);
    l.info.state = 'stopping';
    Atomics.store(l.stop, 0, 1);
  }

  /** Stops every run (host shutdown); their partial records are still saved if time allows. */
  stopAll(): void {
    for (const id of this.live.keys()) this.stop(id);
  }

  /**
   * Writes back the persistent disks a run wrote (vms[].disk.persistent): each image file,
   * named relative to the experiment, is replaced atomically inside the workspace; a line on the
   * run's console says so. A failure ends the run with its error (the record is not saved).
   */
  private async writeDisks(ws: Workspace, experimentPath: string, disks: Extract<WorkerMessage, { type: 'disks' }>['disks'], note: (text: string) => void): Promise<void> {
    for (const d of disks) {
      const path = posix.normalize(posix.join(posix.dirname(experimentPath), d.image));
      try { await ws.writeBytes(path, d.bytes, d.bytes.length); }   // as long as the simulated disk, no longer
      catch (e) { throw fail('E_IO', `cannot write the persistent disk ${path}: ${(e as { message?: string }).message ?? String(e)}`); }
      note(`${path}: ${d.sectorsWritten} sector(s) written by ${d.vm} (persistent disk), saved\n`);
    }
  }

  private save(ws: Workspace, record: RunRecord): Promise<string> {
    return saveRunRecord(ws, record);
  }
}

/** Most names tried for one record (`-2` … `-N`) before giving up. */
const MAX_NAME_TRIES = 1000;

/**
 * Saves `record` as a new file `runs/<name>-<timestamp>[-N].json` and returns its path. Each
 * candidate name is created exclusively and atomically, so concurrent saves — in this process
 * or another host's on the same workspace — never overwrite each other, however many share a
 * millisecond.
 */
export async function saveRunRecord(ws: Workspace, record: RunRecord, now = new Date()): Promise<string> {
  const base = `runs/${fileStem(record.name)}-${timestampForFile(now)}`;
  const text = JSON.stringify(record, null, 2) + '\n';
  for (let i = 1; i <= MAX_NAME_TRIES; i++) {
    const path = i === 1 ? `${base}.json` : `${base}-${i}.json`;
    try {
      await ws.writeNew(path, text);
      return path;
    } catch (e) {
      if ((e as { code?: string }).code !== 'E_EXISTS') throw e;
    }
  }
  throw fail('E_EXISTS', `${base}.json and ${MAX_NAME_TRIES - 1} numbered variants already exist`);
}

export type { ConfigError };
