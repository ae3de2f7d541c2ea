/** Monitor time by cause, tallied by id (src/core/machine/cpu/cause-tally.ts): the Record it reads as, Accounting's use of it, and its snapshot state by name. */
import { describe, expect, it } from 'vitest';
import { CauseTally, causeId, causeName } from '../../../../src/core/machine/cpu/cause-tally';
import { Accounting } from '../../../../src/core/disco/accounting';

/** What the string-keyed tallies built: `o[cause] = (o[cause] ?? 0) + cycles` per charge. */
function reference(charges: [string, number][]): Record<string, number> {
  const o: Record<string, number> = {};
  for (const [c, n] of charges) o[c] = (o[c] ?? 0) + n;
  return o;
}

describe('cause tallies by integer id', () => {
  it('ids are assigned on first use and stable', () => {
    const a = causeId('test.tally.a'), b = causeId('test.tally.b');
    expect(b).not.toBe(a);
    expect(causeId('test.tally.a')).toBe(a);
    expect(causeName(a)).toBe('test.tally.a');
  });

  it('gives the same record as a string-keyed object: same keys (0-cycle charges included), first-charge order, same sums', () => {
    const charges: [string, number][] = [];
    // more causes than the initial capacity (grown), repeated, fractional and zero cycles, in a scrambled order
    for (let i = 0; i < 300; i++) charges.push([`test.tally.c${(i * 37) % 101}`, i % 7 === 0 ? 0 : i * 0.37]);
    charges.push(['test.tally.zero', 0], ['trap', 5], ['emulate.mtc0', 3], ['trap', 5]);
    const t = new CauseTally();
    for (const [c, n] of charges) t.add(causeId(c), n);
    const want = reference(charges);
    expect(JSON.stringify(t.toRecord())).toBe(JSON.stringify(want));
    expect(t.get(causeId('trap'))).toBe(10);
    expect(t.get(causeId('test.tally.never'))).toBe(0);
  });

  it('Accounting.charge records nothing for 0 or negative cycles, as before', () => {
    const cpu = { cycle: 0, buckets: { user: 0, kernel: 0, monitor: 0, idle: 0, stall: 0 }, tally: new CauseTally(),
      chargeMonitorId(c: number, id: number) { this.cycle += c; this.buckets.monitor += c; this.tally.add(id, c); } };
    const acct = new Accounting([cpu as never], 2);
    acct.charge(cpu as never, 0, 'trap', 0);
    acct.charge(cpu as never, 0, 'trap', -1);
    acct.charge(cpu as never, 1, 'mmio', 7);
    acct.charge(cpu as never, -1, 'interrupt', 2);
    expect(acct.vms[0].byCause).toEqual({});
    expect(acct.vms[1].byCause).toEqual({ mmio: 7 });
    expect(cpu.tally.toRecord()).toEqual({ mmio: 7, interrupt: 2 });
    expect(cpu.cycle).toBe(9);
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
