/**
 * Bottom results panel: the Output log of this session and the run records of the workspace
 * (runs/*.json). Later issues add charts and the compare view here.
 */
import { useState } from 'react';
import type { FileNode } from '../../../shared/api';
import type { LogEntry } from '../state/log';

interface Props {
  log: LogEntry[];
  runs: FileNode[];
  onOpen(path: string): void;
  onClear(): void;
}

export function ResultsPanel({ log, runs, onOpen, onClear }: Props) {
  const [view, setView] = useState<'output' | 'runs'>('output');
  return (
    <>
      <div className="panel-tabs" role="tablist" aria-label="Results views">
        <button type="button" role="tab" aria-selected={view === 'output'} className={view === 'output' ? 'selected' : ''} onClick={() => setView('output')}>
          Output
        </button>
        <button type="button" role="tab" aria-selected={view === 'runs'} className={view === 'runs' ? 'selected' : ''} onClick={() => setView('runs')}>
          Runs <span className="count">{runs.length}</span>
        </button>
        <span className="spacer" />
        {view === 'output' && (
          <button type="button" className="link-button" onClick={onClear} disabled={!log.length}>
            Clear
          </button>
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
            <p className="muted">Nothing yet. Saves, errors and (soon) run progress appear here.</p>
          ))}
        {view === 'runs' &&
          (runs.length ? (
            <ul className="runs">
              {runs.map((r) => (
                <li key={r.path}>
                  <button type="button" className="link-button" onClick={() => onOpen(r.path)}>
                    {r.name}
                  </button>
                  <span className="muted"> {new Date(r.mtimeMs).toLocaleString()} · {r.size} bytes</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No run records in runs/ yet.</p>
          ))}
      </div>
    </>
  );
}
