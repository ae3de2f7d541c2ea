// The event queue's posted events (issue #17): plain data that a snapshot can hold, in the same
// (cycle, scheduling order) as closures; a queue with a closure pending cannot be written down.
import { describe, expect, it } from 'vitest';
import { SimEventQueue } from '../../../src/core/machine/events';

describe('posted events', () => {
  it('run in (cycle, order) with closures, and move to another queue through getState/setState', () => {
    const seen: string[] = [];
    const make = () => { const q = new SimEventQueue(); q.on<{ n: string }>('x', (d) => seen.push(d.n)); return q; };
    const a = make();
    a.post(50, 'x', { n: 'b' });
    a.post(10, 'x', { n: 'a' });
    a.post(50, 'x', { n: 'c' });
    const s = a.getState()!;
    expect(s.events.map((e) => e.at)).toEqual([10, 50, 50]);
    a.schedule(20, () => seen.push('closure'));
    expect(a.getState()).toBeUndefined();
    a.advanceTo(100);
    expect(seen).toEqual(['a', 'closure', 'b', 'c']);

    seen.length = 0;
    const b = make();
    b.setState(s);
    b.post(50, 'x', { n: 'd' });   // after the restored ones at the same cycle: sequence numbers continue
    b.advanceTo(100);
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses a second handler for a kind and a post without one (bugs, not user errors)', () => {
    const q = new SimEventQueue();
    q.on('x', () => {});
    expect(() => q.on('x', () => {})).toThrow(/second handler/);
    expect(() => q.post(1, 'y', {})).toThrow(/no handler/);
  });
});
