/**
 * Time travel (issue #17): periodic snapshots, "go to cycle X" and "step back N instructions" by
 * restore + replay. Going back and forward again reaches exactly the same machine (every byte of
 * its snapshot), and the run still ends with the uninterrupted run's record.
 */
import { describe, expect, it } from 'vitest';
import { DebugSession } from '../../../src/core/debug/session';
import { loaded, simulated, state } from '../snapshot/helpers';

const CASES = [
  { name: 'pmake-native-1cpu', thread: { cpu: 0 }, edit: undefined },
  { name: 'pmake-disco-4cpu-2vm', thread: { vcpu: 2 }, edit: (e: Record<string, unknown>) => { e.machineOverrides = { ...(e.machineOverrides as object), nodes: 2, memoryPerNodeMB: 64 }; } },
];

describe('time travel by restore + replay', () => {
  for (const c of CASES) {
    it(`${c.name}: go to cycle X, back, forward again; step back 100 instructions and forward again`, async () => {
      const { fresh, resolved } = await loaded(c.name, c.edit);
      const whole = simulated(fresh().run().record);
      const p = fresh();
      const s = new DebugSession(p, { limits: resolved.limits, snapshotEvery: 1_000_000 });

      expect(s.goToCycle(3_456_789).reason).toBe('goto');
      expect(s.position()).toBeGreaterThanOrEqual(3_456_789);
      const atX = state(p);
      expect(s.snapshotTimes).toEqual([0, 1_000_000, 2_000_000, 3_000_000]);
      expect(s.goToCycle(1_500_000).reason).toBe('goto');
      expect(s.position()).toBeLessThan(1_600_000);
      expect(state(p)).not.toBe(atX);
      expect(s.goToCycle(3_456_789).reason).toBe('goto');
      expect(state(p)).toBe(atX);

      // one instruction of the thread, then 100 back and 100 forward
      expect(s.step(c.thread).reason).toBe('step');
      const n = s.inspect.instructionsOf(c.thread), here = state(p), pc = s.inspect.pcOf(c.thread);
      expect(s.stepBack(c.thread, 100).reason).toBe('step');
      expect(s.inspect.instructionsOf(c.thread)).toBe(n - 100);
      expect(state(p)).not.toBe(here);
      expect(s.stepForward(c.thread, 100).reason).toBe('step');
      expect(s.inspect.instructionsOf(c.thread)).toBe(n);
      expect(s.inspect.pcOf(c.thread)).toBe(pc);
      expect(state(p)).toBe(here);

      s.detach();
      expect(simulated(p.run().record)).toEqual(whole);
    }, 300_000);
  }
});
