/**
 * `asm.assemble`: runs the project assembler over a workspace file (or unsaved editor text for
 * it) and returns what the editor needs — diagnostics, symbols, a listing — without bytes.
 *
 * The editor calls this as the user types, so it must never block the host's event loop (the
 * Electron main process or the web host, which serve every window and client). The files are
 * read here (async, confined to the workspace); the assembling happens in a small pool of worker
 * threads ({@link AsmPool}, worker: ./asm-worker.ts), each job bounded in wall time and each
 * thread in heap. A job over a bound is stopped and answered with one diagnostic at line 1,
 * column 1 — "assembly took longer than 5 s; stopped" — and its worker is replaced.
 */
import { Worker } from 'node:worker_threads';
import { workerScript } from '../worker-script';
import { fail, type AsmCheck } from '../../shared/api';
import { readIncludes } from '../../core/experiment/load';
import { joinWorkspacePath, workspaceSource } from '../run/sources';
import type { Workspace } from '../workspace/workspace';
import { ASM_WORKER_TAG, type AsmJob, type AsmReply } from './asm-worker';

/** Largest source `asm.assemble` checks [characters]: a live check is for files being edited. */
export const MAX_ASM_CHARS = 1024 * 1024;

/** Wall time one check may take in its worker before it is stopped [ms]. */
export const ASM_TIME_LIMIT_MS = 5_000;
/** Heap (V8 old generation) of one assembler worker [MiB]; over it the worker is stopped. */
export const ASM_MEMORY_LIMIT_MB = 512;
/** Assembler workers at most (each check occupies one core while it runs). */
export const ASM_POOL_SIZE = 2;
/** Checks waiting for a worker at most; more are refused with E_BUSY. */
export const ASM_MAX_QUEUED = 32;

export interface AsmPoolOptions {
  /** The worker script (default: {@link defaultAsmWorker}). */
  worker?: AsmWorkerSpec;
  size?: number;
  timeLimitMs?: number;
  memoryLimitMb?: number;
  maxQueued?: number;
  /** A worker idle this long is ended (it is started again on demand) [ms]. */
  idleMs?: number;
  /** Longest a worker may take to load before its job fails [ms]. */
  startupMs?: number;
}

/** How to start the worker: a bundled script, or (from the TypeScript sources) a URL to evaluate. */
export type AsmWorkerSpec = string | URL;

/** The assembler worker next to the running code (worker-script.ts). */
export function defaultAsmWorker(): AsmWorkerSpec {
  return workerScript('asm-worker', 'service/asm-worker.ts', import.meta.url);
}

interface Waiter { resolve: (c: AsmCheck) => void; reject: (e: unknown) => void }
interface Job { key: string; root: AsmJob['root']; includes: AsmJob['includes']; waiters: Waiter[] }
interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job & { id: number };
  timer?: ReturnType<typeof setTimeout>;
  idle?: ReturnType<typeof setTimeout>;
  /** Set when the pool ends this worker on purpose (time limit, idle, close). */
  ending?: string;
}

/** An answer that is one error at line 1, column 1 of `path`. */
export function stoppedCheck(path: string, message: string): AsmCheck {
  return { path, ok: false, diagnostics: [{ file: path, line: 1, col: 1, endCol: 2, severity: 'error', message }], symbols: [], listing: [], listingTruncated: false, bytes: 0 };
}

/**
 * A pool of assembler worker threads with a queue. Each job runs with a wall-time bound and
 * each worker with a heap bound (`resourceLimits`); a worker over either is terminated, its job
 * answered with a located "stopped" diagnostic, and a fresh worker started for the next job.
 * Jobs wait in FIFO order; a job still waiting when a newer one for the same path arrives is
 * superseded (latest wins: both callers get the newer text's answer), so a client typing fast
 * never queues more than one check per file. Workers are `unref`'d when idle: they never keep a
 * closing host alive.
 */
