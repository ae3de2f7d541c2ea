/**
 * Run workers kept between runs.
 *
 * A new worker thread is a new V8 isolate: its first run pays for V8 compiling and optimising the
 * simulator (the interpreter, the monitor's trap path, the guest's compiled regions). On the
 * shipped 20 M-instruction workloads that is about half of the run; a worker that has run before
 * runs the next experiment about 2× faster (docs/cpu.md "Cold start"). Every cache the simulator
 * keeps in a process is keyed by content, so a reused worker gives the same record as a new one
 * (tested: test/main/run-pool.test.ts; `npm run bench:workloads` checks it for every workload).
 *
 * `run(input, on)` runs one experiment on an idle worker, or on a new one when none is idle.
 * Every message of the run goes to `on`; `done` resolves with the last one — `done` or `error`
 * from the worker, or `died` when the worker crashed, exited or was killed, or the input could
 * not be sent to it. A worker that died or was killed is never reused; one that finished goes
 * back to the idle list if fewer than `keep` are idle there, else it is terminated. `close()`
 * terminates the idle ones: a host that does not unref its workers (the CLI) must call it, or
 * the idle workers keep the process alive.
 *
 * The worker (worker.ts) takes runs as `{ type: 'run', input }` messages, one at a time (a run is
 * synchronous in the worker).
 */
import { Worker } from 'node:worker_threads';
import type { WorkerScript } from '../worker-script';
import type { PoolRequest, WorkerInput, WorkerMessage } from './protocol';

/** How a run on a pooled worker ended. */
export type PoolFinal =
  | Extract<WorkerMessage, { type: 'done' | 'error' }>
  | { type: 'died'; message: string };

export interface PoolJob {
  /** The run's last message. */
  done: Promise<PoolFinal>;
  /** Terminates the worker at once (the run's record is lost); `done` resolves with `died`. */
  kill(): void;
}

export interface RunWorkerPoolOptions {
  /** Idle workers kept for later runs (0: every worker ends with its run). */
  keep: number;
  /**
   * An idle worker ends after this long unused [ms] (default: never). The last run's machine
   * stays in its heap until its next run or garbage collection; a host that idles (the app)
   * bounds how long.
   */
  idleMs?: number;
  /** Unref the workers (a host that stays alive by itself: the app; never the CLI). */
  unref?: boolean;
}

export class RunWorkerPool {
  private readonly idle: Worker[] = [];
  private readonly timers = new Map<Worker, ReturnType<typeof setTimeout>>();
  private keep: number;
  private readonly unref: boolean;
  private readonly idleMs: number | undefined;
  /** Workers started by this pool so far (for tests and benchmarks). */
  started = 0;

  constructor(private readonly script: WorkerScript, opts: RunWorkerPoolOptions) {
    this.keep = Math.max(0, opts.keep);
    this.unref = opts.unref === true;
    this.idleMs = opts.idleMs;
  }

  run(input: WorkerInput, on: (m: WorkerMessage) => void = () => {}): PoolJob {
    const w = this.take() ?? this.spawn();
    let settle!: (f: PoolFinal) => void;
    const done = new Promise<PoolFinal>((resolve) => { settle = resolve; });
    let ended = false;
    const end = (f: PoolFinal, reusable: boolean) => {
      if (ended) return;
      ended = true;
      w.off('message', onMessage); w.off('error', onError); w.off('exit', onExit);
      if (reusable && this.idle.length < this.keep) this.park(w);
      else void w.terminate();
      settle(f);
    };
    const onMessage = (m: WorkerMessage) => {
      on(m);
      if (m.type === 'done' || m.type === 'error') end(m, true);
    };
    const onError = (e: Error) => end({ type: 'died', message: `run worker crashed: ${e.message}` }, false);
    const onExit = (code: number) => end({ type: 'died', message: `run worker exited (${code}) without a record` }, false);
    w.on('message', onMessage); w.on('error', onError); w.on('exit', onExit);
    const req: PoolRequest = { type: 'run', input };
    try {
      w.postMessage(req);
    } catch (e) {
      // an input that cannot be sent (not structured-cloneable): the run never started
      end({ type: 'died', message: `cannot send the run to its worker: ${e instanceof Error ? e.message : String(e)}` }, false);
    }
    return { done, kill: () => end({ type: 'died', message: 'stopped' }, false) };
  }

  /** Idle workers now. */
  get idleCount(): number { return this.idle.length; }

  /** Terminates the idle workers (running ones end with their runs, and are not kept). */
  async close(): Promise<void> {
    this.keep = 0;
    const ws = this.idle.splice(0);
    for (const w of ws) this.unpark(w);
    await Promise.all(ws.map((w) => w.terminate()));
  }

  /** An idle worker, if any (the most recently used: the warmest). */
  private take(): Worker | undefined {
    const w = this.idle.pop();
    if (w) this.unpark(w);
    return w;
  }

  private park(w: Worker): void {
    this.idle.push(w);
    if (this.idleMs === undefined) return;
    const t = setTimeout(() => {
      this.timers.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) { this.idle.splice(i, 1); void w.terminate(); }
    }, this.idleMs);
    t.unref();
    this.timers.set(w, t);
  }

  private unpark(w: Worker): void {
    const t = this.timers.get(w);
    if (t !== undefined) { clearTimeout(t); this.timers.delete(w); }
  }

  private spawn(): Worker {
    const w = new Worker(this.script);
    if (this.unref) w.unref();
    // an idle worker that dies (it should not) just leaves the idle list
    w.on('exit', () => { const i = this.idle.indexOf(w); if (i >= 0) { this.idle.splice(i, 1); this.unpark(w); } });
    this.started++;
    return w;
  }
}
