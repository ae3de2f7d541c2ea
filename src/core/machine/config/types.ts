/**
 * The machine configuration (what `resources/machines/*.json` and workspace `machines/*.json`
 * hold). Every field, its unit, default and range is listed in `params.ts`; this file is the
 * TypeScript shape of a *resolved* config (all defaults filled, `distance` always present).
 */

export type CpuModelName = 'fast' | 'timing';

export interface CacheGeometry {
  /** Capacity in KiB. */
  sizeKB: number;
  /** Line size in bytes. */
  lineBytes: number;
  /** Ways per set (1 = direct-mapped). */
  assoc: number;
}

export interface MachineConfig {
  name: string;
  description?: string;
  nodes: number;
  cpusPerNode: number;
  /** MiB of memory on each node. */
  memoryPerNodeMB: number;
  clockMHz: number;
  cpuModel: CpuModelName;
  tlbEntries: number;
  caches: {
    l1i: CacheGeometry;
    l1d: CacheGeometry;
    /** Board cache; `hitNs` is the latency of an L1 miss that hits here. */
    l2: CacheGeometry & { hitNs: number };
  };
  latency: { localNs: number; remoteNs: number };
  /** nodes × nodes minimum miss latency in ns (row: requesting node, column: home node). */
  distance: number[][];
  diskLatencyUs: number;
  diskSizeMB: number;
  quantumCycles: number;
  seed: number;
}

/** One problem with a config field: `path` is dotted with indices (`distance[1][0]`), '' = the whole document. */
export interface ConfigError {
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ConfigError[] };

/** Derived quantities of a resolved config. */
export function cpuCount(c: MachineConfig): number { return c.nodes * c.cpusPerNode; }
export function ramBytes(c: MachineConfig): number { return c.nodes * c.memoryPerNodeMB * 1024 * 1024; }
export function nodeOfCpu(c: MachineConfig, cpu: number): number { return Math.floor(cpu / c.cpusPerNode); }
/** Nanoseconds to whole cycles at the machine clock (rounded to nearest). */
export function nsToCycles(c: MachineConfig, ns: number): number { return Math.round((ns * c.clockMHz) / 1000); }
