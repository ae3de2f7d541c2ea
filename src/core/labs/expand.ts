/**
 * A lab's sweep → its points: the cartesian product of the parameters (in the order the lab
 * lists them, the last varying fastest), each with the experiment file it runs (the template
 * with `{param}` replaced) and the values written into that experiment (`set`).
 */
import type { LabFile, ParamValue, Where } from './lab';

export interface LabPoint {
  /** Position in the sweep (0-based): stable, used by shards. */
  index: number;
  /** `p1=v1,p2=v2`: unique within the lab. */
  id: string;
  params: Readonly<Record<string, ParamValue>>;
  /** The experiment file, relative to the lab file. */
  experiment: string;
  /** Dotted experiment path → value, to write into the parsed experiment before validation. */
  set: Readonly<Record<string, unknown>>;
}

const PLACEHOLDER = /\{([A-Za-z0-9_.-]+)\}/g;

/** `text` with every `{param}` replaced by the point's value. */
function fill(text: string, params: Readonly<Record<string, ParamValue>>): string {
  return text.replace(PLACEHOLDER, (m, p: string) => (p in params ? String(params[p]) : m));
}

/** A `set` value for a point: `"{p}"` alone keeps p's type; strings get placeholders filled; objects and arrays recursively. */
function fillValue(v: unknown, params: Readonly<Record<string, ParamValue>>): unknown {
  if (typeof v === 'string') {
    const whole = /^\{([A-Za-z0-9_.-]+)\}$/.exec(v);
    if (whole && whole[1] in params) return params[whole[1]];
    return fill(v, params);
  }
  if (Array.isArray(v)) return v.map((x) => fillValue(x, params));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillValue(x, params)]));
  return v;
}

export function pointId(params: Readonly<Record<string, ParamValue>>): string {
  return Object.entries(params).map(([k, v]) => `${k}=${v}`).join(',');
}

export function expandLab(lab: LabFile): LabPoint[] {
  const names = Object.keys(lab.sweep.params);
  const points: LabPoint[] = [];
  const rec = (i: number, acc: Record<string, ParamValue>) => {
    if (i === names.length) {
      const params = { ...acc };
      points.push({
        index: points.length, id: pointId(params), params,
        experiment: fill(lab.sweep.template, params),
        set: Object.fromEntries(Object.entries(lab.sweep.set ?? {}).map(([k, v]) => [k, fillValue(v, params)])),
      });
      return;
    }
    for (const v of lab.sweep.params[names[i]]) rec(i + 1, { ...acc, [names[i]]: v });
  };
  rec(0, {});
  return points;
}

/** Does the point match every given parameter value? */
export function matches(params: Readonly<Record<string, ParamValue>>, where: Where): boolean {
  return Object.entries(where).every(([k, v]) => params[k] === v);
}
