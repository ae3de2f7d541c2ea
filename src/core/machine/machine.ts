/**
 * The machine: builds memory, the ccNUMA timing model, devices and CPUs from a resolved
 * `MachineConfig`, loads images, and runs the CPUs **deterministically by simulated time**.
 *
 * Scheduling (the only place simulated time advances):
 *   1. machine time `T` starts at 0; every CPU starts at cycle 0.
 *   2. each step picks `target = min(T + quantumCycles, next device event, maxCycles, …)`, then
 *      runs CPU 0, 1, … N−1 in id order with `cpu.run(target)`. A running CPU executes until its
 *      clock reaches `target` (it may pass it by the cycles of its last instruction, e.g. a
 *      memory stall); a CPU waiting in `wait` has its clock advanced to `target` as idle time
 *      (the CPU does this itself); a halted CPU does not run.
 *   3. `T = target`; device events due at or before `T` run (in scheduling order).
 *   When every CPU sleeps in `wait` with its timer interrupt masked and nothing pending, only a
 *   device event can wake one, so `target` jumps straight to that event (all the skipped time is
 *   idle; the result is the same as stepping quantum by quantum, because quanta restart at events).
 * Side effects between CPUs inside one quantum (stores, IPIs, MMIO) are seen by later CPUs in
 * the same quantum and by earlier ones in the next; so interleaving depends only on the inputs
 * and the quantum, never on the host. Device completions land exactly at quantum boundaries
 * because quanta are cut at the next event's cycle.
 *
 * Stopping: power-off (the power device), all CPUs halted, all CPUs waiting with nothing that
 * could wake them (no pending device event, no CPU with the timer interrupt unmasked), the cycle
 * limit, the instruction limit (quanta shrink near it, so it overshoots by < number of CPUs), or
 * the progress callback asking to stop. The run's length is `cycles = max over CPUs of their
 * clock`; a CPU whose clock is behind (it halted, or the run stopped before it ran its quantum)
 * is charged the difference as **idle**, so every CPU's buckets sum to exactly `cycles`.
 *
 * Slicing: `run` is synchronous. Quanta end on absolute multiples of `quantumCycles` (after a
 * jump to an off-grid device event, the next quantum ends at the next multiple). A host that
 * must stay responsive may call `run` repeatedly with a growing `maxCycles` that is a multiple
 * of `quantumCycles` (e.g. `(⌊machine.time / q⌋ + 10_000) × q`); a run continued this way is
 * identical to one uninterrupted run (tests check it, with idle jumps). Only the end-of-run idle
 * padding is recomputed at each return. The CLI and the UI worker make one `run` call and take
 * progress through `onProgress`, which does not change the schedule.
 */
import type { CpuHost, InterruptSink, PhysicalMemoryView, TimeBuckets } from './contracts';
import { cpuCount, nodeOfCpu, type MachineConfig } from './config/types';
import { PhysicalMemory } from './memory/physical';
import { NumaMemoryTiming, type CacheCounters } from './memory/numa';
import { SimEventQueue } from './events';
import { Bus } from './devices/bus';
import type { PowerOff } from './devices/power';
import { DEVICES, type MachineDeviceContext, type MachineDevices } from './devices/registry';
import { loadAddress, type LoadImage } from './elf';
import { createCpu, EXC_NAMES, LLReservations, type Cpu } from './cpu/index';

export interface MachineOptions {
  /** Initial disk contents (copied; padded or cut to `diskSizeMB`). */
  diskImage?: Uint8Array;
  /** Bytes queued on the console receiver at reset. */
  consoleInput?: Uint8Array;
  /** Largest console output kept (bytes); default 1 MiB. */
  maxConsoleBytes?: number;
}

export interface RunLimits {
  /** Stop when machine time reaches this many cycles. */
  maxCycles?: number;
  /** Stop when the CPUs together have executed this many instructions. */
  maxInstructions?: number;
}

export interface RunProgress {
  /** Machine time in cycles. */
  cycles: number;
  /** Instructions executed by all CPUs. */
  instructions: number;
}

