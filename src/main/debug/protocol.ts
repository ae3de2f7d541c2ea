/**
 * Messages between the debug manager (main thread) and a debug worker (worker.ts). Everything is
 * structured-cloneable. Requests carry an id and get exactly one reply; the worker also posts
 * stops and console output as they happen. Pausing uses a shared flag (`pause[0] = 1`) that the
 * worker reads between slices of a run, so a pause works however busy its event loop is.
 */
import type { RunInputs } from '../../core/experiment/run';
import type { ResolvedExperiment } from '../../core/experiment/config';
import type { ConfigError } from '../../core/machine/config/types';
import type { ApiError } from '../../shared/api';
import type { DebugStop } from '../../shared/debug/types';

export interface DebugWorkerInput {
  resolved: ResolvedExperiment;
  inputs: Pick<RunInputs, 'programs' | 'diskImage' | 'vms' | 'guest'>;
  /** Cycles between time-travel snapshots (rounded to the quantum; 0 = none). */
  snapshotEvery: number;
  /** Int32Array over a SharedArrayBuffer; [0] = 1 asks a run in progress to pause. */
  pause: SharedArrayBuffer;
}

/** The operations a worker serves (`debug.*` of the contract, minus what the manager does itself). */
export type DebugOp =
  | 'info' | 'continue' | 'step' | 'next' | 'stepOut' | 'stepBack' | 'stepForward' | 'goToCycle'
  | 'reverseContinue' | 'saveSnapshot' | 'loadSnapshot'
  | 'setBreakpoint' | 'removeBreakpoint' | 'breakpoints' | 'state' | 'read' | 'traceMiss' | 'traceMatching';

export interface DebugRequest { id: number; op: DebugOp; args: unknown[] }

export type DebugWorkerMessage =
  | { type: 'ready'; ok: true; info: WorkerInfo }
  | { type: 'ready'; ok: false; errors: ConfigError[] }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: ApiError }
  | { type: 'stopped'; stop: DebugStop }
  | { type: 'output'; chunks: { source: string; text: string }[] }
  /** While a run is in progress, at most every PROGRESS_MS of host time: the clock, for the panes to refresh. */
  | { type: 'progress'; cycle: number; instructions: number };

/** What the worker tells once the session is built. */
export interface WorkerInfo {
  mode: 'native' | 'disco';
  threads: import('../../shared/debug/types').ThreadInfo[];
  vms: { id: number; name: string }[];
  files: string[];
}
