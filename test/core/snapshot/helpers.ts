// Shipped experiments for the snapshot and debugger tests: load once, then build as many fresh
// machines from the same inputs as a test needs.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { loadExperiment } from '../../../src/core/experiment/load';
import { prepareExperiment, type PreparedRun } from '../../../src/core/experiment/run';
import type { RunRecord } from '../../../src/core/experiment/record';
import { snapshot } from '../../../src/core/snapshot/machine';
import { repoSource } from '../repo-source';

export const ROOT = join(__dirname, '..', '..', '..');
export const EXPERIMENTS = join(ROOT, 'resources', 'examples', 'experiments');

const source = (edit: (e: Record<string, unknown>) => void) => repoSource({ edit });

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

/** A digest of the whole machine state (the snapshot's data, typed arrays by content). */
export function state(p: PreparedRun): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(snapshot(p).graph, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v)) { h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)); return `#${v.byteLength}`; }
    return v;
  }));
  return h.digest('hex');
}