export interface RunOptions extends RunLimits {
  /** Called about every `progressEveryCycles` of machine time; return `false` to stop the run. */
  onProgress?: (p: RunProgress) => boolean | void;
  progressEveryCycles?: number;
  /**
   * A debugger's way to run CPU `cpu` to `target` inside the schedule (src/core/debug): it runs
   * the CPU as `cpu.run(target)` would — all at once, or an instruction at a time — and returns
   * false to pause with the CPU short of `target`. The run then stops (`stopped`) in the middle
   * of the quantum, and the next `run` call continues that quantum where it paused, so a paused
   * and continued run is the uninterrupted one. Without it, `cpu.run(target)` (no cost).
   */
  runCpu?: (cpu: Cpu, target: number) => boolean;
}

/** Why a run ended. `partial` runs ended before the program finished. */
export type StopReason = 'exit' | 'halted' | 'deadlock' | 'maxCycles' | 'maxInstructions' | 'stopped';

export const STOP_REASONS: Readonly<Record<StopReason, string>> = {
  exit: 'the program wrote the power device\'s EXIT register',
  halted: 'every CPU halted',
  deadlock: 'every CPU is waiting and nothing can wake one (no device event pending, timer interrupt masked everywhere)',
  maxCycles: 'the cycle limit was reached',
  maxInstructions: 'the instruction limit was reached',
  stopped: 'the caller stopped the run',
};

export interface RunResult {
  reason: StopReason;
  /** True unless the machine powered off or halted by itself. */
  partial: boolean;
  /** Exit status written to the power device, or null. */
  exitCode: number | null;
  /** CPU that powered off, and its cycle. */
  exitCpu: number | null;
  cycles: number;
  instructions: number;
}

export interface CpuReport {
  id: number;
  node: number;
  state: 'running' | 'waiting' | 'halted';
  /** user + kernel + monitor + idle = the run's cycles. */
  buckets: TimeBuckets;
  instructions: number;
  tlbMisses: { refill: number; invalid: number; modified: number };
  /** Exceptions by ExcCode name (only codes that occurred). */
  exceptions: Record<string, number>;
  cache: CacheCounters;
  monitorByCause: Record<string, number>;
}

/**
 * Every registered device is a typed property of the machine (`machine.console: ConsoleDevice`,
 * `machine.disk`, `machine.ipi`, `machine.power`, `machine.sysinfo`, …), set by the constructor
 * from the device registry (devices/registry.ts).
 */
export interface Machine extends MachineDevices {}

export class Machine implements InterruptSink {
  readonly config: MachineConfig;
  readonly memory: PhysicalMemory;
  readonly timing: NumaMemoryTiming;
  readonly events = new SimEventQueue();
  readonly bus = new Bus();
  readonly reservations: LLReservations;
  readonly cpus: Cpu[] = [];
  /** Machine time: every running CPU's clock is ≥ this. */
  time = 0;
  private stopReason: StopReason | undefined;
  private powerOff: PowerOff | undefined;
  private finalPadding: number[];
  /** A quantum a debugger paused (`RunOptions.runCpu`): its target and the CPU to continue with; −1 = none. */
  private pausedTarget = -1;
  private pausedCpu = 0;

  constructor(config: MachineConfig, opts: MachineOptions = {}) {
    this.config = config;
    const n = cpuCount(config);
    this.memory = new PhysicalMemory(config.nodes, config.memoryPerNodeMB * 1024 * 1024);
    this.timing = new NumaMemoryTiming(config);
    this.reservations = new LLReservations(n);
    this.finalPadding = new Array<number>(n).fill(0);
    const ctx: MachineDeviceContext = {
      events: this.events,
      irq: this,
      cpus: n,
      // the exact cycle of the access (a CPU's `cycle` only advances at batch boundaries)
      cycleOf: (cpu) => this.cpus[cpu]?.now() ?? this.time,
      config,
      memory: this.memory,
      options: opts,
      dmaWrote: (a, len) => this.dmaWrote(a, len),
      powerOff: (p) => this.onPowerOff(p),
    };
    // The devices of the registry, in its order: built, mapped at their windows, and set as
    // `this.<name>` (the typed properties of `MachineDevices`).
    for (const d of DEVICES) {
      const device = d.create(ctx);
      (this as unknown as Record<string, unknown>)[d.name] = device;
      this.bus.map(d.base, device);
    }

    const bus = this.bus;
    const host: CpuHost = {
      memory: this.memory as PhysicalMemoryView,
      mmioRead32: (cpu, paddr) => bus.read32(cpu, paddr),
      mmioWrite32: (cpu, paddr, value) => bus.write32(cpu, paddr, value),
      timing: this.timing,
      reservations: this.reservations,
    };
    for (let i = 0; i < n; i++) this.cpus.push(createCpu(config.cpuModel, i, host));
  }

