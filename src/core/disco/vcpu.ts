/**
 * A virtual CPU: the guest-visible processor state the monitor saves while the vCPU is not on
 * a physical CPU (GPRs, HI/LO, pc/npc/slot) and the state it always owns — the virtual CP0 and
 * the virtual TLB (guest-physical PFNs). The register file is the hardware's own: the same CP0
 * table (`Cp0File`, machine/cpu/cp0-regs.ts), the same TLB (`Tlb`, machine/cpu/tlb.ts) and the
 * same exception sequence (`enterException`) as the physical `Cpu`; only the hooks below for
 * time-dependent registers differ.
 *
 * Time: virtual Count = `countBase + ⌊cycle / 2⌋`, `cycle` being the clock of the physical CPU
 * the vCPU runs on, so the guest sees time pass while it is descheduled. CPU clocks differ by up
 * to a quantum, so when a vCPU moves to a CPU whose clock is behind, `countBase` is raised so
 * that its Count never steps back (`onSwitchIn`). `timerCycle` is the cycle at which virtual
 * Count next equals virtual Compare (virtual IP7 is then set by `tickTimer`).
 *
 * Random counts down once per instruction the vCPU issues (as the hardware's, between 63 and
 * Wired); the vCPU's instruction count is the physical CPU's count while it runs there.
 */
import type { Cpu } from '../machine/cpu/index';
import { CA_IP7, Mode, ST_BEV, ST_ERL, ST_EXL, ST_IE, ST_KSU } from '../machine/cpu/cp0';
import type { Cp0File } from '../machine/cpu/cp0-regs';
import { Tlb } from '../machine/cpu/tlb';
import type { Vm } from './vm';

export type VcpuState = 'runnable' | 'running' | 'waiting' | 'halted';

export class Vcpu implements Cp0File {
  readonly r = new Int32Array(32);
  hi = 0; lo = 0; pc = 0; npc = 4; slot = 0;
  state: VcpuState = 'runnable';
  /** In a run queue (the scheduler's flag). */
  queued = false;
  /** Physical CPU this vCPU prefers (affinity) and the one it is on when running. */
  home: number;
  /** The physical CPU it is running on, or null. */
  onCpu: Cpu | null = null;
  /** Physical CPU it last ran on (−1: never); the hardware TLB is flushed unless it returns to the same CPU with nothing run there in between. */
  lastCpu = -1;
  // ---- virtual CP0 (Cp0File) ----
  index = 0; entryLo0 = 0; entryLo1 = 0; context = 0; pageMask = 0; wired = 0;
  badVAddr = 0; entryHi = 0; compare = 0; status = ST_BEV | ST_ERL; cause = 0; epc = 0; errorEpc = 0;
  configK0 = 3;
  countBase = 0;
  timerCycle = 0;
  /** Virtual interrupt lines 2..6 (level), as Cause.IP bits. */
  lines = 0;
  /** The virtual TLB (guest PFNs). */
  readonly tlb = new Tlb();
  /** Statistics. */
  readonly stats = { traps: 0, emulated: 0, reflected: 0, switchesIn: 0, migrations: 0 };
  // ---- time and instruction bookkeeping across switches ----
  private instrDone = 0;
  private instrOffset = 0;
  private randomBase = 0;
  private lastCycle = 0;
  private lastCount = 0;
  private llMachine = 0;

  constructor(readonly vm: Vm, readonly index_: number, readonly gid: number, home: number, entry: number) {
    this.home = home;
    this.pc = entry | 0; this.npc = (entry + 4) | 0;
    this.recomputeTimer(0);
  }

  /** Number of this vCPU inside its VM (what the guest's sysinfo.CPU_ID returns). */
  get id(): number { return this.index_; }

  /** Virtual privilege mode (as `Cpu.mode` derives it from Status). */
  get mode(): Mode {
    if ((this.status & (ST_EXL | ST_ERL)) !== 0) return Mode.Kernel;
    const ksu = (this.status & ST_KSU) >>> 3;
    return ksu === 1 ? Mode.Supervisor : ksu === 2 ? Mode.User : Mode.Kernel;
  }

