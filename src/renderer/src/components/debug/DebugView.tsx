/**
 * The Debug view (issue #17): a debug session of an experiment, hosted in a worker of the host
 * (`debug.*`), opened from the experiment's Debug button or Ctrl+Alt+D. Toolbar (continue F5,
 * pause F6, step F11, next F10, step out Shift+F11, reverse continue, step back / forward N, go
 * to cycle), snapshot files (save / load a `.dlsnap` in the workspace), the thread picker (CPUs,
 * vCPUs), and panes: code (disassembly and source around the pc), registers and CP0 (virtual
 * beside hardware for a vCPU), breakpoints, hardware TLB (with each entry's owner under Disco) /
 * virtual / L2 TLB and pmap, memory, the guest's console, and the inspector: memmap, the miss
 * counters as a heat map by node, the CPUs' cache counters — and "Trace next TLB miss": the same
 * miss natively and under Disco, side by side (MissPathView). Nothing here blocks: every call is
 * asynchronous and the run goes on in the host's worker; while it runs, the panes refresh on the
 * session's progress events (at most every ~500 ms).
 */
import { useCallback, useEffect, useRef, useState, type MutableRefObject } from 'react';
import { api } from '../../api';
import { describeError } from '../../state/log';
import type { BreakpointInfo, BreakpointSpec, DebugStarted, DebugStop, DebugThreadState, ThreadRef } from '../../../../shared/debug/types';
import { BreakpointsPane } from './BreakpointsPane';
import { CachePane } from './CachePane';
import { MemmapPane } from './MemmapPane';
import { MissHeatPane } from './MissHeatPane';
import { SnapshotControls } from './SnapshotControls';
import { CodePane } from './CodePane';
import { DebugToolbar, type DebugAction } from './DebugToolbar';
import { fmt, shortFile } from './format';
import { MemoryPane } from './MemoryPane';
import { MissPathView, type MissShown } from './MissPathView';
import { RegistersPane } from './RegistersPane';
import { TlbPanes } from './TlbPanes';

/** What the host's keys and menu commands can ask of the open Debug view. */
export interface DebugControls { act(a: DebugAction): void }

/** Most console characters kept. */
const MAX_OUTPUT = 64 * 1024;

interface Props {
  experiment: string;
  controls?: MutableRefObject<DebugControls | null>;
  onClose(): void;
  onError(message: string): void;
}

