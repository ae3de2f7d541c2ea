/**
 * Golden run records (issue #13: "nothing changes but speed"). A few shipped experiments run on
 * both CPU models; the whole record minus `host` must hash to what the simulator produced before
 * the speed work of issue #13. The hashes below were computed from main without that work
 * (1383548: the default workload sizes, the Exclusive cache state and the monitor's memory
 * references had moved the records since efb855f and f14dde0, the earlier references; then the
 * NUMA work of issue #15 — the guest kernel's NUMA-oblivious page order, the runtime's spawn_n3,
 * the monitor's measured page zeroing — moved them again, deliberately, with no speed change in
 * between), and the speed work reproduces them at every compile threshold. A deliberate change to the simulation
 * recomputes them from the code before a speed change, never after.
 *
 * Two digests per run:
 *   - `simulation`: cycles, instructions, and a hash of the per-CPU buckets and counters, the
 *     VMs, the monitor section, the console and the devices — what the CPU, the memory model and
 *     the monitor compute. A speed change must never move it.
 *   - `record`: a hash of the whole record minus `host`. If a deliberate change to the record's
 *     *format* (src/core/experiment) moves it while `simulation` still matches, the simulation is
 *     unchanged and only this hash needs updating (`DISCO_GOLDEN_PRINT=1` prints the new ones).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../../src/core/experiment/load';
import { prepareExperiment } from '../../../src/core/experiment/run';
import type { RunRecord } from '../../../src/core/experiment/record';
import { repoSource } from '../repo-source';

const ROOT = join(__dirname, '..', '..', '..');
const EXPERIMENTS = join(ROOT, 'resources', 'examples', 'experiments');

/** Plain files, with the experiment's CPU model overridden. */
const source = (model: 'fast' | 'timing') => repoSource({ edit: (e) => { e.machineOverrides = { ...((e.machineOverrides as object) ?? {}), cpuModel: model }; } });

const sha = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);

export function digest(record: RunRecord): { cycles: number; instructions: number; simulation: string; record: string } {
  const { host: _host, ...rest } = record;
  return {
    cycles: record.cycles,
    instructions: record.totals.counters.instructions,
    simulation: sha([record.status, record.cpus, record.vms, record.monitor, record.console, record.devices]),
    record: sha(rest),
  };
}

/** `jit`: the default, 'off' (interpreter only), 'eager' (compiled at the first visit) or a compile threshold. */
async function run(name: string, model: 'fast' | 'timing', jit: 'default' | 'off' | 'eager' | number = 'default'): Promise<RunRecord> {
  const loaded = await loadExperiment(source(model), join(EXPERIMENTS, `${name}.json`));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const p = prepareExperiment(loaded.value.resolved, loaded.value.inputs);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  for (const c of p.value.machine.cpus) {
    if (jit === 'off') c.jit = false;
    if (jit === 'eager') c.jitThreshold = 1;
    if (typeof jit === 'number') c.jitThreshold = jit;
  }
  return p.value.run().record;
}

/** Computed from main without issue #13's speed work (1383548), then recomputed for issue #15's NUMA-oblivious guest allocator, its workload arguments and the measured `page.zero`. */
const GOLDEN: Record<string, ReturnType<typeof digest>> = {
  'bare-hello fast': {"cycles":97000,"instructions":100849,"simulation":"071415a9f39b4bf8","record":"e7344deb3180df2d"},
  'bare-hello timing': {"cycles":185000,"instructions":100849,"simulation":"a3b213ab0dcaddcd","record":"0394baf1a593e9db"},
  'pmake-native-1cpu fast': {"cycles":21872000,"instructions":20765428,"simulation":"1994d2d980e5d9ee","record":"c5dfe4a614db9112"},
  'pmake-native-1cpu timing': {"cycles":23865000,"instructions":20766112,"simulation":"489c742f88e25acd","record":"2102449aefe1aa31"},
  'pmake-disco-1cpu-1vm fast': {"cycles":26851000,"instructions":20772196,"simulation":"8122b8bc35fe6dc6","record":"6e2a437059f4a8d7"},
  'pmake-disco-1cpu-1vm timing': {"cycles":29167127,"instructions":20771944,"simulation":"edf26c9f54f61db1","record":"d7d6fc0bfe55da31"},
  'pmake-native-4cpu fast': {"cycles":8097000,"instructions":26405160,"simulation":"bab0ec4822e980a8","record":"e3149f9e55d70d6a"},
  'pmake-native-4cpu timing': {"cycles":18747000,"instructions":54546765,"simulation":"0ce55498ceaac629","record":"f11b070e209880b0"},
  'pmake-disco-4cpu-2vm fast': {"cycles":15898000,"instructions":47332157,"simulation":"72847d2a00650915","record":"172db64366f124bc"},
  'pmake-disco-4cpu-2vm timing': {"cycles":24864000,"instructions":59420134,"simulation":"af9c9622f3a94ad9","record":"68ed1b28bc29e92c"},
};

const RUNS = ['bare-hello', 'pmake-native-1cpu', 'pmake-disco-1cpu-1vm', 'pmake-native-4cpu', 'pmake-disco-4cpu-2vm'].flatMap((name) =>
  (['fast', 'timing'] as const).map((model) => ({ name, model, key: `${name} ${model}` })));

describe('golden run records: identical to the records before the speed work (minus host)', () => {
  for (const { name, model, key } of RUNS) {
    it(key, async () => {
      const d = digest(await run(name, model));
      if (process.env.DISCO_GOLDEN_PRINT) console.log(`  '${key}': ${JSON.stringify(d)},`);
      expect({ cycles: d.cycles, instructions: d.instructions, simulation: d.simulation }).toEqual(
        { cycles: GOLDEN[key]?.cycles, instructions: GOLDEN[key]?.instructions, simulation: GOLDEN[key]?.simulation });
      expect(d.record, 'the simulation matches but the record differs: a record-format change? see the file comment').toBe(GOLDEN[key]?.record);
    }, 300_000);
  }
  // the compiler never changes a result: the same records with the interpreter only, with every
  // block compiled at once, and with other thresholds (which change where regions start, where
  // they overlap and where runs enter them)
  for (const name of ['pmake-native-1cpu', 'pmake-disco-1cpu-1vm']) {
    for (const model of ['fast', 'timing'] as const) {
      for (const jit of ['off', 'eager', 2, 5] as const) {
        it(`${name} ${model}, compiler ${jit}`, async () => {
          expect(digest(await run(name, model, jit))).toEqual(GOLDEN[`${name} ${model}`]);
        }, 300_000);
      }
    }
  }
});
