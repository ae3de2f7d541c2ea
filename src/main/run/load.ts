/**
 * The run manager's view of an experiment of the workspace: the one loader
 * (src/core/experiment/load.ts) over the confined workspace (`workspaceSource`), returning
 * everything a run worker needs as structured-cloneable data — the resolved experiment and the
 * run inputs (programs or VM kernels with their `.include`s, disk images, and with `guest` the
 * guest OS sources and the user programs, built in the worker).
 *
 * Programs, disk images and machine files named relative to the experiment must stay inside the
 * workspace; machine presets (a bare name such as `flash-4x2`) come from Disco Lab's own
 * resources/machines. Errors are the experiment's fields (an error inside a machine file reads
 * `machine: machines/m.json: nodes: …`); the manager prefixes the experiment's path once.
 */
import { errorsInExperiment, loadExperiment as load } from '../../core/experiment/load';
import type { ResolvedExperiment } from '../../core/experiment/config';
import type { ProgramInput, RunInputs } from '../../core/experiment/run';
import type { ConfigError } from '../../core/machine/config/types';
import type { Workspace } from '../workspace/workspace';
import { workspaceSource } from './sources';

/** A program as sent to the worker (ELF bytes, or a source with its `.include`d files). */
export type WorkerProgram = ProgramInput;

export interface LoadedExperiment extends Pick<RunInputs, 'programs' | 'diskImage' | 'vms' | 'guest'> {
  resolved: ResolvedExperiment;
}

export type LoadResult = { ok: true; value: LoadedExperiment } | { ok: false; errors: ConfigError[] };

/** Loads `expPath` of `ws`. Rejects with the workspace's API error when the file cannot be read. */
export async function loadExperiment(ws: Workspace, expPath: string, resources?: string): Promise<LoadResult> {
  const r = await load(workspaceSource(ws, resources), expPath);
  if (!r.ok) return { ok: false, errors: errorsInExperiment(expPath, r.errors) };
  const { programs, diskImage, vms, guest } = r.value.inputs;
  return { ok: true, value: { resolved: r.value.resolved, programs, diskImage, vms, guest } };
}
