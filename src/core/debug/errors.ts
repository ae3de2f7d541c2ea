/**
 * Errors of the debug API: bad input from its caller (an unknown CPU, an address outside memory,
 * a VM that does not exist) is a `DebugError` with a code, never a crash — the debug adapter
 * turns it into an error response. Anything else thrown from src/core/debug is a bug.
 */
export type DebugErrorCode =
  | 'E_NO_THREAD'     // no such CPU or vCPU
  | 'E_NO_VM'         // no such VM (or not a Disco run)
  | 'E_BAD_ADDRESS'   // outside memory, not mapped, or not aligned as asked
  | 'E_BAD_ARGUMENT'  // a malformed breakpoint, watchpoint or request
  | 'E_NO_SOURCE'     // no code at that file and line
  | 'E_ENDED'         // the run has ended: nothing more to run
  | 'E_NO_HISTORY'    // time travel without snapshots covering the point asked for
  | 'E_NO_MISS'       // no TLB miss of the thread (that matches) within the tracer's budget
  | 'E_MISMATCH';     // a snapshot file of another experiment (or none said)

export class DebugError extends Error {
  constructor(readonly code: DebugErrorCode, message: string) {
    super(message);
    this.name = 'DebugError';
  }
}

export const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
