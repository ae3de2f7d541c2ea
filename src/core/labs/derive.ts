/**
 * From run records to a lab's result: each point's metrics (read by JSON Pointer, RFC 6901),
 * normalised as the figure says, the paper's values beside them, and every shape check with a
 * pass/fail and the numbers that decided it. Pure: the same records give the same result.
 */
import { expandLab, matches, type LabPoint } from './expand';
import type { CellRef, LabCheck, LabFile, MetricSpec, ParamValue, Where } from './lab';

export interface LabRow {
  point: LabPoint;
  /** Metric values read from the record (null: no record, or not a number there). */
  raw: Record<string, number | null>;
  /** After the figure's normalisation (= raw without one). */
  values: Record<string, number | null>;
}

export interface CheckResult {
  name: string;
  explanation: string;
  pass: boolean;
  /** The numbers that decided it, one line per repetition (forEach). */
  detail: string[];
}

export interface LabResult {
  lab: string;
  title: string;
  unit: string;
  rows: LabRow[];
  /** Points with no record. */
  missing: string[];
  checks: CheckResult[];
  /** Every check passed (and no point is missing). */
  pass: boolean;
}

/** RFC 6901: `/a/b~1c/0` → the value, or undefined. */
export function readPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let node = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[Number(key)] : (node as Record<string, unknown>)[key];
  }
  return node;
}

function metricOf(record: unknown, spec: MetricSpec): number | null {
  if (typeof spec === 'object' && 'first' in spec) {
    for (const p of spec.first) { const v = readPointer(record, p); if (typeof v === 'number' && Number.isFinite(v)) return v; }
    return null;
  }
  let sum = 0;
  for (const p of [spec].flat()) {
    const v = readPointer(record, p);
    if (typeof v !== 'number' || !Number.isFinite(v)) return null;
    sum += v;
  }
  return sum;
}

const fmt = (x: number | null) => (x === null ? 'missing' : Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(3));
const show = (w: Where) => Object.entries(w).map(([k, v]) => `${k}=${v}`).join(', ');

/** The lab's result from its records (point id → run record). */
export function deriveLab(lab: LabFile, records: ReadonlyMap<string, unknown>): LabResult {
  const points = expandLab(lab);
  const rows: LabRow[] = points.map((point) => {
    const rec = records.get(point.id);
    const raw: Record<string, number | null> = {};
    for (const [m, spec] of Object.entries(lab.metrics)) raw[m] = rec === undefined ? null : metricOf(rec, spec);
    return { point, raw, values: { ...raw } };
  });
  const norm = lab.figure.normalize;
  // the figure's values and the reference metric are normalised; other metrics (counts) stay raw;
  // without a reference metric each value is divided by the reference's value of the same metric
  const scaled = norm ? [...new Set([...lab.figure.values, ...(norm.metric === undefined ? [] : [norm.metric])])] : [];
  if (norm) {
    for (const row of rows) {
      const ref = rows.find((r) => matches(r.point.params, { ...row.point.params, ...norm.where }));
      for (const m of scaled) {
        const v = row.raw[m], d = ref?.raw[norm.metric ?? m] ?? null;
        row.values[m] = v === null || d === null || d === 0 ? null : (v / d) * norm.scale;
      }
    }
  }
  const checks = lab.checks.map((c) => runCheck(lab, c, rows));
  const missing = rows.filter((r) => !records.has(r.point.id)).map((r) => r.point.id);
  return { lab: lab.name, title: lab.title, unit: lab.figure.unit ?? '', rows, missing, checks, pass: missing.length === 0 && checks.every((c) => c.pass) };
}

/** Every combination of the values of `params` (in the sweep's order). */
function combinations(lab: LabFile, params: readonly string[]): Record<string, ParamValue>[] {
  let out: Record<string, ParamValue>[] = [{}];
  for (const p of params) out = out.flatMap((acc) => lab.sweep.params[p].map((v) => ({ ...acc, [p]: v })));
  return out;
}

function cell(lab: LabFile, rows: LabRow[], ref: CellRef, fixed: Where, each: string | undefined): { value: number | null; label: string; error?: string } {
  const where = { ...fixed, ...(ref.at ?? {}) };
  const metric = ref.metric ?? each ?? '';
  const hits = rows.filter((r) => matches(r.point.params, where));
  const label = ref.at && Object.keys(ref.at).length ? `${metric} (${show(ref.at)})` : metric;
  if (hits.length !== 1) return { value: null, label, error: `${label}: ${hits.length} points match (name every parameter: ${Object.keys(lab.sweep.params).join(', ')})` };
  return { value: hits[0].values[metric] ?? null, label };
}

function runCheck(lab: LabFile, c: LabCheck, rows: LabRow[]): CheckResult {
  const detail: string[] = [];
  let pass = true;
  // a check with `metrics` repeats for each; its cells (and trend) without a metric take it
  for (const each of c.metrics ?? [undefined]) for (const fixed of combinations(lab, c.forEach ?? [])) {
    const prefix = Object.keys(fixed).length ? `${show(fixed)}: ` : '';
    if (c.kind === 'less' || c.kind === 'greater') {
      const l = cell(lab, rows, c.left, fixed, each), r = cell(lab, rows, c.right, fixed, each);
      const err = l.error ?? r.error;
      const f = c.factor ?? 1;
      const ok = !err && l.value !== null && r.value !== null && (c.kind === 'less' ? l.value < r.value * f : l.value > r.value * f);
      pass &&= ok;
      detail.push(prefix + (err ?? `${l.label} = ${fmt(l.value)} ${c.kind === 'less' ? '<' : '>'} ${f === 1 ? '' : `${f} × `}${r.label} = ${fmt(r.value)}: ${ok ? 'yes' : 'no'}`));
    } else if (c.kind === 'between') {
      const v = cell(lab, rows, c.value, fixed, each);
      const ok = !v.error && v.value !== null && v.value >= c.min && v.value <= c.max;
      pass &&= ok;
      detail.push(prefix + (v.error ?? `${v.label} = ${fmt(v.value)} within [${c.min}, ${c.max}]: ${ok ? 'yes' : 'no'}`));
    } else if (c.kind === 'increasing' || c.kind === 'decreasing') {
      const where = { ...fixed, ...(c.at ?? {}) };
      const order = lab.sweep.params[c.along];
      const line = rows.filter((r) => matches(r.point.params, where)).sort((a, b) => order.indexOf(a.point.params[c.along]) - order.indexOf(b.point.params[c.along]));
      const metric = c.metric ?? each ?? '';
      const vals = line.map((r) => r.values[metric] ?? null);
      const others = Object.keys(lab.sweep.params).filter((p) => p !== c.along && !(p in where));
      let ok = line.length === order.length && others.length === 0 && vals.every((v) => v !== null);
      for (let i = 1; ok && i < vals.length; i++) ok = c.kind === 'increasing' ? vals[i]! >= vals[i - 1]! : vals[i]! <= vals[i - 1]!;
      pass &&= ok;
      detail.push(prefix + (others.length ? `name the other parameters (${others.join(', ')}) in at or forEach` : `${metric} along ${c.along} = ${order.join(', ')}: ${vals.map(fmt).join(', ')} — ${c.kind}: ${ok ? 'yes' : 'no'}`));
    }
  }
  return { name: c.name, explanation: c.explanation, pass, detail };
}
