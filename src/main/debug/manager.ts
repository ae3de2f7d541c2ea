/**
 * The debug manager: hosts debug sessions in worker threads (never on the Electron main thread
 * or the web host's event loop), one worker per session, and relays their stops and console
 * output as `onDebugStopped` / `onDebugOutput`. Sessions belong to the host: `sessions()` lists
 * them so a window that reloads re-attaches.
 *
 * `compareMiss` traces the next TLB miss in the session, then the same miss in the experiment's
 * twin (the other mode, twin.ts) in a short-lived worker of its own started from the beginning:
 * the two miss paths side by side.
 *
 * Admission is atomic as the run manager's: a start takes its slot before its first `await`.
 */
import { Worker } from 'node:worker_threads';
import { workerScript, type WorkerScript } from '../worker-script';
import { fail, type DiscoEmit } from '../../shared/api';
import type { FileStat } from '../../shared/api/types';
import type { BreakpointInfo, DebugQuery, DebugReadResult, DebugSessionInfo, DebugStarted, DebugStop, DebugThreadState, MissComparison, MissPath, ThreadRef } from '../../shared/debug/types';
import type { BreakpointSpec } from '../../core/debug/breakpoints';
import type { Workspace } from '../workspace/workspace';
import { loadExperiment } from '../run/load';
import { debugRefusal } from '../../core/debug/supported';
import { findTwin } from './twin';
import type { DebugOp, DebugWorkerInput, DebugWorkerMessage, WorkerInfo } from './protocol';

/** Debug sessions per host at once (each holds a machine; compareMiss's twin needs one more, briefly). */
export const MAX_DEBUG_SESSIONS = 4;
/** Default cycles between time-travel snapshots. */
export const DEFAULT_SNAPSHOT_EVERY = 1_000_000;
/** Largest snapshot file saved or loaded [bytes] (a machine of 32 MiB and its disks is ≈ 1.4 MB; memory in use dominates). */
export const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;

export function defaultDebugWorkerPath(): WorkerScript {
  return workerScript('debug-worker', 'debug/worker.ts', import.meta.url);
}

/** One worker and its pending requests. */
class Host {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  readonly pause: Int32Array;
  dead: string | null = null;

  constructor(readonly worker: Worker, pause: SharedArrayBuffer, private readonly onMessage: (m: DebugWorkerMessage) => void) {
    this.pause = new Int32Array(pause);
    worker.on('message', (m: DebugWorkerMessage) => {
      if (m.type === 'reply') {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (p) { if (m.ok) p.resolve(m.value); else p.reject(fail(m.error.code, m.error.message)); }
      } else onMessage(m);
    });
    const gone = (why: string) => {
      this.dead ??= why;
      for (const p of this.pending.values()) p.reject(fail('E_NO_SESSION', `the debug session ended (${why})`));
      this.pending.clear();
    };
    worker.on('error', (e) => gone(`its worker crashed: ${e.message}`));
    worker.on('exit', () => gone('its worker exited'));
  }

  call<T>(op: DebugOp, ...args: unknown[]): Promise<T> {
    if (this.dead) return Promise.reject(fail('E_NO_SESSION', `the debug session ended (${this.dead})`));
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, op, args });
    });
  }
}

interface Session { info: DebugSessionInfo; host: Host }

export interface DebugManagerOptions {
  workspace: () => Workspace;
  emit?: DiscoEmit;
  workerPath?: WorkerScript;
  resources?: string;
}

export class DebugManager {
  private nextId = 1;
  private readonly live = new Map<string, Session>();
  private starting = 0;

  constructor(private readonly opts: DebugManagerOptions) {}

  get busy(): number { return this.live.size + this.starting; }

  sessions(): DebugSessionInfo[] { return [...this.live.values()].map((s) => ({ ...s.info })); }

