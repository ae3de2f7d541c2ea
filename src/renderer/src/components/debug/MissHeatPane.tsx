/**
 * FLASH's per-page per-node cache-miss counters (what Disco's NUMA policy reads) as a heat map:
 * rows = machine pages, columns = the nodes whose CPUs missed, each cell coloured by its count
 * (square-root scale up to the largest cell shown), with the page's write misses. Paged with
 * "go to page"; "only pages with misses" skips cold pages.
 */
import { useState } from 'react';
import { fmt, hex } from './format';
import { PageRange } from './PageRange';
import { useRead } from './useRead';

const ROWS = 64;

/** Background of a cell: transparent at 0, deep red at `max`. */
const heat = (n: number, max: number) => (n <= 0 || max <= 0 ? undefined : `rgba(220, 50, 30, ${(0.12 + 0.78 * Math.sqrt(n / max)).toFixed(3)})`);

export function MissHeatPane({ sessionId, version }: { sessionId: string; version: number }) {
  const [from, setFrom] = useState(0);
  const [onlyMissed, setOnlyMissed] = useState(false);
  const [r, err] = useRead(sessionId, { what: 'missHeat', from, count: ROWS, onlyMissed }, version);
  const h = r?.what === 'missHeat' ? r : null;
  return (
    <section className="debug-pane" aria-label="Miss counters">
      <h3>Miss counters <span className="muted small">per machine page, by the node that missed (FLASH's counters; the NUMA policy reads and resets them)</span></h3>
      <div className="row">
        <label className="inline"><input type="checkbox" checked={onlyMissed} onChange={(e) => setOnlyMissed(e.target.checked)} /> only pages with misses</label>
      </div>
      {h && !onlyMissed && <PageRange from={from} rows={ROWS} pages={h.pages} label="Miss counters" onFrom={setFrom} />}
      {h && onlyMissed && (
        <div className="row">
          <button type="button" onClick={() => setFrom(0)} disabled={from === 0}>from page 0</button>
          <button type="button" onClick={() => h.next !== null && setFrom(h.next)} disabled={h.next === null} aria-label="Miss counters: more pages">more ▶</button>
        </div>
      )}
      {err ? <p className="error-text small">{err}</p> : h && (
        <table className="mono debug-table debug-scroll debug-heat" data-testid="debug-heat">
          <thead><tr><th>page</th>{Array.from({ length: h.nodes }, (_, n) => <th key={n} className="num">node {n}</th>)}<th className="num">writes</th></tr></thead>
          <tbody>
            {h.rows.map((row) => (
              <tr key={row.page}>
                <td>{hex(row.page)}</td>
                {row.byNode.map((c, n) => <td key={n} className="num" style={{ background: heat(c, h.max) }} data-count={c}>{c ? fmt(c) : ''}</td>)}
                <td className="num">{row.writes ? fmt(row.writes) : ''}</td>
              </tr>
            ))}
            {h.rows.length === 0 && <tr><td colSpan={h.nodes + 2} className="muted">no misses counted on these pages</td></tr>}
          </tbody>
        </table>
      )}
    </section>
  );
}
