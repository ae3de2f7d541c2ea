/**
 * Runs as the UI sees them: starting and stopping through the API, live progress and console
 * output from `onRunProgress`, the end from `onRunFinished`, and the run records of the
 * workspace (`runs.list`). Nothing is simulated here — the host runs workers.
 *
 * Runs belong to the host: on connect (first load, a reload, a reconnect) and whenever progress
 * arrives for a run this window does not know (started elsewhere), the window asks
 * `runs.active()` and attaches — the run is listed, its console so far is shown and followed,
 * and Stop works.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ActiveRun, RunFinished, RunProgress, RunSummary } from '../../../shared/api';
import { api, onConnectionStatus } from '../api';
import { describeError, messageAbout, type Log } from './log';

export interface LiveRun {
  runId: string;
  experiment: string;
  name: string;
  state: 'running' | 'stopping' | 'finished' | 'failed';
  /** Host time the run was admitted [ms since the epoch]. */
  startedAt: number;
  progress?: RunProgress;
  /** Console output so far, per source (`machine`, a VM name, `host` for warnings). */
  console: Record<string, string>;
  finished?: RunFinished;
  /** Attached after a reload or from another window (not started here). */
  attached?: boolean;
}

/** Longest console text kept per source in the UI [characters]. */
const MAX_CONSOLE = 200_000;

/** A live run from the host's `runs.active()` entry. */
export function fromActive(a: ActiveRun): LiveRun {
  const console: Record<string, string> = {};
  for (const c of a.console) console[c.source] = ((console[c.source] ?? '') + c.text).slice(-MAX_CONSOLE);
  return { runId: a.runId, experiment: a.experiment, name: a.name, state: a.state, startedAt: a.startedAt, progress: a.progress, console, attached: true };
}

export { expectedCycles, progressFraction } from './progress';

