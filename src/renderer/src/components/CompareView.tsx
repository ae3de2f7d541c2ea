/**
 * Compare: two or more run records side by side — one Figure-5-style chart normalised to a
 * chosen baseline, a table of overheads and category shares, and a diff of their configurations
 * (experiment, resolved machine, seed, limits).
 */
import { useEffect, useState } from 'react';
import { CATEGORIES, CATEGORY_LABELS, configDiff, figure5Rows, overheadPercent, type RunRecord } from '../../../shared/api';
import { api } from '../api';
import { describeError } from '../state/log';
import { StackedBars } from './StackedBars';

const stem = (path: string) => path.split('/').pop()!.replace(/\.json$/, '');
const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

export function CompareView({ paths, onClose, onOpen }: { paths: string[]; onClose(): void; onOpen(path: string): void }) {
  const [records, setRecords] = useState<(RunRecord | undefined)[]>([]);
  const [error, setError] = useState<string>();
  const [base, setBase] = useState(0);
  useEffect(() => {
    let live = true;
    Promise.all(paths.map((p) => api.runs.read(p))).then(
      (rs) => live && setRecords(rs),
      (e) => live && setError(describeError(e)),
    );
    return () => { live = false; };
  }, [paths]);
  const ready = records.length === paths.length && records.every(Boolean) ? (records as RunRecord[]) : undefined;
  const baseline = ready?.[base];
  const rows = ready && baseline ? figure5Rows(ready.map((r, i) => ({ label: stem(paths[i]) + (i === base ? ' (baseline)' : ''), record: r })), baseline) : [];
  const diff = ready ? configDiff(ready) : [];
  return (
    <div className="run-view compare-view" data-testid="compare-view" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="toolbar-row">
        <h2 className="compare-title">Compare {paths.length} runs</h2>
        <label>
          Baseline{' '}
          <select aria-label="Baseline run" value={base} onChange={(e) => setBase(Number(e.target.value))}>
            {paths.map((p, i) => <option key={p} value={i}>{stem(p)}</option>)}
          </select>
        </label>
        <span className="spacer" />
        <button type="button" onClick={onClose} autoFocus>Close (Esc)</button>
      </div>
      {error && <p className="error-text">{error}</p>}
      {!ready && !error && <p className="muted">Loading…</p>}
      {ready && baseline && (
        <>
          <section className="card" aria-label="Normalised execution time">
            <h3>Execution time, normalised to the baseline (= 100)</h3>
            <div data-testid="compare-chart"><StackedBars rows={rows} unit="" height={260} reference={100} /></div>
          </section>
          <section className="card" aria-label="Overheads">
            <h3>Overhead and where the time goes</h3>
            <table className="data">
              <thead>
                <tr><th>run</th><th>mode</th><th>machine</th><th className="num">time (baseline = 100)</th><th className="num">overhead</th>{CATEGORIES.map((c) => <th key={c} className="num">{CATEGORY_LABELS[c]}</th>)}</tr>
              </thead>
              <tbody>
                {ready.map((r, i) => {
                  const o = overheadPercent(r, baseline);
                  return (
                    <tr key={paths[i]} data-testid="compare-row">
                      <td><button type="button" className="link-button" onClick={() => onOpen(paths[i])}>{stem(paths[i])}</button>{r.partial && <span className="chip warn">partial</span>}</td>
                      <td>{r.mode}</td>
                      <td>{r.machine.name} · {r.cpuCount} CPUs · {r.machine.cpuModel}</td>
                      <td className="num">{rows[i].total.toFixed(1)}</td>
                      <td className="num" data-testid="overhead-cell">{i === base ? 'baseline' : `${o >= 0 ? '+' : ''}${o.toFixed(1)}%`}</td>
                      {CATEGORIES.map((c) => <td key={c} className="num">{rows[i][c].toFixed(1)}</td>)}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
          <section className="card" aria-label="Configuration differences">
            <h3>Configuration differences</h3>
            {diff.length ? (
              <table className="data diff">
                <thead><tr><th>setting</th>{paths.map((p) => <th key={p}>{stem(p)}</th>)}</tr></thead>
                <tbody>
                  {diff.map((d) => (
                    <tr key={d.path}><td className="mono">{d.path}</td>{d.values.map((v, i) => <td key={i} className="mono">{show(v)}</td>)}</tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">The runs have identical configurations (they differ only in host timing).</p>
            )}
          </section>
        </>
      )}
    </div>
  );
}
