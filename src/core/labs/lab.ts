/**
 * A lab (DESIGN.md "Labs"): a paper's experiment as a file — a sweep of experiments, the figure
 * derived from their run records, the paper's numbers, and the expected *shape* as checks with
 * an explanation. `labs/*.json`, validated against `docs/lab.schema.json` (generated from
 * `LAB_SCHEMA` below).
 *
 *   sweep    an experiment template (a file, whose path may contain `{param}`) × the cartesian
 *            product of `params`; `set` writes values into each experiment (dotted paths; a
 *            value `"{param}"` becomes that parameter's value, keeping its type)
 *   metrics  named numbers read from each run record by JSON Pointer (RFC 6901), sums of them, or
 *            the first of several that a record has (`{ "first": [...] }`: the same number where
 *            records of different modes keep it — `/load/…` under Disco, `/denali/load/…`)
 *   figure   how the points are drawn: groups along `x`, one bar or line per `series` value,
 *            the metrics in `values` (stacked for "stacked-bars"); optionally normalised to a
 *            reference point (Figure 5: native = 100)
 *   paper    the paper's values at given parameter values, drawn beside ours
 *   checks   the shape to reproduce: comparisons between derived cells, ranges, trends
 *
 * Everything here is data and pure functions: expansion (expand.ts), derivation and checks
 * (derive.ts), hashing and sharding (cache.ts) run the same in the CLI, the UI's host and tests.
 */
import type { ConfigError, ValidationResult } from '../machine/config/types';
import { validateJson, type JsonSchema } from '../experiment/json-schema';

export type ParamValue = string | number;
/** Parameter values that select points: every param not given is free (see `forEach`). */
export type Where = Readonly<Record<string, ParamValue>>;

export interface LabSweep {
  /** Experiment file, relative to the lab file; `{param}` is replaced by the point's value. */
  template: string;
  /** Parameter → its values; the points are the cartesian product, in key order. */
  params: Readonly<Record<string, readonly ParamValue[]>>;
  /** Dotted experiment path → value written into every point's experiment (`"{p}"` = p's value). */
  set?: Readonly<Record<string, unknown>>;
}

export interface LabFigure {
  type: 'stacked-bars' | 'bars' | 'line' | 'table';
  /** Parameter along the x axis (one group per value). */
  x: string;
  /** Parameter with one bar / line per value inside a group (omit for one per group). */
  series?: string;
  /** Metrics drawn (stacked segments for stacked-bars, one bar/line each otherwise). */
  values: readonly string[];
  /**
   * Normalise every point to a reference point: the point that agrees with it on every
   * parameter except those in `where`, which take `where`'s values; the figure's `values` (and
   * `metric` itself) are divided by the reference's `metric` and multiplied by `scale` (Figure 5:
   * native total = 100); other metrics (counts) keep their raw values. Without `metric`, each of
   * the figure's values is divided by the reference's value of the same metric (Table 2: each
   * service's time per call under Disco ÷ its time per call natively = its slowdown).
   */
  normalize?: { where: Where; metric?: string; scale: number };
  /** Unit of the (normalised) values, for axes and tables. */
  unit?: string;
}

/**
 * One derived cell: a metric at a point (the `forEach` params of the check fill the rest). The
 * metric may be left out when the check lists `metrics`: the cell takes each of them in turn.
 */
export interface CellRef { at?: Where; metric?: string }

interface CheckBase {
  name: string;
  /** Why this shape is expected (shown beside the result). */
  explanation: string;
  /** Repeat the check for every value of these params (each repetition must pass). */
  forEach?: readonly string[];
  /** Repeat the check for each of these metrics (cells and trends without a metric take it; each repetition must pass). */
  metrics?: readonly string[];
}
/** left < right × factor (or >). */
export interface CompareCheck extends CheckBase { kind: 'less' | 'greater'; left: CellRef; right: CellRef; /** right is multiplied by this first (default 1) */ factor?: number }
/** min ≤ value ≤ max. */
export interface RangeCheck extends CheckBase { kind: 'between'; value: CellRef; min: number; max: number }
/** A metric rises (or falls), non-strictly, along a parameter's values. */
export interface TrendCheck extends CheckBase { kind: 'increasing' | 'decreasing'; along: string; metric?: string; at?: Where }
export type LabCheck = CompareCheck | RangeCheck | TrendCheck;

export interface LabPaperValue { at: Where; values: Readonly<Record<string, number>> }

export interface LabFile {
  name: string;
  title: string;
  description?: string;
  /** Where the paper's numbers come from (e.g. "Disco, SOSP 1997, Figure 5"). */
  source?: string;
  sweep: LabSweep;
  /** Metric → JSON Pointer into a run record, a list of pointers to add up, or `{ first }`: the first pointer the record has a number at. */
  metrics: Readonly<Record<string, MetricSpec>>;
  figure: LabFigure;
  paper?: readonly LabPaperValue[];
  checks: readonly LabCheck[];
}