export class AsmPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private readonly o: Required<AsmPoolOptions>;

  constructor(opts: AsmPoolOptions = {}) {
    this.o = {
      worker: opts.worker ?? defaultAsmWorker(),
      size: opts.size ?? ASM_POOL_SIZE,
      timeLimitMs: opts.timeLimitMs ?? ASM_TIME_LIMIT_MS,
      memoryLimitMb: opts.memoryLimitMb ?? ASM_MEMORY_LIMIT_MB,
      maxQueued: opts.maxQueued ?? ASM_MAX_QUEUED,
      idleMs: opts.idleMs ?? 60_000,
      startupMs: opts.startupMs ?? 60_000,
    };
  }

  /** Assembles `root` (with its includes) in a worker. Rejects only for host bugs and E_BUSY. */
  check(root: AsmJob['root'], includes: AsmJob['includes']): Promise<AsmCheck> {
    if (this.closed) return Promise.reject(fail('E_UNSUPPORTED', 'the assembler pool is closed'));
    return new Promise<AsmCheck>((resolve, reject) => {
      const waiter = { resolve, reject };
      const queued = this.queue.find((j) => j.key === root.path);
      if (queued) {
        // latest wins: the waiting job now checks the newer text, for every caller
        queued.root = root; queued.includes = includes; queued.waiters.push(waiter);
        return;
      }
      if (this.queue.length >= this.o.maxQueued) { reject(fail('E_BUSY', `${this.queue.length} assembler checks are waiting; try again`)); return; }
      this.queue.push({ key: root.path, root, includes, waiters: [waiter] });
      this.pump();
    });
  }

  /** Workers alive now (for tests and diagnostics). */
  get workers(): number { return this.slots.length; }

  /** Ends every worker; waiting and running jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) for (const w of j.waiters) w.reject(fail('E_UNSUPPORTED', 'the assembler pool is closed'));
    await Promise.all([...this.slots].map((s) => this.end(s, 'closed')));
  }

  private pump(): void {
    while (this.queue.length) {
      const slot = this.slots.find((s) => s.ready && !s.job && !s.ending);
      if (slot) { this.start(slot, this.queue.shift()!); continue; }
      // workers still loading take the queue's head when they report ready
      const alive = this.slots.filter((s) => !s.ending);
      if (alive.filter((s) => !s.ready).length >= this.queue.length || alive.length >= this.o.size) return;
      try {
        this.spawn();
      } catch (e) {
        const head = this.queue.shift()!;
        for (const w of head.waiters) w.reject(e);
      }
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.o.worker, {
      workerData: { tag: ASM_WORKER_TAG },
      resourceLimits: { maxOldGenerationSizeMb: this.o.memoryLimitMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 8 },
    });
    const slot: Slot = { worker, ready: false };
    this.slots.push(slot);
    // a worker that never becomes ready fails the job waiting for it (bundle missing, broken)
    slot.timer = setTimeout(() => void this.end(slot, `the assembler worker did not start within ${this.o.startupMs / 1000} s`), this.o.startupMs);
    worker.on('message', (m: AsmReply) => this.onMessage(slot, m));
    worker.on('error', (e: Error & { code?: string }) => {
      if (slot.ending) return;
      slot.ending = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : `the assembler worker failed: ${e.message}`;
    });
    worker.on('exit', () => this.onExit(slot));
    return slot;
  }

  private onMessage(slot: Slot, m: AsmReply): void {
    if (slot.ending) return; // being stopped: its exit answers the job
    if (m.type === 'ready') {
      clearTimeout(slot.timer); slot.timer = undefined;
      slot.ready = true;
      this.idle(slot);
      this.pump();
      return;
    }
    const job = slot.job;
    if (!job || m.id !== job.id) return;
    clearTimeout(slot.timer); slot.timer = undefined;
    slot.job = undefined;
    if (m.type === 'done') for (const w of job.waiters) w.resolve(m.check);
    else for (const w of job.waiters) w.reject(new Error(`assembler bug on ${job.key}: ${m.message}`));
    this.idle(slot);
    this.pump();
  }

  private start(slot: Slot, job: Job): void {
    if (slot.idle) { clearTimeout(slot.idle); slot.idle = undefined; }
    const id = this.nextId++;
    slot.job = { ...job, id };
    slot.worker.ref(); // a running check keeps the host alive until it is answered
    slot.timer = setTimeout(() => void this.end(slot, 'time'), this.o.timeLimitMs);
    slot.worker.postMessage({ id, root: job.root, includes: job.includes } satisfies AsmJob);
  }

  /** An idle worker is unref'd and ended after `idleMs`. */
  private idle(slot: Slot): void {
    slot.worker.unref();
    slot.idle = setTimeout(() => void this.end(slot, 'idle'), this.o.idleMs);
    slot.idle.unref();
  }

  private async end(slot: Slot, why: string): Promise<void> {
    if (!slot.ending) slot.ending = why;
    await slot.worker.terminate();
  }

  /** A worker is gone (ended by us, out of memory, or crashed): answer its job, then refill. */
  private onExit(slot: Slot): void {
    clearTimeout(slot.timer); clearTimeout(slot.idle);
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    const job = slot.job;
    slot.job = undefined;
    const why = slot.ending ?? 'the assembler worker exited unexpectedly';
    if (job) {
      if (why === 'time') for (const w of job.waiters) w.resolve(stoppedCheck(job.root.path, `assembly took longer than ${this.o.timeLimitMs / 1000} s; stopped`));
      else if (why === 'memory') for (const w of job.waiters) w.resolve(stoppedCheck(job.root.path, `assembly used more than ${this.o.memoryLimitMb} MB of memory; stopped`));
      else if (why === 'closed') for (const w of job.waiters) w.reject(fail('E_UNSUPPORTED', 'the assembler pool is closed'));
      else for (const w of job.waiters) w.reject(new Error(why));
    } else if (!slot.ready && why !== 'idle' && why !== 'closed') {
      // never started: the job at the head of the queue would wait forever for it
      const head = this.queue.shift();
      if (head) for (const w of head.waiters) w.reject(new Error(why));
    }
    if (!this.closed) this.pump();
  }
}

let shared: AsmPool | undefined;
/** The host's pool, created on first use. */
export function defaultAsmPool(): AsmPool {
  return (shared ??= new AsmPool());
}

export async function assembleInWorkspace(ws: Workspace, path: string, text?: string, pool: AsmPool = defaultAsmPool()): Promise<AsmCheck> {
  // Even with text given, the path must be a legal workspace path (confined) — read it if no text.
  if (text !== undefined && joinWorkspacePath('', path) !== path) throw fail('E_PATH_ESCAPE', `${path}: not a plain workspace-relative path`);
  const source = text ?? (await ws.read(path)).content;
  if (source.length > MAX_ASM_CHARS) throw fail('E_TOO_LARGE', `${path}: over ${MAX_ASM_CHARS} characters; too large to check while editing`);
  const root = { path, text: source };
  return pool.check(root, await readIncludes(workspaceSource(ws), root));
}
