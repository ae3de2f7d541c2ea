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

/**
 * What the scheduler needs of a schedulable virtual CPU: Disco's `Vcpu` and Denali's one-CPU
 * VM (src/core/denali/vm.ts) both are one. `queued` is the scheduler's own flag (in a run queue
 * or not), so that enqueue and remove stay O(1) with thousands of VMs.
 */
export interface Schedulable {
  readonly r: Int32Array;
  hi: number; lo: number; pc: number; npc: number; slot: number;
  state: 'runnable' | 'running' | 'waiting' | 'halted';
  /** Physical CPU this vCPU prefers (its queue) and the one it runs on when running. */
  home: number;
  /** Physical CPU it last ran on (−1: never). */
  lastCpu: number;
  /** The physical CPU it is running on, or null. */
  onCpu: Cpu | null;
  /** In a run queue (maintained by the scheduler only). */
  queued: boolean;
  /** EntryHi the CPU gets when it runs (the ASID). */
  entryHi: number;
  /** The VM it belongs to (accounting owner). */
  readonly vm: { readonly id: number };
  readonly stats: { switchesIn: number; migrations: number };
  onSwitchIn(cpu: Cpu): void;
  onSwitchOut(cpu: Cpu): void;
}

/** The monitor's memory references on a switch (Disco's MonitorMemory), when modelled. */
export interface SwitchMemory<V> {
  switchIn(cpu: Cpu, v: V): void;
  switchOut(cpu: Cpu, v: V): void;
  shadowFlush(cpu: Cpu, vm: number, cause: string): void;
}

export interface SchedulerHost<V extends Schedulable = Vcpu> {
  charge(cpu: Cpu, vm: number, cause: string, times?: number): void;
  readonly acct: Accounting;
  readonly vtlb: { flushCpu(cpu: Cpu): void };
  readonly counts: { switches: number; migrations: number };
  /** The monitor's memory references (register save and restore go through the caches), or null. */
  readonly mem: SwitchMemory<V> | null;
  /**
   * The hardware TLB when `v` is switched in (`same`: it is the vCPU this CPU ran last, and it
   * ran nowhere else since). Absent: Disco's rule — flush unless `same` (ASIDs not virtualised),
   * charged `schedule.tlbFlush`. Denali gives each VM an ASID instead (src/core/denali/asid.ts).
   */
  switchAddressSpace?(cpu: Cpu, v: V, same: boolean): void;
}

/** Physical interrupt line the monitor uses to make another CPU re-examine its vCPUs (monitor IPI). */
export const KICK_LINE = 5;

export class Scheduler<V extends Schedulable = Vcpu> {
  readonly queues: V[][];
  /** The vCPU running on each CPU (null: parked). */
  readonly cur: (V | null)[];
  /** The vCPU each CPU ran last (its hardware TLB may still be valid for it). */
  private readonly lastRan: (V | null)[];
  /** Cycle at which each CPU's current slice ends. */
  readonly sliceEnd: number[];

  constructor(private readonly host: SchedulerHost<V>, private readonly cpus: readonly Cpu[], readonly sliceCycles: number) {
    const n = cpus.length;
    this.queues = Array.from({ length: n }, () => []);
    this.cur = new Array(n).fill(null);
    this.lastRan = new Array(n).fill(null);
    this.sliceEnd = new Array(n).fill(0);
  }

  // ---- policy ----

  /** Initial placement: the k-th vCPU overall goes to CPU k mod N. */
  place(all: readonly V[]): void {
    all.forEach((v, k) => { v.home = k % this.cpus.length; v.queued = true; this.queues[v.home].push(v); });
  }

  /** Puts `v` in its home queue (once): at the tail, or at the head (`front`: Denali's boost after idling). */
  enqueue(v: V, front = false): void {
    if (v.queued) return;
    v.queued = true;
    if (front) this.queues[v.home].unshift(v); else this.queues[v.home].push(v);
  }

  remove(v: V): void {
    if (!v.queued) return;
    const q = this.queues[v.home], i = q.indexOf(v);
    if (i < 0) throw new Error('bug: a queued vCPU is not in its home queue');
    q.splice(i, 1);
    v.queued = false;
  }

  /** Next vCPU for physical CPU `cpu`: its own queue first, then stealing. */
  private pick(cpu: number): V | undefined {
    const own = this.queues[cpu];
    if (own.length) { const v = own.shift()!; v.queued = false; return v; }
    for (let k = 1; k < this.cpus.length; k++) {
      const q = this.queues[(cpu + k) % this.cpus.length];
      if (q.length) { const v = q.shift()!; v.queued = false; v.home = cpu; v.stats.migrations++; this.host.counts.migrations++; return v; }
    }
    return undefined;
  }

  hasWaiting(cpu: number): boolean { return this.queues[cpu].length > 0; }

  /** The running vCPU's slice is over and another vCPU waits for this CPU. */
  sliceExpired(cpu: Cpu): boolean {
    // both halves every time: a right side first evaluated at a slice's end would deoptimise
    // the trap path this is inlined into (docs/cpu.md "Cold start")
    const over = cpu.now() >= this.sliceEnd[cpu.id], waiting = this.hasWaiting(cpu.id);
    return over && waiting;
  }

  // ---- mechanics ----

  /** Takes `v` off `cpu` (`runnable` → back in its queue; `waiting` → until an interrupt) and runs the next vCPU, or parks. */
  deschedule(cpu: Cpu, v: V, state: 'runnable' | 'waiting'): void {
    this.saveOut(cpu, v, state);
    if (state === 'runnable') this.enqueue(v);
    this.pickNext(cpu);
    if (v.state === 'runnable') this.kickIdle();   // still waiting: an idle CPU may take it
  }

  /**
   * Runs `next` on `cpu` at once (an unbatched interrupt for it: Denali with batching off); the
   * vCPU it displaces goes to the head of its queue, so it resumes right after.
   */
  preempt(cpu: Cpu, next: V): void {
    const v = this.cur[cpu.id];
    this.remove(next);
    if (v !== null) { this.saveOut(cpu, v, 'runnable'); this.enqueue(v, true); }
    this.switchIn(cpu, next);
  }

  private saveOut(cpu: Cpu, v: V, state: 'runnable' | 'waiting'): void {
    v.r.set(cpu.r); v.hi = cpu.hi; v.lo = cpu.lo; v.pc = cpu.pc; v.npc = cpu.npc; v.slot = cpu.slot;
    this.host.mem?.switchOut(cpu, v);
    v.onSwitchOut(cpu);
    v.state = state;
    this.cur[cpu.id] = null;
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

  private switchIn(cpu: Cpu, v: V): void {
    const vm = v.vm.id;
    this.host.acct.setOwner(cpu.id, vm);
    this.host.charge(cpu, vm, 'schedule');
    this.host.mem?.switchIn(cpu, v);
    this.host.counts.switches++;
    const same = this.lastRan[cpu.id] === v && v.lastCpu === cpu.id;
    if (this.host.switchAddressSpace) this.host.switchAddressSpace(cpu, v, same);
    else if (!same) {
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
