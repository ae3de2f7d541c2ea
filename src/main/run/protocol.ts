/**
 * Messages between the run manager (main thread) and a run worker (worker.ts). Everything is
 * structured-cloneable. Stopping uses a shared flag (`stop[0] = 1`), because the simulator's run
 * loop is synchronous: the worker reads the flag in its progress callback, between quanta.
 */
import type { ConfigError } from '../../core/machine/config/types';
import type { RunRecord } from '../../core/experiment/record';
import type { ResolvedExperiment } from '../../core/experiment/config';
import type { WorkerProgram } from './load';
import type { RunInputs } from '../../core/experiment/run';

export interface WorkerInput {
  resolved: ResolvedExperiment;
  programs: WorkerProgram[];
  diskImage?: Uint8Array;
  /** Disco mode: per `experiment.vms` entry. */
  vms?: RunInputs['vms'];
  /** With `experiment.guest`: the guest OS sources and user programs (built in the worker). */
  guest?: RunInputs['guest'];
  /** Int32Array over a SharedArrayBuffer; [0] = 1 asks the run to stop. */
  stop: SharedArrayBuffer;
  /** Least host time between progress messages [ms]. */
  progressMs: number;
}

export type WorkerMessage =
  | { type: 'progress'; cycles: number; instructions: number; hostSeconds: number; console: { source: string; text: string }[] }
  | { type: 'warning'; message: string }
  /** Before `done`: the persistent disks the run wrote (vms[].disk.persistent), for the manager to write back. */
  | { type: 'disks'; disks: { image: string; bytes: Uint8Array; sectorsWritten: number; vm: string }[] }
  | { type: 'done'; record: RunRecord }
  | { type: 'error'; errors: ConfigError[] };

/** To a run worker (pool.ts): run one experiment. Its messages above follow, ending with `done` or `error`. */
export interface PoolRequest { type: 'run'; input: WorkerInput }
