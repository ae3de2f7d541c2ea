/**
 * Labs as the UI sees them: the workspace's labs (`labs.list`), and the lab runs of the host —
 * started here or elsewhere — with their progress (`onLabProgress`, which carries the lab derived
 * so far when a point finishes) and their end (`onLabFinished`). Like runs, lab runs belong to the
 * host: on connect and on progress of an unknown lab run the window asks `labs.active()` and
 * attaches. Nothing is simulated here.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { labFinishedText, type ActiveLab, type LabInfo, type LabProgressEvent, type LabView, type LabFinished } from '../../../shared/api';
import { api, onConnectionStatus } from '../api';
import { describeError, messageAbout, type Log } from './log';

export interface LiveLab {
  labRunId: string;
  path: string;
  name: string;
  state: 'running' | 'stopping' | 'finished' | 'stopped' | 'failed';
  /** Host time of admission [ms since the epoch] (the window's clock for runs started here). */
  startedAt: number;
  workers: number;
  progress?: LabProgressEvent;
  /** The latest derived view (from progress, then from the end). */
  view?: LabView;
  finished?: LabFinished;
}

export const isLabLive = (l: LiveLab | undefined) => l?.state === 'running' || l?.state === 'stopping';

function fromActive(a: ActiveLab): LiveLab {
  return { labRunId: a.labRunId, path: a.path, name: a.name, state: a.state, startedAt: a.startedAt, workers: a.workers, progress: a.progress, view: a.progress?.view };
}

export function useLabs(log: Log) {
  const [list, setList] = useState<LabInfo[]>([]);
  /** Lab runs by lab path: the newest of each. */
  const [live, setLive] = useState<Record<string, LiveLab>>({});
  const known = useRef(new Set<string>());
  const logRef = useRef(log);
  logRef.current = log;

  const refreshList = useCallback(async () => {
    try { setList(await api.labs.list()); } catch (e) { logRef.current.error(`Could not list the labs: ${describeError(e)}`); }
  }, []);

  const attach = useCallback(async () => {
    let active: ActiveLab[];
    try { active = await api.labs.active(); } catch { return; }
    setLive((m) => {
      const next = { ...m };
      for (const l of Object.values(m)) if (isLabLive(l) && !active.some((a) => a.labRunId === l.labRunId)) next[l.path] = { ...l, state: 'finished' };
      for (const a of active) {
        const mine = m[a.path]?.labRunId === a.labRunId ? m[a.path] : undefined;
        next[a.path] = mine ? { ...mine, state: a.state, progress: a.progress ?? mine.progress, view: a.progress?.view ?? mine.view } : fromActive(a);
      }
      return next;
    });
    for (const a of active) {
      if (!known.current.has(a.labRunId)) logRef.current.info(`Attached to lab ${a.name} (${a.labRunId}), running in the host`);
      known.current.add(a.labRunId);
    }
  }, []);

  useEffect(() => {
    void refreshList();
    void attach();
    let pending: ReturnType<typeof setTimeout> | undefined;
    const offP = api.onLabProgress((p) => {
      if (!known.current.has(p.labRunId)) {
        clearTimeout(pending);
        pending = setTimeout(() => void attach(), 50);
        return;
      }
      setLive((m) => {
        const l = Object.values(m).find((x) => x.labRunId === p.labRunId);
        return l ? { ...m, [l.path]: { ...l, progress: p, view: p.view ?? l.view } } : m;
      });
    });
    const offF = api.onLabFinished((f) => {
      let name = f.path;
      setLive((m) => {
        const l = Object.values(m).find((x) => x.labRunId === f.labRunId);
        const base: LiveLab = l ?? { labRunId: f.labRunId, path: f.path, name: f.view?.lab?.name ?? f.path, state: 'finished', startedAt: Date.now(), workers: 0 };
        name = base.name;
        return { ...m, [f.path]: { ...base, state: f.stopped ? 'stopped' : f.ok ? 'finished' : 'failed', finished: f, view: f.view ?? base.view } };
      });
      known.current.add(f.labRunId);
      (f.ok ? logRef.current.info : logRef.current.error)(labFinishedText(f, f.view?.lab?.name ?? name));
    });
    const offC = onConnectionStatus((c) => { if (c) void attach(); });
    return () => { offP(); offF(); offC(); clearTimeout(pending); };
  }, [refreshList, attach]);

  const start = useCallback(async (path: string, jobs?: number) => {
    try {
      const r = await api.labs.run(path, jobs ? { jobs } : undefined);
      known.current.add(r.labRunId);
      setLive((m) => {
        const prev = m[path];
        // Its progress, or even its end (everything cached), may have arrived before this answer.
        if (prev?.labRunId === r.labRunId) return m;
        return { ...m, [path]: { labRunId: r.labRunId, path, name: r.name, state: 'running', startedAt: Date.now(), workers: r.workers, view: prev?.view } };
      });
      logRef.current.info(`Lab ${r.name}: ${r.total} points, ${r.cached} from the cache${r.total > r.cached ? `, ${r.total - r.cached} to run on ${r.workers} worker${r.workers === 1 ? '' : 's'}` : ''}`);
      return r.labRunId;
    } catch (e) {
      logRef.current.error(`Could not run ${path}: ${messageAbout(path, e)}`);
      return undefined;
    }
  }, []);

  const stop = useCallback(async (labRunId: string) => {
    try {
      await api.labs.stop(labRunId);
      setLive((m) => {
        const l = Object.values(m).find((x) => x.labRunId === labRunId);
        return l && l.state === 'running' ? { ...m, [l.path]: { ...l, state: 'stopping' } } : m;
      });
    } catch (e) {
      logRef.current.error(`Could not stop ${labRunId}: ${describeError(e)}`);
    }
  }, []);

  return { list, live, refreshList, start, stop, attach };
}
export type Labs = ReturnType<typeof useLabs>;