  /** InterruptSink: device line `line` (2..6) of `cpu`. */
  setLine(cpu: number, line: number, level: boolean): void {
    this.cpus[cpu]?.setInterruptLine(line, level);
  }

  /**
   * Copies an image into physical memory (see `loadAddress` for the virtual → physical rule).
   * Returns an error message when a segment does not fit in RAM (the user's mistake).
   */
  load(image: LoadImage): string | undefined {
    for (const s of image.segments) {
      const pa = loadAddress(s.vaddr);
      if (pa === undefined) return `segment at 0x${(s.vaddr >>> 0).toString(16)} lies in a mapped-only segment (ksseg/kseg3) and cannot be loaded on a bare machine`;
      if (!this.memory.contains(pa, s.bytes.length)) return `segment at 0x${(s.vaddr >>> 0).toString(16)} (${s.bytes.length} bytes → physical 0x${pa.toString(16)}) does not fit in RAM (${this.memory.bytes} bytes)`;
      this.memory.writeBytes(pa, s.bytes);
    }
    return undefined;
  }

  /** Resets every CPU to start at `entry` (kernel mode, Status = BEV | ERL, as after a hardware reset). */
  start(entry: number): void {
    for (const c of this.cpus) c.reset(entry | 0);
  }

  private onPowerOff(p: PowerOff): void {
    this.powerOff = p;
    this.stopReason = 'exit';
    for (const c of this.cpus) c.halt();
  }

  /** DMA wrote memory: drop cached copies and break LL reservations on it. */
  private dmaWrote(paddr: number, length: number): void {
    this.timing.invalidateRange(paddr, length);
    if (this.reservations.active > 0) for (let a = paddr - (paddr % 4); a < paddr + length; a += 4) this.reservations.store(a);
  }

  instructions(): number {
    let s = 0;
    for (let i = 0; i < this.cpus.length; i++) s += this.cpus[i].counters.instructions;
    return s;
  }

