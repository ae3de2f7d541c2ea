/**
 * Hand-written validator for machine configs (src/core imports no packages). Reads the parameter
 * table in `params.ts`, fills defaults, and reports every problem as a field-level error
 * `{ path, message }` rather than stopping at the first. Bad configs are the user's mistake
 * (gem5's `fatal`), so this never throws.
 */
import { DISTANCE_PARAM, MACHINE_PARAMS, MAX_CPUS, MAX_RAM_MB, type ParamSpec } from './params';
import type { ConfigError, MachineConfig, ValidationResult } from './types';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPow2 = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** Object paths the table defines (for unknown-field detection): '', 'caches', 'caches.l1i', ... */
function objectPaths(): Set<string> {
  const s = new Set<string>(['']);
  for (const p of MACHINE_PARAMS) {
    const parts = p.path.split('.');
    for (let i = 1; i < parts.length; i++) s.add(parts.slice(0, i).join('.'));
  }
  return s;
}
const OBJECT_PATHS = objectPaths();
const LEAF_PATHS = new Set([...MACHINE_PARAMS.map((p) => p.path), 'distance', '$schema']);

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'number' ? 'a number' : typeof v === 'string' ? 'a string' : typeof v;
}

/** Checks one scalar against its spec; returns an error message or undefined. */
export function checkParam(spec: ParamSpec, v: unknown): string | undefined {
  switch (spec.type) {
    case 'string':
      return typeof v === 'string' ? undefined : `must be a string, got ${describeType(v)}`;
    case 'enum':
      return typeof v === 'string' && spec.values!.includes(v) ? undefined : `must be one of ${spec.values!.map((x) => `'${x}'`).join(', ')}, got ${JSON.stringify(v)}`;
    case 'integer':
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return `must be a ${spec.type === 'integer' ? 'whole number' : 'number'}${spec.unit ? ` (${spec.unit})` : ''}, got ${describeType(v)}`;
      if (spec.type === 'integer' && !Number.isInteger(v)) return `must be a whole number${spec.unit ? ` (${spec.unit})` : ''}, got ${v}`;
      if (spec.min !== undefined && v < spec.min) return `must be ≥ ${spec.min}${spec.unit ? ` ${spec.unit}` : ''}, got ${v}`;
      if (spec.max !== undefined && v > spec.max) return `must be ≤ ${spec.max}${spec.unit ? ` ${spec.unit}` : ''}, got ${v}`;
      if (spec.powerOfTwo && !isPow2(v)) return `must be a power of two, got ${v}`;
      return undefined;
    }
  }
}

function setPath(obj: Record<string, unknown>, path: string, v: unknown): void {
  const parts = path.split('.');
  let o = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    if (!isObject(o[parts[i]])) o[parts[i]] = {};
    o = o[parts[i]] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]] = v;
}

/**
 * Validates a parsed JSON machine config and returns the resolved config (defaults filled,
 * `distance` computed from `latency` when absent) or every field-level error.
 */
