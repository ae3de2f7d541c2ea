/**
 * The debugger part of the service (`debug.*`): a thin layer over the debug manager
 * (../debug/manager.ts), which hosts each session in a worker thread. Arguments arrive validated
 * by the contract's schemas; the session checks the rest (threads, VMs, lines) and answers with
 * typed errors (E_DEBUG, the debugger's own code first).
 */
import type { DiscoService } from '../../shared/api';
import type { BreakpointSpec } from '../../core/debug/breakpoints';
import type { DebugManager } from '../debug/manager';

export function createDebugPart(m: DebugManager): Pick<DiscoService, 'debug'> {
  return {
    debug: {
      start: (path, o) => m.start(path, o ?? {}),
      sessions: () => m.sessions(),
      end: (id) => m.end(id),
      continue: (id) => m.continue(id),
      pause: (id) => m.pause(id),
      step: (id, t) => m.step(id, t),
      next: (id, t) => m.next(id, t),
      stepOut: (id, t) => m.stepOut(id, t),
      stepBack: (id, t, n) => m.stepBack(id, t, n),
      stepForward: (id, t, n) => m.stepForward(id, t, n),
      goToCycle: (id, c) => m.goToCycle(id, c),
      reverseContinue: (id) => m.reverseContinue(id),
      saveSnapshot: (id, path) => m.saveSnapshot(id, path),
      loadSnapshot: (id, path) => m.loadSnapshot(id, path),
      setBreakpoint: (id, spec) => m.setBreakpoint(id, spec as BreakpointSpec),
      removeBreakpoint: (id, bp) => m.removeBreakpoint(id, bp),
      breakpoints: (id) => m.breakpoints(id),
      state: (id, t) => m.state(id, t),
      read: (id, q) => m.read(id, q),
      traceMiss: (id, t) => m.traceMiss(id, t),
      compareMiss: (id, t) => m.compareMiss(id, t),
    },
  };
}
