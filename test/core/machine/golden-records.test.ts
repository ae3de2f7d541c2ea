/**
 * Golden run records (issue #13: "nothing changes but speed"). A few shipped experiments run on
 * both CPU models; the whole record minus `host` must hash to what the simulator produced before
 * the speed work of issue #13. The hashes below were computed from main without that work
 * (efb855f: its guest kernel and build-at-run-time experiments moved pmake's records; main's
 * interpreter alone gives the same), first from f14dde0.
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
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment, type FileSource } from '../../../src/core/experiment/load';
import { prepareExperiment } from '../../../src/core/experiment/run';
import type { RunRecord } from '../../../src/core/experiment/record';
import { readGuestSources } from '../../../src/main/resources';

const ROOT = join(__dirname, '..', '..', '..');
const EXPERIMENTS = join(ROOT, 'resources', 'examples', 'experiments');

/** Plain files, with the experiment's CPU model overridden. */
function source(model: 'fast' | 'timing'): FileSource {
  return {
    resolve: (from, rel) => (isAbsolute(rel) ? rel : join(dirname(from), rel)),
    readText: async (path) => {
      const text = await readFile(path, 'utf8');
      if (!path.startsWith(EXPERIMENTS)) return text;
      const e = JSON.parse(text);
      e.machineOverrides = { ...(e.machineOverrides ?? {}), cpuModel: model };
      return JSON.stringify(e);
    },
    readBytes: async (path) => new Uint8Array(await readFile(path)),
    // the guest OS sources, as the CLI and the app read them (experiments build the guest at run time)
    readGuestSources: () => readGuestSources(join(ROOT, 'resources')),
    readPreset: async (name) => {
      const file = join(ROOT, 'resources', 'machines', `${name}.json`);
      return { file, text: await readFile(file, 'utf8') };
    },
  };
}

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

/** Computed from main without issue #13's speed work (efb855f). */
const GOLDEN: Record<string, ReturnType<typeof digest>> = {
  'bare-hello fast': {"cycles":97000,"instructions":100849,"simulation":"9b733c6ccf435f08","record":"5a5bf6ebb50bae93"},
  'bare-hello timing': {"cycles":175000,"instructions":100849,"simulation":"399c7f004e08d226","record":"5037e728d456526c"},
  'pmake-native-1cpu fast': {"cycles":6465000,"instructions":5396544,"simulation":"20f504eddda9a0e2","record":"d8891ba67061fb72"},
  'pmake-native-1cpu timing': {"cycles":7208000,"instructions":5397171,"simulation":"5f9b2c6bb688d999","record":"dbfeeb418e409712"},
  'pmake-disco-1cpu-1vm fast': {"cycles":7918000,"instructions":5200826,"simulation":"d8a4ef2e5390255d","record":"da59670ff1bc6aba"},
  'pmake-disco-1cpu-1vm timing': {"cycles":8445000,"instructions":5202153,"simulation":"565cb185628bc054","record":"6447405906470398"},
  'pmake-native-4cpu fast': {"cycles":3308000,"instructions":6671444,"simulation":"5a0f0461ff539c52","record":"f9f748c1b156a0f4"},
  'pmake-native-4cpu timing': {"cycles":5480000,"instructions":12309470,"simulation":"5920eba608e6eae1","record":"8e432ff826cf351b"},
  'pmake-disco-4cpu-2vm fast': {"cycles":4842000,"instructions":11450130,"simulation":"41a45b722d6f6335","record":"f7ab23edee88519a"},
  'pmake-disco-4cpu-2vm timing': {"cycles":6513000,"instructions":14474242,"simulation":"677350d938b62c70","record":"88c7597f8790c693"},
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
