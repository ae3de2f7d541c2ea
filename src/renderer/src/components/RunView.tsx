/**
 * The results of one run record (runs/*.json): a Figure-5-style stacked bar chart normalised to
 * a baseline run (= 100) — by default the matching native run (same workload, same machine;
 * `matchingBaseline`) — the per-CPU and per-VM breakdowns, monitor time by cause with what each
 * cause means, the per-VM Disco counters, the counters table and the console; export as PNG
 * (1× and 2×) / SVG (chart) and CSV / JSON (data). Everything comes from the record.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { counterRows, figure5Rows, identityOf, isRunRecord, localityRows, loadRows, matchingBaseline, memoryRows, monitorCauseRows, numaRows, pagesPerNodeHeat, denaliRows, overheadPercent, perCpuRows, perVmRows, runLabel, toCsv, vmCounterRows, type Category, type RunRecord, type RunSummary } from '../../../shared/api';
import { api } from '../api';
import { causeText, useCauses } from '../state/causes';
import { describeError } from '../state/log';
import { download, exportChart } from './export';
import { StackedBars } from './StackedBars';
import { LoadCard } from './LoadCard';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const stem = (path: string) => path.split('/').pop()!.replace(/\.json$/, '');
const sum4 = (b: Record<Category, number>) => b.user + b.kernel + b.monitor + b.idle;

export function parseRecord(text: string): { ok: true; record: RunRecord } | { ok: false; message: string } {
  try {
    const v: unknown = JSON.parse(text);
    return isRunRecord(v) ? { ok: true, record: v } : { ok: false, message: 'not a run record (schema disco-lab/run@1)' };
  } catch (e) {
    return { ok: false, message: `invalid JSON: ${(e as Error).message}` };
  }
}

/** The export buttons of a chart. */
export function ChartExports({ target, name, onError }: { target: () => HTMLElement | null; name: string; onError(m: string): void }) {
  const go = (k: 'png' | 'png2x' | 'svg') => exportChart(target(), name, k).catch((e: Error) => onError(`Export failed: ${e.message}`));
  return (
    <>
      <button type="button" onClick={() => void go('png')} title="PNG at the size shown">PNG</button>
      <button type="button" onClick={() => void go('png2x')} title="PNG at twice the size shown">PNG 2×</button>
      <button type="button" onClick={() => void go('svg')}>SVG</button>
    </>
  );
}