  async start(path: string, o: { snapshotEvery?: number } = {}): Promise<DebugStarted> {
    if (this.busy >= MAX_DEBUG_SESSIONS) throw fail('E_BUSY', `${MAX_DEBUG_SESSIONS} debug sessions are open; end one first`);
    this.starting++;
    try {
      const sessionId = `dbg-${this.nextId++}`;
      const { host, info } = await this.spawn(path, o.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY, (m) => this.relay(sessionId, m));
      const twin = await findTwin(this.opts.workspace(), path);
      const started: DebugStarted = { sessionId, experiment: path, name: info.name, mode: info.mode, threads: info.threads, vms: info.vms, files: info.files, twin };
      this.live.set(sessionId, { host, info: { ...started, state: 'paused', lastStop: null } });
      return started;
    } finally {
      this.starting--;
    }
  }

  /** Loads `path` (validated as runs are) and starts a worker on it; resolves once its session is built. */
  private async spawn(path: string, snapshotEvery: number, relay: (m: DebugWorkerMessage) => void): Promise<{ host: Host; info: WorkerInfo & { name: string } }> {
    const loaded = await loadExperiment(this.opts.workspace(), path, this.opts.resources);
    if (!loaded.ok) throw fail('E_INVALID_INPUT', `${path}: ${loaded.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`);
    const { resolved, programs, diskImage, vms, guest } = loaded.value;
    const refused = debugRefusal(resolved.experiment);
    if (refused) throw fail('E_UNSUPPORTED', `${path}: ${refused}`);
    const pause = new SharedArrayBuffer(4);
    const input: DebugWorkerInput = { resolved, inputs: { programs, diskImage, vms, guest }, snapshotEvery, pause };
    const worker = new Worker(this.opts.workerPath ?? defaultDebugWorkerPath(), { workerData: input });
    worker.unref();
    return new Promise((resolve, reject) => {
      let ready = false;
      const host = new Host(worker, pause, (m) => {
        if (m.type !== 'ready') { relay(m); return; }
        ready = true;
        if (m.ok) resolve({ host, info: { ...m.info, name: resolved.experiment.name } });
        else { void worker.terminate(); reject(fail('E_INVALID_INPUT', `${path}: ${m.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`)); }
      });
      worker.once('exit', () => { if (!ready) reject(fail('E_INTERNAL', `${path}: the debug worker exited before its session was ready`)); });
    });
  }

  private relay(sessionId: string, m: DebugWorkerMessage): void {
    const s = this.live.get(sessionId);
    if (m.type === 'stopped') {
      if (s) { s.info.lastStop = m.stop; s.info.state = m.stop.reason === 'end' ? 'ended' : 'paused'; }
      this.opts.emit?.('onDebugStopped', { sessionId, stop: m.stop });
    } else if (m.type === 'output') {
      for (const c of m.chunks) this.opts.emit?.('onDebugOutput', { sessionId, ...c });
    } else if (m.type === 'progress') {
      this.opts.emit?.('onDebugProgress', { sessionId, cycle: m.cycle, instructions: m.instructions });
    }
  }

  private get(id: string): Session {
    const s = this.live.get(id);
    if (!s) throw fail('E_NO_SESSION', `${id} is not a debug session of this host`);
    return s;
  }

  end(id: string): void {
    const s = this.get(id);
    this.live.delete(id);
    void s.host.worker.terminate();
    this.opts.emit?.('onDebugEnded', { sessionId: id, reason: 'ended' });
  }

  endAll(): void { for (const id of [...this.live.keys()]) this.end(id); }

  pause(id: string): void { Atomics.store(this.get(id).host.pause, 0, 1); }

  /** A run-control call: the session is "running" until it resolves. */
  private async control(id: string, op: DebugOp, ...args: unknown[]): Promise<DebugStop> {
    const s = this.get(id);
    s.info.state = 'running';
    try { return await s.host.call<DebugStop>(op, ...args); } finally { if (s.info.state === 'running') s.info.state = 'paused'; }
  }