  /** Runs until a stop condition (see the file comment). May be called again to continue a partial run. */
  run(opts: RunOptions = {}): RunResult {
    const q = this.config.quantumCycles;
    const maxC = opts.maxCycles ?? Infinity;
    const maxI = opts.maxInstructions ?? Infinity;
    const every = opts.progressEveryCycles ?? 1_000_000;
    let nextProgress = this.time + every;
    if (this.stopReason !== 'exit') this.stopReason = undefined;
    this.events.advanceTo(this.time);
    while (this.stopReason === undefined) {
      if (this.pausedTarget >= 0) {
        // continue the quantum a debugger paused, from the CPU it paused on
        const target = this.pausedTarget;
        this.pausedTarget = -1;
        if (!this.runQuantum(target, this.pausedCpu, opts.runCpu)) break;
        if (opts.onProgress && this.time >= nextProgress) {
          nextProgress = this.time + every;
          if (opts.onProgress({ cycles: this.time, instructions: this.instructions() }) === false && this.stopReason === undefined) this.stopReason = 'stopped';
        }
        continue;
      }
      // One scan of the CPUs (once per quantum: kept to plain loads). `asleep`: every CPU that is
      // not halted waits, and only a device event can wake it (its timer interrupt masked,
      // nothing pending); `waiting`: some CPU waits. Deadlock: asleep, someone waiting, and no
      // event left that could wake anyone.
      const cpus = this.cpus;
      let halted = true, asleep = true, waiting = false;
      for (let i = 0; i < cpus.length; i++) {
        const c = cpus[i], st = c.state;
        if (st === 'halted') continue;
        halted = false;
        if (st === 'running') asleep = false;
        else if (st === 'waiting') {
          waiting = true;
          if ((c.status & 0x8000) !== 0 || (c.cause & c.status & 0xff00) !== 0) asleep = false;
        }
      }
      if (halted) { this.stopReason = 'halted'; break; }
      if (this.time >= maxC) { this.stopReason = 'maxCycles'; break; }
      const done = maxI !== Infinity ? this.instructions() : 0;
      if (done >= maxI) { this.stopReason = 'maxInstructions'; break; }
      if (this.events.size === 0 && asleep && waiting) { this.stopReason = 'deadlock'; break; }
      const ev = this.events.nextTime();
      // Everyone asleep and only a device event can wake them: jump straight to it (the same
      // result as stepping idle quanta, since quanta are cut at events anyway).
      // Quanta end on absolute multiples of q (not `time + q`), so the schedule after a jump to an
      // off-grid event does not depend on where earlier runs were sliced.
      const grid = (Math.floor(this.time / q) + 1) * q;
      let target = Math.min(asleep ? Math.max(ev, grid) : grid, maxC);
      if (ev > this.time && ev < target) target = ev;
      if (maxI !== Infinity) {
        // CPI ≥ 1: a CPU cannot execute more instructions than cycles it runs.
        const running = this.cpus.filter((c) => c.state === 'running').length || 1;
        target = Math.min(target, this.time + Math.max(1, Math.ceil((maxI - done) / running)));
      }
      if (opts.runCpu !== undefined) { if (!this.runQuantum(target, 0, opts.runCpu)) break; }
      else {
        for (let i = 0; i < cpus.length; i++) {
          const c = cpus[i];
          if (c.state !== 'halted' && c.cycle < target) c.run(target);
          if (this.stopReason !== undefined) break;
        }
        this.time = target;
        this.events.advanceTo(target);
      }
      if (opts.onProgress && this.time >= nextProgress) {
        nextProgress = this.time + every;
        if (opts.onProgress({ cycles: this.time, instructions: this.instructions() }) === false && this.stopReason === undefined) this.stopReason = 'stopped';
      }
    }
    const reason = this.stopReason!;   // set on every way out of the loop (runQuantum sets it when it pauses)
    // The run's length: the furthest CPU clock (a CPU may pass the last target by its last
    // instruction's stall). `time` stays on the schedule so that a continued run keeps its phase.
    let end = this.time;
    for (const c of this.cpus) if (c.cycle > end) end = c.cycle;
    for (let i = 0; i < this.cpus.length; i++) this.finalPadding[i] = end - this.cpus[i].cycle;
    return {
      reason,
      partial: reason !== 'exit' && reason !== 'halted',
      exitCode: this.powerOff ? this.powerOff.code : null,
      exitCpu: this.powerOff ? this.powerOff.cpu : null,
      cycles: end,
      instructions: this.instructions(),
    };
  }

  /** True while a debugger holds a quantum paused (`RunOptions.runCpu`): the next `run` continues it. */
  get paused(): boolean { return this.pausedTarget >= 0; }

  /**
   * One quantum under a debugger: CPUs `first`.. in id order through `runCpu` (plain `run` when
   * absent). False when it paused (the quantum is kept for the next `run`) — the run stops.
   */
  private runQuantum(target: number, first: number, runCpu: RunOptions['runCpu']): boolean {
    for (let i = first; i < this.cpus.length; i++) {
      const c = this.cpus[i];
      if (c.state !== 'halted' && c.cycle < target) {
        if (runCpu === undefined) c.run(target);
        else if (!runCpu(c, target)) {
          if (this.stopReason === undefined) { this.pausedTarget = target; this.pausedCpu = i; this.stopReason = 'stopped'; return false; }
        }
      }
      if (this.stopReason !== undefined) break;
    }
    this.time = target;
    this.events.advanceTo(target);
    return true;
  }

  /** Per-CPU report at the end of `run` (idle includes the end-of-run padding). */
  cpuReport(i: number): CpuReport {
    const c = this.cpus[i];
    const b = c.buckets;
    const exceptions: Record<string, number> = {};
    c.counters.exceptions.forEach((n, code) => { if (n) exceptions[EXC_NAMES[code] ?? `Exc${code}`] = n; });
    return {
      id: i,
      node: nodeOfCpu(this.config, i),
      state: c.state,
      buckets: { user: b.user, kernel: b.kernel, monitor: b.monitor, idle: b.idle + this.finalPadding[i], stall: b.stall },
      instructions: c.counters.instructions,
      tlbMisses: { refill: c.counters.tlbRefill, invalid: c.counters.tlbInvalid, modified: c.counters.tlbModified },
      exceptions,
      cache: this.timing.counters(i),
      monitorByCause: { ...c.monitorByCause },
    };
  }

  cpuReports(): CpuReport[] { return this.cpus.map((_, i) => this.cpuReport(i)); }
}
