/**
 * A small validator for the subset of JSON Schema (draft 2020-12) that Disco Lab's own schemas
 * use: `type` (one or a list), `properties`, `required`, `additionalProperties` (false or a
 * schema), `items`, `enum`, `const`, `minimum`, `maximum`, `minItems`, `maxItems`, `minLength`,
 * `maxLength`, `anyOf`, `pattern` (with our `x-pattern-message`, the error shown instead of the
 * regular expression). Unknown keywords (`description`, `default`, `x-unit`, …) are ignored. Errors are
 * field-level, with paths like `limits.maxCycles` and `programs[0].path` ('' = the document).
 *
 * Used to validate experiment files against `docs/experiment.schema.json` (same object) and, in
 * tests, run records against `docs/run-record.schema.json`. No packages: src/core imports none.
 */
import type { ConfigError } from '../machine/config/types';

export type JsonSchema = { [k: string]: unknown };

const typeOf = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
};

const matchesType = (v: unknown, t: string): boolean => {
  const a = typeOf(v);
  return a === t || (t === 'number' && a === 'integer');
};

const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

export function validateJson(schema: JsonSchema, value: unknown, path = '', errors: ConfigError[] = []): ConfigError[] {
  if (schema.anyOf) {
    const alts = schema.anyOf as JsonSchema[];
    const results = alts.map((s) => validateJson(s, value, path, []));
    const ok = results.findIndex((r) => r.length === 0);
    if (ok < 0) {
      // Report the alternative whose type matches, else a summary.
      const typed = alts.findIndex((s) => s.type === undefined || [s.type].flat().some((t) => matchesType(value, t as string)));
      if (typed >= 0) errors.push(...results[typed]);
      else errors.push({ path, message: `must be ${alts.map((s) => (s.description as string | undefined) ?? [s.type].flat().join(' or ')).join(', or ')}` });
      return errors;
    }
  }
  if (schema.type !== undefined) {
    const types = [schema.type].flat() as string[];
    if (!types.some((t) => matchesType(value, t))) {
      errors.push({ path, message: `must be ${types.map((t) => (t === 'integer' ? 'a whole number' : t === 'array' || t === 'object' || t === 'integer' ? `an ${t}` : t === 'null' ? 'null' : `a ${t}`)).join(' or ')}, got ${typeOf(value) === 'integer' ? 'a number' : typeOf(value)}` });
      return errors;
    }
  }
  if (schema.const !== undefined && value !== schema.const) errors.push({ path, message: `must be ${show(schema.const)}` });
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) errors.push({ path, message: `must be one of ${(schema.enum as unknown[]).map(show).join(', ')}, got ${show(value)}` });
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push({ path, message: `must be ≥ ${schema.minimum}, got ${value}` });
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push({ path, message: `must be ≤ ${schema.maximum}, got ${value}` });
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) errors.push({ path, message: schema.minLength === 1 ? 'must not be empty' : `must have at least ${schema.minLength} characters` });
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) errors.push({ path, message: `must have at most ${schema.maxLength} characters, got ${value.length}` });
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push({ path, message: typeof schema['x-pattern-message'] === 'string' ? schema['x-pattern-message'] : `must match ${schema.pattern}` });
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push({ path, message: `must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}` });
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push({ path, message: `must have at most ${schema.maxItems} item${schema.maxItems === 1 ? '' : 's'}, got ${value.length}` });
    if (schema.items) value.forEach((v, i) => validateJson(schema.items as JsonSchema, v, join(path, i), errors));
  }
  if (typeOf(value) === 'object') {
    const o = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const r of (schema.required ?? []) as string[]) if (o[r] === undefined) errors.push({ path: join(path, r), message: 'is required' });
    for (const [k, v] of Object.entries(o)) {
      if (props[k]) validateJson(props[k], v, join(path, k), errors);
      else if (schema.additionalProperties === false) errors.push({ path: join(path, k), message: 'unknown field' });
      else if (typeof schema.additionalProperties === 'object') validateJson(schema.additionalProperties as JsonSchema, v, join(path, k), errors);
    }
  }
  return errors;
}

/** Paths of schema nodes that lack a `description` (tests: every field must be described). */
export function undescribed(schema: JsonSchema, path = ''): string[] {
  const out: string[] = [];
  if (typeof schema.description !== 'string' || !schema.description) out.push(path || '(root)');
  for (const [k, s] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) out.push(...undescribed(s, join(path, k)));
  if (schema.items && typeof schema.items === 'object') {
    const it = schema.items as JsonSchema;
    if (it.type === 'object' || it.properties) out.push(...undescribed(it, `${path}[]`));
  }
  if (typeof schema.additionalProperties === 'object') {
    const ap = schema.additionalProperties as JsonSchema;
    if (ap.properties) out.push(...undescribed(ap, `${path}.*`));
  }
  return out;
}