export function DebugView({ experiment, controls, onClose, onError }: Props) {
  const [session, setSession] = useState<DebugStarted>();
  const [failed, setFailed] = useState<string>();
  const [thread, setThread] = useState<ThreadRef>();
  const [st, setSt] = useState<DebugThreadState>();
  const [stop, setStop] = useState<DebugStop | null>(null);
  const [running, setRunning] = useState(false);
  const [bps, setBps] = useState<BreakpointInfo[]>([]);
  const [version, setVersion] = useState(0);
  const [output, setOutput] = useState('');
  const [miss, setMiss] = useState<MissShown>();
  const [tracing, setTracing] = useState(false);
  /** The clock of a run in progress (onDebugProgress). */
  const [progress, setProgress] = useState<number | null>(null);
  const id = session?.sessionId;

  useEffect(() => {
    let cancelled = false, sid: string | undefined;
    setFailed(undefined);
    api.debug.start(experiment).then((s) => {
      if (cancelled) { void api.debug.end(s.sessionId).catch(() => {}); return; }
      sid = s.sessionId;
      setSession(s);
      setThread(s.threads[0]?.ref);
    }, (e) => { if (!cancelled) setFailed(describeError(e)); });
    return () => { cancelled = true; if (sid) void api.debug.end(sid).catch(() => {}); };
  }, [experiment]);

  useEffect(() => {
    if (!id) return;
    return api.onDebugOutput((o) => { if (o.sessionId === id) setOutput((t) => (t + o.text).slice(-MAX_OUTPUT)); });
  }, [id]);

  // while a run is in progress the host tells its clock (at most every ~500 ms): every pane reads again
  useEffect(() => {
    if (!id) return;
    return api.onDebugProgress((p) => {
      if (p.sessionId !== id) return;
      setProgress(p.cycle);
      setVersion((v) => v + 1);
    });
  }, [id]);

  useEffect(() => {
    if (!id || !thread) return;
    let live = true;
    api.debug.state(id, thread).then((s) => live && setSt(s), (e) => live && onError(`Debug: ${describeError(e)}`));
    api.debug.breakpoints(id).then((b) => live && setBps(b), () => {});
    return () => { live = false; };
  }, [id, JSON.stringify(thread), version]);

  const after = (s: DebugStop) => {
    setStop(s);
    if (s.thread && s.reason !== 'end') setThread(s.thread);
    setVersion((v) => v + 1);
  };
  const call = async (f: () => Promise<DebugStop>) => {
    setRunning(true);
    setProgress(null);
    try { after(await f()); } catch (e) { onError(`Debug: ${describeError(e)}`); setVersion((v) => v + 1); } finally { setRunning(false); setProgress(null); }
  };
  const saveSnapshot = async (path: string): Promise<string | null> => {
    if (!id) return null;
    try {
      const f = await api.debug.saveSnapshot(id, path);
      return `Saved ${f.path} (${(f.size / 1e6).toFixed(1)} MB) at cycle ${fmt(st?.cycle ?? 0)}`;
    } catch (e) { onError(`Save snapshot: ${describeError(e)}`); return null; }
  };
  const act = useCallback((a: DebugAction) => {
    if (!id || !thread) return;
    if (a === 'pause') { void api.debug.pause(id).catch((e) => onError(describeError(e))); return; }
    if (running) return;
    if (a === 'continue') void call(() => api.debug.continue(id));
    else void call(() => api.debug[a](id, thread));
  }, [id, thread, running]);
  if (controls) controls.current = { act };

  // F5 / F6 / F10 / F11 / Shift+F11 belong to the debugger while the view is open (browser mode;
  // in Electron the menu sends F5 as a command, which App forwards here)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const map: Record<string, DebugAction> = { F5: 'continue', F6: 'pause', F10: 'next', F11: e.shiftKey ? 'stepOut' : 'step' };
      const a = map[e.key];
      if (!a || e.ctrlKey || e.metaKey || e.altKey) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      act(a);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [act]);

  const addBp = (spec: BreakpointSpec) => {
    if (!id) return;
    api.debug.setBreakpoint(id, spec).then(() => setVersion((v) => v + 1), (e) => onError(`Breakpoint not set: ${describeError(e)}`));
  };
  const removeBp = (bp: number) => { if (id) void api.debug.removeBreakpoint(id, bp).then(() => setVersion((v) => v + 1)); };
  const trace = async () => {
    if (!id || !thread || !session) return;
    setTracing(true);
    try {
      if (session.twin) {
        const c = await api.debug.compareMiss(id, thread);
        setMiss({ native: c.native, disco: c.disco, experiments: c.experiments });
      } else {
        const p = await api.debug.traceMiss(id, thread);
        setMiss({ [p.mode]: p, experiments: { [p.mode]: experiment } });
      }
    } catch (e) {
      onError(`Trace next TLB miss: ${describeError(e)}`);
    } finally {
      setTracing(false);
      setVersion((v) => v + 1);
    }
  };

  const ended = st?.state === 'ended' || stop?.reason === 'end';
  const status = failed ? `Could not start: ${failed}`
    : !session ? 'Starting the session (assembling, building the machine)…'
    : running ? `Running…${progress !== null ? ` cycle ${fmt(progress)}` : ''}`
    : stop ? `${stop.description}${stop.end ? ` (exit code ${stop.end.exitCode ?? '—'})` : ''}`
    : 'Paused before the first instruction: set a breakpoint, then Continue (F5)';
  const cpu = thread && st ? ('cpu' in thread ? thread.cpu : st.thread.onCpu ?? null) : null;
  const vcpu = thread && 'vcpu' in thread ? thread.vcpu : null;
  const vm = vcpu !== null ? st?.thread.vm ?? null : null;
  const vmName = (n: number) => session?.vms.find((v) => v.id === n)?.name ?? `vm${n}`;
  const bottom = useRef<HTMLPreElement>(null);
  useEffect(() => { if (bottom.current) bottom.current.scrollTop = bottom.current.scrollHeight; }, [output]);

  return (
    <section className="debug-view" aria-label="Debug">
      <header className="debug-head">
        <h2 className="compare-title">Debug <span className="mono small">{shortFile(experiment)}</span> {session && <span className="muted small">{session.mode === 'disco' ? 'under Disco' : 'native'}</span>}</h2>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => void trace()} disabled={!session || running || tracing || ended} title="Run the thread to its next TLB miss in user mode and show the path, natively and under Disco">
          {tracing ? 'Tracing…' : 'Trace next TLB miss'}
        </button>
        <button type="button" onClick={onClose} aria-label="Close the Debug view">Close</button>
      </header>
      {session && thread && (
        <DebugToolbar running={running} ended={ended} threads={st?.threads ?? session.threads} thread={thread} onThread={setThread} onAction={act}
          onReverse={() => void call(() => api.debug.reverseContinue(id!))}
          onStepBack={(n) => void call(() => api.debug.stepBack(id!, thread, n))}
          onStepForward={(n) => void call(() => api.debug.stepForward(id!, thread, n))}
          onGoTo={(c) => void call(() => api.debug.goToCycle(id!, c))} />
      )}
      {session && (
        <SnapshotControls initial={`snapshots/${shortFile(experiment).replace(/^.*\//, '').replace(/\.json$/, '')}.dlsnap`} disabled={running}
          onSave={saveSnapshot} onLoad={(path) => void call(() => api.debug.loadSnapshot(id!, path))} />
      )}
      <p className={`debug-status${failed ? ' error-text' : ''}`} data-testid="debug-status" data-state={failed ? 'failed' : !session ? 'starting' : running ? 'running' : ended ? 'ended' : 'paused'} data-reason={stop?.reason ?? ''}>
        {status}
        {st && !running && <span className="muted small"> · cycle {fmt(st.cycle)} · {fmt(st.instructions)} instructions of {st.thread.name}</span>}
      </p>
      {miss && <MissPathView cmp={miss} onClose={() => setMiss(undefined)} />}
      {session && st && thread && (
        <div className="debug-grid">
          <div className="debug-col">
            <CodePane st={st} />
            <BreakpointsPane list={bps} files={session.files} disco={session.mode === 'disco'} vms={session.vms} onAdd={addBp} onRemove={removeBp} />
            <section className="debug-pane" aria-label="Console">
              <h3>Console</h3>
              <pre className="mono debug-console" ref={bottom} data-testid="debug-console">{output}</pre>
            </section>
          </div>
          <div className="debug-col">
            <RegistersPane st={st} />
            <TlbPanes sessionId={id!} cpu={cpu} vcpu={vcpu} vm={vm} version={version} disco={session.mode === 'disco'} vmName={vmName} />
            <MemoryPane sessionId={id!} thread={thread} disco={session.mode === 'disco'} vm={vm ?? 0} pc={st.registers.pc} version={version} />
          </div>
        </div>
      )}
      {session && st && (
        <div className="debug-grid" aria-label="Inspector">
          <div className="debug-col">
            {session.mode === 'disco' && <MemmapPane sessionId={id!} version={version} />}
            <CachePane sessionId={id!} version={version} />
          </div>
          <div className="debug-col">
            <MissHeatPane sessionId={id!} version={version} />
          </div>
        </div>
      )}
    </section>
  );
}
