/**
 * Bottom results panel: the Output log of this session, the live Console of runs (per source:
 * the machine, or each VM under Disco), and the Runs — those running in the host (whichever
 * window started them; Stop works from here) and the run records of the workspace (runs/*.json).
 */
import { useState } from 'react';
import type { RunSummary } from '../../../shared/api';
import type { LogEntry } from '../state/log';
import type { LiveRun } from '../state/runs';

export type ResultsView = 'output' | 'console' | 'runs';

interface Props {
  view: ResultsView;
  onView(v: ResultsView): void;
  log: LogEntry[];
  runs: RunSummary[];
  live: LiveRun[];
  onOpen(path: string): void;
  onClear(): void;
  onCompare(paths: string[]): void;
  onStop(runId: string): void;
  /** The run whose console is shown (default: the newest). */
  consoleRun?: string;
  onConsoleRun(runId: string): void;
}

export function ResultsPanel({ view, onView, log, runs, live, onOpen, onClear, onCompare, onStop, consoleRun, onConsoleRun }: Props) {
  const [picked, setPicked] = useState<string[]>([]);
  const chosen = picked.filter((p) => runs.some((r) => r.path === p));
  const shown = live.find((l) => l.runId === consoleRun) ?? live[live.length - 1];
  const running = live.filter((l) => l.state === 'running' || l.state === 'stopping');
  const tabBtn = (v: ResultsView, label: React.ReactNode) => (
    <button type="button" role="tab" aria-selected={view === v} className={view === v ? 'selected' : ''} onClick={() => onView(v)}>
      {label}
    </button>
  );
  return (
    <>
      <div className="panel-tabs" role="tablist" aria-label="Results views">
        {tabBtn('output', 'Output')}
        {tabBtn('console', <>Console{running.length > 0 && <span className="count live" aria-label="a run is live">●</span>}</>)}
        {tabBtn('runs', <>Runs <span className="count">{runs.length}</span>{running.length > 0 && <span className="count live">{running.length} running</span>}</>)}
        <span className="spacer" />
        {view === 'output' && (
          <button type="button" className="link-button" onClick={onClear} disabled={!log.length}>
            Clear
          </button>
        )}
        {view === 'runs' && (
          <button type="button" onClick={() => onCompare(chosen)} disabled={chosen.length < 2} title="Tick two or more runs to compare them">
            Compare {chosen.length >= 2 ? chosen.length : ''} selected
          </button>
        )}
        {view === 'console' && shown && (shown.state === 'running' || shown.state === 'stopping') && (
          <button type="button" onClick={() => onStop(shown.runId)} disabled={shown.state === 'stopping'}>{shown.state === 'stopping' ? 'Stopping…' : `Stop ${shown.runId}`}</button>
        )}
        {view === 'console' && live.length > 1 && (
          <select aria-label="Run whose console is shown" value={shown?.runId} onChange={(e) => onConsoleRun(e.target.value)}>
            {live.map((l) => <option key={l.runId} value={l.runId}>{l.runId}: {l.name} ({l.state})</option>)}
          </select>
        )}
      </div>
      <div className="results-body" role="tabpanel">
        {view === 'output' &&
          (log.length ? (
            <ol className="log" aria-label="Output" aria-live="polite">
              {log.map((e) => (
                <li key={e.id} className={e.level}>
                  <span className="log-time">{e.time}</span> {e.text}
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">Nothing yet. Saves, errors and run events appear here.</p>
          ))}
        {view === 'console' &&
          (shown ? (
            <div className={`consoles${Object.keys(shown.console).length > 1 ? ' many' : ''}`} data-testid="live-console" data-run={shown.runId}>
              {Object.keys(shown.console).length === 0 && <p className="muted">{shown.runId} ({shown.name}): no console output yet{shown.state === 'running' ? ' — the machine is starting' : ''}.</p>}
              {Object.entries(shown.console).map(([source, text]) => (
                <section key={source} aria-label={`Console of ${source}`}>
                  <h4>{shown.name} · {source}</h4>
                  <pre className="console">{text}</pre>
                </section>
              ))}
            </div>
          ) : (
            <p className="muted">No run yet. Open a program and press F5, or an experiment and press Run.</p>
          ))}
        {view === 'runs' && (
          <>
            {running.length > 0 && (
              <table className="data runs-table" aria-label="Running">
                <thead><tr><th>running</th><th>experiment</th><th>state</th><th className="num">cycles</th><th></th></tr></thead>
                <tbody>
                  {running.map((l) => (
                    <tr key={l.runId} data-testid="running-run">
                      <td className="mono">{l.runId}</td>
                      <td><button type="button" className="link-button" onClick={() => onOpen(l.experiment)}>{l.experiment}</button></td>
                      <td>{l.state}{l.attached ? ' (attached)' : ''}</td>
                      <td className="num">{(l.progress?.cycles ?? 0).toLocaleString('en-US')}</td>
                      <td>
                        <button type="button" className="link-button" onClick={() => { onConsoleRun(l.runId); onView('console'); }}>Console</button>
                        <button type="button" onClick={() => onStop(l.runId)} disabled={l.state === 'stopping'} aria-label={`Stop ${l.runId}`}>Stop</button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {runs.length ? (
              <table className="data runs-table">
                <thead><tr><th aria-label="Select"></th><th>record</th><th>mode</th><th>status</th><th className="num">cycles</th><th className="num">CPUs</th><th>saved</th></tr></thead>
                <tbody>
                  {runs.map((r) => (
                    <tr key={r.path}>
                      <td><input type="checkbox" aria-label={`Select ${r.path} for comparison`} checked={chosen.includes(r.path)} onChange={(e) => setPicked((ps) => (e.target.checked ? [...ps, r.path] : ps.filter((p) => p !== r.path)))} /></td>
                      <td><button type="button" className="link-button" title={r.path} onClick={() => onOpen(r.path)}>{r.path.replace(/^runs\//, '')}</button></td>
                      <td>{r.mode}</td>
                      <td>{r.partial ? <span className="chip warn">partial — {r.reason}</span> : r.reason}</td>
                      <td className="num">{r.cycles.toLocaleString('en-US')}</td>
                      <td className="num">{r.cpuCount}</td>
                      <td className="muted">{new Date(r.mtimeMs).toLocaleString()}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">No run records in runs/ yet.</p>
            )}
          </>
        )}
      </div>
    </>
  );
}
