/**
 * The monitor's options as data (the same shape as the machine's parameter table,
 * machine/config/params.ts): path, type, unit, default, range, description. One table, every
 * reader: the experiment schema's `monitor` object, the run record's resolved `monitor` fields and
 * their schema, docs/disco.md's option table and the experiment form are generated from it, and
 * `resolveMonitorOptions` fills defaults for the monitor. A new option is one row here plus its
 * use in the monitor.
 *
 * `costs` (cost-model overrides by name) is the one option that is a map; it is described here
 * and checked against the cost table (cost-model.ts).
 */
import type { ParamSpec } from '../machine/config/params';
import { leafSchema } from '../machine/config/schema';
import { DEFAULT_COSTS } from './cost-model';

export const MONITOR_PARAMS = [
  { path: 'l2tlbEntries', type: 'integer', unit: 'entries', default: 1024, min: 0, max: 1048576, description: 'Second-level software TLB entries per vCPU (direct-mapped); 0 turns it off' },
  { path: 'monitorMemoryRefs', type: 'integer', unit: 'on/off', default: 1, min: 0, max: 1, description: 'The monitor\'s own code fetches and data references (vCPU save area, virtual CP0, virtual and L2 TLB, pmap, TLB backmap) go through the caches at its memory on the CPU\'s node, so monitor time includes their misses and they displace guest lines (timing CPU model only; docs/monitor-cost-model.md); 0 = its actions are their cost-model cycles alone. A cost set to 0 also makes that action touch nothing' },
  { path: 'sliceCycles', type: 'integer', unit: 'cycles', default: 100_000, min: 1000, max: 1e12, description: 'Time slice when vCPUs share a physical CPU (100,000 = 0.5 ms at 200 MHz)' },
  { path: 'memorySpread', type: 'integer', unit: 'on/off', default: 1, min: 0, max: 1, description: 'Initial placement of a VM\'s machine memory: 1 spreads it over the nodes its vCPUs start on, in 512 KiB stripes (a VM spanning the machine starts with the locality of a NUMA-oblivious OS); 0 takes it from the first vCPU\'s node, spilling to the next' },
  { path: 'memorySharing', type: 'integer', unit: 'on/off', default: 1, min: 0, max: 1, description: 'Transparent page sharing between VMs (paper §4.2.5): 1 maps a disk block already in machine memory — read by any VM booted from the same image — read-only into a VM instead of reading it again (page-aligned, page-multiple reads complete without the disk), shares identical kernel-image pages between VMs, and copies a shared page on its first write (copy-on-write); 0 gives every VM private copies' },
  { path: 'numaPolicy', type: 'integer', unit: '', default: 0, min: 0, max: 1, description: 'NUMA policy (paper §4.3): 1 migrates and replicates hot pages using the per-page per-node miss counters of the timing model; 0 leaves pages where they were allocated' },
  { path: 'numaIntervalCycles', type: 'integer', unit: 'cycles', default: 20_000_000, min: 10_000, max: 1e12, description: 'NUMA policy: time between runs, after which the miss counters are reset — the horizon over which a move must pay for itself (20,000,000 = 100 ms at 200 MHz, ten guest clock ticks)' },
  { path: 'numaTrigger', type: 'integer', unit: 'misses', default: 128, min: 1, max: 1e9, description: 'NUMA policy: cache misses to a page in one interval, all nodes together, that make it hot (a candidate to move); 128 ≈ the misses a migration must turn local to pay for its copy' },
  { path: 'numaSharing', type: 'integer', unit: 'misses', default: 32, min: 1, max: 1e9, description: 'NUMA policy: misses from one node in an interval that make that node a user of a hot page (one user: migrate; several: replicate; none: the misses are spread too thin for any move to pay, it stays); 32 = a replica pays for its copy within about four intervals, and read-shared replicas live until a write' },
  { path: 'numaWriteThreshold', type: 'integer', unit: 'requests', default: 1, min: 1, max: 1e9, description: 'NUMA policy: write requests (store misses, upgrades) to a shared hot page in an interval that make it write-shared: it stays where it is' },
  { path: 'numaMaxMoves', type: 'integer', unit: 'moves', default: 4, min: 0, max: 255, description: 'NUMA policy: migrations and replications allowed per guest page in a run (bounds thrashing)' },
  { path: 'numaMigrate', type: 'integer', unit: '', default: 1, min: 0, max: 1, description: 'NUMA policy: 1 migrates pages used by one node; 0 does not' },
  { path: 'numaReplicate', type: 'integer', unit: '', default: 1, min: 0, max: 1, description: 'NUMA policy: 1 replicates read-shared pages; 0 does not' },
] as const satisfies readonly ParamSpec[];