export function useRuns(log: Log, onRecord?: (path: string, f: RunFinished) => void) {
  const [live, setLive] = useState<LiveRun[]>([]);
  const [records, setRecords] = useState<RunSummary[]>([]);
  const cb = useRef({ log, onRecord });
  cb.current = { log, onRecord };
  const known = useRef(new Set<string>());
  /**
   * Events of runs this window started that arrived before `runs.start` answered (a run that ends
   * in a fraction of a second): kept until `start` adds the run, which then applies them.
   */
  const early = useRef(new Map<string, { progress?: RunProgress; console: Record<string, string>; finished?: RunFinished }>());

  const refresh = useCallback(async () => {
    try {
      setRecords(await api.runs.list());
    } catch (e) {
      cb.current.log.error(`Could not list runs: ${describeError(e)}`);
    }
  }, []);

  /** Lists the host's running runs and attaches to those this window does not follow yet. */
  const attach = useCallback(async () => {
    let active: ActiveRun[];
    try { active = await api.runs.active(); } catch { return; }
    const ids = new Set(active.map((a) => a.runId));
    let vanished = false;
    setLive((ls) => {
      const mine = new Set(ls.map((l) => l.runId));
      const next = ls.map((l): LiveRun => {
        const a = active.find((x) => x.runId === l.runId);
        if (a) return { ...l, state: a.state, progress: a.progress?.cycles ? a.progress : l.progress };
        // Ended while this window was away (its onRunFinished was missed): its record is in Runs.
        if ((l.state === 'running' || l.state === 'stopping') && !ids.has(l.runId)) { vanished = true; return { ...l, state: 'finished' }; }
        return l;
      });
      for (const a of active) if (!mine.has(a.runId)) next.push(fromActive(a));
      return next;
    });
    if (vanished) void refresh();
    for (const a of active) {
      if (!known.current.has(a.runId)) cb.current.log.info(`Attached to ${a.runId} (${a.experiment}), running in the host`);
      known.current.add(a.runId);
      early.current.delete(a.runId);
    }
  }, [refresh]);

  useEffect(() => {
    void refresh();
    void attach();
    let pending: ReturnType<typeof setTimeout> | undefined;
    const offP = api.onRunProgress((p) => {
      if (!known.current.has(p.runId)) {
        // Started by this window and not answered yet (kept for `start`), or by another window
        // (or before this one loaded): attach once it is listed.
        const e = early.current.get(p.runId) ?? { console: {} };
        for (const c of p.console) e.console[c.source] = ((e.console[c.source] ?? '') + c.text).slice(-MAX_CONSOLE);
        if (p.cycles || !e.progress) e.progress = p;
        early.current.set(p.runId, e);
        if (early.current.size > 64) early.current.delete(early.current.keys().next().value!);   // other windows' runs: bounded
        clearTimeout(pending);
        pending = setTimeout(() => void attach(), 50);
        return;
      }
      setLive((ls) => ls.map((l) => {
        if (l.runId !== p.runId) return l;
        const console = { ...l.console };
        for (const c of p.console) console[c.source] = ((console[c.source] ?? '') + c.text).slice(-MAX_CONSOLE);
        // A warning-only event carries no new figures.
        return { ...l, console, progress: p.cycles || !l.progress ? p : l.progress };
      }));
    });
    const offF = api.onRunFinished((f) => {
      if (!known.current.has(f.runId)) early.current.set(f.runId, { ...(early.current.get(f.runId) ?? { console: {} }), finished: f });
      setLive((ls) => ls.map((l) => (l.runId === f.runId ? { ...l, state: f.ok ? 'finished' : 'failed', finished: f } : l)));
      if (f.ok) {
        cb.current.log.info(`Run ${f.runId} of ${f.experiment} ${f.partial ? `stopped early (${f.reason}) — partial record` : `finished (${f.reason})`}: ${f.path}`);
        if (f.path) cb.current.onRecord?.(f.path, f);
      } else cb.current.log.error(`Run ${f.runId} of ${f.experiment} failed: ${(f.errors ?? []).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`);
      void refresh();
    });
    const offC = onConnectionStatus((c) => { if (c) void attach(); });
    return () => { offP(); offF(); offC(); clearTimeout(pending); };
  }, [refresh, attach]);

  const start = useCallback(async (experiment: string) => {
    try {
      const r = await api.runs.start(experiment);
      known.current.add(r.runId);
      const e = early.current.get(r.runId);
      early.current.delete(r.runId);
      const entry: LiveRun = { runId: r.runId, experiment, name: r.name, state: 'running', startedAt: Date.now(), console: e?.console ?? {}, progress: e?.progress };
      if (e?.finished) Object.assign(entry, { state: e.finished.ok ? 'finished' : 'failed', finished: e.finished });
      setLive((ls) => {
        // already followed (attached while its answer was on the way): keep what it has
        const mine = ls.find((l) => l.runId === r.runId);
        const rest = ls.filter((l) => l.runId !== r.runId && (l.state === 'running' || l.state === 'stopping' || l.experiment !== experiment));
        return [...rest, mine ? { ...mine, ...(e?.finished ? { state: entry.state, finished: e.finished } : {}) } : entry];
      });
      cb.current.log.info(`Started ${r.runId}: ${experiment}`);
      return r.runId;
    } catch (e) {
      cb.current.log.error(`Could not start ${experiment}: ${messageAbout(experiment, e)}`);
      return undefined;
    }
  }, []);

  const stop = useCallback(async (runId: string) => {
    try {
      await api.runs.stop(runId);
      setLive((ls) => ls.map((l) => (l.runId === runId && l.state === 'running' ? { ...l, state: 'stopping' } : l)));
    } catch (e) {
      cb.current.log.error(`Could not stop ${runId}: ${describeError(e)}`);
    }
  }, []);

  return { live, records, refresh, start, stop, attach };
}
export type Runs = ReturnType<typeof useRuns>;
