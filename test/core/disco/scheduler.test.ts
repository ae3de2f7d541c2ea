/**
 * The shared vCPU scheduler (src/core/disco/scheduler.ts) on its own, with a fake host and fake
 * schedulables: what Denali added to it (issue #18) — the O(1) queue flag, enqueue at the head,
 * preempt, the address-space hook — and that Disco's flush rule stays the default.
 */
import { describe, expect, it } from 'vitest';
import { Accounting } from '../../../src/core/disco/accounting';
import { Scheduler, type Schedulable, type SchedulerHost } from '../../../src/core/disco/scheduler';
import { Machine } from '../../../src/core/machine/machine';
import type { Cpu } from '../../../src/core/machine/cpu/index';
import { machineConfig } from './helpers';

class Fake implements Schedulable {
  readonly r = new Int32Array(32);
  hi = 0; lo = 0; pc = 0; npc = 4; slot = 0;
  state: Schedulable['state'] = 'runnable';
  home = 0; lastCpu = -1; onCpu: Cpu | null = null; queued = false; entryHi = 0;
  readonly stats = { switchesIn: 0, migrations: 0 };
  constructor(readonly id: number) { this.pc = 0x1000 * (id + 1); }
  get vm() { return this; }
  onSwitchIn(cpu: Cpu) { this.onCpu = cpu; }
  onSwitchOut() { this.onCpu = null; }
}

function setup(withHook: boolean, cpus = 1) {
  const machine = new Machine(machineConfig(cpus));
  const flushes: number[] = [], hook: [number, boolean][] = [];
  const host: SchedulerHost<Fake> = {
    charge: () => {}, acct: new Accounting(machine.cpus, 8), mem: null,
    vtlb: { flushCpu: (cpu) => { flushes.push(cpu.id); } },
    counts: { switches: 0, migrations: 0 },
    ...(withHook ? { switchAddressSpace: (_cpu: Cpu, v: Fake, same: boolean) => { hook.push([v.id, same]); } } : {}),
  };
  const s = new Scheduler<Fake>(host, machine.cpus, 1000);
  return { s, cpu: machine.cpus[0], flushes, hook, vs: [0, 1, 2, 3].map((i) => new Fake(i)) };
}

describe('the shared scheduler', () => {
  it('queues each vCPU once, at the tail or (a boost) at the head, and removes it', () => {
    const { s, vs } = setup(false);
    s.enqueue(vs[0]); s.enqueue(vs[1]); s.enqueue(vs[0]); s.enqueue(vs[2], true);
    expect(s.queues[0].map((v) => v.id)).toEqual([2, 0, 1]);
    expect(vs.map((v) => v.queued)).toEqual([true, true, true, false]);
    s.remove(vs[0]); s.remove(vs[3]);
    expect(s.queues[0].map((v) => v.id)).toEqual([2, 1]);
    expect(vs[0].queued).toBe(false);
  });

  it('runs the head of the queue, and preempt puts the displaced vCPU back at the head with its registers', () => {
    const { s, cpu, vs } = setup(false);
    for (const v of vs.slice(0, 3)) s.enqueue(v);
    s.pickNext(cpu);
    expect(s.cur[0]!.id).toBe(0);
    expect(cpu.pc).toBe(0x1000);
    cpu.r[8] = 77;
    s.preempt(cpu, vs[2]);
    expect(s.cur[0]!.id).toBe(2);
    expect(cpu.pc).toBe(0x3000);
    expect(s.queues[0].map((v) => v.id)).toEqual([0, 1]);
    expect(vs[0].r[8]).toBe(77);
    expect(vs[2].queued).toBe(false);
  });

  it('flushes the TLB unless the same vCPU returns (Disco), or leaves it to the host\'s hook (Denali)', () => {
    const a = setup(false);
    a.s.enqueue(a.vs[0]); a.s.pickNext(a.cpu);
    a.s.deschedule(a.cpu, a.vs[0], 'runnable');   // alone: it comes straight back
    a.s.enqueue(a.vs[1]); a.s.deschedule(a.cpu, a.vs[0], 'runnable');
    expect(a.flushes).toEqual([0, 0]);           // first run, then the switch to vCPU 1
    const b = setup(true);
    b.s.enqueue(b.vs[0]); b.s.pickNext(b.cpu);
    b.s.deschedule(b.cpu, b.vs[0], 'runnable');
    b.s.enqueue(b.vs[1]); b.s.deschedule(b.cpu, b.vs[0], 'runnable');
    expect(b.flushes).toEqual([]);
    expect(b.hook).toEqual([[0, false], [0, true], [1, false]]);
  });
});
