/**
 * The vCPU scheduler: which vCPU each physical CPU runs, and the switch itself.
 *
 * Policy: each physical CPU has a FIFO run queue of the runnable vCPUs whose `home` it is.
 * vCPUs start spread round-robin (VM by VM, vCPU by vCPU, over CPUs in id order) and stay home
 * (affinity, so that a vCPU's cache and — with the NUMA policy — its pages stay near it). A CPU
 * with nothing runnable steals the first runnable vCPU from the other queues (in CPU id order),
 * which then makes that CPU its home (a migration, counted); a vCPU left waiting in a queue kicks a
 * parked CPU so that it looks. A running vCPU keeps the CPU for
 * `sliceCycles` while others wait in its queue; `wait` gives it up at once. The slice is enforced
 * at every monitor entry and by the CPU's timer, whatever the guest does (`sliceExpired`), so a
 * guest that traps on every instruction cannot starve the others.
 *
 * Switch: save the outgoing vCPU's registers, flush the hardware TLB when a different vCPU runs
 * (ASIDs are not virtualised; the same vCPU returning to the CPU it left, with nothing run there
 * in between, keeps its entries), restore the incoming vCPU, make its VM the CPU's owner for
 * accounting. A CPU with nothing to run is *parked* in `wait` (idle) until a kick or its timer.
 */
import type { Cpu } from '../machine/cpu/index';
import { C0 } from '../machine/cpu/cp0';
import type { Accounting } from './accounting';
import type { Vcpu } from './vcpu';
import type { VirtualTlb } from './vtlb';
import type { MonitorMemory } from './monitor-memory';

export interface SchedulerHost {
  charge(cpu: Cpu, vm: number, cause: string, times?: number): void;
  readonly acct: Accounting;
  readonly vtlb: VirtualTlb;
  readonly counts: { switches: number; migrations: number };
  /** The monitor's memory references (register save and restore go through the caches), or null. */
  readonly mem: MonitorMemory | null;
}

/** Physical interrupt line the monitor uses to make another CPU re-examine its vCPUs (monitor IPI). */
export const KICK_LINE = 5;

export class Scheduler {
  readonly queues: Vcpu[][];
  /** The vCPU running on each CPU (null: parked). */
  readonly cur: (Vcpu | null)[];
  /** The vCPU each CPU ran last (its hardware TLB may still be valid for it). */
  private readonly lastRan: (Vcpu | null)[];
  /** Cycle at which each CPU's current slice ends. */
  readonly sliceEnd: number[];

  constructor(private readonly host: SchedulerHost, private readonly cpus: readonly Cpu[], readonly sliceCycles: number) {
    const n = cpus.length;
    this.queues = Array.from({ length: n }, () => []);
    this.cur = new Array(n).fill(null);
    this.lastRan = new Array(n).fill(null);
    this.sliceEnd = new Array(n).fill(0);
  }

  // ---- policy ----

  /** Initial placement: the k-th vCPU overall goes to CPU k mod N. */
  place(all: readonly Vcpu[]): void {
    all.forEach((v, k) => { v.home = k % this.cpus.length; this.queues[v.home].push(v); });
  }

  enqueue(v: Vcpu): void {
    if (!this.queues[v.home].includes(v)) this.queues[v.home].push(v);
  }

  remove(v: Vcpu): void {
    const q = this.queues[v.home], i = q.indexOf(v);
    if (i >= 0) q.splice(i, 1);
  }

  /** Next vCPU for physical CPU `cpu`: its own queue first, then stealing. */
  private pick(cpu: number): Vcpu | undefined {
    const own = this.queues[cpu];
    if (own.length) return own.shift();
    for (let k = 1; k < this.cpus.length; k++) {
      const q = this.queues[(cpu + k) % this.cpus.length];
      if (q.length) { const v = q.shift()!; v.home = cpu; v.stats.migrations++; this.host.counts.migrations++; return v; }
    }
    return undefined;
  }

  hasWaiting(cpu: number): boolean { return this.queues[cpu].length > 0; }

  /** The running vCPU's slice is over and another vCPU waits for this CPU. */
  sliceExpired(cpu: Cpu): boolean { return cpu.now() >= this.sliceEnd[cpu.id] && this.hasWaiting(cpu.id); }

  // ---- mechanics ----

  /** Takes `v` off `cpu` (`runnable` → back in its queue; `waiting` → until an interrupt) and runs the next vCPU, or parks. */
  deschedule(cpu: Cpu, v: Vcpu, state: 'runnable' | 'waiting'): void {
    v.r.set(cpu.r); v.hi = cpu.hi; v.lo = cpu.lo; v.pc = cpu.pc; v.npc = cpu.npc; v.slot = cpu.slot;
    this.host.mem?.switchOut(cpu, v);
    v.onSwitchOut(cpu);
    v.state = state;
    this.cur[cpu.id] = null;
    if (state === 'runnable') this.enqueue(v);
    this.pickNext(cpu);
    if (v.state === 'runnable') this.kickIdle();   // still waiting: an idle CPU may take it
  }

  /** Kicks the first parked CPU, if any (it will look for work and steal). */
  kickIdle(): void {
    const idle = this.cur.findIndex((c, i) => c === null && this.cpus[i].state === 'waiting');
    if (idle >= 0) this.kick(idle);
  }

  /** The vCPU on `cpu` ended (its VM stopped): forget it and run the next one. */
  drop(cpu: Cpu): void {
    const v = this.cur[cpu.id];
    if (v !== null && v.onCpu === cpu) v.onSwitchOut(cpu);
    this.cur[cpu.id] = null;
    this.pickNext(cpu);
  }

  pickNext(cpu: Cpu): void {
    const n = this.pick(cpu.id);
    if (n) this.switchIn(cpu, n); else this.park(cpu);
  }

  private switchIn(cpu: Cpu, v: Vcpu): void {
    const vm = v.vm.id;
    this.host.acct.setOwner(cpu.id, vm);
    this.host.charge(cpu, vm, 'schedule');
    this.host.mem?.switchIn(cpu, v);
    this.host.counts.switches++;
    if (this.lastRan[cpu.id] !== v || v.lastCpu !== cpu.id) {
      this.host.vtlb.flushCpu(cpu);
      this.host.charge(cpu, vm, 'schedule.tlbFlush');
      this.host.mem?.shadowFlush(cpu, vm, 'schedule.tlbFlush');
    }
    cpu.r.set(v.r); cpu.hi = v.hi; cpu.lo = v.lo; cpu.pc = v.pc; cpu.npc = v.npc; cpu.slot = v.slot;
    v.state = 'running'; v.home = cpu.id; v.lastCpu = cpu.id; v.stats.switchesIn++;
    v.onSwitchIn(cpu);
    this.cur[cpu.id] = v; this.lastRan[cpu.id] = v;
    this.sliceEnd[cpu.id] = cpu.now() + this.sliceCycles;
    cpu.state = 'running';
    cpu.writeCp0(C0.EntryHi, 0, v.entryHi);
  }

  private park(cpu: Cpu): void {
    this.cur[cpu.id] = null;
    cpu.setPc(0x80000000 | 0);
    cpu.state = 'waiting';
  }

  /** Makes physical CPU `id` enter the monitor soon (monitor IPI on line 5). */
  kick(id: number): void { this.cpus[id].setInterruptLine(KICK_LINE, true); }

}