  /** Virtual kernel mode: EXL or ERL or KSU = 0. */
  get kernelMode(): boolean { return this.mode === Mode.Kernel; }

  /**
   * Hardware KSU for the current virtual mode: virtual kernel and supervisor modes run in
   * hardware supervisor mode (the monitor tells them apart on every trap), user mode in user mode.
   */
  hwKsu(): number { return this.mode === Mode.User ? 0x10 : 0x08; }

  /** Current cycle on the physical CPU the vCPU runs on (or when it last ran). */
  private clock(): number { return this.onCpu !== null ? this.onCpu.now() : this.lastCycle; }

  /** Instructions this vCPU has issued. */
  instructions(): number { return this.onCpu !== null ? this.onCpu.instructionsNow() - this.instrOffset : this.instrDone; }

  count(cycle: number): number { return (this.countBase + Math.floor(cycle / 2)) | 0; }

  recomputeTimer(cycle: number): void {
    const cur = Math.floor(cycle / 2);
    const delta = ((this.compare - ((this.countBase + cur) | 0)) >>> 0) || 0x100000000;
    this.timerCycle = 2 * (cur + delta);
  }

  /** Sets virtual IP7 if the timer has fired by `cycle`. */
  tickTimer(cycle: number): void {
    // branch-free: a branch first taken at the first timer tick would deoptimise the trap path
    // this is inlined into (docs/cpu.md "Cold start")
    const due = cycle >= this.timerCycle;
    this.cause |= due ? CA_IP7 : 0;
    this.timerCycle += due ? 2 * 0x100000000 : 0;
  }

  /** Virtual Cause with the interrupt lines folded in. */
  causeBits(): number { return (this.cause & ~0x7c00) | this.lines; }

  /** Pending and unmasked virtual interrupts (wakes a waiting vCPU). */
  pending(): number { return this.causeBits() & this.status & 0xff00; }

  /** An interrupt would be taken now: pending and IE = 1, EXL = ERL = 0. */
  interruptible(): boolean {
    return this.pending() !== 0 && (this.status & (ST_IE | ST_EXL | ST_ERL)) === ST_IE;
  }

  // ---- switching (the scheduler calls these) ----

  /** The vCPU starts running on `cpu`: its instruction count and Count continue from where they were. */
  onSwitchIn(cpu: Cpu): void {
    const now = cpu.now();
    this.tickTimer(now);
    const c = this.count(now);
    if (((c - this.lastCount) | 0) < 0) this.countBase = (this.countBase + (this.lastCount - c)) | 0;
    this.recomputeTimer(now);
    this.instrOffset = cpu.instructionsNow() - this.instrDone;
    cpu.llAddr = this.llMachine;
    this.onCpu = cpu;
  }

  /** The vCPU leaves `cpu`. */
  onSwitchOut(cpu: Cpu): void {
    const now = cpu.now();
    this.instrDone = cpu.instructionsNow() - this.instrOffset;
    this.lastCycle = now;
    this.lastCount = this.count(now);
    this.llMachine = cpu.llAddr;
    this.onCpu = null;
  }

  /** Translates a machine address to guest-physical for LLAddr (set by the monitor; identity until then). */
  guestAddrOf: (machineAddr: number) => number = (a) => a;

  // ---- Cp0File hooks ----
  countValue(): number { return this.count(this.clock()); }
  countWritten(x: number): void { const now = this.clock(); this.countBase = (x - Math.floor(now / 2)) | 0; this.recomputeTimer(now); }
  randomValue(): number {
    const wired = this.wired & 63;
    return 63 - ((this.instructions() - this.randomBase) % (64 - wired));
  }
  wiredWritten(): void { this.randomBase = this.instructions(); }
  causeValue(): number { this.tickTimer(this.clock()); return this.causeBits(); }
  llAddrValue(): number { return (this.guestAddrOf(this.onCpu !== null ? this.onCpu.llAddr : this.llMachine) >>> 4) | 0; }
  compareWritten(): void { this.recomputeTimer(this.clock()); }
  statusWritten(): void { /* the monitor re-derives the hardware mode after every emulation (resume) */ }
  entryHiWritten(): void { /* the hardware ASID follows the virtual one at resume */ }
}