/** The table as plain parameter specs (for generic readers). */
const PARAMS: readonly ParamSpec[] = MONITOR_PARAMS;

/** Names of the scalar monitor options. */
export type MonitorParamName = (typeof MONITOR_PARAMS)[number]['path'];

export const COSTS_PARAM = {
  path: 'costs',
  unit: 'cycles',
  description: 'Cost-model overrides by name, e.g. {"emulate.mtc0": 40} (docs/monitor-cost-model.md)',
  min: 0,
  max: 1e9,
} as const;

/** User-settable monitor options, resolved (every table entry present). */
export type ResolvedMonitorOptions = Record<MonitorParamName, number> & { costs: Record<string, number> };

/** The options as an experiment file gives them (all optional). */
export type MonitorOptionsInput = Partial<Record<MonitorParamName, number>> & { costs?: Record<string, number> };

/** Defaults from the table, overridden by `given` (validated beforehand). */
export function resolveMonitorOptions(given: MonitorOptionsInput = {}): ResolvedMonitorOptions {
  const out = { costs: { ...DEFAULT_COSTS, ...(given.costs ?? {}) } } as ResolvedMonitorOptions;
  for (const p of MONITOR_PARAMS) out[p.path] = given[p.path] ?? p.default;
  return out;
}

type Json = Record<string, unknown>;

/** The experiment schema's `monitor` object. */
export function monitorOptionsSchema(): Json {
  const properties: Json = {};
  for (const p of PARAMS) properties[p.path] = leafSchema(p);
  properties.costs = { type: 'object', description: `${COSTS_PARAM.description} [${COSTS_PARAM.unit}]`, 'x-unit': COSTS_PARAM.unit, additionalProperties: { type: 'number', minimum: COSTS_PARAM.min, maximum: COSTS_PARAM.max } };
  return { type: 'object', additionalProperties: false, description: 'Mode "disco": monitor options (docs/disco.md "Monitor options")', properties };
}

/** Run-record schema of the resolved options as the record carries them (inside `monitor`). */
export function resolvedOptionsRecordSchema(): Json {
  const properties: Json = {};
  for (const p of PARAMS) properties[p.path] = { type: p.type === 'enum' ? 'string' : p.type, description: `${p.description}, as resolved${p.unit ? ` [${p.unit}]` : ''}` };
  return properties;
}

export const OPTIONS_DOC_BEGIN = '<!-- monitor options: generated from src/core/disco/options.ts by `npx tsx scripts/gen-schemas.ts` -->';
export const OPTIONS_DOC_END = '<!-- end of monitor options -->';

/** `doc` (docs/disco.md) with the text between the option-table markers replaced by the current table. */
export function withMonitorOptionsTable(doc: string): string {
  const a = doc.indexOf(OPTIONS_DOC_BEGIN), b = doc.indexOf(OPTIONS_DOC_END);
  if (a < 0 || b < a) throw new Error('bug: docs/disco.md lacks the monitor-options markers');
  return doc.slice(0, a + OPTIONS_DOC_BEGIN.length) + '\n' + monitorOptionsMarkdown() + '\n' + doc.slice(b);
}

/** The options as a Markdown table (docs/disco.md, between the generated-table markers). */
export function monitorOptionsMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| option | type | unit | default | range | description |',
    '|---|---|---|---|---|---|',
    ...PARAMS.map((p) => `| \`${p.path}\` | ${p.type} | ${p.unit} | \`${JSON.stringify(p.default)}\` | ${p.min ?? ''} … ${p.max ?? ''} | ${esc(p.description)} |`),
    `| \`costs\` | object of numbers | ${COSTS_PARAM.unit} | the cost table | ${COSTS_PARAM.min} … ${COSTS_PARAM.max} | ${esc(COSTS_PARAM.description)} |`,
  ].join('\n');
}