  continue(id: string): Promise<DebugStop> { return this.control(id, 'continue'); }
  step(id: string, t: ThreadRef): Promise<DebugStop> { return this.control(id, 'step', t); }
  next(id: string, t: ThreadRef): Promise<DebugStop> { return this.control(id, 'next', t); }
  stepOut(id: string, t: ThreadRef): Promise<DebugStop> { return this.control(id, 'stepOut', t); }
  stepBack(id: string, t: ThreadRef, n: number): Promise<DebugStop> { return this.control(id, 'stepBack', t, n); }
  stepForward(id: string, t: ThreadRef, n: number): Promise<DebugStop> { return this.control(id, 'stepForward', t, n); }
  goToCycle(id: string, c: number): Promise<DebugStop> { return this.control(id, 'goToCycle', c); }
  reverseContinue(id: string): Promise<DebugStop> { return this.control(id, 'reverseContinue'); }

  /** The session's machine as a `.dlsnap` file at workspace path `path` (confined; written atomically). */
  async saveSnapshot(id: string, path: string): Promise<FileStat> {
    const bytes = await this.get(id).host.call<Uint8Array>('saveSnapshot');
    return this.opts.workspace().writeBytes(path, bytes, MAX_SNAPSHOT_BYTES);
  }

  /** Restores the session's machine from the `.dlsnap` file at `path`; the worker refuses one of another experiment. */
  async loadSnapshot(id: string, path: string): Promise<DebugStop> {
    this.get(id);
    const bytes = await this.opts.workspace().readBytes(path, MAX_SNAPSHOT_BYTES);
    return this.control(id, 'loadSnapshot', bytes);
  }
  setBreakpoint(id: string, spec: BreakpointSpec): Promise<BreakpointInfo> { return this.get(id).host.call('setBreakpoint', spec); }
  removeBreakpoint(id: string, bp: number): Promise<boolean> { return this.get(id).host.call('removeBreakpoint', bp); }
  breakpoints(id: string): Promise<BreakpointInfo[]> { return this.get(id).host.call('breakpoints'); }
  state(id: string, t: ThreadRef): Promise<DebugThreadState> { return this.get(id).host.call('state', t); }
  read(id: string, q: DebugQuery): Promise<DebugReadResult> { return this.get(id).host.call('read', q); }
  traceMiss(id: string, t: ThreadRef): Promise<MissPath> { return this.get(id).host.call('traceMiss', t); }

  /**
   * The next TLB miss of `t` here, and the same miss in the twin experiment (from its start, in a
   * worker of its own, ended after): thread k of one run is thread k of the other (vCPU k ↔ CPU k).
   */
  async compareMiss(id: string, t: ThreadRef): Promise<MissComparison> {
    const s = this.get(id);
    const twin = s.info.twin;
    if (!twin) throw fail('E_DEBUG', `E_NO_TWIN: ${s.info.experiment} has no twin experiment in the other mode beside it (name it with -native ↔ -disco)`);
    if (this.busy >= MAX_DEBUG_SESSIONS + 1) throw fail('E_BUSY', 'too many debug sessions to start the twin run; end one first');
    const here = await s.host.call<MissPath>('traceMiss', t);
    this.starting++;
    let other: Host | undefined;
    try {
      const k = 'cpu' in t ? t.cpu : t.vcpu;
      const spawned = await this.spawn(twin, 0, () => {});
      other = spawned.host;
      const there = await other.call<MissPath>('traceMatching', spawned.info.mode === 'disco' ? { vcpu: k } : { cpu: k }, { pc: here.faultPc, vaddr: here.vaddr });
      const mine = s.info.mode;
      return mine === 'native'
        ? { native: here, disco: there, experiments: { native: s.info.experiment, disco: twin } }
        : { native: there, disco: here, experiments: { native: twin, disco: s.info.experiment } };
    } finally {
      this.starting--;
      if (other) void other.worker.terminate();
    }
  }
}
