/**
 * CPU models behind one interface, with a registry (Ripes style): `fast` (1 CPI, no cache
 * timing) and `timing` (every fetch/load/store goes through `MemoryTiming.access`; the stall is
 * added to the cycle count and recorded in `buckets.stall`). Both execute the same interpreter,
 * so architectural results are identical (co-simulation tests check it).
 */
import type { CpuHost } from '../contracts';
import { Cpu, type CpuModelId } from './core';

export { Cpu, mulhs, mulhu } from './core';
export type { CpuCounters, CpuModelId, CpuRunState } from './core';
export { LLReservations } from './llsc';
export { CauseTally, causeId, causeName } from './cause-tally';
export * from './cp0';

export interface CpuModelInfo { id: CpuModelId; name: string; description: string }

export const CPU_MODELS: readonly CpuModelInfo[] = [
  { id: 'fast', name: 'Fast (functional)', description: '1 cycle per instruction; no cache or memory timing. For long runs and architecture studies.' },
  { id: 'timing', name: 'Timing (ccNUMA stalls)', description: '1 cycle per instruction plus the memory stall returned by the machine\'s MemoryTiming for every instruction fetch, load and store (caches, directory, local/remote latency).' },
];

/** Create a CPU of the given model. `id` is the physical CPU number (0-based). */
export function createCpu(model: CpuModelId, id: number, host: CpuHost): Cpu {
  if (!CPU_MODELS.some((m) => m.id === model)) throw new Error(`unknown CPU model '${model}'`);
  return new Cpu(model, id, host);
}
