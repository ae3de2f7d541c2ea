/**
 * The Labs view: the view of a lab file (labs/*.json; its Source is the JSON editor with the lab
 * schema). Pick a lab, Run it (progress with the ETA, Stop), and see our figure beside the
 * paper's in the paper's layout, or the derived values as a table; the shape checks, green or red,
 * with their explanation and the numbers that decided them; every point one click away from its
 * run record (a bar, the point links, the table).
 *
 * What is shown comes from the host: `labs.result` derives the lab from the cache when the view
 * opens (instant when every point is cached; points without a record are named), and a running
 * lab's progress events carry the lab derived so far, so the figure fills in as points finish.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { checkState, fmtLabValue, fmtSeconds, labProgressText, labTable, pointLabel, toCsv, type LabInfo, type LabView as LabViewData } from '../../../shared/api';
import { api } from '../api';
import { describeError } from '../state/log';
import { isLabLive, type LiveLab } from '../state/labs';
import { download } from './export';
import { LabFigure, LabLegend } from './LabFigure';
import { ChartExports } from './RunView';

interface Props {
  path: string;
  /** The file's text on disk (the view re-derives when it changes) and whether the tab has unsaved edits. */
  saved: string;
  dirty: boolean;
  labs: LabInfo[];
  live?: LiveLab;
  onRun(path: string): void;
  onStop(labRunId: string): void;
  /** Opens a workspace file (another lab, an experiment). */
  onOpen(path: string): void;
  /** Opens the run record of a point. */
  onOpenPoint(path: string, pointId: string): void;
}

const MARK = { pass: '✓', fail: '✗', pending: '…' } as const;
const MARK_LABEL = { pass: 'passes', fail: 'fails', pending: 'not decided yet: points have no record' } as const;

/** Most point links listed under the figure (the table has them all). */
const MAX_POINT_LINKS = 24;

