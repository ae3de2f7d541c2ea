/**
 * A debug worker thread: hosts one `DebugSession` (src/core/debug) over a run prepared from the
 * experiment, so nothing of a debugged run ever executes on the Electron main thread or the web
 * host's event loop. Requests come as `DebugRequest`s and get one reply each; runs (continue,
 * step, next, step out) go in slices (`advance`) with a turn of the event loop in between, so a
 * pause (the shared flag) and reads are served while a run is in progress. Stops and the guest's
 * console output are posted as they happen.
 *
 * Bundled to out/run/debug-worker.js by scripts/build-cli.mjs; imports only src/core, src/shared
 * types and its siblings.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareExperiment } from '../../core/experiment/run';
import { installGuestCache } from '../guest-cache';
import { DebugSession, type StopEvent } from '../../core/debug/session';
import { DebugError } from '../../core/debug/errors';
import { experimentLineTables } from '../../core/debug/programs';
import { traceNextMiss } from '../../core/debug/miss-path';
import { contentKey } from '../../core/labs/cache';
import type { ThreadRef } from '../../core/debug/inspect';
import type { BreakpointSpec } from '../../core/debug/breakpoints';
import type { DebugQuery, DebugReadResult, DebugStop } from '../../shared/debug/types';
import type { ApiError } from '../../shared/api';
import { consoleFeed } from '../run/console-feed';
import { allThreads, sourceTexts, threadState } from './view';
import type { DebugRequest, DebugWorkerInput, DebugWorkerMessage } from './protocol';

/** Machine time per run slice [cycles]: small enough that a pause is taken within a few ms. */
const SLICE = 2_000_000;
/** Host time between progress messages of a run [ms]: the Debug view refreshes its panes on each. */
const PROGRESS_MS = 500;

const post = (m: DebugWorkerMessage) => parentPort!.postMessage(m);

function main(input: DebugWorkerInput): void {
  installGuestCache();   // the guest build, cached across processes (docs/guest-os.md)
  const prep = prepareExperiment(input.resolved, input.inputs);
  if (!prep.ok) { post({ type: 'ready', ok: false, errors: prep.errors }); return; }
  const p = prep.value;
  const q = p.machine.config.quantumCycles;
  const s = new DebugSession(p, {
    limits: input.resolved.limits,
    lines: experimentLineTables(input.resolved, input.inputs),
    snapshotEvery: Math.round(input.snapshotEvery / q) * q,
    // what a snapshot file must be of: the resolved experiment and every input it was built from
    identity: () => contentKey({ resolved: input.resolved, inputs: input.inputs }, 'debug-snapshot@1'),
  });
  const texts = sourceTexts(input.inputs);
  const feed = consoleFeed(p);
  const pause = new Int32Array(input.pause);
  let running = false;
  const output = () => { const c = feed(); if (c.length) post({ type: 'output', chunks: c }); };
  const stopped = (e: StopEvent): DebugStop => {
    output();
    const stop: DebugStop = {
      reason: e.reason, description: e.description,
      ...(e.thread && { thread: e.thread }), ...(e.breakpoint !== undefined && { breakpoint: e.breakpoint }),
      ...(e.end && { end: { reason: e.end.reason, exitCode: e.end.exitCode ?? null } }),
    };
    post({ type: 'stopped', stop });
    return stop;
  };
  /** A run in slices; the event loop turns between them (reads, the pause flag). */
  const run = async (start: () => void): Promise<DebugStop> => {
    if (running) throw new DebugError('E_BAD_ARGUMENT', 'the session is running: pause it first');
    Atomics.store(pause, 0, 0);
    start();
    running = true;
    let told = Date.now();
    try {
      for (;;) {
        if (Atomics.load(pause, 0) === 1) { Atomics.store(pause, 0, 0); s.pause(); }
        const e = s.advance(SLICE);
        if (e) return stopped(e);
        output();
        const now = Date.now();
        if (now - told >= PROGRESS_MS) { told = now; post({ type: 'progress', cycle: s.position(), instructions: s.totalInstructions() }); }
        await new Promise((r) => setImmediate(r));
      }
    } finally { running = false; }
  };
  /** A synchronous operation (time travel): no run may be in progress. */
  const sync = (f: () => StopEvent): DebugStop => {
    if (running) throw new DebugError('E_BAD_ARGUMENT', 'the session is running: pause it first');
    return stopped(f());
  };
  const state = () => (s.end ? 'ended' : running ? 'running' : 'paused') as 'ended' | 'running' | 'paused';
  const t = (a: unknown) => a as ThreadRef;

  const ops: Record<DebugRequest['op'], (args: unknown[]) => unknown> = {
    info: () => ({ mode: p.monitor ? 'disco' : 'native', threads: allThreads(s), vms: (p.monitor?.vms ?? []).map((v) => ({ id: v.id, name: v.name })), files: [...new Set(s.lines.flatMap((l) => l.files))] }),
    continue: () => run(() => s.startContinue()),
    step: ([th]) => run(() => s.startStep(t(th))),
    next: ([th]) => run(() => s.startNext(t(th))),
    stepOut: ([th]) => run(() => s.startStepOut(t(th))),
    stepBack: ([th, n]) => sync(() => s.stepBack(t(th), n as number)),
    stepForward: ([th, n]) => sync(() => s.stepForward(t(th), n as number)),
    goToCycle: ([c]) => sync(() => s.goToCycle(c as number)),
    reverseContinue: () => sync(() => s.reverseContinue()),
    saveSnapshot: () => { if (running) throw new DebugError('E_BAD_ARGUMENT', 'the session is running: pause it first'); return s.saveSnapshot(); },
    loadSnapshot: ([bytes]) => sync(() => s.loadSnapshot(bytes as Uint8Array)),
    setBreakpoint: ([spec]) => s.setBreakpoint(spec as BreakpointSpec),
    removeBreakpoint: ([id]) => s.removeBreakpoint(id as number),
    breakpoints: () => s.breakpoints(),
    state: ([th]) => threadState(s, t(th), texts, state()),
    read: ([query]) => read(s, query as DebugQuery),
    traceMiss: ([th]) => { if (running) throw new DebugError('E_BAD_ARGUMENT', 'the session is running: pause it first'); const r = traceNextMiss(s, t(th)); output(); return r; },
    traceMatching: ([th, match]) => { const r = traceNextMiss(s, t(th), { match: match as { pc: number; vaddr: number } }); output(); return r; },
  };

  parentPort!.on('message', (m: DebugRequest) => {
    void (async () => {
      try {
        const value = await ops[m.op](m.args);
        post({ type: 'reply', id: m.id, ok: true, value });
      } catch (e) {
        post({ type: 'reply', id: m.id, ok: false, error: toApiError(e) });
      }
    })();
  });
  post({ type: 'ready', ok: true, info: ops.info([]) as never });
}