export function validateMachineConfig(input: unknown): ValidationResult<MachineConfig> {
  const errors: ConfigError[] = [];
  if (!isObject(input)) return { ok: false, errors: [{ path: '', message: `a machine config must be a JSON object, got ${describeType(input)}` }] };

  // Unknown fields and non-object intermediates.
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (OBJECT_PATHS.has(path)) {
        if (!isObject(v)) errors.push({ path, message: `must be an object, got ${describeType(v)}` });
        else walk(v, path);
      } else if (!LEAF_PATHS.has(path)) {
        errors.push({ path, message: 'unknown field' });
      }
    }
  };
  walk(input, '');

  const out: Record<string, unknown> = {};
  const get = (path: string): unknown => {
    let o: unknown = input;
    for (const part of path.split('.')) {
      if (!isObject(o)) return undefined;
      o = o[part];
    }
    return o;
  };
  for (const spec of MACHINE_PARAMS) {
    const v = get(spec.path);
    if (v === undefined) {
      if (spec.default !== undefined) setPath(out, spec.path, spec.default);
      continue;
    }
    const msg = checkParam(spec, v);
    if (msg) errors.push({ path: spec.path, message: msg });
    else setPath(out, spec.path, v);
  }
  const c = out as unknown as MachineConfig;
  const fieldOk = (path: string) => !errors.some((e) => e.path === path);

  // Cross-field rules.
  if (fieldOk('nodes') && fieldOk('cpusPerNode') && c.nodes * c.cpusPerNode > MAX_CPUS) {
    errors.push({ path: 'cpusPerNode', message: `nodes × cpusPerNode = ${c.nodes * c.cpusPerNode} exceeds the maximum of ${MAX_CPUS} CPUs` });
  }
  if (fieldOk('nodes') && fieldOk('memoryPerNodeMB') && c.nodes * c.memoryPerNodeMB > MAX_RAM_MB) {
    errors.push({ path: 'memoryPerNodeMB', message: `nodes × memoryPerNodeMB = ${c.nodes * c.memoryPerNodeMB} MiB exceeds ${MAX_RAM_MB} MiB (RAM must end below the device window at 0x1F000000)` });
  }
  for (const level of ['l1i', 'l1d', 'l2'] as const) {
    const p = `caches.${level}`;
    if (fieldOk(`${p}.sizeKB`) && fieldOk(`${p}.lineBytes`) && fieldOk(`${p}.assoc`)) {
      const g = c.caches[level];
      if (g.sizeKB * 1024 < g.lineBytes * g.assoc) errors.push({ path: `${p}.assoc`, message: `sizeKB × 1024 must hold at least one set (lineBytes × assoc = ${g.lineBytes * g.assoc} bytes)` });
    }
  }
  for (const level of ['l1i', 'l1d'] as const) {
    const p = `caches.${level}`;
    if (fieldOk(`${p}.lineBytes`) && fieldOk('caches.l2.lineBytes') && c.caches[level].lineBytes > c.caches.l2.lineBytes) {
      errors.push({ path: `${p}.lineBytes`, message: `must not exceed caches.l2.lineBytes (${c.caches.l2.lineBytes}); the L2 is inclusive` });
    }
    if (fieldOk(`${p}.sizeKB`) && fieldOk('caches.l2.sizeKB') && c.caches[level].sizeKB > c.caches.l2.sizeKB) {
      errors.push({ path: `${p}.sizeKB`, message: `must not exceed caches.l2.sizeKB (${c.caches.l2.sizeKB}); the L2 is inclusive` });
    }
  }

  // The distance matrix.
  const d = (input as Record<string, unknown>).distance;
  if (d !== undefined) {
    const n = fieldOk('nodes') ? c.nodes : undefined;
    if (!Array.isArray(d)) errors.push({ path: 'distance', message: `must be an array of rows (nodes × nodes, in ns), got ${describeType(d)}` });
    else {
      if (n !== undefined && d.length !== n) errors.push({ path: 'distance', message: `must have ${n} rows (one per node), got ${d.length}` });
      d.forEach((row, i) => {
        if (!Array.isArray(row)) { errors.push({ path: `distance[${i}]`, message: `must be an array of ${n ?? 'nodes'} numbers (ns), got ${describeType(row)}` }); return; }
        if (n !== undefined && row.length !== n) errors.push({ path: `distance[${i}]`, message: `must have ${n} entries (one per node), got ${row.length}` });
        row.forEach((x, j) => {
          if (typeof x !== 'number' || !Number.isFinite(x)) errors.push({ path: `distance[${i}][${j}]`, message: `must be a number (ns), got ${describeType(x)}` });
          else if (x < DISTANCE_PARAM.min || x > DISTANCE_PARAM.max) errors.push({ path: `distance[${i}][${j}]`, message: `must be between ${DISTANCE_PARAM.min} and ${DISTANCE_PARAM.max} ns, got ${x}` });
        });
      });
      if (errors.every((e) => !e.path.startsWith('distance'))) c.distance = (d as number[][]).map((r) => r.slice());
    }
  } else if (fieldOk('nodes')) {
    c.distance = Array.from({ length: c.nodes }, (_, i) => Array.from({ length: c.nodes }, (_, j) => (i === j ? c.latency.localNs : c.latency.remoteNs)));
  }

  if (errors.length) return { ok: false, errors };
  // Stable key order for resolved configs (run records diff cleanly).
  return { ok: true, value: normalise(c) };
}

function normalise(c: MachineConfig): MachineConfig {
  const g = (x: { sizeKB: number; lineBytes: number; assoc: number }) => ({ sizeKB: x.sizeKB, lineBytes: x.lineBytes, assoc: x.assoc });
  return {
    name: c.name,
    ...(c.description !== undefined && { description: c.description }),
    nodes: c.nodes,
    cpusPerNode: c.cpusPerNode,
    memoryPerNodeMB: c.memoryPerNodeMB,
    clockMHz: c.clockMHz,
    cpuModel: c.cpuModel,
    tlbEntries: c.tlbEntries,
    caches: { l1i: g(c.caches.l1i), l1d: g(c.caches.l1d), l2: { ...g(c.caches.l2), hitNs: c.caches.l2.hitNs } },
    latency: { localNs: c.latency.localNs, remoteNs: c.latency.remoteNs },
    distance: c.distance,
    diskLatencyUs: c.diskLatencyUs,
    diskSizeMB: c.diskSizeMB,
    quantumCycles: c.quantumCycles,
    seed: c.seed,
  };
}

/** The default machine (every parameter at its default): 1 node, 1 CPU. */
export function defaultMachineConfig(): MachineConfig {
  const r = validateMachineConfig({});
  if (!r.ok) throw new Error('bug: the default machine config is invalid');
  return r.value;
}

/**
 * Deep-merges `overrides` (a partial config, e.g. an experiment's `machineOverrides`) over
 * `base` (a raw or resolved config). Arrays (`distance`) are replaced, not merged. Pure.
 */
export function mergeConfig(base: unknown, overrides: unknown): unknown {
  if (!isObject(base) || !isObject(overrides)) return overrides === undefined ? base : overrides;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides)) out[k] = isObject(v) && isObject(out[k]) ? mergeConfig(out[k], v) : v;
  // A resolved base carries a computed `distance`; if latency changes and no distance was given, recompute.
  if (overrides.distance === undefined && (isObject(overrides.latency) || overrides.nodes !== undefined)) delete out.distance;
  return out;
}

/** `file: path: message` lines for the CLI and logs. */
export function formatConfigErrors(file: string, errors: readonly ConfigError[]): string {
  return errors.map((e) => `${file}: ${e.path || '(document)'}: ${e.message}`).join('\n');
}
