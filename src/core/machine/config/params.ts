/**
 * The machine's parameters as data (gem5 style: every parameter carries a type, a unit, a
 * default and a description). One table, several readers:
 *   - the validator (`validate.ts`) checks a JSON config against it and fills defaults;
 *   - the JSON Schema `docs/machine-config.schema.json` is generated from it
 *     (`npx tsx scripts/gen-schemas.ts`; a test checks the committed file is up to date);
 *   - the run record and the UI show the resolved values with their units.
 *
 * Paths are dotted (`caches.l1d.sizeKB`). The `distance` matrix is the one parameter that is not
 * a scalar; it is described here and checked by the validator by hand.
 */

export type ParamType = 'string' | 'integer' | 'number' | 'enum';

export interface ParamSpec {
  /** Dotted path within the config object. */
  readonly path: string;
  readonly type: ParamType;
  /** Unit of the value ('' for dimensionless, e.g. counts and names). */
  readonly unit: string;
  /** Default used when the field is absent; `undefined` = the field is optional with no default. */
  readonly default?: string | number;
  readonly description: string;
  readonly min?: number;
  readonly max?: number;
  /** Allowed values for `enum`. */
  readonly values?: readonly string[];
  /** Must be a power of two (cache geometry). */
  readonly powerOfTwo?: boolean;
}

/** Upper bound on CPUs: IPI target masks and directory sharer sets are 32-bit. */
export const MAX_CPUS = 32;
/** RAM must end below the device window (see docs/physical-address-map.md). */
export const MAX_RAM_MB = 496;

const cache = (level: 'l1i' | 'l1d' | 'l2', sizeKB: number, line: number, assoc: number, what: string): ParamSpec[] => [
  { path: `caches.${level}.sizeKB`, type: 'integer', unit: 'KiB', default: sizeKB, min: 1, max: 65536, powerOfTwo: true, description: `Capacity of each CPU's ${what}` },
  { path: `caches.${level}.lineBytes`, type: 'integer', unit: 'bytes', default: line, min: 16, max: 4096, powerOfTwo: true, description: `Line (block) size of the ${what}` },
  { path: `caches.${level}.assoc`, type: 'integer', unit: 'ways', default: assoc, min: 1, max: 16, powerOfTwo: true, description: `Associativity of the ${what} (1 = direct-mapped); LRU replacement` },
];

/** Every scalar machine parameter, in the order docs and the UI list them. */
export const MACHINE_PARAMS: readonly ParamSpec[] = [
  { path: 'name', type: 'string', unit: '', default: 'machine', description: 'Short name of the machine (shown in run records and the UI)' },
  { path: 'description', type: 'string', unit: '', description: 'Free text describing the machine' },
  { path: 'nodes', type: 'integer', unit: 'nodes', default: 1, min: 1, max: 32, description: 'Number of ccNUMA nodes; each node has its own memory and CPUs' },
  { path: 'cpusPerNode', type: 'integer', unit: 'CPUs', default: 1, min: 1, max: 32, description: `CPUs on each node (nodes × cpusPerNode ≤ ${MAX_CPUS})` },
  { path: 'memoryPerNodeMB', type: 'integer', unit: 'MiB', default: 16, min: 1, max: MAX_RAM_MB, description: `Local memory of each node; machine memory is the nodes' memories end to end (total ≤ ${MAX_RAM_MB} MiB)` },
  { path: 'clockMHz', type: 'number', unit: 'MHz', default: 200, min: 1, max: 10000, description: 'CPU clock; converts ns latencies to cycles and cycles to simulated seconds' },
  { path: 'cpuModel', type: 'enum', unit: '', default: 'timing', values: ['fast', 'timing'], description: "CPU model: 'fast' = 1 cycle per instruction, no cache timing; 'timing' = caches, directory and local/remote miss latency with memory stall" },
  { path: 'tlbEntries', type: 'integer', unit: 'entries', default: 64, min: 64, max: 64, description: 'Entries (even/odd page pairs) in each CPU\'s software-managed TLB (the CPU implements exactly 64, as the R4000/R10000)' },
  ...cache('l1i', 32, 64, 2, 'first-level instruction cache'),
  ...cache('l1d', 32, 32, 2, 'first-level data cache'),
  ...cache('l2', 1024, 128, 2, 'second-level (board) cache; inclusive of L1, its line is the coherence unit'),
  { path: 'caches.l2.hitNs', type: 'number', unit: 'ns', default: 50, min: 0, max: 100000, description: 'Latency of an L1 miss that hits in the L2 cache' },
  { path: 'latency.localNs', type: 'number', unit: 'ns', default: 300, min: 0, max: 1000000, description: 'Minimum latency of a cache miss served by the local node\'s memory (used when `distance` is absent)' },
  { path: 'latency.remoteNs', type: 'number', unit: 'ns', default: 900, min: 0, max: 1000000, description: 'Minimum latency of a cache miss served by another node\'s memory (used when `distance` is absent)' },
  { path: 'diskLatencyUs', type: 'number', unit: 'µs', default: 1000, min: 0, max: 10000000, description: 'Time from a disk command to its completion interrupt' },
  { path: 'diskSizeMB', type: 'integer', unit: 'MiB', default: 4, min: 0, max: 4096, description: 'Capacity of the block disk (512-byte sectors); an experiment may supply an image' },
  { path: 'quantumCycles', type: 'integer', unit: 'cycles', default: 1000, min: 1, max: 10000000, description: 'Scheduling quantum: CPUs are interleaved by simulated time in slices of this many cycles' },
  { path: 'seed', type: 'integer', unit: '', default: 1, min: 0, max: 4294967295, description: 'Seed for pseudo-random choices, recorded in the run record (the native machine makes none today: TLB Random follows the instruction count, so runs repeat without it)' },
];

/** The non-scalar parameter, described for docs and the schema generator. */
export const DISTANCE_PARAM = {
  path: 'distance',
  unit: 'ns',
  description: 'Optional nodes × nodes matrix of minimum miss latency in ns, row = requesting node, column = home node (like `numactl --hardware`). Overrides latency.localNs / latency.remoteNs.',
  min: 0,
  max: 1000000,
} as const;

export const PARAM_BY_PATH: ReadonlyMap<string, ParamSpec> = new Map(MACHINE_PARAMS.map((p) => [p.path, p]));
