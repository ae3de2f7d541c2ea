/**
 * The Labs view's arithmetic (pure functions of a lab file and its derived result — no
 * simulation, no DOM): the chart data of the lab's figure with the paper's values beside ours,
 * the table of derived values, and the progress and number texts.
 *
 * Every point of the sweep is exactly one *category* of a bar figure: grouped by the figure's `x`
 * parameter (in the sweep's order), inside a group ordered by `series` and then by the sweep. A
 * category carries our values of the figure's metrics (normalised as the figure says) under
 * `o0`, `o1`, … and the paper's under `p0`, `p1`, … (`null` where there is none), so a chart
 * draws ours as filled bars and the paper's as outlined bars beside them. A line figure has one
 * row per `x` value and one line per combination of the other parameters (the series).
 */
import type { CheckResult, LabFile, LabFinished, LabResult, LabRow, ParamValue } from './types';

/** Does a point's parameters match every given value? (core/labs/expand.ts `matches`) */
function matches(params: Readonly<Record<string, ParamValue>>, where: Readonly<Record<string, ParamValue>>): boolean {
  return Object.entries(where).every(([k, v]) => params[k] === v);
}

/** The paper's values at a point (the first `paper` entry whose `at` it matches), or undefined. */
export function paperAt(lab: LabFile, params: Readonly<Record<string, ParamValue>>): Readonly<Record<string, number>> | undefined {
  return (lab.paper ?? []).find((p) => matches(params, p.at))?.values;
}

/** The metrics a figure shows: its `values`, and the normalisation metric (e.g. `total`) when that is not among them. */
export function shownMetrics(lab: LabFile): { values: string[]; extra?: string } {
  const values = [...lab.figure.values];
  const n = lab.figure.normalize?.metric;
  return n && !values.includes(n) ? { values, extra: n } : { values };
}

export interface LabCategory {
  /** The point's id (`workload=pmake,config=native-1cpu`). */
  pointId: string;
  /** Tick label: the series value and any other parameter (the x value when there is neither). */
  label: string;
  /** The `x` value: the group. */
  group: string;
  /** First category of its group, and how many the group has (to centre the group's label). */
  groupStart: boolean;
  groupSize: number;
  /** Whether the paper has a value for this point. */
  hasPaper: boolean;
  /** Our figure values `o<i>` and the paper's `p<i>` (i = index in `figure.values`). */
  [value: `o${number}` | `p${number}`]: number | null;
  /** Sums of ours and of the paper's (stacked height); null when a value is missing. */
  oursTotal: number | null;
  paperTotal: number | null;
}

const sortKey = (lab: LabFile, params: Readonly<Record<string, ParamValue>>, param: string | undefined) =>
  param === undefined ? 0 : lab.sweep.params[param]?.indexOf(params[param]) ?? 0;

/** Our row's value of metric `m` (normalised), or null. */
const ours = (row: LabRow, m: string) => row.values[m] ?? null;

const sumOrNull = (xs: (number | null)[]) => (xs.every((x) => x !== null) ? (xs as number[]).reduce((a, b) => a + b, 0) : null);

/** The categories of a bar figure (stacked or not), one per point, grouped by `x`. */
export function labCategories(lab: LabFile, result: LabResult): LabCategory[] {
  const { x, series, values } = lab.figure;
  const others = Object.keys(lab.sweep.params).filter((p) => p !== x && p !== series);
  const rows = [...result.rows].sort((a, b) =>
    sortKey(lab, a.point.params, x) - sortKey(lab, b.point.params, x)
    || sortKey(lab, a.point.params, series) - sortKey(lab, b.point.params, series)
    || a.point.index - b.point.index);
  const cats = rows.map((row) => {
    const p = row.point.params;
    const parts = [...(series !== undefined ? [String(p[series])] : []), ...others.map((o) => `${o}=${p[o]}`)];
    const paper = paperAt(lab, p);
    const c: LabCategory = {
      pointId: row.point.id, label: parts.length ? parts.join(' ') : String(p[x]), group: String(p[x]),
      groupStart: false, groupSize: 0, hasPaper: Boolean(paper), oursTotal: null, paperTotal: null,
    };
    values.forEach((m, i) => {
      c[`o${i}`] = ours(row, m);
      c[`p${i}`] = paper && typeof paper[m] === 'number' ? paper[m] : null;
    });
    c.oursTotal = sumOrNull(values.map((_, i) => c[`o${i}`]));
    c.paperTotal = paper ? sumOrNull(values.map((_, i) => c[`p${i}`])) : null;
    return c;
  });
  for (let i = 0; i < cats.length;) {
    let j = i;
    while (j < cats.length && cats[j].group === cats[i].group) j++;
    cats[i].groupStart = true;
    for (let k = i; k < j; k++) cats[k].groupSize = j - i;
    i = j;
  }
  return cats;
}

export interface LabLine {
  /** Data key of our values in the rows (`s<series>m<metric>`), and of the paper's (`q…`). */
  key: string;
  paperKey: string;
  /** Legend text: the metric, and the series when there are several. */
  label: string;
  metric: string;
  /** Index of the metric in `figure.values` (for its colour) and of the series. */
  metricIndex: number;
  seriesIndex: number;
  /** Whether the paper has any value on this line. */
  hasPaper: boolean;
}

