/**
 * A virtual CPU: the guest-visible processor state the monitor saves while the vCPU is not on
 * a physical CPU (GPRs, HI/LO, pc/npc/slot) and the state it always owns (virtual CP0 and the
 * virtual TLB, which hold guest-physical PFNs). Field meanings follow the hardware CP0
 * (src/core/machine/cpu/cp0.ts); only the monitor writes them.
 *
 * Virtual time: virtual Count = `countBase + ⌊cycle / 2⌋` where `cycle` is the physical clock
 * of the CPU the monitor is running on (like the hardware's), so the guest sees time pass while
 * it is descheduled. `timerCycle` is the cycle at which virtual Count next equals virtual
 * Compare (virtual IP7 is then set by `tickTimer`).
 */
import { CA_IP7, EL_G, ST_BEV, ST_ERL, ST_EXL, ST_IE, ST_KSU } from '../machine/cpu/cp0';
import type { Vm } from './vm';

export type VcpuState = 'runnable' | 'running' | 'waiting' | 'halted';
export const VTLB_ENTRIES = 64;

export class Vcpu {
  readonly r = new Int32Array(32);
  hi = 0; lo = 0; pc = 0; npc = 4; slot = 0;
  state: VcpuState = 'runnable';
  /** Physical CPU this vCPU prefers (affinity) and the one it is on when running. */
  home: number;
  // ---- virtual CP0 ----
  index = 0; entryLo0 = 0; entryLo1 = 0; context = 0; pageMask = 0; wired = 0;
  badVAddr = 0; entryHi = 0; compare = 0; status = ST_BEV | ST_ERL; cause = 0; epc = 0; errorEpc = 0;
  configK0 = 3; llAddr = 0;
  /** Virtual Random: 63 down to Wired, one step per tlbwr or Random read (deterministic). */
  random = 63;
  countBase = 0;
  /** Physical CPU it last ran on (−1: never); the hardware TLB is flushed unless it returns to the same CPU with nothing run there in between. */
  lastCpu = -1;
  timerCycle = 0;
  /** Virtual interrupt lines 2..6 (level), as Cause.IP bits. */
  lines = 0;
  // ---- virtual TLB (guest PFNs) ----
  readonly tlbHi = new Int32Array(VTLB_ENTRIES);
  readonly tlbMask = new Int32Array(VTLB_ENTRIES);
  readonly tlbLo0 = new Int32Array(VTLB_ENTRIES);
  readonly tlbLo1 = new Int32Array(VTLB_ENTRIES);
  readonly tlbG = new Uint8Array(VTLB_ENTRIES);
  /** Statistics. */
  readonly stats = { traps: 0, emulated: 0, reflected: 0, switchesIn: 0 };

  constructor(readonly vm: Vm, readonly index_: number, readonly gid: number, home: number, entry: number) {
    this.home = home;
    this.pc = entry | 0; this.npc = (entry + 4) | 0;
    for (let i = 0; i < VTLB_ENTRIES; i++) this.tlbHi[i] = (0x80000000 + i * 0x2000) | 0;
    this.recomputeTimer(0);
  }

  /** Number of this vCPU inside its VM (what the guest's sysinfo.CPU_ID returns). */
  get id(): number { return this.index_; }

  /** Virtual kernel mode: EXL or ERL or KSU = 0 (the guest kernel runs in hardware supervisor mode). */
  get kernelMode(): boolean {
    return (this.status & (ST_EXL | ST_ERL)) !== 0 || (this.status & ST_KSU) === 0;
  }

  /** Hardware KSU field for the current virtual mode: supervisor (1) for the guest kernel, user (2) for its programs. */
  hwKsu(): number { return this.kernelMode ? 0x08 : 0x10; }

  count(cycle: number): number { return (this.countBase + Math.floor(cycle / 2)) | 0; }

  recomputeTimer(cycle: number): void {
    const cur = Math.floor(cycle / 2);
    const delta = ((this.compare - ((this.countBase + cur) | 0)) >>> 0) || 0x100000000;
    this.timerCycle = 2 * (cur + delta);
  }

  /** Sets virtual IP7 if the timer has fired by `cycle`. */
  tickTimer(cycle: number): void {
    if (cycle >= this.timerCycle) { this.cause |= CA_IP7; this.timerCycle += 2 * 0x100000000; }
  }

  /** Virtual Cause with the interrupt lines folded in. */
  causeValue(): number { return (this.cause & ~0x7c00) | this.lines; }

  /** Pending and unmasked virtual interrupts (wakes a waiting vCPU). */
  pending(): number { return this.causeValue() & this.status & 0xff00; }

  /** An interrupt would be taken now: pending and IE = 1, EXL = ERL = 0. */
  interruptible(): boolean {
    return this.pending() !== 0 && (this.status & (ST_IE | ST_EXL | ST_ERL)) === ST_IE;
  }

  /** Virtual TLB lookup like the hardware (lowest matching index), or −1. */
  lookup(va: number): number {
    const asid = this.entryHi & 0xff;
    for (let i = 0; i < VTLB_ENTRIES; i++) {
      const m = this.tlbMask[i] | 0x1fff;
      if (((this.tlbHi[i] ^ va) & ~m) === 0 && (this.tlbG[i] !== 0 || (this.tlbHi[i] & 0xff) === asid)) return i;
    }
    return -1;
  }

  /** Guest EntryLo of entry `i` for `va` (even or odd half), with G folded in as the guest reads it. */
  loFor(i: number, va: number): number {
    const half = ((this.tlbMask[i] | 0x1fff) + 1) >>> 1;
    return ((va & half) !== 0 ? this.tlbLo1[i] : this.tlbLo0[i]) | (this.tlbG[i] ? EL_G : 0);
  }

  nextRandom(): number {
    const w = this.wired & 63;
    const v = this.random < w || this.random > 63 ? 63 : this.random;
    this.random = v - 1 < w ? 63 : v - 1;
    return v;
  }
}