export function RunView({ path, text, records }: { path: string; text: string; records: RunSummary[] }) {
  const parsed = useMemo(() => parseRecord(text), [text]);
  /** The baseline the user picked ('' = this run); undefined = the automatic choice. */
  const [picked, setPicked] = useState<string>();
  const [baseline, setBaseline] = useState<RunRecord>();
  const [error, setError] = useState<string>();
  const chartRef = useRef<HTMLDivElement>(null);
  const causes = useCauses();
  const auto = useMemo(() => (parsed.ok ? matchingBaseline(identityOf(path, parsed.record), records)?.path : undefined), [parsed, path, records]);
  const baselinePath = picked ?? auto ?? '';

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
  const shown = baseline ? [{ label: `${runLabel(baselinePath)} (baseline)`, record: baseline }, { label: runLabel(path), record: r }] : [{ label: runLabel(path), record: r }];
  const rows = figure5Rows(shown, base);
  const cpuRows = perCpuRows(r);
  const vmRows = perVmRows(r);
  const causeRows = monitorCauseRows(r);
  const vmCounters = vmCounterRows(r);
  const counters = counterRows(r);
  const locality = r.machine.nodes > 1 ? localityRows(r) : [];
  const numa = numaRows(r);
  const heat = pagesPerNodeHeat(r);
  const memory = memoryRows(r);
  const denali = denaliRows(r);
  const baseCycles = sum4(base.totals.buckets);

  const exportData = (kind: 'csv' | 'json') => {
    const data = {
      run: path,
      baseline: baselinePath || path,
      normalised: rows,
      perCpu: cpuRows,
      perVm: vmRows,
      locality,
      numa,
      denali,
      monitorByCause: causeRows.map((c) => ({ ...c, description: causeText(causes, c.cause) })),
      vmCounters,
      counters: counters.map(({ name, value, unit }) => ({ name, value, unit })),
    };
    if (kind === 'json') return download(`${stem(path)}-results.json`, new Blob([JSON.stringify(data, null, 2) + '\n'], { type: 'application/json' }));
    const csv = [
      '# normalised time (baseline = 100)', toCsv(rows as unknown as Record<string, unknown>[]),
      '# per CPU (% of the CPU\'s time)', toCsv(cpuRows as unknown as Record<string, unknown>[]),
      ...(vmRows.length ? ['# per VM (% of all CPU time)', toCsv(vmRows as unknown as Record<string, unknown>[])] : []),
      ...(causeRows.length ? ['# monitor time by cause', toCsv(data.monitorByCause)] : []),
      ...(vmCounters.length ? ['# per-VM monitor counters', toCsv(vmCounters as unknown as Record<string, unknown>[])] : []),
      ...(locality.length ? ['# cache misses by where they were served', toCsv(locality as unknown as Record<string, unknown>[])] : []),
      ...(numa.length ? ['# NUMA policy', toCsv(numa)] : []),
      ...(memory.machine.length ? ['# Memory footprint per VM', toCsv(memory.vms), '# Memory sharing', toCsv(memory.machine)] : []),
      ...(denali.length ? ['# Denali', toCsv(denali)] : []),
      '# counters', toCsv(data.counters),
    ].join('\r\n');
    download(`${stem(path)}-results.csv`, new Blob([csv], { type: 'text/csv' }));
  };

  const st = r.status;
  const overhead = baseline ? overheadPercent(r, baseline) : undefined;
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
          <select value={baselinePath} onChange={(e) => setPicked(e.target.value)} aria-label="Baseline run">
            <option value="">this run (= 100)</option>
            {records.filter((x) => x.path !== path).map((x) => (
              <option key={x.path} value={x.path}>{runLabel(x.path)} ({x.mode}{x.partial ? ', partial' : ''}){x.path === auto ? ' — matching native run' : ''}</option>
            ))}
          </select>
        </label>
        {overhead !== undefined && <span className="overhead" data-testid="overhead">overhead vs baseline: <b>{overhead >= 0 ? '+' : ''}{overhead}%</b></span>}
        {baselinePath && baselinePath === auto && picked === undefined && <span className="muted small" data-testid="baseline-auto" title="Chosen automatically: the newest complete native run of the same workload on the same machine">(matching native run)</span>}
        {!baselinePath && r.mode !== 'native' && <span className="muted small" title="Run the same workload natively on the same machine to see the overhead">(no matching native run yet)</span>}
        {error && <span className="error-text">{error}</span>}
        <span className="spacer" />
        <span className="export-buttons" role="group" aria-label="Export">
        <ChartExports target={() => chartRef.current} name={stem(path)} onError={setError} />
        <button type="button" onClick={() => exportData('csv')}>CSV</button>
        <button type="button" onClick={() => exportData('json')}>JSON</button>
        </span>
      </div>

      <section className="card" aria-label="Normalised execution time">
        <h3>Execution time, normalised to the baseline (= 100)</h3>
        <div ref={chartRef} data-testid="figure5-chart">
          <StackedBars rows={rows} unit="" valueUnit="% of the baseline's time" cyclesOf={(i, c) => (rows[i][c] * baseCycles) / 100} height={240} reference={100} />
        </div>
      </section>

      <div className="two-col">
        <section className="card" aria-label="Per-CPU breakdown">
          <h3>Per CPU (% of each CPU's time)</h3>
          <StackedBars rows={cpuRows} unit="%" valueUnit="of this CPU's time" cyclesOf={(i, c) => r.cpus[i]?.buckets[c]} height={220} />
        </section>
        <section className="card" aria-label="Monitor time by cause">
          <h3>Monitor time by cause</h3>
          {causeRows.length ? (
            <table className="data causes">
              <thead><tr><th>cause</th><th className="num">cycles</th><th className="num">share</th><th>what the monitor did</th></tr></thead>
              <tbody>{causeRows.map((c) => <tr key={c.cause}><td className="mono">{c.cause}</td><td className="num">{fmt(c.cycles)}</td><td className="num">{c.percent}%</td><td className="muted cause-text">{causeText(causes, c.cause)}</td></tr>)}</tbody>
            </table>
          ) : (
            <p className="muted">No monitor time: {r.mode === 'native' ? 'a native run has no virtual machine monitor.' : 'the monitor recorded no causes.'}</p>
          )}
          {vmRows.length > 0 && (
            <>
              <h3>Per VM (% of all CPU time)</h3>
              <StackedBars rows={vmRows} unit="%" valueUnit="of all CPU time" cyclesOf={(i, c) => (r.vms[i] as { buckets?: Record<Category, number> } | undefined)?.buckets?.[c]} height={180} />
            </>
          )}
        </section>
      </div>

      {vmCounters.length > 0 && (
        <section className="card" aria-label="Per-VM counters">
          <h3>Per VM: monitor counters</h3>
          <table className="data vm-counters">
            <thead>
              <tr>
                <th>VM</th><th>status</th>
                <th className="num" title="Monitor entries from this VM's vCPUs (every exception the guest takes under Disco)">traps</th>
                <th className="num" title="Privileged instructions the monitor emulated">emulated</th>
                <th className="num" title="Exceptions reflected (delivered) to the guest kernel">reflected</th>
                <th className="num" title="Times a vCPU of this VM was switched in on a physical CPU">switches in</th>
                <th className="num" title="Hardware TLB misses served from the second-level software TLB">L2 TLB hits</th>
                <th className="num" title="L2 TLB probes that missed (the miss was forwarded to the guest)">L2 misses</th>
                <th className="num" title="Entries put into the L2 TLB">L2 inserts</th>
                <th className="num">L2 hit rate</th>
                <th className="num" title="Machine pages backing the VM's memory">machine pages</th>
              </tr>
            </thead>
            <tbody>
              {vmCounters.map((v) => (
                <tr key={v.vm}>
                  <td className="mono">{v.vm}</td><td>{v.status}</td>
                  <td className="num">{fmt(v.traps)}</td><td className="num">{fmt(v.emulated)}</td><td className="num">{fmt(v.reflected)}</td><td className="num">{fmt(v.switchesIn)}</td>
                  <td className="num">{fmt(v.l2Hits)}</td><td className="num">{fmt(v.l2Misses)}</td><td className="num">{fmt(v.l2Inserts)}</td>
                  <td className="num">{v.l2HitPercent === null ? '—' : `${v.l2HitPercent}%`}</td><td className="num">{fmt(v.machinePages)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {typeof r.monitor?.migrations === 'number' && <p className="muted small">vCPU migrations between physical CPUs: {fmt(r.monitor.migrations)}</p>}
        </section>
      )}

      {r.denali && <LoadCard id="denali" title={`Denali: ${r.denali.vmCount.toLocaleString('en-US')} VMs under load`} load={r.denali.load} rows={denali} />}
      {r.load && <LoadCard id="load" title={`Serving the load: ${r.load.clients.toLocaleString('en-US')} clients of ${r.vms.length} VM${r.vms.length === 1 ? '' : 's'} under Disco`} load={r.load} rows={loadRows(r.load, r.machine.clockMHz)} />}

      {locality.length > 0 && (
        <section className="card" aria-label="Memory locality">
          <h3>Memory locality: cache misses served by the CPU's own node</h3>
          <table className="data locality">
            <thead><tr><th>CPU</th><th className="num">node</th><th className="num" title="L2 misses served by this CPU's own node">local misses</th><th className="num" title="L2 misses served by another node's memory">remote misses</th><th className="num">local</th></tr></thead>
            <tbody>
              {locality.map((c) => (
                <tr key={c.cpu}><td className="mono">CPU {c.cpu}</td><td className="num">{c.node}</td><td className="num">{fmt(c.local)}</td><td className="num">{fmt(c.remote)}</td><td className="num">{c.localPercent === null ? '—' : `${c.localPercent}%`}</td></tr>
              ))}
            </tbody>
          </table>
          {r.totals.localMissFraction !== null && <p className="muted small">All CPUs: {(100 * r.totals.localMissFraction).toFixed(1)}% of misses local.</p>}
          {numa.length > 0 ? (
            <>
              <h3>NUMA policy: page migration and replication</h3>
              <table className="data numa" data-testid="numa-table">
                <tbody>{numa.map((x) => <tr key={x.name}><td>{x.name}</td><td className="num mono">{x.value}</td><td className="muted">{x.unit}</td></tr>)}</tbody>
              </table>
              {heat.rows.length > 0 && (
                <>
                  <h3>Pages per node over the run</h3>
                  <table className="data heat" data-testid="numa-heat" aria-label="Machine pages per node after each policy run">
                    <thead><tr><th className="num">time</th>{Array.from({ length: heat.nodes }, (_, k) => <th key={k} className="num">node {k}</th>)}</tr></thead>
                    <tbody>
                      {heat.rows.map((row) => (
                        <tr key={row.ms}>
                          <td className="num mono">{row.ms.toFixed(1)} ms</td>
                          {row.cells.map((c, k) => (
                            <td key={k} className="num mono" title={`${fmt(c.pages)} pages (${c.delta >= 0 ? '+' : ''}${fmt(c.delta)} since the first policy run)`}
                              style={{ background: c.level === 0 ? undefined : c.level > 0 ? `rgba(46, 160, 67, ${(0.15 + 0.6 * c.level).toFixed(2)})` : `rgba(218, 54, 51, ${(0.15 - 0.6 * c.level).toFixed(2)})` }}>
                              {c.delta >= 0 ? '+' : ''}{fmt(c.delta)}
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <p className="muted small">Change in the machine pages the VMs hold on each node (replicas included) since the first policy run: green gained (pages migrated or replicated there), red lost. Hover a cell for the count.</p>
                </>
              )}
            </>
          ) : r.mode === 'disco' && <p className="muted small">The NUMA policy was off (monitor option <code>numaPolicy</code>: 1 turns it on).</p>}
        </section>
      )}

      {memory.machine.length > 0 && (
        <section className="card" aria-label="Memory and sharing">
          <h3>Memory: footprint and sharing between VMs</h3>
          <table className="data footprint" data-testid="memory-vms">
            <thead><tr><th>VM</th><th className="num" title="Guest pages the VM has used (its own view of its footprint)">pages used</th><th className="num">MiB</th><th className="num" title="Of those, pages mapping a machine page shared with other VMs (copy-on-write)">shared</th><th className="num">shared %</th></tr></thead>
            <tbody>
              {memory.vms.map((v) => (
                <tr key={v.name}><td className="mono">{v.name}</td><td className="num">{fmt(v.pages)}</td><td className="num">{v.mb}</td><td className="num">{fmt(v.sharedPages)}</td><td className="num">{v.sharedPercent === null ? '—' : `${v.sharedPercent}%`}</td></tr>
              ))}
            </tbody>
          </table>
          <table className="data sharing" data-testid="memory-sharing">
            <tbody>{memory.machine.map((x) => <tr key={x.name}><td>{x.name}</td><td className="num mono">{x.value}</td><td className="muted">{x.unit}</td></tr>)}</tbody>
          </table>
          <p className="muted small">V counts each VM's pages in its own view; M counts the machine pages behind them once — a disk page or kernel page shared by several VMs is one machine page (copy-on-write: a VM that writes it gets its own copy). The paper's Figure 6; monitor option <code>memorySharing</code>.</p>
        </section>
      )}

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
      {(r.vms as { name?: string; console?: { output?: string } }[]).filter((v) => v.console?.output).map((v) => (
        <section className="card" key={v.name} aria-label={`Console of ${v.name}`}>
          <h3>Console · {v.name}</h3>
          <pre className="console">{v.console!.output}</pre>
        </section>
      ))}
    </div>
  );
}
