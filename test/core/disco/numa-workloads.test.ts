/**
 * The NUMA experiment's ingredients on a shipped workload (Figure 8 scaled down to 4 nodes and
 * one frame so it runs in seconds: resources/examples/experiments/raytrace-disco-4node-numa-quick.json):
 * the guest kernel, NUMA-oblivious, spreads its pages so most misses are remote natively; under Disco the policy replicates the read-shared scene and misses
 * become local, with the same output as without the policy; runs are deterministic.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../../src/core/experiment/load';
import { prepareExperiment } from '../../../src/core/experiment/run';
import type { RunRecord } from '../../../src/core/experiment/record';
import { repoSource } from '../repo-source';

const ROOT = join(__dirname, '..', '..', '..');
const VIRTUAL = '/virtual/experiment.json';

async function run(experiment: Record<string, unknown>): Promise<RunRecord> {
  const source = repoSource({ texts: { [VIRTUAL]: JSON.stringify(experiment) } });
  const loaded = await loadExperiment(source, VIRTUAL);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const p = prepareExperiment(loaded.value.resolved, loaded.value.inputs);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.value.run().record;
}

// raytrace on 4 workers, one frame, a 1 MiB read-shared scene; the machine: flash-8node cut to 4
// nodes with a 256 KB board cache, so the scene overflows it as the 2 MiB scene overflows 1 MB
const QUICK = JSON.parse(readFileSync(join(ROOT, 'resources/examples/experiments/raytrace-disco-4node-numa-quick.json'), 'utf8'));
const native = () => run({ name: 'numa-native', machine: QUICK.machine, machineOverrides: QUICK.machineOverrides, mode: 'native', guest: QUICK.guest, limits: QUICK.limits });
// the shipped quick NUMA experiment, with the policy on (as shipped) or off
const disco = (numaPolicy: 0 | 1) => run({ ...QUICK, monitor: { ...QUICK.monitor, numaPolicy } });
const checksum = (r: RunRecord) => /raytrace: 128x128, checksum 0x[0-9a-f]{8}/.exec(r.console.output)?.[0];

describe('NUMA on a shipped workload (raytrace with a big scene, 4 nodes)', () => {
  it('natively, the NUMA-oblivious kernel spreads its pages: most misses are remote, on every CPU', async () => {
    const r = await native();
    expect(checksum(r)).toBeDefined();
    expect(r.totals.localMissFraction).toBeLessThan(0.4);
    // one node in four: about a quarter local on every CPU, whichever node it is on
    for (const c of r.cpus) expect(c.counters.cache.localMisses / (c.counters.cache.localMisses + c.counters.cache.remoteMisses)).toBeLessThan(0.4);
  }, 300_000);

  it('under Disco the policy replicates the read-shared scene: same output, misses become local, deterministic', async () => {
    const off = await disco(0), on = await disco(1), again = await disco(1);
    expect(checksum(off)).toBeDefined();
    expect(checksum(on)).toBe(checksum(off));
    expect(off.monitor.numa).toBeUndefined();
    const n = on.monitor.numa!;
    expect(n.replications).toBeGreaterThan(100);
    expect(n.replicaPages).toBeGreaterThan(100);
    expect(n.replicationCostUs).toBeGreaterThan(10);
    expect(on.totals.localMissFraction!).toBeGreaterThan(off.totals.localMissFraction! + 0.3);
    expect(on.vms[0].misses.localFraction!).toBeGreaterThan(off.vms[0].misses.localFraction! + 0.3);
    expect(again.cycles).toBe(on.cycles);
    expect(again.monitor.numa).toEqual(n);
  }, 300_000);
});
