/**
 * A lab's result as text (the CLI's output): one line per point with its (normalised) figure
 * values, then its other metrics raw, and the paper's beside them, then every shape check — PASS or FAIL, its explanation and the numbers
 * that decided it — and the points that have no record.
 */
import { matches } from './expand';
import type { LabResult } from './derive';
import type { LabFile } from './lab';

const num = (x: number | null | undefined) => (x === null || x === undefined ? '—' : Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));

export function formatLabResult(lab: LabFile, r: LabResult): string {
  const metrics = [...lab.figure.values];
  const nm = lab.figure.normalize?.metric;
  const total = nm !== undefined && !metrics.includes(nm) ? nm : undefined;
  const fig = total ? [...metrics, total] : metrics;
  // then the lab's other metrics, raw (counts, fractions, rates: Table 3 beside Figure 8)
  const cols = [...fig, ...Object.keys(lab.metrics).filter((m) => !fig.includes(m))];
  const params = Object.keys(lab.sweep.params);
  const head = [...params, ...cols.map((m) => m), `paper (${cols.join(' / ')})`];
  const rows = r.rows.map((row) => {
    const paper = (lab.paper ?? []).find((p) => matches(row.point.params, p.at));
    const paperText = paper ? cols.map((m) => num(paper.values[m])).join(' / ') : '—';
    return [...params.map((p) => String(row.point.params[p])), ...cols.map((m) => num(row.values[m])), paperText];
  });
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r2) => r2[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < params.length || i === cells.length - 1 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ').trimEnd();
  const out = [`${lab.title}${lab.figure.normalize ? ` (${lab.figure.unit || `${lab.figure.normalize.metric ?? 'each metric'} = ${lab.figure.normalize.scale}`})` : lab.figure.unit ? ` [${lab.figure.unit}]` : ''}`, '', line(head), ...rows.map(line), ''];
  for (const c of r.checks) {
    out.push(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name} — ${c.explanation}`);
    for (const d of c.detail) out.push(`      ${d}`);
  }
  if (r.missing.length) out.push('', `no record for ${r.missing.length} point(s): ${r.missing.join('; ')}`);
  out.push('', `${r.checks.filter((c) => c.pass).length} of ${r.checks.length} checks pass`);
  return out.join('\n') + '\n';
}