/** A metric's spec: a pointer, pointers to add up, or the first of several pointers a record has a number at. */
export type MetricSpec = string | readonly string[] | { readonly first: readonly string[] };

/** Every pointer a metric spec names. */
export function metricPointers(spec: MetricSpec): readonly string[] {
  return typeof spec === 'string' ? [spec] : 'first' in spec ? spec.first : spec;
}

const NAME = { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description: 'A name: letters, digits, _ . -' };
const WHERE = { type: 'object', description: 'Parameter values that select points', additionalProperties: { anyOf: [{ type: 'string', description: 'a string value' }, { type: 'number', description: 'a number' }] } };
const CELL = { type: 'object', additionalProperties: false, description: 'A metric at a point (a check\'s forEach params fill the rest)', properties: { at: WHERE, metric: { type: 'string', minLength: 1, description: 'Metric name (leave it out to take each of the check\'s metrics in turn)' } } };
const CHECK_BASE = {
  name: { type: 'string', minLength: 1, description: 'Short name of the check' },
  explanation: { type: 'string', minLength: 1, description: 'Why the paper leads us to expect this shape' },
  forEach: { type: 'array', items: { type: 'string', minLength: 1, description: 'a parameter' }, description: 'Repeat the check for every value of these parameters' },
  metrics: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, description: 'a metric' }, description: 'Repeat the check for each of these metrics (cells and trends without a metric take it)' },
};

export const LAB_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://disco-lab.invalid/schemas/lab.schema.json',
  title: 'Disco Lab lab',
  description: 'A paper experiment: a sweep of experiments, the derived figure, the paper\'s numbers and the expected shape. Generated from src/core/labs/lab.ts — do not edit by hand.',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'title', 'sweep', 'metrics', 'figure', 'checks'],
  properties: {
    $schema: { type: 'string', description: 'URI or path of this schema (ignored)' },
    name: { ...NAME, description: 'Name of the lab (`disco-lab lab NAME`)' },
    title: { type: 'string', minLength: 1, description: 'Title shown in the Labs view' },
    description: { type: 'string', description: 'What the lab shows and how' },
    source: { type: 'string', description: 'Where the paper\'s numbers come from' },
    sweep: {
      type: 'object', additionalProperties: false, required: ['template', 'params'], description: 'The experiments: a template × the cartesian product of the parameters',
      properties: {
        template: { type: 'string', minLength: 1, description: 'Experiment file relative to the lab file; {param} is replaced by the point\'s value' },
        params: { type: 'object', description: 'Parameter → its values', additionalProperties: { type: 'array', minItems: 1, items: { anyOf: [{ type: 'string', description: 'a string value' }, { type: 'number', description: 'a number' }] }, description: 'The values' } },
        set: { type: 'object', description: 'Dotted experiment path → value written into each experiment; "{param}" is that parameter\'s value', additionalProperties: { description: 'Any JSON value' } },
      },
    },
    metrics: { type: 'object', description: 'Metric → JSON Pointer into a run record (e.g. "/totals/buckets/user"), a list of pointers to add up, or { "first": [pointers] }: the first one at which the record has a number', additionalProperties: { anyOf: [{ type: 'string', minLength: 1, description: 'a JSON Pointer' }, { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, description: 'a JSON Pointer' }, description: 'pointers to add up' }, { type: 'object', additionalProperties: false, required: ['first'], description: 'the first pointer with a number (records of different modes keep it in different places)', properties: { first: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, description: 'a JSON Pointer' }, description: 'pointers, tried in order' } } }] } },
    figure: {
      type: 'object', additionalProperties: false, required: ['type', 'x', 'values'], description: 'How the points are drawn',
      properties: {
        type: { type: 'string', enum: ['stacked-bars', 'bars', 'line', 'table'], description: 'Kind of figure' },
        x: { type: 'string', minLength: 1, description: 'Parameter along the x axis' },
        series: { type: 'string', minLength: 1, description: 'Parameter with one bar or line per value inside a group' },
        values: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, description: 'a metric' }, description: 'Metrics drawn (stacked segments for stacked-bars)' },
        normalize: {
          type: 'object', additionalProperties: false, required: ['where', 'scale'], description: 'Normalise every point to a reference point',
          properties: { where: WHERE, metric: { type: 'string', minLength: 1, description: 'The reference point\'s metric to divide by (leave it out to divide each value by the reference\'s value of the same metric)' }, scale: { type: 'number', description: 'Multiplier after dividing (100: percent of the reference)' } },
        },
        unit: { type: 'string', description: 'Unit of the plotted values' },
      },
    },
    paper: { type: 'array', description: 'The paper\'s values at given parameter values', items: { type: 'object', additionalProperties: false, required: ['at', 'values'], description: 'One paper point', properties: { at: WHERE, values: { type: 'object', description: 'Metric → the paper\'s value', additionalProperties: { type: 'number', description: 'a value' } } } } },
    checks: {
      type: 'array', description: 'The shape to reproduce',
      items: {
        description: 'a check',
        anyOf: [
          { type: 'object', additionalProperties: false, required: ['name', 'explanation', 'kind', 'left', 'right'], description: 'left < right (or >), right × factor', properties: { ...CHECK_BASE, kind: { type: 'string', enum: ['less', 'greater'], description: 'Comparison' }, left: CELL, right: CELL, factor: { type: 'number', description: 'Multiplies right first (default 1)' } } },
          { type: 'object', additionalProperties: false, required: ['name', 'explanation', 'kind', 'value', 'min', 'max'], description: 'min ≤ value ≤ max', properties: { ...CHECK_BASE, kind: { const: 'between', description: 'Range' }, value: CELL, min: { type: 'number', description: 'Lowest allowed' }, max: { type: 'number', description: 'Highest allowed' } } },
          { type: 'object', additionalProperties: false, required: ['name', 'explanation', 'kind', 'along'], description: 'a metric rises or falls along a parameter', properties: { ...CHECK_BASE, kind: { type: 'string', enum: ['increasing', 'decreasing'], description: 'Trend (non-strict)' }, along: { type: 'string', minLength: 1, description: 'The parameter' }, metric: { type: 'string', minLength: 1, description: 'The metric (leave it out to take each of the check\'s metrics in turn)' }, at: WHERE } },
        ],
      },
    },
  },
};

