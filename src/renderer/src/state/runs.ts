/**
 * Runs as the UI sees them: starting and stopping through the API, live progress and console
 * output from `onRunProgress`, the end from `onRunFinished`, and the run records of the
 * workspace (`runs.list`). Nothing is simulated here — the host runs workers.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunFinished, RunProgress, RunSummary } from '../../../shared/api';
import { api } from '../api';
import { describeError, type Log } from './log';

export interface LiveRun {
  runId: string;
  experiment: string;
  name: string;
  state: 'running' | 'stopping' | 'finished' | 'failed';
  progress?: RunProgress;
  /** Console output so far, per source (`machine`, a VM name, `host` for warnings). */
  console: Record<string, string>;
  finished?: RunFinished;
}

/** Longest console text kept per source in the UI [characters]. */
const MAX_CONSOLE = 200_000;

export function useRuns(log: Log, onRecord?: (path: string) => void) {
  const [live, setLive] = useState<LiveRun[]>([]);
  const [records, setRecords] = useState<RunSummary[]>([]);
  const cb = useRef({ log, onRecord });
  cb.current = { log, onRecord };

  const refresh = useCallback(async () => {
    try {
      setRecords(await api.runs.list());
    } catch (e) {
      cb.current.log.error(`Could not list runs: ${describeError(e)}`);
    }
  }, []);

  useEffect(() => {
    void refresh();
    const offP = api.onRunProgress((p) =>
      setLive((ls) => ls.map((l) => {
        if (l.runId !== p.runId) return l;
        const console = { ...l.console };
        for (const c of p.console) console[c.source] = ((console[c.source] ?? '') + c.text).slice(-MAX_CONSOLE);
        // A warning-only event carries no progress numbers.
        return { ...l, console, progress: p.cycles || !l.progress ? p : l.progress };
      })),
    );
    const offF = api.onRunFinished((f) => {
      setLive((ls) => ls.map((l) => (l.runId === f.runId ? { ...l, state: f.ok ? 'finished' : 'failed', finished: f } : l)));
      if (f.ok) {
        cb.current.log.info(`Run ${f.runId} of ${f.experiment} ${f.partial ? `stopped early (${f.reason}) — partial record` : `finished (${f.reason})`}: ${f.path}`);
        if (f.path) cb.current.onRecord?.(f.path);
      } else cb.current.log.error(`Run ${f.runId} of ${f.experiment} failed: ${(f.errors ?? []).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`);
      void refresh();
    });
    return () => { offP(); offF(); };
  }, [refresh]);

  const start = useCallback(async (experiment: string) => {
    try {
      const r = await api.runs.start(experiment);
      setLive((ls) => [...ls.filter((l) => l.state === 'running' || l.state === 'stopping' || l.experiment !== experiment), { runId: r.runId, experiment, name: r.name, state: 'running', console: {} }]);
      cb.current.log.info(`Started ${r.runId}: ${experiment}`);
      return r.runId;
    } catch (e) {
      cb.current.log.error(`Could not start ${experiment}: ${describeError(e)}`);
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

  return { live, records, refresh, start, stop };
}
export type Runs = ReturnType<typeof useRuns>;
