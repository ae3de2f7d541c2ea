/**
 * Compare: two or more run records side by side — one Figure-5-style chart normalised to a
 * baseline (by default the native run that the others match: `defaultCompareBaseline`), a table
 * of overheads and category shares, monitor time by cause and the counters side by side, and a
 * diff of their configurations. The chart exports as PNG (1×, 2×) and SVG, the tables as CSV.
 */
import { useEffect, useRef, useState } from 'react';
import { CATEGORIES, CATEGORY_LABELS, compareCauseRows, compareCounterRows, configDiff, defaultCompareBaseline, figure5Rows, overheadPercent, runLabel, serviceCompareRows, toCsv, vmCounterRows, type RunRecord, type RunSummary } from '../../../shared/api';
import { api } from '../api';
import { causeText, useCauses } from '../state/causes';
import { describeError } from '../state/log';
import { download } from './export';
import { ChartExports } from './RunView';
import { StackedBars } from './StackedBars';

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
const num = (v: number | string | undefined) => (v === undefined ? '—' : typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 4 }) : v);

export function CompareView({ paths, onClose, onOpen }: { paths: string[]; records?: RunSummary[]; onClose(): void; onOpen(path: string): void }) {
  const [records, setRecords] = useState<(RunRecord | undefined)[]>([]);
  const [error, setError] = useState<string>();
  const [base, setBase] = useState<number>();
  const [allCounters, setAllCounters] = useState(false);
  const chartRef = useRef<HTMLDivElement>(null);
  const causes = useCauses();
  useEffect(() => {
    let live = true;
    setBase(undefined);
    Promise.all(paths.map((p) => api.runs.read(p))).then(
      (rs) => live && setRecords(rs),
      (e) => live && setError(describeError(e)),
    );
    return () => { live = false; };
  }, [paths]);
  const ready = records.length === paths.length && records.every(Boolean) ? (records as RunRecord[]) : undefined;
  const b = base ?? (ready ? defaultCompareBaseline(ready) : 0);
  const baseline = ready?.[b];
  const labels = paths.map(runLabel);
  const rows = ready && baseline ? figure5Rows(ready.map((r, i) => ({ label: labels[i] + (i === b ? ' (baseline)' : ''), record: r })), baseline) : [];
  const baseCycles = baseline ? baseline.totals.buckets.user + baseline.totals.buckets.kernel + baseline.totals.buckets.monitor + baseline.totals.buckets.idle : 0;
  const diff = ready ? configDiff(ready) : [];
  const causeRows = ready ? compareCauseRows(ready) : [];
  const counterRows = ready ? compareCounterRows(ready) : [];
  const differing = counterRows.filter((c) => c.values.some((v) => v !== c.values[0]));
  const shownCounters = allCounters ? counterRows : differing;
  const vms = ready ? ready.map(vmCounterRows) : [];
  const service = ready ? serviceCompareRows(ready) : [];
  const exportCsv = () => {
    if (!ready) return;
    const head = (extra: string[]) => [...extra, ...labels];
    const table = (cols: string[], data: unknown[][]) => toCsv(data.map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i]]))));
    const csv = [
      '# normalised time (baseline = 100)', toCsv(rows as unknown as Record<string, unknown>[]),
      ...(service.length ? ['# serving the load', table(head(['measure', 'unit']), service.map((x) => [x.name, x.unit, ...x.values]))] : []),
      ...(causeRows.length ? ['# monitor cycles by cause', table(head(['cause']), causeRows.map((c) => [c.cause, ...c.cycles]))] : []),
      '# counters', table(head(['name', 'unit']), counterRows.map((c) => [c.name, c.unit, ...c.values])),
    ].join('\r\n');
    download('compare-results.csv', new Blob([csv], { type: 'text/csv' }));
  };
  return (
    <div className="run-view compare-view" data-testid="compare-view" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="toolbar-row">
        <h2 className="compare-title">Compare {paths.length} runs</h2>
        <label>
          Baseline{' '}
          <select aria-label="Baseline run" value={b} onChange={(e) => setBase(Number(e.target.value))}>
            {paths.map((p, i) => <option key={p} value={i}>{labels[i]}{ready?.[i] ? ` (${ready[i].mode})` : ''}</option>)}
          </select>
        </label>
        <span className="spacer" />
        <span className="export-buttons" role="group" aria-label="Export">
          <ChartExports target={() => chartRef.current} name="compare" onError={setError} />
          <button type="button" onClick={exportCsv} disabled={!ready}>CSV</button>
        </span>
        <button type="button" onClick={onClose} autoFocus>Close (Esc)</button>
      </div>
      {error && <p className="error-text">{error}</p>}
      {!ready && !error && <p className="muted">Loading…</p>}
      {ready && baseline && (
        <>
          <section className="card" aria-label="Normalised execution time">
            <h3>Execution time, normalised to the baseline (= 100)</h3>
            <div ref={chartRef} data-testid="compare-chart"><StackedBars rows={rows} unit="" valueUnit="% of the baseline's time" cyclesOf={(i, c) => (rows[i][c] * baseCycles) / 100} height={260} reference={100} /></div>
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
                      <td><button type="button" className="link-button" title={paths[i]} onClick={() => onOpen(paths[i])}>{labels[i]}</button>{r.partial && <span className="chip warn">partial</span>}</td>
                      <td>{r.mode}</td>
                      <td>{r.machine.name} · {r.cpuCount} CPUs · {r.machine.cpuModel}</td>
                      <td className="num">{rows[i].total.toFixed(1)}</td>
                      <td className="num" data-testid="overhead-cell">{i === b ? 'baseline' : `${o >= 0 ? '+' : ''}${o.toFixed(1)}%`}</td>
                      {CATEGORIES.map((c) => <td key={c} className="num">{rows[i][c].toFixed(1)}</td>)}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
          {service.length > 0 && (
            <section className="card" aria-label="Serving the load, side by side">
              <h3>Serving the load: the same clients, side by side</h3>
              <table className="data service" data-testid="compare-service">
                <thead><tr><th>measure</th>{labels.map((l, i) => <th key={paths[i]} className="num">{l} ({ready[i].mode})</th>)}<th>unit</th></tr></thead>
                <tbody>
                  {service.map((x) => (
                    <tr key={x.name}><td>{x.name}</td>{x.values.map((v, i) => <td key={i} className="num mono">{v === null ? '—' : num(Math.round(v * 100) / 100)}</td>)}<td className="muted">{x.unit}</td></tr>
                  ))}
                </tbody>
              </table>
              <p className="muted small">
                The load generator's clients are the same for both monitors (experiment <code>load</code> / <code>denali.load</code>): throughput runs from the first request to the last
                response; CPU time per request is every CPU's user, kernel and monitor time from the first request's arrival to the last response, per response — a guest OS boots
                before its clients begin, outside that span. Denali's VMs have no guest kernel and no trapped privileged instructions; under Disco each request passes through the
                guest kernel's system calls and the monitor's virtual network.
              </p>
            </section>
          )}
          <section className="card" aria-label="Monitor time by cause, side by side">
            <h3>Monitor time by cause [cycles]</h3>
            {causeRows.length ? (
              <table className="data causes">
                <thead><tr><th>cause</th>{labels.map((l, i) => <th key={paths[i]} className="num">{l}</th>)}<th>what the monitor did</th></tr></thead>
                <tbody>
                  {causeRows.map((c) => (
                    <tr key={c.cause}><td className="mono">{c.cause}</td>{c.cycles.map((v, i) => <td key={i} className="num">{v ? v.toLocaleString('en-US') : '—'}</td>)}<td className="muted cause-text">{causeText(causes, c.cause)}</td></tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">None of these runs has monitor time (all native).</p>
            )}
          </section>
          {vms.some((v) => v.length) && (
            <section className="card" aria-label="Per-VM counters, side by side">
              <h3>Per VM: monitor counters</h3>
              <table className="data vm-counters">
                <thead><tr><th>run</th><th>VM</th><th className="num">traps</th><th className="num">emulated</th><th className="num">reflected</th><th className="num">switches in</th><th className="num">L2 hits</th><th className="num">L2 misses</th><th className="num">L2 inserts</th><th className="num">L2 hit rate</th></tr></thead>
                <tbody>
                  {vms.flatMap((list, i) => list.map((v) => (
                    <tr key={`${i}-${v.vm}`}><td>{labels[i]}</td><td className="mono">{v.vm}</td><td className="num">{num(v.traps)}</td><td className="num">{num(v.emulated)}</td><td className="num">{num(v.reflected)}</td><td className="num">{num(v.switchesIn)}</td><td className="num">{num(v.l2Hits)}</td><td className="num">{num(v.l2Misses)}</td><td className="num">{num(v.l2Inserts)}</td><td className="num">{v.l2HitPercent === null ? '—' : `${v.l2HitPercent}%`}</td></tr>
                  )))}
                </tbody>
              </table>
            </section>
          )}
          <section className="card" aria-label="Counters, side by side">
            <h3>
              Counters{' '}
              <label className="check inline small"><input type="checkbox" checked={allCounters} onChange={(e) => setAllCounters(e.target.checked)} /> all ({counterRows.length}; otherwise the {differing.length} that differ)</label>
            </h3>
            <table className="data counters">
              <thead><tr><th>statistic</th>{labels.map((l, i) => <th key={paths[i]} className="num">{l}</th>)}<th>unit</th><th>description</th></tr></thead>
              <tbody>
                {shownCounters.map((c) => (
                  <tr key={c.name}><td className="mono">{c.name}</td>{c.values.map((v, i) => <td key={i} className="num mono">{num(v)}</td>)}<td>{c.unit}</td><td className="muted">{c.description}</td></tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="card" aria-label="Configuration differences">
            <h3>Configuration differences</h3>
            {diff.length ? (
              <table className="data diff">
                <thead><tr><th>setting</th>{labels.map((l, i) => <th key={paths[i]}>{l}</th>)}</tr></thead>
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