function read(s: DebugSession, q: DebugQuery): DebugReadResult {
  const i = s.inspect;
  switch (q.what) {
    case 'memory': return { what: 'memory', addr: q.addr, bytes: [...i.readMemory({ space: q.space, addr: q.addr, length: q.length, vm: q.vm, thread: q.thread })] };
    case 'hardwareTlb': return { what: 'hardwareTlb', entries: i.hardwareTlb(q.cpu) };
    case 'virtualTlb': return { what: 'virtualTlb', entries: i.virtualTlb(q.vcpu) };
    case 'l2Tlb': return { what: 'l2Tlb', ...i.l2Tlb(q.vcpu) };
    case 'pmap': return { what: 'pmap', ...i.pmap(q.vm, q.from ?? 0, q.count ?? 256) };
    case 'memmap': return { what: 'memmap', ...i.memmap(q.from ?? 0, q.count ?? 256) };
    case 'missCounters': return { what: 'missCounters', ...i.missCounters(q.page) };
    case 'missHeat': return { what: 'missHeat', ...i.missHeat(q.from ?? 0, q.count ?? 256, q.onlyMissed ?? false) };
    case 'caches': return { what: 'caches', cpus: i.caches() };
  }
}

/** The debugger's typed errors cross as E_DEBUG with their own code first; anything else is a bug. */
function toApiError(e: unknown): ApiError {
  if (e instanceof DebugError) return { code: 'E_DEBUG', message: `${e.code}: ${e.message}` };
  if (e instanceof Error && e.name === 'SnapshotError') return { code: 'E_DEBUG', message: `E_SNAPSHOT: ${e.message}` };
  console.error('debug worker:', e);   // the host's log has the stack; the caller gets the message
  return { code: 'E_INTERNAL', message: `debugger error: ${e instanceof Error ? e.message : String(e)}` };
}

try {
  main(workerData as DebugWorkerInput);
} catch (e) {
  post({ type: 'ready', ok: false, errors: [{ path: '', message: `simulator error: ${e instanceof Error ? e.message : String(e)}` }] });
}
