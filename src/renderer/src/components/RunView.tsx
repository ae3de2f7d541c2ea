/**
 * The results of one run record (runs/*.json): a Figure-5-style stacked bar chart normalised to
 * a chosen baseline run (= 100), the per-CPU (and, for Disco runs, per-VM) breakdown, monitor
 * time by cause, the counters table and the console; export as PNG/SVG (chart) and CSV/JSON
 * (data). Everything comes from the record — Disco runs show monitor time without UI changes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { counterRows, figure5Rows, isRunRecord, monitorCauseRows, overheadPercent, perCpuRows, perVmRows, toCsv, type RunRecord, type RunSummary } from '../../../shared/api';
import { api } from '../api';
import { describeError } from '../state/log';
import { chartSvg, download, svgToPng } from './export';
import { StackedBars } from './StackedBars';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const stem = (path: string) => path.split('/').pop()!.replace(/\.json$/, '');

export function parseRecord(text: string): { ok: true; record: RunRecord } | { ok: false; message: string } {
  try {
    const v: unknown = JSON.parse(text);
    return isRunRecord(v) ? { ok: true, record: v } : { ok: false, message: 'not a run record (schema disco-lab/run@1)' };
  } catch (e) {
    return { ok: false, message: `invalid JSON: ${(e as Error).message}` };
  }
}

export function RunView({ path, text, records }: { path: string; text: string; records: RunSummary[] }) {
  const parsed = useMemo(() => parseRecord(text), [text]);
  const [baselinePath, setBaselinePath] = useState('');
  const [baseline, setBaseline] = useState<RunRecord>();
  const [error, setError] = useState<string>();
  const chartRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setError(undefined);
    if (!baselinePath || baselinePath === path) return setBaseline(undefined);
    let live = true;
    api.runs.read(baselinePath).then((r) => live && setBaseline(r), (e) => live && setError(`Baseline: ${describeError(e)}`));
    return () => { live = false; };
  }, [baselinePath, path]);

  if (!parsed.ok) return <div className="placeholder error-text">{path}: {parsed.message}</div>;
  const r = parsed.record;
  const base = baseline ?? r;
  const rows = figure5Rows(baseline ? [{ label: `${stem(baselinePath)} (baseline)`, record: baseline }, { label: stem(path), record: r }] : [{ label: stem(path), record: r }], base);
  const cpuRows = perCpuRows(r);
  const vmRows = perVmRows(r);
  const causes = monitorCauseRows(r);
  const counters = counterRows(r);

  const exportChart = async (kind: 'svg' | 'png') => {
    const el = chartRef.current;
    const svg = el && chartSvg(el);
    if (!el || !svg) return;
    if (kind === 'svg') return download(`${stem(path)}-chart.svg`, new Blob([svg], { type: 'image/svg+xml' }));
    const { width, height } = el.querySelector('svg.recharts-surface')!.getBoundingClientRect();
    download(`${stem(path)}-chart.png`, await svgToPng(svg, Math.round(width), Math.round(height)));
  };
  const exportData = (kind: 'csv' | 'json') => {
    const data = {
      run: path,
      baseline: baselinePath || path,
      normalised: rows,
      perCpu: cpuRows,
      perVm: vmRows,
      monitorByCause: causes,
      counters: counters.map(({ name, value, unit }) => ({ name, value, unit })),
    };
    if (kind === 'json') return download(`${stem(path)}-results.json`, new Blob([JSON.stringify(data, null, 2) + '\n'], { type: 'application/json' }));
    const csv = [
      '# normalised time (baseline = 100)', toCsv(rows as unknown as Record<string, unknown>[]),
      '# per CPU (% of the CPU\'s time)', toCsv(cpuRows as unknown as Record<string, unknown>[]),
      ...(vmRows.length ? ['# per VM (% of all CPU time)', toCsv(vmRows as unknown as Record<string, unknown>[])] : []),
      ...(causes.length ? ['# monitor time by cause', toCsv(causes)] : []),
      '# counters', toCsv(data.counters),
    ].join('\r\n');
    download(`${stem(path)}-results.csv`, new Blob([csv], { type: 'text/csv' }));
  };

  const st = r.status;
  return (
    <div className="run-view" data-testid="run-view">
      <header className="run-head">
        <h2>{r.name} <span className="chip">{r.mode}</span>{r.partial && <span className="chip warn" title={st.description}>partial — {st.reason}</span>}</h2>
        <p className="muted">
          {r.machine.name}: {r.cpuCount} CPUs on {r.machine.nodes} node{r.machine.nodes === 1 ? '' : 's'}, {r.machine.cpuModel}, {r.machine.clockMHz} MHz ·{' '}
          {fmt(r.cycles)} cycles = {(r.simulatedSeconds * 1e3).toFixed(3)} ms simulated · {fmt(r.totals.counters.instructions)} instructions ·{' '}
          {st.reason === 'exit' ? `exit ${st.exitCode}` : st.reason}
          {r.host.seconds !== null && ` · host ${r.host.seconds.toFixed(2)} s, ${(r.host.guestMips ?? 0).toFixed(1)} MIPS`}
        </p>
      </header>

      <div className="toolbar-row">
        <label>
          Baseline{' '}
          <select value={baselinePath} onChange={(e) => setBaselinePath(e.target.value)} aria-label="Baseline run">
            <option value="">this run (= 100)</option>
            {records.filter((x) => x.path !== path).map((x) => (
              <option key={x.path} value={x.path}>{stem(x.path)} ({x.mode}{x.partial ? ', partial' : ''})</option>
            ))}
          </select>
        </label>
        {baseline && <span className="overhead" data-testid="overhead">overhead vs baseline: <b>{overheadPercent(r, baseline) >= 0 ? '+' : ''}{overheadPercent(r, baseline)}%</b></span>}
        {error && <span className="error-text">{error}</span>}
        <span className="spacer" />
        <span className="muted small">Export</span>
        <button type="button" onClick={() => void exportChart('png')}>PNG</button>
        <button type="button" onClick={() => void exportChart('svg')}>SVG</button>
        <button type="button" onClick={() => exportData('csv')}>CSV</button>
        <button type="button" onClick={() => exportData('json')}>JSON</button>
      </div>

      <section className="card" aria-label="Normalised execution time">
        <h3>Execution time, normalised to the baseline (= 100)</h3>
        <div ref={chartRef} data-testid="figure5-chart">
          <StackedBars rows={rows} unit="" height={240} reference={100} />
        </div>
      </section>

      <div className="two-col">
        <section className="card" aria-label="Per-CPU breakdown">
          <h3>Per CPU (% of each CPU's time)</h3>
          <StackedBars rows={cpuRows} unit="%" height={220} />
        </section>
        <section className="card" aria-label="Monitor time by cause">
          <h3>Monitor time by cause</h3>
          {causes.length ? (
            <table className="data">
              <thead><tr><th>cause</th><th className="num">cycles</th><th className="num">share</th></tr></thead>
              <tbody>{causes.map((c) => <tr key={c.cause}><td>{c.cause}</td><td className="num">{fmt(c.cycles)}</td><td className="num">{c.percent}%</td></tr>)}</tbody>
            </table>
          ) : (
            <p className="muted">No monitor time: {r.mode === 'native' ? 'a native run has no virtual machine monitor.' : 'the monitor recorded no causes.'}</p>
          )}
          {vmRows.length > 0 && (
            <>
              <h3>Per VM (% of all CPU time)</h3>
              <StackedBars rows={vmRows} unit="%" height={180} />
            </>
          )}
        </section>
      </div>

      <section className="card" aria-label="Counters">
        <h3>Counters</h3>
        <table className="data counters">
          <thead><tr><th>statistic</th><th className="num">value</th><th>unit</th><th>description</th></tr></thead>
          <tbody>
            {counters.map((c) => (
              <tr key={c.name}><td className="mono">{c.name}</td><td className="num mono">{typeof c.value === 'number' ? c.value.toLocaleString('en-US', { maximumFractionDigits: 4 }) : c.value}</td><td>{c.unit}</td><td className="muted">{c.description}</td></tr>
            ))}
          </tbody>
        </table>
      </section>

      {r.console.output && (
        <section className="card" aria-label="Console output">
          <h3>Console{r.console.truncated ? ' (truncated)' : ''}</h3>
          <pre className="console">{r.console.output}</pre>
        </section>
      )}
    </div>
  );
}
