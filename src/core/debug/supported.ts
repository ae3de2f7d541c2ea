/**
 * Which experiments the debugger (the app's Debug view and `disco-lab dap`) can run. Time travel
 * restores snapshots and replays, so everything that shapes a run must be machine state a
 * snapshot holds (src/core/snapshot) and nothing may reach outside the run.
 */
import { hasPersistentDisk, type ExperimentConfig } from '../experiment/config';

/** Why the debugger refuses `e`, or undefined when it can run it. */
export function debugRefusal(e: ExperimentConfig): string | undefined {
  if (e.mode === 'denali') return 'the debugger runs native and Disco experiments (this one is mode "denali")';
  if (hasPersistentDisk(e)) return 'a persistent disk (vms[].disk.persistent) changes its image file, and time travel replays the run: debug it with the disk non-persistent';
  if (e.load !== undefined) return 'the load generator\'s clients (`load`) are events outside the machine that snapshots do not hold, and time travel replays the run: debug the service without `load`';
  return undefined;
}