/** Validates a parsed lab file: the schema, then the references between its parts. */
export function validateLab(input: unknown): ValidationResult<LabFile> {
  const errors = validateJson(LAB_SCHEMA, input);
  if (errors.length) return { ok: false, errors };
  const lab = input as LabFile;
  const more: ConfigError[] = [];
  const params = Object.keys(lab.sweep.params);
  const isParam = (p: string) => params.includes(p);
  const isMetric = (m: string) => m in lab.metrics;
  const where = (w: Where | undefined, path: string) => { for (const k of Object.keys(w ?? {})) if (!isParam(k)) more.push({ path: `${path}.${k}`, message: `unknown parameter '${k}' (known: ${params.join(', ')})` }); };
  if (!isParam(lab.figure.x)) more.push({ path: 'figure.x', message: `unknown parameter '${lab.figure.x}'` });
  if (lab.figure.series !== undefined && !isParam(lab.figure.series)) more.push({ path: 'figure.series', message: `unknown parameter '${lab.figure.series}'` });
  lab.figure.values.forEach((m, i) => { if (!isMetric(m)) more.push({ path: `figure.values[${i}]`, message: `unknown metric '${m}'` }); });
  if (lab.figure.normalize) { const nm = lab.figure.normalize.metric; where(lab.figure.normalize.where, 'figure.normalize.where'); if (nm !== undefined && !isMetric(nm)) more.push({ path: 'figure.normalize.metric', message: `unknown metric '${nm}'` }); }
  for (const [m, p] of Object.entries(lab.metrics)) for (const ptr of metricPointers(p)) if (!ptr.startsWith('/')) more.push({ path: `metrics.${m}`, message: `a JSON Pointer starts with '/', got '${ptr}'` });
  (lab.paper ?? []).forEach((p, i) => { where(p.at, `paper[${i}].at`); for (const m of Object.keys(p.values)) if (!isMetric(m)) more.push({ path: `paper[${i}].values.${m}`, message: `unknown metric '${m}'` }); });
  lab.checks.forEach((c, i) => {
    const at = `checks[${i}]`;
    for (const p of c.forEach ?? []) if (!isParam(p)) more.push({ path: `${at}.forEach`, message: `unknown parameter '${p}'` });
    (c.metrics ?? []).forEach((m, j) => { if (!isMetric(m)) more.push({ path: `${at}.metrics[${j}]`, message: `unknown metric '${m}'` }); });
    const metricOk = (m: string | undefined, path: string) => {
      if (m === undefined) { if (!c.metrics) more.push({ path, message: 'a metric is needed (or the check\'s metrics)' }); }
      else if (!isMetric(m)) more.push({ path, message: `unknown metric '${m}'` });
    };
    const cell = (r: CellRef, path: string) => { where(r.at, `${path}.at`); metricOk(r.metric, `${path}.metric`); };
    if (c.kind === 'less' || c.kind === 'greater') { cell(c.left, `${at}.left`); cell(c.right, `${at}.right`); }
    else if (c.kind === 'between') cell(c.value, `${at}.value`);
    else if (c.kind === 'increasing' || c.kind === 'decreasing') { if (!isParam(c.along)) more.push({ path: `${at}.along`, message: `unknown parameter '${c.along}'` }); metricOk(c.metric, `${at}.metric`); where(c.at, `${at}.at`); }
  });
  const points = Object.values(lab.sweep.params).reduce((n, v) => n * v.length, 1);
  if (points > MAX_POINTS) more.push({ path: 'sweep.params', message: `${points} points; at most ${MAX_POINTS} (use several labs, or shards)` });
  if (more.length) return { ok: false, errors: more };
  return { ok: true, value: lab };
}

/** Most points one lab may sweep. */
export const MAX_POINTS = 4096;
