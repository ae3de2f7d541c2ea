/**
 * What the topology diagram draws (pure, unit-tested): the node count, CPUs per node, memory per
 * node and latencies of a (possibly half-typed) machine config. A value the form marks invalid,
 * or that is missing, is not drawn as typed: a missing value is drawn at its default (a new
 * machine shows the 16 MiB it would get, not "0 MiB"), an invalid one at the last valid value the
 * diagram drew (else the default), and the diagram says which fields it did not draw.
 */
import type { ConfigError, MachineParamInfo } from '../../../shared/api';

export interface TopologyModel {
  nodes: number;
  cpusPerNode: number;
  memoryPerNodeMB: number;
  localNs: number;
  remoteNs: number;
  /** `distance` matrix range [ns], when a valid matrix is given. */
  distance?: [number, number];
  /** Fields drawn from a default or an earlier value because they are invalid. */
  notDrawn: string[];
  /** Fields drawn at their default because they are absent. */
  defaulted: string[];
}

const FIELDS = [['nodes', 'nodes'], ['cpusPerNode', 'cpusPerNode'], ['memoryPerNodeMB', 'memoryPerNodeMB'], ['latency.localNs', 'localNs'], ['latency.remoteNs', 'remoteNs']] as const;
type Key = (typeof FIELDS)[number][1];

const get = (o: Record<string, unknown>, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);

export function topologyModel(config: Record<string, unknown>, params: readonly MachineParamInfo[], errors: readonly ConfigError[], last?: Partial<Record<Key, number>>): TopologyModel {
  const out = { notDrawn: [] as string[], defaulted: [] as string[] } as TopologyModel;
  const bad = new Set(errors.map((e) => e.path));
  for (const [path, key] of FIELDS) {
    const p = params.find((x) => x.path === path);
    const dflt = typeof p?.default === 'number' ? p.default : key === 'localNs' ? 300 : key === 'remoteNs' ? 900 : key === 'memoryPerNodeMB' ? 16 : 1;
    const v = get(config, path);
    const inRange = typeof v === 'number' && Number.isFinite(v) && (p?.min === undefined || v >= p.min) && (p?.max === undefined || v <= p.max);
    if (v === undefined) { out[key] = dflt; out.defaulted.push(path); }
    else if (!inRange || bad.has(path)) { out[key] = last?.[key] ?? dflt; out.notDrawn.push(path); }
    else out[key] = v as number;
  }
  // The whole machine can be invalid (nodes × cpus > 32 …): keep the last drawn shape then.
  if (bad.has('') || errors.some((e) => e.path === 'nodes' || e.path === 'cpusPerNode')) {
    for (const k of ['nodes', 'cpusPerNode'] as const) if (!out.notDrawn.includes(k) && bad.has(k)) out.notDrawn.push(k);
  }
  const dist = Array.isArray(config.distance) ? (config.distance as unknown[]).flat().filter((x): x is number => typeof x === 'number') : [];
  if (dist.length && !errors.some((e) => e.path.startsWith('distance'))) out.distance = [Math.min(...dist), Math.max(...dist)];
  out.nodes = Math.max(1, Math.min(32, Math.floor(out.nodes)));
  out.cpusPerNode = Math.max(1, Math.min(32, Math.floor(out.cpusPerNode)));
  return out;
}

/** Columns of node boxes that fit `width` px without scaling the drawing down. */
export function topologyColumns(nodes: number, width: number, boxWidth: number, gap: number, pad: number): number {
  return Math.max(1, Math.min(nodes, Math.floor((width - 2 * pad + gap) / (boxWidth + gap))));
}
