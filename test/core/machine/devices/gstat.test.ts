// The guest-statistics device (src/core/machine/devices/gstat.ts): exclusive service time with
// nesting, parking across a sleep (and a move to another CPU), the marks' own time left out,
// and the registers as the machine maps them.
import { describe, expect, it } from 'vitest';
import { GSTAT_REG, GUEST_SERVICES, ServiceClock, sumGuestStats } from '../../../../src/core/machine/devices/gstat';
import { DEVICE_BASE } from '../../../../src/core/machine/devices/registry';
import { Machine } from '../../../../src/core/machine/machine';
import { preset } from '../helpers/bare';

const S = (name: (typeof GUEST_SERVICES)[number]) => GUEST_SERVICES.indexOf(name);

describe('ServiceClock', () => {
  it('times services exclusively: a nested service pauses the one it interrupts', () => {
    const c = new ServiceClock();
    c.enter(0, 100, 100);            // read starts
    c.enter(0, 150, 150);            // a fault inside it
    c.exit(0, S('QUICK_FAULT'), 180, 180);
    c.exit(0, S('read'), 300, 300);
    const r = c.report();
    expect(r.QUICK_FAULT).toEqual({ calls: 1, cycles: 30, cyclesPerCall: 30 });
    expect(r.read).toEqual({ calls: 1, cycles: 170, cyclesPerCall: 170 });
    expect(r.open).toEqual({ calls: 0, cycles: 0, cyclesPerCall: 0 });
    expect(Object.keys(r)).toEqual([...GUEST_SERVICES]);
  });

  it('leaves each mark\'s own time (t0 → t1) out of every interval', () => {
    const c = new ServiceClock();
    c.enter(0, 0, 200);              // the ENTER mark took 200 cycles (a trap under Disco)
    c.enter(0, 300, 500);            // nested: the outer runs 200..300
    c.exit(0, S('UTLB_MISS'), 550, 700);
    c.exit(0, S('write'), 800, 1000); // outer again 700..800
    expect(c.report().UTLB_MISS.cycles).toBe(50);
    expect(c.report().write.cycles).toBe(200);
  });

  it('parks a sleeping process\'s services and continues them where it runs again', () => {
    const c = new ServiceClock();
    c.enter(0, 0, 0);
    c.park(0, 7, 40);                // sleeps after 40 cycles on CPU 0
    c.enter(0, 50, 50);              // another process's service meanwhile
    c.exit(0, S('open'), 60, 60);
    c.unpark(1, 7, 1000);            // wakes on CPU 1
    c.exit(1, S('read'), 1010, 1010);
    expect(c.report().read.cycles).toBe(50);
    expect(c.report().open.cycles).toBe(10);
    expect(c.unmatched).toBe(0);
  });

  it('counts marks that do not match, and is empty until a service ends', () => {
    const c = new ServiceClock();
    expect(c.report()).toEqual({});
    c.exit(0, S('read'), 5, 5);
    c.unpark(0, 3, 5);
    c.enter(0, 6, 6);
    c.exit(0, 99, 7, 7);
    expect(c.unmatched).toBe(3);
    expect(c.report()).toEqual({});
    const state = c.getState();
    const d = new ServiceClock();
    d.setState(state);
    expect(d.getState()).toEqual(state);
  });

  it('sums reports (a disco-mode run: the VMs together)', () => {
    const a = new ServiceClock(), b = new ServiceClock();
    a.enter(0, 0, 0); a.exit(0, S('read'), 10, 10);
    b.enter(0, 0, 0); b.exit(0, S('read'), 30, 30);
    expect(sumGuestStats([a.report(), b.report(), {}]).read).toEqual({ calls: 2, cycles: 40, cyclesPerCall: 20 });
    expect(sumGuestStats([{}, {}])).toEqual({});
  });
});

describe('gstat device on the machine', () => {
  it('is mapped at 0x1F005000 and keeps the time of the writing CPU', () => {
    const m = new Machine(preset('uma-smp4'));
    const base = DEVICE_BASE.gstat;
    expect(base).toBe(0x1f005000);
    expect(m.bus.read32(0, base + GSTAT_REG.NSERVICES)).toBe(GUEST_SERVICES.length);
    m.bus.write32(2, base + GSTAT_REG.ENTER, 0);
    m.bus.write32(2, base + GSTAT_REG.EXIT, S('execve'));
    expect(m.gstat.clock.report().execve.calls).toBe(1);
    expect(m.gstat.clock.report().execve.cycles).toBe(0);   // no CPU has run: both marks at cycle 0
  });
});