/** A line figure: one row per `x` value, one line per (series, metric); the paper's values as markers. */
export function labLines(lab: LabFile, result: LabResult): { rows: Record<string, string | number | null>[]; lines: LabLine[] } {
  const { x, values } = lab.figure;
  const others = Object.keys(lab.sweep.params).filter((p) => p !== x);
  const seriesOf = (params: Readonly<Record<string, ParamValue>>) => others.map((o) => `${o}=${params[o]}`).join(', ');
  const series: string[] = [];
  for (const r of [...result.rows].sort((a, b) => a.point.index - b.point.index)) {
    const s = seriesOf(r.point.params);
    if (!series.includes(s)) series.push(s);
  }
  const lines: LabLine[] = [];
  series.forEach((s, si) => values.forEach((m, mi) => lines.push({
    key: `s${si}m${mi}`, paperKey: `q${si}m${mi}`, label: series.length > 1 ? `${m} (${s})` : m, metric: m, metricIndex: mi, seriesIndex: si, hasPaper: false,
  })));
  const rows = lab.sweep.params[x].map((xv) => {
    const row: Record<string, string | number | null> = { x: String(xv) };
    for (const r of result.rows) {
      if (r.point.params[x] !== xv) continue;
      const si = series.indexOf(seriesOf(r.point.params));
      const paper = paperAt(lab, r.point.params);
      values.forEach((m, mi) => {
        row[`s${si}m${mi}`] = ours(r, m);
        const pv = paper && typeof paper[m] === 'number' ? paper[m] : null;
        row[`q${si}m${mi}`] = pv;
        if (pv !== null) lines.find((l) => l.key === `s${si}m${mi}`)!.hasPaper = true;
      });
    }
    return row;
  });
  return { rows, lines };
}

export interface LabTableColumn {
  metric: string;
  /** `figure`: normalised as the figure says, with the paper's value beside it; `raw`: a count read from the record. */
  kind: 'figure' | 'raw';
}

export interface LabTableRow {
  pointId: string;
  params: Record<string, ParamValue>;
  /** Per column: ours and the paper's (null = none). */
  cells: { ours: number | null; paper: number | null }[];
}

/** The derived values as a table: the parameters, the figure's metrics with the paper's, then the other metrics raw. */
export function labTable(lab: LabFile, result: LabResult): { params: string[]; columns: LabTableColumn[]; rows: LabTableRow[] } {
  const { values, extra } = shownMetrics(lab);
  const fig = extra ? [...values, extra] : values;
  const raw = Object.keys(lab.metrics).filter((m) => !fig.includes(m));
  const columns: LabTableColumn[] = [...fig.map((metric) => ({ metric, kind: 'figure' as const })), ...raw.map((metric) => ({ metric, kind: 'raw' as const }))];
  const rows = result.rows.map((r) => {
    const paper = paperAt(lab, r.point.params);
    return {
      pointId: r.point.id,
      params: { ...r.point.params },
      cells: columns.map((c) => c.kind === 'figure'
        ? { ours: r.values[c.metric] ?? null, paper: paper && typeof paper[c.metric] === 'number' ? paper[c.metric] : null }
        : { ours: r.raw[c.metric] ?? null, paper: paper && typeof paper[c.metric] === 'number' ? paper[c.metric] : null }),
    };
  });
  return { params: Object.keys(lab.sweep.params), columns, rows };
}

/** A derived value for display: 117.2, 3.45, 0.0123; large counts with separators; — for none. */
export function fmtLabValue(x: number | null | undefined, kind: 'figure' | 'raw' = 'figure'): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (kind === 'raw' && Number.isInteger(x)) return x.toLocaleString('en-US');
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : a === 0 ? '0' : x.toPrecision(3);
}

/** Seconds as the progress line says them: `8 s`, `1 min 05 s`. */
export function fmtSeconds(s: number): string {
  const r = Math.max(0, Math.round(s));
  return r < 60 ? `${r} s` : `${Math.floor(r / 60)} min ${String(r % 60).padStart(2, '0')} s`;
}

/** `3 of 8 points · 2 cached · running 2 · about 12 s left` */
export function labProgressText(p: { done: number; total: number; cached: number; running: readonly string[]; etaSeconds: number | null }): string {
  const parts = [`${p.done} of ${p.total} points`];
  if (p.cached) parts.push(`${p.cached} from the cache`);
  if (p.running.length) parts.push(`running ${p.running.length}`);
  if (p.done < p.total) parts.push(p.etaSeconds === null ? 'estimating the time left…' : `about ${fmtSeconds(p.etaSeconds)} left`);
  return parts.join(' · ');
}

/** The point id as the view shows it: `workload=pmake, config=native-1cpu`. */
export function pointLabel(params: Readonly<Record<string, ParamValue>>): string {
  return Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ');
}

/** The end of a lab run in one line, for Output: `Lab figure5 finished (8 run, 0 from the cache, 24.1 s): 4 of 4 checks pass`. */
export function labFinishedText(f: LabFinished, name: string): string {
  const r = f.view?.result;
  const how = `${f.ran} run, ${f.cached} from the cache, ${f.seconds.toFixed(1)} s`;
  if (f.stopped) return `Lab ${name} stopped (${how}): ${r?.missing.length ?? 0} point${r?.missing.length === 1 ? ' has' : 's have'} no record`;
  if (!f.ok) return `Lab ${name} failed (${how}): ${(f.errors ?? []).join('; ')}`;
  return `Lab ${name} finished (${how})${r ? `: ${r.checks.filter((c) => c.pass).length} of ${r.checks.length} checks pass` : ''}`;
}

/**
 * A check as the view shows it: it passes, it fails, or — while points it needs have no record
 * (`incomplete`) — it is not decided yet: every line that says no says so for lack of a value.
 */
export function checkState(c: CheckResult, incomplete: boolean): 'pass' | 'fail' | 'pending' {
  if (c.pass) return 'pass';
  if (!incomplete) return 'fail';
  return c.detail.some((d) => !d.includes('missing') && !/: yes$/.test(d)) ? 'fail' : 'pending';
}
