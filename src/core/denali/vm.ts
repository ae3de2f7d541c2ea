/**
 * A Denali VM: one virtual CPU (what the shared scheduler, ../disco/scheduler.ts, switches), a
 * flat address space of `memBytes` at virtual 0 backed by machine pages (no virtual MMU: the
 * kernel's page table is an array, guest page → machine page), the pending-interrupt mask, the
 * virtual network's receive queue and the VM's fate. It is its own `vm` for the scheduler and
 * the accounting (one vCPU per VM, as in Denali).
 *
 * Kept resident for every VM, swapped or not (the paper's "per-VM metadata"): this object —
 * registers, page table, queues, counters. `metadataBytes` estimates it the way a C kernel would
 * lay it out (docs/denali.md "Memory").
 */
import type { Cpu } from '../machine/cpu/index';
import type { Schedulable } from '../disco/scheduler';

export type DenaliVmStatus = 'running' | 'exited' | 'stopped';

export type { Request } from '../load/loadgen';
import type { Request } from '../load/loadgen';

export class DenaliVm implements Schedulable {
  readonly r = new Int32Array(32);
  hi = 0; lo = 0; pc = 0; npc = 4; slot = 0;
  state: 'runnable' | 'running' | 'waiting' | 'halted' = 'waiting';
  home = 0;
  lastCpu = -1;
  onCpu: Cpu | null = null;
  queued = false;
  /** ASID while it runs (asid.ts), as the EntryHi the CPU gets. */
  entryHi = 0;
  readonly stats = { switchesIn: 0, migrations: 0, calls: 0, refills: 0, requests: 0, idles: 0, swapIns: 0, swapOuts: 0 };
  status: DenaliVmStatus = 'running';
  exitCode: number | null = null;
  stopReason: string | null = null;
  endCycle: number | null = null;
  readonly consoleOut: number[] = [];
  /** Guest page → machine page (−1 while swapped out). */
  readonly pages: Int32Array;
  /** Resident in machine memory (admitted or swapped in). */
  resident = false;
  /** Its pages' contents while swapped out: per page, null = all zeros; null = never ran (the group's initial image). */
  swapImage: (Int32Array | null)[] | null = null;
  /** Waiting for the gatekeeper (in its queue or on the swap disk). */
  swapPending = false;
  /** Referenced since the gatekeeper's clock hand last passed (second chance). */
  referenced = false;
  /** Pending virtual interrupts (vregs.ts IRQ bits). */
  pending = 0;
  /** In an idle call (its $v0 is set when it wakes); the cycle its timeout fires (−1: none), and a counter that voids stale timeout events. */
  inIdle = false;
  idleDeadline = -1;
  idleSeq = 0;
  /** The virtual network's receive queue and the requests it has taken but not answered. */
  readonly rx: Request[] = [];
  readonly inflight: Request[] = [];
  /** CPU time since its last monitor call [cycles] (the watchdog), and when it was last switched in. */
  runSinceCall = 0;
  switchedInAt = 0;
  /** ASID per physical CPU and the ASID generation it belongs to (asid.ts). */
  readonly asid: Int32Array;
  readonly asidGen: Int32Array;

  constructor(
    readonly id: number,
    readonly name: string,
    /** Index into the experiment's `denali.vms` groups. */
    readonly group: number,
    readonly memBytes: number,
    readonly entry: number,
    cpus: number,
  ) {
    this.pages = new Int32Array(memBytes >>> 12).fill(-1);
    this.asid = new Int32Array(cpus);
    this.asidGen = new Int32Array(cpus);
    this.pc = entry | 0; this.npc = (entry + 4) | 0;
    this.r[29] = (memBytes - 16) | 0;   // $sp: the top of its memory
  }

  get vm(): DenaliVm { return this; }
  get alive(): boolean { return this.status === 'running'; }

  onSwitchIn(cpu: Cpu): void { this.onCpu = cpu; this.switchedInAt = cpu.now(); this.referenced = true; }
  onSwitchOut(cpu: Cpu): void { this.runSinceCall += cpu.now() - this.switchedInAt; this.onCpu = null; }

  /** CPU time since its last monitor call, up to `now` if it is running. */
  cpuSinceCall(now: number): number { return this.runSinceCall + (this.onCpu !== null ? now - this.switchedInAt : 0); }

  /** A monitor call: the watchdog starts again. */
  called(now: number): void { this.runSinceCall = 0; this.switchedInAt = now; }
}

/**
 * Resident metadata per VM [bytes], laid out as a C kernel would: 32 GPRs + HI/LO/pc/npc (36
 * words), state and scheduling words (state, home, queue links ×2, ASID and generation per CPU),
 * the page table (a word per page), the pending mask, idle deadline (2 words), the receive and
 * in-flight queue heads (4 words), swap location (2 words), counters (8 words), name (16 bytes).
 */
export function metadataBytes(pages: number, cpus: number): number {
  return 4 * (36 + 4 + 2 * cpus + pages + 1 + 2 + 4 + 2 + 8) + 16;
}
