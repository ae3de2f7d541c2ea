/**
 * Denali's options as data (the shape of the machine's and Disco's parameter tables): path,
 * type, unit, default, range, description. One table, every reader: the experiment schema's
 * `denali.options` object, the run record's resolved `denali.options` and docs/denali.md.
 */
import type { ParamSpec } from '../machine/config/params';
import { leafSchema } from '../machine/config/schema';
import { DENALI_DEFAULT_COSTS } from './cost-model';

export const DENALI_PARAMS = [
  { path: 'batching', type: 'integer', unit: 'on/off', default: 1, min: 0, max: 1, description: 'Batched, asynchronous virtual interrupts: an interrupt for a VM that is not running only sets its pending bit and is seen when the VM next runs; 0 = every interrupt switches its VM in at once (a physical interrupt and a context switch each)' },
  { path: 'idleWithTimeout', type: 'integer', unit: 'on/off', default: 1, min: 0, max: 1, description: 'The idle-with-timeout monitor call: a VM with nothing to do leaves the run queue until its timeout or an interrupt; 0 = the call is absent and the guest polls its virtual-registers page until then' },
  { path: 'idleBoost', type: 'integer', unit: 'on/off', default: 1, min: 0, max: 1, description: 'A VM woken from idle goes to the head of the run queue (round-robin with a boost after idling); 0 = to the tail' },
  { path: 'asids', type: 'integer', unit: 'on/off', default: 1, min: 0, max: 1, description: 'Each VM gets a TLB ASID, so a switch keeps the TLB (it is flushed when the 255 ASIDs are recycled); 0 = flush the TLB on every switch between VMs' },
  { path: 'sliceCycles', type: 'integer', unit: 'cycles', default: 100_000, min: 1000, max: 1e12, description: 'Round-robin time slice (100,000 = 0.5 ms at 200 MHz); also the tick at which a running VM\'s virtual-registers page gets the time' },
  { path: 'watchdogCycles', type: 'integer', unit: 'cycles', default: 400_000_000, min: 0, max: 1e12, description: 'A VM that runs this much CPU time without a monitor call is stopped (a runaway loop); 0 = never (400,000,000 = 2 s at 200 MHz, ten times the Ilwaco guest\'s 200 ms housekeeping tick, which a guest without idle-with-timeout spends polling)' },
  { path: 'swap', type: 'integer', unit: 'on/off', default: 1, min: 0, max: 1, description: 'The gatekeeper swaps whole VMs to the swap disk when machine memory is short; 0 = every VM must fit in memory (else the experiment is refused)' },
  { path: 'swapMBps', type: 'number', unit: 'MB/s', default: 20, min: 0.01, max: 1e6, description: 'Transfer rate of the simulated swap disk (its latency is the machine\'s diskLatencyUs): a 2002 disk streams 20–40 MB/s' },
] as const satisfies readonly ParamSpec[];

const PARAMS: readonly ParamSpec[] = DENALI_PARAMS;

export type DenaliParamName = (typeof DENALI_PARAMS)[number]['path'];
export type ResolvedDenaliOptions = Record<DenaliParamName, number> & { costs: Record<string, number> };
export type DenaliOptionsInput = Partial<Record<DenaliParamName, number>> & { costs?: Record<string, number> };

export function resolveDenaliOptions(given: DenaliOptionsInput = {}): ResolvedDenaliOptions {
  const out = { costs: { ...DENALI_DEFAULT_COSTS, ...(given.costs ?? {}) } } as ResolvedDenaliOptions;
  for (const p of DENALI_PARAMS) out[p.path] = given[p.path] ?? p.default;
  return out;
}

type Json = Record<string, unknown>;

/** The experiment schema's `denali.options` object. */
export function denaliOptionsSchema(): Json {
  const properties: Json = {};
  for (const p of PARAMS) properties[p.path] = leafSchema(p);
  properties.costs = { type: 'object', description: 'Cost-model overrides by name, e.g. {"schedule": 100} (src/core/denali/cost-model.ts) [cycles]', 'x-unit': 'cycles', additionalProperties: { type: 'number', minimum: 0, maximum: 1e9 } };
  return { type: 'object', additionalProperties: false, description: 'Mode "denali": isolation-kernel options (docs/denali.md "Options")', properties };
}

/** The options as a Markdown table (docs/denali.md). */
export function denaliOptionsMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| option | type | unit | default | range | description |',
    '|---|---|---|---|---|---|',
    ...PARAMS.map((p) => `| \`${p.path}\` | ${p.type} | ${p.unit} | \`${JSON.stringify(p.default)}\` | ${p.min ?? ''} … ${p.max ?? ''} | ${esc(p.description)} |`),
  ].join('\n');
}
