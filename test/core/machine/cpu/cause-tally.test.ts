/** Monitor time by cause, tallied by id (src/core/machine/cpu/cause-tally.ts): the Record it reads as, and its snapshot state by name. */
import { describe, expect, it } from 'vitest';
import { CauseTally, causeId } from '../../../../src/core/machine/cpu/cause-tally';

describe('CauseTally', () => {
  it('reads as the Record string keys built: first-charge order, 0-cycle charges kept, sums', () => {
    const t = new CauseTally();
    t.add(causeId('test.b'), 5); t.add(causeId('test.a'), 0); t.add(causeId('test.b'), 2.5);
    expect(Object.entries(t.toRecord())).toEqual([['test.b', 7.5], ['test.a', 0]]);
    expect(t.get(causeId('test.b'))).toBe(7.5);
    expect(t.get(causeId('test.never'))).toBe(0);
  });

  it('snapshot state is by name: a tally restored where the ids differ (another worker) reads the same and keeps counting', () => {
    const t = new CauseTally();
    t.add(causeId('test.x'), 3); t.add(causeId('test.y'), 4);
    const state = t.getState();
    expect(state).toEqual([['test.x', 3], ['test.y', 4]]);
    // another process numbered the causes otherwise: simulate by restoring names this one has never seen
    const u = new CauseTally();
    u.add(causeId('test.z'), 1);
    u.setState([['test.fresh1', 10], ['test.x', 3]]);
    expect(u.toRecord()).toEqual({ 'test.fresh1': 10, 'test.x': 3 });
    u.add(causeId('test.x'), 1);
    expect(u.toRecord()).toEqual({ 'test.fresh1': 10, 'test.x': 4 });
  });
});