export function LabView({ path, saved, dirty, labs, live, onRun, onStop, onOpen, onOpenPoint }: Props) {
  /** The last `labs.result`, and which lab run had ended when it was asked for. */
  const [fetched, setFetched] = useState<{ ended: string; view: LabViewData }>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [mode, setMode] = useState<'figure' | 'table'>('figure');
  /** The description in full (else two lines). */
  const [more, setMore] = useState(false);
  const chartRef = useRef<HTMLDivElement>(null);
  const running = isLabLive(live);
  const endedAt = live?.finished ? live.labRunId : '';

  // Derive from the cache when the view opens, when the file changes on disk and after a run ends.
  useEffect(() => {
    let on = true;
    setError(undefined);
    setLoading(true);
    api.labs.result(path).then(
      (view) => { if (on) { setFetched({ ended: endedAt, view }); setLoading(false); } },
      (e) => { if (on) { setError(describeError(e)); setLoading(false); } },
    );
    return () => { on = false; };
  }, [path, saved, endedAt]);

  // The newest of: what the running (or just ended) lab sent, what the cache gave.
  const fresh = fetched && fetched.view.path === path && (running ? false : fetched.ended === endedAt);
  const view: LabViewData | undefined = fresh ? fetched.view : (live?.view ?? (fetched?.view.path === path ? fetched.view : undefined));
  const lab = view?.lab;
  const result = view?.result;
  const info = labs.find((l) => l.path === path);
  const table = useMemo(() => (lab && result ? labTable(lab, result) : undefined), [lab, result]);
  const pointOf = (id: string) => view?.points.find((p) => p.id === id);
  const missing = new Set(result?.missing ?? []);
  const incomplete = missing.size > 0;
  const progress = running ? live?.progress : undefined;
  const elapsed = useElapsed(running ? live?.startedAt : undefined);

  const exportCsv = () => {
    if (!table || !lab) return;
    const rows = table.rows.map((r) => ({
      point: r.pointId, ...r.params,
      ...Object.fromEntries(table.columns.flatMap((c, i) => (c.kind === 'figure' ? [[c.metric, r.cells[i].ours], [`${c.metric} (paper)`, r.cells[i].paper]] : [[c.metric, r.cells[i].ours]]))),
      record: pointOf(r.pointId)?.record ?? '',
    }));
    const checks = (result?.checks ?? []).map((c) => ({ check: c.name, pass: c.pass, explanation: c.explanation, detail: c.detail.join(' | ') }));
    download(`${lab.name}-lab.csv`, new Blob([[`# ${lab.title}`, toCsv(rows), '# checks', toCsv(checks)].join('\r\n')], { type: 'text/csv' }));
  };

  const status = (() => {
    if (running && progress) return labProgressText(progress);
    if (running) return 'Loading the points…';
    const f = live?.finished;
    if (f) {
      const how = `${f.ran} run, ${f.cached} from the cache, in ${fmtSeconds(f.seconds)}`;
      return f.stopped ? `Stopped (${how}); ${result?.missing.length ?? 0} points have no record yet` : f.ok ? `Finished: ${how}` : `Failed (${how})`;
    }
    if (!view || !result) return loading ? 'Reading the cache…' : '';
    const n = view.points.length;
    if (!result.missing.length) return `All ${n} points from the cache (${(view.seconds * 1000).toFixed(0)} ms) — nothing to run`;
    return `${n - result.missing.length} of ${n} points in the cache; Run computes the other ${result.missing.length}`;
  })();

  return (
    <div className="run-view lab-view" data-testid="lab-view">
      <div className="toolbar-row">
        <label>
          Lab{' '}
          <select aria-label="Lab" value={path} onChange={(e) => onOpen(e.target.value)}>
            {!info && <option value={path}>{path}</option>}
            {labs.map((l) => <option key={l.path} value={l.path}>{l.name}{l.valid ? ` — ${l.title}` : ' (invalid)'}</option>)}
          </select>
        </label>
        {running ? (
          <button type="button" onClick={() => live && onStop(live.labRunId)} disabled={live?.state === 'stopping'}>{live?.state === 'stopping' ? 'Stopping…' : 'Stop'}</button>
        ) : (
          <button type="button" className="primary" onClick={() => onRun(path)} disabled={!lab || view!.errors.length > 0} title="Run the points the cache lacks (Ctrl+S first when edited)">
            {dirty ? 'Save and run' : 'Run'}
          </button>
        )}
        <span className="spacer" />
        <span className="view-switch inline" role="group" aria-label="Show">
          <button type="button" className={mode === 'figure' ? 'selected' : ''} aria-pressed={mode === 'figure'} onClick={() => setMode('figure')}>Figure</button>
          <button type="button" className={mode === 'table' ? 'selected' : ''} aria-pressed={mode === 'table'} onClick={() => setMode('table')}>Table</button>
        </span>
        <span className="export-buttons" role="group" aria-label="Export">
          {mode === 'figure' && lab?.figure.type !== 'table' && <ChartExports target={() => chartRef.current} name={lab?.name ?? 'lab'} onError={setError} />}
          <button type="button" onClick={exportCsv} disabled={!table}>CSV</button>
        </span>
      </div>

      {lab && (
        <header className="run-head">
          <h2>{lab.title}</h2>
          {lab.description && (lab.description.length > 180 ? (
            // Two lines; a click (or Enter) shows it all.
            <p className={`lab-desc toggle${more ? '' : ' clamped'}`} role="button" tabIndex={0} aria-expanded={more} title={more ? 'Show less' : 'Show the whole description'}
              onClick={() => setMore((m) => !m)} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); setMore((m) => !m); } }}>
              {lab.description}
            </p>
          ) : <p className="lab-desc">{lab.description}</p>)}
          {lab.source && <p className="muted small">Paper: {lab.source}</p>}
        </header>
      )}

      <div className="lab-status" data-testid="lab-status" aria-live="polite">
        {running && <progress data-testid="lab-progress" value={progress?.done ?? 0} max={progress?.total ?? 1} aria-label="Points done" />}
        <span data-testid="lab-status-text">{status}</span>
        {running && elapsed !== undefined && <span className="muted">{fmtSeconds(elapsed)} elapsed</span>}
        {running && progress && progress.running.length > 0 && <span className="muted small" title={progress.running.join('\n')}>running: {progress.running.map((id) => pointLabel(pointOf(id)?.params ?? {}) || id).join('; ')}</span>}
      </div>
      {result && result.checks.length > 0 && (
        <ul className="check-summary" aria-label="Shape checks at a glance">
          {result.checks.map((c, i) => {
            const st = checkState(c, incomplete);
            return (
              <li key={c.name} className={st}>
                <a href={`#lab-check-${i}`} onClick={(e) => { e.preventDefault(); document.getElementById(`lab-check-${i}`)?.scrollIntoView({ block: 'nearest' }); }} title={c.explanation}>
                  <span aria-label={MARK_LABEL[st]}>{MARK[st]}</span> {c.name}
                </a>
              </li>
            );
          })}
        </ul>
      )}
      {dirty && <p className="banner" role="note">This lab has unsaved edits: the view shows the saved file; Run saves it first.</p>}
      {error && <p className="error-text">{error}</p>}
      {view && view.errors.length > 0 && (
        <section className="card" aria-label="Problems">
          <h3>Problems</h3>
          <ul className="lab-errors">{view.errors.map((e, i) => <li key={i} className="error-text mono">{e}</li>)}</ul>
        </section>
      )}
      {live?.finished && !live.finished.ok && live.finished.errors && !running && (
        <section className="card" aria-label="Failed points">
          <h3>Failed</h3>
          <ul className="lab-errors">{live.finished.errors.map((e, i) => <li key={i} className="error-text mono">{e}</li>)}</ul>
        </section>
      )}

      {lab && result && (
        <>
          {mode === 'figure' && lab.figure.type !== 'table' ? (
            <section className="card" aria-label="Figure">
              <h3>{lab.figure.unit || 'Values'}{lab.paper?.length ? ' — ours (filled) beside the paper (outlined)' : ''}</h3>
              <div ref={chartRef} data-testid="lab-chart"><LabFigure lab={lab} result={result} onPoint={(id) => onOpenPoint(path, id)} /></div>
              <LabLegend lab={lab} />
              {view!.points.length <= MAX_POINT_LINKS && (
                <nav className="point-links" aria-label="Run records of the points">
                  <span className="muted small">Run records:</span>
                  {view!.points.map((p) => (
                    <button key={p.id} type="button" className="chip link" disabled={missing.has(p.id)} onClick={() => onOpenPoint(path, p.id)} title={missing.has(p.id) ? `${p.id}: no record yet` : `Open the run record of ${p.id}`}>
                      {Object.values(p.params).join(' · ')}
                    </button>
                  ))}
                </nav>
              )}
            </section>
          ) : (
            <section className="card" aria-label="Derived values">
              <h3>Derived values{lab.figure.unit ? ` (${lab.figure.unit}; the paper's in parentheses)` : lab.paper?.length ? ' (the paper\'s in parentheses)' : ''}</h3>
              <div className="table-scroll">
                <table className="data lab-table" data-testid="lab-table">
                  <thead>
                    <tr>
                      {table!.params.map((p) => <th key={p}>{p}</th>)}
                      {table!.columns.map((c) => <th key={c.metric} className="num" title={c.kind === 'raw' ? 'read from the record as it is' : lab.figure.normalize ? 'normalised as the figure says' : undefined}>{c.metric}</th>)}
                      <th>run record</th>
                    </tr>
                  </thead>
                  <tbody>
                    {table!.rows.map((r) => (
                      <tr key={r.pointId} data-testid="lab-row">
                        {table!.params.map((p) => <td key={p}>{String(r.params[p])}</td>)}
                        {r.cells.map((c, i) => (
                          <td key={i} className="num">
                            {fmtLabValue(c.ours, table!.columns[i].kind)}
                            {c.paper !== null && <span className="muted"> ({fmtLabValue(c.paper)})</span>}
                          </td>
                        ))}
                        <td>
                          {missing.has(r.pointId)
                            ? <span className="muted">{progress?.running.includes(r.pointId) ? 'running…' : 'not run yet'}</span>
                            : <button type="button" className="link-button" onClick={() => onOpenPoint(path, r.pointId)} aria-label={`Open the run record of ${r.pointId}`}>open</button>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          )}

          <section className="card" aria-label="Shape checks">
            <h3>Shape checks{result.checks.length ? ` — ${result.checks.filter((c) => c.pass).length} of ${result.checks.length} pass` : ''}{result.missing.length ? ` (${result.missing.length} point${result.missing.length === 1 ? ' has' : 's have'} no record yet)` : ''}</h3>
            {result.checks.length === 0 && <p className="muted">This lab has no checks.</p>}
            <ul className="lab-checks">
              {result.checks.map((c, i) => {
                const st = checkState(c, incomplete);
                return (
                  <li key={c.name} id={`lab-check-${i}`} className={st} data-testid="lab-check" data-pass={c.pass} data-state={st}>
                    <span className="check-mark" aria-label={MARK_LABEL[st]}>{MARK[st]}</span>
                    <div>
                      <b>{c.name}</b> <span className="muted">— {c.explanation}</span>
                      <ul className="check-detail mono">{c.detail.map((d, j) => <li key={j}>{d}</li>)}</ul>
                    </div>
                  </li>
                );
              })}
            </ul>
          </section>
          {table && mode === 'figure' && <p className="muted small">{table.rows.length} points · {fmtLabValue(table.rows.length ? table.rows.filter((r) => !missing.has(r.pointId)).length : 0, 'raw')} with a record · cache: .disco-lab/cache of the workspace</p>}
        </>
      )}
      {!lab && !error && !loading && view && <p className="muted">This file is not a valid lab (see the problems above); its Source opens in the JSON editor with the lab schema.</p>}
    </div>
  );
}

/** Seconds since `since` (ms epoch), ticking every second; undefined when not given. */
function useElapsed(since: number | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === undefined) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [since]);
  return since === undefined ? undefined : Math.max(0, (now - since) / 1000);
}
