// Test helpers for Denali: run an experiment object through the one loader, with the guest
// sources of resources/guest (the built-in Ilwaco guest) and the fixtures of test/fixtures/denali.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createMemorySource, loadExperiment } from '../../../src/core/experiment/load';
import { prepareExperiment } from '../../../src/core/experiment/run';
import type { RunRecord } from '../../../src/core/experiment/record';

export const ROOT = join(__dirname, '..', '..', '..');

function guestSources(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of ['denali', 'lib', 'kernel', 'programs']) {
    for (const f of readdirSync(join(ROOT, 'resources', 'guest', d))) if (f.endsWith('.s')) out[`${d}/${f}`] = readFileSync(join(ROOT, 'resources', 'guest', d, f), 'utf8');
  }
  return out;
}

const PRESETS = Object.fromEntries(['uma-smp4', 'flash-4x2'].map((n) => [n, readFileSync(join(ROOT, 'resources', 'machines', `${n}.json`), 'utf8')]));
const FIXTURES = Object.fromEntries(readdirSync(join(ROOT, 'test', 'fixtures', 'denali')).map((f) => [`fixtures/${f}`, readFileSync(join(ROOT, 'test', 'fixtures', 'denali', f), 'utf8')]));

/** A 1-CPU (or `cpus`) UMA machine, fast CPU model, `memoryMB` of memory. */
export function experiment(denali: Record<string, unknown>, opts: { cpus?: number; memoryMB?: number; maxCycles?: number; model?: 'fast' | 'timing' } = {}): Record<string, unknown> {
  return {
    name: 'denali-test', machine: 'uma-smp4', mode: 'denali',
    machineOverrides: { cpusPerNode: opts.cpus ?? 1, cpuModel: opts.model ?? 'fast', memoryPerNodeMB: opts.memoryMB ?? 16 },
    denali, limits: { maxCycles: opts.maxCycles ?? 400_000_000 },
  };
}

/** Loads `exp` (as e.json) with the fixtures (`fixtures/…`) and any other `files` beside it. */
export async function load(exp: Record<string, unknown>, files: Record<string, string> = {}) {
  const src = createMemorySource({ 'e.json': JSON.stringify(exp), ...FIXTURES, ...files }, PRESETS, guestSources());
  return loadExperiment(src, 'e.json');
}

/** Runs `exp` (any mode) through the one loader and runner: its record. */
export async function runDenali(exp: Record<string, unknown>, files: Record<string, string> = {}): Promise<RunRecord> {
  const l = await load(exp, files);
  if (!l.ok) throw new Error(JSON.stringify(l.errors));
  const p = prepareExperiment(l.value.resolved, l.value.inputs);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.value.run().record;
}

/** Every CPU's buckets add up to the run's cycles; the VMs' and the unattributed buckets add up to the totals. */
export function bucketsAddUp(r: RunRecord): boolean {
  return r.cpus.every((c) => c.buckets.user + c.buckets.kernel + c.buckets.monitor + c.buckets.idle === r.cycles);
}
