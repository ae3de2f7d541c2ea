// Shipped experiments for the snapshot and debugger tests: load once, then build as many fresh
// machines from the same inputs as a test needs.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { loadExperiment, type FileSource } from '../../../src/core/experiment/load';
import { prepareExperiment, type PreparedRun } from '../../../src/core/experiment/run';
import type { RunRecord } from '../../../src/core/experiment/record';
import { readGuestSources } from '../../../src/main/resources';

export const ROOT = join(__dirname, '..', '..', '..');
export const EXPERIMENTS = join(ROOT, 'resources', 'examples', 'experiments');

/** Plain files; `edit` changes the experiment (e.g. its CPU model or machine). */
function source(edit: (e: Record<string, unknown>) => void): FileSource {
  return {
    resolve: (from, rel) => (isAbsolute(rel) ? rel : join(dirname(from), rel)),
    readText: async (path) => {
      const text = await readFile(path, 'utf8');
      if (!path.startsWith(EXPERIMENTS)) return text;
      const e = JSON.parse(text);
      edit(e);
      return JSON.stringify(e);
    },
    readBytes: async (path) => new Uint8Array(await readFile(path)),
    readGuestSources: () => readGuestSources(join(ROOT, 'resources')),
    readPreset: async (name) => {
      const file = join(ROOT, 'resources', 'machines', `${name}.json`);
      return { file, text: await readFile(file, 'utf8') };
    },
  };
}

/** A factory of fresh prepared runs of the shipped experiment `name`. */
export async function experiment(name: string, edit: (e: Record<string, unknown>) => void = () => {}): Promise<() => PreparedRun> {
  return (await loaded(name, edit)).fresh;
}

/** The loaded experiment (resolved config and inputs) and a factory of fresh prepared runs. */
export async function loaded(name: string, edit: (e: Record<string, unknown>) => void = () => {}) {
  const l = await loadExperiment(source(edit), join(EXPERIMENTS, `${name}.json`));
  if (!l.ok) throw new Error(JSON.stringify(l.errors));
  const { resolved, inputs } = l.value;
  const fresh = (): PreparedRun => {
    const p = prepareExperiment(resolved, inputs);
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    return p.value;
  };
  return { resolved, inputs, fresh };
}

/** The record without its host timing fields. */
export function simulated(r: RunRecord): unknown {
  const { host: _host, ...rest } = r;
  return JSON.parse(JSON.stringify(rest));
}
