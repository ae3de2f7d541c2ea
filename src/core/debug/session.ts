/**
 * The headless debugger (issue #17): attach to a prepared run (native or Disco), set
 * breakpoints, run, pause, step, inspect, and travel in time. Platform-free; the debug adapter
 * (src/main/dap) and the UI build on it. docs/debugging.md is the user's guide.
 *
 * **Execution.** The session runs the machine with `Machine.run`'s own schedule (CPUs in id
 * order, quantum by quantum) and enters it through `RunOptions.runCpu`: a CPU runs its quantum
 * whole when nothing needs watching, or one instruction at a time (`cpu.run(cycle + 1)`) while
 * address or line breakpoints, watchpoints, exception breakpoints or a step are active. A stop
 * pauses the machine between two instructions of one CPU, in the middle of the quantum; the
 * next `run` continues there. Batches end where an interrupt could change anyway, so running
 * an instruction at a time gives the same machine as running whole quanta: a run stopped and
 * continued any number of times ends with the record of the run never stopped (tests check it).
 * Stepping CPU i means running the schedule until CPU i has executed one more instruction —
 * CPUs before it in the quantum run on meanwhile, exactly as they would without a debugger.
 *
 * **No cost when detached.** Without a session nothing changes in the machine: `runCpu` is
 * absent, the monitor's `observer` is null (one null test per monitor action).
 *
 * **Time travel.** With `snapshotEvery` (cycles, a multiple of the quantum) the session keeps a
 * snapshot (src/core/snapshot, file form) at every multiple of it it passes; `goToCycle` and
 * `stepBack` restore the nearest earlier one into the same machine and replay to the point.
 */
import type { Machine, RunLimits, RunResult } from '../machine/machine';
import type { Cpu } from '../machine/cpu/index';
import { EXC_NAMES, Mode } from '../machine/cpu/cp0';
import type { Monitor } from '../disco/monitor';
import { restore, snapshot, type MachineSnapshot, type SnapshotTarget } from '../snapshot/machine';
import { decodeSnapshot, encodeSnapshot } from '../snapshot/codec';
import { DebugError, hex } from './errors';
import { Inspector, type MemorySpace, type ThreadRef } from './inspect';
import { LineTable, type SourceLocation } from './lines';
import { isCall, MONITOR_ALIASES, sameFileName, validateBreakpoint, type Breakpoint, type BreakpointSpec } from './breakpoints';

export type { Breakpoint, BreakpointSpec } from './breakpoints';

export type StopReason = 'breakpoint' | 'step' | 'pause' | 'exception' | 'monitor' | 'watchpoint' | 'goto' | 'end' | 'snapshot';

/** Stops that a breakpoint made (what `reverseContinue` goes back to). */
const HIT_REASONS: ReadonlySet<StopReason> = new Set(['breakpoint', 'exception', 'monitor', 'watchpoint']);

export interface StopEvent {
  reason: StopReason;
  /** The thread that stopped (the one stepped, the one at the breakpoint). */
  thread?: ThreadRef;
  /** The breakpoint that was hit. */
  breakpoint?: number;
  description: string;
  /** When the run ended (exit, halt, deadlock, a limit). */
  end?: RunResult;
}

export interface SessionOptions {
  /** The run's limits (the experiment's). */
  limits?: RunLimits;
  /** Line tables of the programs (address ↔ file:line). */
  lines?: LineTable[];
  /** Keep a snapshot every this many cycles (a multiple of the quantum) for time travel; 0 = none. */
  snapshotEvery?: number;
  /** Snapshots kept at most (oldest dropped, the first one kept); default 64. */
  keepSnapshots?: number;
  /**
   * What the machine was built from (e.g. a content hash of the resolved experiment and its
   * inputs): written into saved snapshot files, and a loaded file must carry the same. A
   * function is called once, at the first save or load (hashing inputs can take a moment).
   */
  identity?: string | (() => string);
}

type Goal =
  | { kind: 'instr'; thread: ThreadRef; start: number }
  | { kind: 'pc'; thread: ThreadRef; pc: number; why: string }
  | { kind: 'count'; thread: ThreadRef; count: number }
  | { kind: 'cycle'; cycle: number }
  /** Run until no CPU has an open batch (`detach`). */
  | { kind: 'close' }
  /** One `cpu.run(cycle + 1)` of the CPU running the thread (`tick`). */
  | { kind: 'tick'; thread: ThreadRef }
  /** Breakpoints stop it; it stops by itself once all CPUs together have executed `total` instructions (`reverseContinue`). */
  | { kind: 'until'; total: number };

/**
 * What one `tick` did: the CPU that ran the thread, where it was before (pc, hardware mode), the
 * cycles it took (all of them, the monitor's included) and the exceptions it raised.
 */
export interface TickInfo {
  cpu: number;
  pc: number;
  /** The CPU's mode before the tick (Mode: 0 kernel, 1 supervisor, 2 user). */
  mode: number;
  cycles: number;
  /** Of `cycles`, charged to the monitor (Disco). */
  monitorCycles: number;
  /** ExcCodes raised during the tick, in code order (one entry per exception). */
  exceptions: number[];
  /** The last TLB exception raised was a refill (no matching entry). */
  refill: boolean;
}

/**
 * A CPU's bucket growth held back while it runs an instruction at a time (see `runCpu`): the
 * user / kernel / stall cycles of the instructions since its last batch boundary.
 */
interface Held4 { open: boolean; user: number; kernel: number; stall: number }

/** A time-travel snapshot: its time, each thread's and all CPUs' instructions then, the file form. */
interface Held { time: number; threads: number[]; total: number; file: Uint8Array }

/** Whole-quantum slices per `advance` when the host gives none [cycles]. */
const DEFAULT_SLICE = 20_000_000;

export class DebugSession {
  readonly machine: Machine;
  readonly monitor?: Monitor;
  readonly inspect: Inspector;
  readonly lines: LineTable[];
  private readonly limits: RunLimits;
  private readonly bps = new Map<number, Breakpoint>();
  private nextId = 1;
  /** address → breakpoints there (address and line kinds). */
  private addrBps = new Map<number, Breakpoint[]>();
  private excBps: Breakpoint[] = [];
  private watches: { bp: Breakpoint; words: number[]; old: number[] }[] = [];
  private monitorBps: Breakpoint[] = [];
  private goal: Goal | null = null;
  private stop: StopEvent | null = null;
  private pauseRequested = false;
  private monitorHit: { bp: Breakpoint; cpu: number } | null = null;
  /** Per CPU: (instructions, pc) at which the before-instruction checks are skipped once (resuming from a stop there). */
  private skipAt: { instr: number; pc: number }[];
  private excBefore: number[] = [];
  private readonly pend: Held4[];
  private ended: RunResult | null = null;
  private readonly every: number;
  private readonly keep: number;
  private history: Held[] = [];
  private tickDone: TickInfo | null = null;
  private ticking = -1;
  private identitySource: string | (() => string) | undefined;

  constructor(target: SnapshotTarget, opts: SessionOptions = {}) {
    this.machine = target.machine;
    this.monitor = target.monitor;
    this.inspect = new Inspector(target.machine, target.monitor);
    this.lines = opts.lines ?? [];
    this.limits = opts.limits ?? {};
    this.skipAt = this.machine.cpus.map(() => ({ instr: -1, pc: 0 }));
    this.pend = this.machine.cpus.map(() => ({ open: false, user: 0, kernel: 0, stall: 0 }));
    const q = this.machine.config.quantumCycles;
    const every = opts.snapshotEvery ?? 0;
    if (!Number.isInteger(every) || every < 0 || every % q !== 0) throw new DebugError('E_BAD_ARGUMENT', `snapshotEvery must be a multiple of the quantum (${q} cycles)`);
    this.every = every;
    this.keep = Math.max(2, opts.keepSnapshots ?? 64);
    this.identitySource = opts.identity;
    if (every > 0 && !this.machine.paused && this.machine.time % q === 0) this.hold();
  }

  /**
   * Detach: the machine runs on as if no debugger had been there. A CPU stopped in the middle of
   * a batch first runs to the batch's end (see `runCpu`), so nothing of the session stays in it.
   */
  detach(): void {
    this.bps.clear();
    this.reindex();
    if (this.monitor) this.monitor.observer = null;
    if (!this.ended && this.pend.some((p) => p.open)) { this.begin({ kind: 'close' }); this.finish(); }
  }

  private target(): SnapshotTarget { return this.monitor ? { machine: this.machine, monitor: this.monitor } : { machine: this.machine }; }

  // =============================================================================================
  // Breakpoints
  // =============================================================================================

  setBreakpoint(spec: BreakpointSpec): Breakpoint {
    const bp: Breakpoint = { id: this.nextId++, spec: validateBreakpoint(spec, this.inspect), hits: 0 };
    if (spec.kind === 'line') {
      const at = this.resolveLine(spec.file, spec.line);
      bp.addr = at.addr; bp.line = at.line;
    }
    if (spec.kind === 'address') bp.addr = spec.addr >>> 0;
    this.bps.set(bp.id, bp);
    this.reindex();
    return bp;
  }

  removeBreakpoint(id: number): boolean {
    const had = this.bps.delete(id);
    this.reindex();
    return had;
  }

  /** Removes every breakpoint of `kind` (all kinds when absent); line breakpoints of `file` only, when given. */
  clearBreakpoints(kind?: BreakpointSpec['kind'], file?: string): void {
    for (const [id, bp] of this.bps) {
      if (kind !== undefined && bp.spec.kind !== kind) continue;
      if (file !== undefined && bp.spec.kind === 'line' && !sameFileName(bp.spec.file, file)) continue;
      this.bps.delete(id);
    }
    this.reindex();
  }

  breakpoints(): Breakpoint[] { return [...this.bps.values()]; }

  /** The source line of `addr` (the first line table that has it, in scope for `thread` when given). */
  locate(addr: number, thread?: ThreadRef): SourceLocation | undefined {
    for (const t of this.lines) {
      if (thread && !this.inScope(t, thread)) continue;
      const l = t.locate(addr);
      if (l) return l;
    }
    return undefined;
  }

  private inScope(t: LineTable, thread: ThreadRef): boolean {
    if (t.scope.vm !== undefined && 'vcpu' in thread && this.inspect.vcpu(thread.vcpu).vm.id !== t.scope.vm) return false;
    const pc = this.inspect.pcOf(thread);
    if (t.scope.user && pc >= 0x80000000) return false;
    if (t.scope.kernel && pc < 0x80000000) return false;
    return true;
  }

  private resolveLine(file: string, line: number): { addr: number; line: number } {
    for (const t of this.lines) { const r = t.addressOf(file, line); if (r) return r; }
    throw new DebugError('E_NO_SOURCE', `no code at ${file}:${line}${this.lines.length ? '' : ' (no program has a line table)'}`);
  }

  private reindex(): void {
    this.addrBps = new Map();
    this.excBps = []; this.monitorBps = []; this.watches = [];
    for (const bp of this.bps.values()) {
      const s = bp.spec;
      if (s.kind === 'address' || s.kind === 'line') {
        const list = this.addrBps.get(bp.addr!) ?? [];
        list.push(bp);
        this.addrBps.set(bp.addr!, list);
      } else if (s.kind === 'exception') this.excBps.push(bp);
      else if (s.kind === 'monitor') this.monitorBps.push(bp);
      else {
        const words: number[] = [];
        for (let a = s.addr; a < s.addr + s.length; a += 4) {
          const ma = this.inspect.machineAddress(s, a >>> 0);
          if (ma < 0) throw new DebugError('E_BAD_ADDRESS', `${hex(a)} is not mapped in the ${s.space} space (a watchpoint watches the machine memory it maps to when set)`);
          words.push(ma >>> 2);
        }
        this.watches.push({ bp, words, old: words.map((w) => this.machine.memory.words[w]) });
      }
    }
    if (this.monitor) this.monitor.observer = this.monitorBps.length ? this.onMonitor : null;
  }

  private readonly onMonitor = (cpu: Cpu, vm: number, cause: string): void => {
    if (this.monitorHit !== null) return;
    for (const bp of this.monitorBps) {
      const s = bp.spec as { event: string; vm?: number };
      if ((MONITOR_ALIASES[s.event] ?? s.event) === cause && (s.vm === undefined || s.vm === vm)) {
        this.monitorHit = { bp, cpu: cpu.id };
        cpu.requestStop();
        return;
      }
    }
  };

  // =============================================================================================
  // Run control
  // =============================================================================================

  /** The run has ended (exit, halt, deadlock or a limit): its result. */
  get end(): RunResult | null { return this.ended; }

  /** Asks a run in progress (`advance` slices) to stop at the next CPU boundary; a host calls it from outside. */
  pause(): void { this.pauseRequested = true; }

  /** Runs until a breakpoint or the end. */
  continue(): StopEvent { this.begin(null); return this.finish(); }

  /** One instruction of `thread`. */
  step(thread: ThreadRef): StopEvent { this.begin({ kind: 'instr', thread: this.inspect.check(thread), start: this.inspect.instructionsOf(thread) }); return this.finish(); }

  /** One instruction, or over a call (`jal`, `jalr`, `bal`, `bgezal`, `bltzal`: until the instruction after its delay slot). */
  next(thread: ThreadRef): StopEvent { this.startNext(thread); return this.finish(); }

  /** Until the current function returns: the thread reaches the address in `$ra` now (a leaf function's return; documented limit). */
  stepOut(thread: ThreadRef): StopEvent { this.startStepOut(thread); return this.finish(); }

  /** Starts a continue / step without running (hosts then call `advance` in slices to stay responsive). */
  startContinue(): void { this.begin(null); }
  startStep(thread: ThreadRef): void { this.begin({ kind: 'instr', thread: this.inspect.check(thread), start: this.inspect.instructionsOf(thread) }); }
  startNext(thread: ThreadRef): void {
    this.inspect.check(thread);
    const pc = this.inspect.pcOf(thread);
    const word = this.readCode(thread, pc);
    if (word !== undefined && isCall(word)) this.begin({ kind: 'pc', thread, pc: (pc + 8) >>> 0, why: 'step over' });
    else this.begin({ kind: 'instr', thread, start: this.inspect.instructionsOf(thread) });
  }
  startStepOut(thread: ThreadRef): void {
    this.inspect.check(thread);
    const ra = this.inspect.registers(thread).values[31];
    this.begin({ kind: 'pc', thread, pc: ra >>> 0, why: 'step out' });
  }

  /**
   * The finest step there is, for tracers (miss-path.ts): one `cpu.run(cycle + 1)` of the CPU
   * that runs `thread` — one instruction, or one that raised an exception and, under Disco,
   * everything the monitor did for it (or an interrupt taken first). Breakpoints do not stop it
   * (as in replays); like every step it leaves the run's result unchanged. Throws `E_ENDED` when
   * the run ends before the thread runs again.
   */
  tick(thread: ThreadRef): TickInfo {
    this.begin({ kind: 'tick', thread: this.inspect.check(thread) });
    this.tickDone = null;
    const e = this.finish();
    const t = this.tickDone as TickInfo | null;
    if (e.reason === 'end' || t === null) throw new DebugError('E_ENDED', `the run ended (${e.end?.reason ?? e.description}) before the thread ran again`);
    this.tickDone = null;
    return t;
  }

  /** The CPU inside a `tick` now (−1: none): a monitor observer tells the traced thread's actions from the others'. */
  get tickingCpu(): number { return this.ticking; }

  /**
   * Runs `fn` with the user's breakpoints set aside (a tracer sets its own, temporary ones) and
   * puts them back after, with their ids and hit counts; watchpoints re-read their words then.
   */
  withoutBreakpoints<T>(fn: () => T): T {
    const saved = new Map(this.bps), next = this.nextId;
    this.bps.clear();
    this.reindex();
    try { return fn(); } finally {
      this.bps.clear();
      for (const [id, bp] of saved) this.bps.set(id, bp);
      this.nextId = Math.max(this.nextId, next);
      this.reindex();
    }
  }

  /**
   * Runs at most `sliceCycles` of machine time (rounded to quanta); returns the stop, or null
   * when the slice ran out first (call again; in between, the host may take requests).
   */
  advance(sliceCycles = DEFAULT_SLICE): StopEvent | null {
    if (this.ended) return this.endEvent();
    if (this.pauseRequested && !this.stop) this.stop = { reason: 'pause', description: 'paused' };
    if (this.stop) return this.takeStop();
    const q = this.machine.config.quantumCycles, limit = this.limits.maxCycles ?? Infinity;
    let end = (Math.floor(this.machine.time / q) + Math.max(1, Math.ceil(sliceCycles / q))) * q;
    if (this.every > 0) end = Math.min(end, (Math.floor(this.machine.time / this.every) + 1) * this.every);
    const goal = this.goal;
    if (goal?.kind === 'cycle') end = Math.min(end, Math.ceil(goal.cycle / q) * q || q);
    end = Math.min(end, limit);
    const r = this.machine.run({ maxCycles: end, maxInstructions: this.limits.maxInstructions, runCpu: this.runCpu });
    if (this.stop) return this.takeStop();
    if (r.reason === 'maxCycles' && end < limit) {
      if (this.every > 0 && this.machine.time % this.every === 0 && !this.machine.paused) this.hold();
      if (goal?.kind === 'cycle' && this.machine.time >= goal.cycle) { this.stop = { reason: 'goto', description: `at cycle ${this.machine.time}` }; return this.takeStop(); }
      return null;
    }
    if (r.reason === 'stopped' && this.machine.paused) return null;   // a pause without a stop event: cannot happen, but never end on it
    this.ended = r;
    this.goal = null;
    return this.endEvent();
  }

  private begin(goal: Goal | null): void {
    if (this.ended) throw new DebugError('E_ENDED', `the run has ended (${this.ended.reason})`);
    this.goal = goal;
    this.stop = null;
    this.pauseRequested = false;
    this.monitorHit = null;
  }

  private finish(): StopEvent {
    for (;;) { const s = this.advance(); if (s) return s; }
  }

  private takeStop(): StopEvent {
    const s = this.stop!;
    this.stop = null;
    this.goal = null;
    this.pauseRequested = false;
    return s;
  }

  private endEvent(): StopEvent {
    return { reason: 'end', description: `the run ended: ${this.ended!.reason}`, end: this.ended! };
  }

  /** Instruction-at-a-time mode is needed. */
  private stepping(): boolean {
    return this.addrBps.size > 0 || this.watches.length > 0 || this.excBps.length > 0 || (this.goal !== null && this.goal.kind !== 'cycle');
  }

  /**
   * Runs CPU `c` to `target` for `Machine.run` (false: stopped short of it).
   *
   * One instruction at a time, the CPU credits each instruction's cycles to its buckets at once,
   * where a whole batch credits them at its end; and the Disco monitor's per-VM accounting reads
   * the buckets when it switches vCPUs (inside a trap, mid-batch). So under Disco the session
   * holds each instruction's user / kernel / stall growth back (`pend`) and gives it back where
   * the batch would have ended — an exception, the quantum's end, the timer, a state change —
   * so the monitor reads exactly what it reads without a debugger. A CPU with cycles held back
   * goes on an instruction at a time until its batch ends.
   */
  private readonly runCpu = (c: Cpu, target: number): boolean => {
    const goal = this.goal;
    const toCycle = goal?.kind === 'cycle' && target > goal.cycle;
    if (!toCycle && !this.stepping() && !this.pend[c.id].open) {
      c.run(target);
      return !this.stopAfter(c);
    }
    const defer = this.monitor !== undefined, p = this.pend[c.id], b = c.buckets, exc = c.counters.exceptions;
    while (c.cycle < target && c.state !== 'halted') {
      // asleep with nothing pending: idle up to the timer (nothing else can wake it while it runs)
      if (c.state === 'waiting' && (c.cause & c.status & 0xff00) === 0 && c.timerAt > c.cycle) { c.run(Math.min(target, c.timerAt)); continue; }
      if (this.stopBefore(c)) return false;
      if (this.excBps.length) for (const bp of this.excBps) this.excBefore[bp.id] = exc[(bp.spec as { code: number }).code];
      const u0 = b.user, k0 = b.kernel, s0 = b.stall, t0 = c.timerAt;
      let x0 = 0;
      if (defer) for (let i = 0; i < 32; i++) x0 += exc[i];
      const tick = goal?.kind === 'tick' && this.sameThread(goal.thread, c) ? { cpu: c.id, pc: c.pc >>> 0, mode: c.mode as number, cycle: c.cycle, monitor: b.monitor, exc: exc.slice() } : null;
      if (tick) this.ticking = c.id;
      c.run(c.cycle + 1);
      this.ticking = -1;
      if (defer) {
        let x1 = 0;
        for (let i = 0; i < 32; i++) x1 += exc[i];
        if (x1 !== x0 || c.cycle >= target || c.cycle >= t0 || c.state !== 'running') {
          b.user += p.user; b.kernel += p.kernel; b.stall += p.stall;
          p.user = 0; p.kernel = 0; p.stall = 0; p.open = false;
        } else {
          p.user += b.user - u0; p.kernel += b.kernel - k0; p.stall += b.stall - s0; p.open = true;
          b.user = u0; b.kernel = k0; b.stall = s0;
        }
      }
      if (tick) {
        const exceptions: number[] = [];
        for (let i = 0; i < 32; i++) for (let k = tick.exc[i]; k < exc[i]; k++) exceptions.push(i);
        this.tickDone = { cpu: tick.cpu, pc: tick.pc, mode: tick.mode, cycles: c.cycle - tick.cycle, monitorCycles: b.monitor - tick.monitor, exceptions, refill: c.excIsRefill };
        return this.stopAt(c, { reason: 'step', thread: (goal as { thread: ThreadRef }).thread, description: 'tick' }) && false;
      }
      if (this.stopAfter(c)) return false;
      if (this.goal?.kind === 'cycle' && c.cycle >= this.goal.cycle) {
        return this.stopAt(c, { reason: 'goto', thread: this.threadOn(c) ?? { cpu: c.id }, description: `at cycle ${c.cycle} (CPU ${c.id})` }) && false;
      }
    }
    return true;
  };

  /** The thread that CPU `c` executes now: itself natively; under Disco its vCPU (null: none, the monitor idles it). */
  private threadOn(c: Cpu): ThreadRef | null {
    if (!this.monitor) return { cpu: c.id };
    const v = this.monitor.sched.cur[c.id];
    return v !== null && v.state === 'running' ? { vcpu: v.gid } : null;
  }

  private sameThread(a: ThreadRef, c: Cpu): boolean {
    if ('cpu' in a) return a.cpu === c.id;
    const v = this.monitor?.sched.cur[c.id];
    return v !== null && v !== undefined && v.gid === a.vcpu && v.state === 'running';
  }

  /** Time travel replays to a point: breakpoints do not stop it. */
  private replaying(): boolean { return this.goal !== null && (this.goal.kind === 'count' || this.goal.kind === 'cycle' || this.goal.kind === 'close' || this.goal.kind === 'tick'); }

  /** Before CPU `c` executes the instruction at its pc: address breakpoints and pc goals. */
  private stopBefore(c: Cpu): boolean {
    const pc = c.pc >>> 0, skip = this.skipAt[c.id];
    if (skip.instr === c.counters.instructions && skip.pc === pc) return false;
    if (this.replaying()) return false;
    const thread = this.threadOn(c);
    if (thread === null) return false;
    const goal = this.goal;
    if (goal?.kind === 'pc' && goal.pc === pc && this.sameThread(goal.thread, c)) return this.stopAt(c, { reason: 'step', thread: goal.thread, description: `${goal.why} done at ${hex(pc)}` });
    const list = this.addrBps.get(pc);
    if (list) {
      for (const bp of list) {
        const s = bp.spec as { thread?: ThreadRef; vm?: number; user?: boolean };
        if (s.thread && !this.sameThread(s.thread, c)) continue;
        if (s.vm !== undefined && (!('vcpu' in thread) || this.inspect.vcpu(thread.vcpu).vm.id !== s.vm)) continue;
        if (s.user && c.mode !== Mode.User) continue;
        if (bp.spec.kind === 'line' && !this.lineInScope(bp, thread, c)) continue;
        bp.hits++;
        return this.stopAt(c, { reason: 'breakpoint', thread, breakpoint: bp.id, description: bp.spec.kind === 'line' ? `breakpoint at ${bp.spec.file}:${bp.line}` : `breakpoint at ${hex(pc)}` });
      }
    }
    return false;
  }

  private lineInScope(bp: Breakpoint, thread: ThreadRef, c: Cpu): boolean {
    const s = bp.spec as { file: string; line: number };
    const t = this.lines.find((l) => l.addressOf(s.file, s.line)?.addr === bp.addr);
    if (!t) return true;
    if (t.scope.user && c.mode !== Mode.User) return false;
    if (t.scope.kernel && c.mode === Mode.User) return false;
    if (t.scope.vm !== undefined && (!('vcpu' in thread) || this.inspect.vcpu(thread.vcpu).vm.id !== t.scope.vm)) return false;
    return true;
  }

  /** After CPU `c` ran (an instruction, or its quantum): exceptions, watchpoints, monitor events, step goals, pause. */
  private stopAfter(c: Cpu): boolean {
    const goal = this.goal;
    if (goal?.kind === 'until' && this.totalInstructions() >= goal.total) {
      this.monitorHit = null;   // at or after the limit: not a stop before it
      return this.stopAt(c, { reason: 'step', thread: this.threadOn(c) ?? { cpu: c.id }, description: `at ${goal.total} instructions` });
    }
    if (!this.replaying()) return this.stopAfterBreakpoints(c) || this.stopAfterGoal(c);
    this.monitorHit = null;
    return this.stopAfterGoal(c);
  }

  /** Exception, watchpoint and monitor-event breakpoints after CPU `c` ran. */
  private stopAfterBreakpoints(c: Cpu): boolean {
    for (const bp of this.excBps) {
      const s = bp.spec as { code: number; thread?: ThreadRef };
      if (c.counters.exceptions[s.code] !== this.excBefore[bp.id] && (!s.thread || this.sameThread(s.thread, c) || ('cpu' in s.thread && s.thread.cpu === c.id))) {
        bp.hits++;
        return this.stopAt(c, { reason: 'exception', thread: this.threadOn(c) ?? { cpu: c.id }, breakpoint: bp.id, description: `exception ${EXC_NAMES[s.code]} (${s.code}) on CPU ${c.id}` });
      }
    }
    const mem = this.machine.memory.words;
    for (const w of this.watches) {
      for (let i = 0; i < w.words.length; i++) {
        const now = mem[w.words[i]];
        if (now !== w.old[i]) {
          const was = w.old[i];
          w.old[i] = now;
          w.bp.hits++;
          return this.stopAt(c, { reason: 'watchpoint', thread: this.threadOn(c) ?? { cpu: c.id }, breakpoint: w.bp.id, description: `watchpoint: machine word ${hex(w.words[i] * 4)} changed from ${hex(was)} to ${hex(now)}` });
        }
      }
    }
    if (this.monitorHit !== null) {
      const { bp, cpu } = this.monitorHit;
      this.monitorHit = null;
      bp.hits++;
      const s = bp.spec as { event: string };
      return this.stopAt(this.machine.cpus[cpu], { reason: 'monitor', thread: this.threadOn(this.machine.cpus[cpu]) ?? { cpu }, breakpoint: bp.id, description: `monitor event ${s.event} on CPU ${cpu}` });
    }
    return false;
  }

  /** Step goals and pause requests after CPU `c` ran. */
  private stopAfterGoal(c: Cpu): boolean {
    const goal = this.goal;
    if (goal?.kind === 'instr' && this.inspect.instructionsOf(goal.thread) > goal.start && this.ranOn(goal.thread, c)) {
      return this.stopAt(c, { reason: 'step', thread: goal.thread, description: 'step' });
    }
    if (goal?.kind === 'count' && this.inspect.instructionsOf(goal.thread) >= goal.count && this.ranOn(goal.thread, c)) {
      return this.stopAt(c, { reason: 'step', thread: goal.thread, description: `at instruction ${goal.count}` });
    }
    if (goal?.kind === 'close' && !this.pend.some((p) => p.open)) return this.stopAt(c, { reason: 'step', thread: { cpu: c.id }, description: 'every batch closed' });
    if (this.pauseRequested) return this.stopAt(c, { reason: 'pause', thread: this.threadOn(c) ?? { cpu: c.id }, description: 'paused' });
    return false;
  }

  /** Thread `t` was (or just left) CPU `c`. */
  private ranOn(t: ThreadRef, c: Cpu): boolean {
    if ('cpu' in t) return t.cpu === c.id;
    const v = this.inspect.vcpu(t.vcpu);
    return v.onCpu === null || v.onCpu === c;
  }

  private stopAt(c: Cpu, e: StopEvent): true {
    this.stop = e;
    for (const s of this.skipAt) s.instr = -1;
    this.skipAt[c.id] = { instr: c.counters.instructions, pc: c.pc >>> 0 };
    return true;
  }

  /** The instruction word at `pc` as `thread` sees it, if mapped. */
  private readCode(thread: ThreadRef, pc: number): number | undefined {
    try { return this.inspect.readWord({ space: 'virtual', thread }, pc); } catch { return undefined; }
  }

  // =============================================================================================
  // Time travel
  // =============================================================================================

  /**
   * A snapshot of the machine as the session holds it — also in the middle of a batch, with the
   * bucket growth the session holds back (see `runCpu`) — for `restoreSnapshot`.
   */
  takeSnapshot(): MachineSnapshot & { heldBack?: Held4[] } {
    const snap: MachineSnapshot & { heldBack?: Held4[] } = snapshot(this.target());
    if (this.pend.some((p) => p.open)) snap.heldBack = this.pend.map((p) => ({ ...p }));
    return snap;
  }

  /** Restores a snapshot (of a machine built from the same inputs) into the session's machine. */
  restoreSnapshot(snap: MachineSnapshot & { heldBack?: Held4[] }): void {
    restore(this.target(), snap);
    this.resetTransient();
    snap.heldBack?.forEach((p, i) => { if (this.pend[i]) Object.assign(this.pend[i], p); });
  }

  /** Times (cycles) of the snapshots held. */
  get snapshotTimes(): number[] { return this.history.map((h) => h.time); }

  private threadKeys(): ThreadRef[] {
    return this.monitor ? this.monitor.vcpus.map((v) => ({ vcpu: v.gid })) : this.machine.cpus.map((c) => ({ cpu: c.id }));
  }

  /** Instructions of all CPUs so far (the order of points in the run: it never decreases). */
  totalInstructions(): number {
    let n = 0;
    for (const c of this.machine.cpus) n += c.instructionsNow();
    return n;
  }

  private hold(): void {
    // a replay passes times already held: keep one snapshot per time, in time order
    const time = this.machine.time;
    if (this.history.some((h) => h.time === time)) return;
    const threads = this.threadKeys().map((t) => this.inspect.instructionsOf(t));
    const held: Held = { time, threads, total: this.totalInstructions(), file: encodeSnapshot(snapshot(this.target())) };
    const at = this.history.findIndex((h) => h.time > time);
    if (at < 0) this.history.push(held); else this.history.splice(at, 0, held);
    if (this.history.length > this.keep) this.history.splice(1, 1);
  }

  private restoreHeld(h: Held): void {
    restore(this.target(), decodeSnapshot(h.file));
    this.resetTransient();
  }

  /** After a restore: nothing of the session's view of the old point stays. */
  private resetTransient(): void {
    this.ended = null;
    this.stop = null;
    this.monitorHit = null;
    for (const s of this.skipAt) s.instr = -1;
    for (const p of this.pend) { p.open = false; p.user = 0; p.kernel = 0; p.stall = 0; }   // snapshots are taken at batch boundaries
    this.reindex();   // watchpoints' old values from the restored memory
  }

  /** Runs (forward, or back by restoring the nearest earlier snapshot) to the first CPU reaching cycle `cycle`. */
  goToCycle(cycle: number): StopEvent {
    if (!Number.isInteger(cycle) || cycle < 0) throw new DebugError('E_BAD_ARGUMENT', 'a cycle is a whole number ≥ 0');
    if (cycle < this.position() || this.ended) {
      const h = [...this.history].reverse().find((x) => x.time <= cycle);
      if (!h) throw new DebugError('E_NO_HISTORY', `no snapshot at or before cycle ${cycle} (snapshotEvery is ${this.every || 'off'})`);
      this.restoreHeld(h);
    }
    if (cycle === this.machine.time && !this.machine.paused) return { reason: 'goto', description: `at cycle ${cycle}` };
    this.begin({ kind: 'cycle', cycle });
    return this.finish();
  }

  /** Where the run is: the furthest CPU clock (a stop in the middle of a quantum leaves machine time behind). */
  position(): number {
    let t = this.machine.time;
    for (const c of this.machine.cpus) if (c.cycle > t) t = c.cycle;
    return t;
  }

  /** Back `n` instructions of `thread`: restore the nearest snapshot before, replay to that instruction. */
  stepBack(thread: ThreadRef, n = 1): StopEvent {
    this.inspect.check(thread);
    if (!Number.isInteger(n) || n < 1) throw new DebugError('E_BAD_ARGUMENT', 'step back by a whole number ≥ 1 of instructions');
    const key = this.threadKeys().findIndex((t) => sameRef(t, thread));
    if (key < 0) throw new DebugError('E_BAD_ARGUMENT', 'step back works on the session\'s threads (vCPUs under Disco, else CPUs)');
    const goal = this.inspect.instructionsOf(thread) - n;
    if (goal < 0) throw new DebugError('E_NO_HISTORY', `the thread has executed only ${goal + n} instructions`);
    const h = [...this.history].reverse().find((x) => x.threads[key] <= goal && x.time <= this.machine.time);
    if (!h) throw new DebugError('E_NO_HISTORY', `no snapshot before instruction ${goal} of the thread (snapshotEvery is ${this.every || 'off'})`);
    this.restoreHeld(h);
    if (this.inspect.instructionsOf(thread) === goal) return { reason: 'step', thread, description: `at instruction ${goal}` };
    this.begin({ kind: 'count', thread, count: goal });
    return this.finish();
  }

  /**
   * Reverse continue: back to the last breakpoint stop before this point — of the breakpoints set
   * now (line, address, exception, monitor event, watchpoint), as a continue from the start would
   * have met them. Restore + replay: the segments between held snapshots are replayed newest
   * first, each with the breakpoints active, counting the stops met before all CPUs together
   * reach the instructions executed here; the first segment with a stop is replayed once more to
   * its last one. With no stop before this point the run goes back to its first snapshot (the
   * start) and says so. Hit counts are left as they were (replays do not count). A long stretch
   * without a stop is replayed an instruction at a time, as fast as stepping runs.
   */
  reverseContinue(): StopEvent {
    if (this.history.length === 0) throw new DebugError('E_NO_HISTORY', `no snapshots to go back to (snapshotEvery is ${this.every || 'off'})`);
    const now = this.totalInstructions();
    const hits = new Map([...this.bps].map(([id, bp]) => [id, bp.hits]));
    try {
      let limit = now;
      for (let i = this.history.length - 1; i >= 0; i--) {
        const h = this.history[i];
        if (h.total >= limit) continue;   // at or after this point (a later snapshot kept after a step back)
        this.restoreHeld(h);
        const k = this.countStops(limit);
        if (k > 0) {
          this.restoreHeld(h);
          let e: StopEvent = { reason: 'goto', description: '' };
          for (let j = 0; j < k; j++) e = this.runUntil(limit);
          return { ...e, description: `${e.description} (reverse continue)` };
        }
        limit = h.total;
      }
      this.restoreHeld(this.history[0]);
      return { reason: 'goto', description: `no breakpoint stop before this point: back at the start of the history (cycle ${this.history[0].time})` };
    } finally {
      for (const [id, n] of hits) { const bp = this.bps.get(id); if (bp) bp.hits = n; }
    }
  }

  /** Runs with the breakpoints active until a stop, or until all CPUs together have executed `total` instructions, or the end. */
  private runUntil(total: number): StopEvent {
    this.begin({ kind: 'until', total });
    return this.finish();
  }

  /** The breakpoint stops from here until `total` instructions (or the end). */
  private countStops(total: number): number {
    for (let k = 0; ; k++) {
      if (this.ended) return k;
      const e = this.runUntil(total);
      if (!HIT_REASONS.has(e.reason)) return k;
    }
  }

  // =============================================================================================
  // Snapshot files
  // =============================================================================================

  private get identity(): string | undefined {
    if (typeof this.identitySource === 'function') this.identitySource = this.identitySource();
    return this.identitySource;
  }

  /**
   * The machine as the session holds it, in file form (`.dlsnap`, src/core/snapshot/codec.ts),
   * with the session's `identity` and where to resume (a stop before an instruction is not taken
   * again on continuing) — for `loadSnapshot` in a session of the same experiment.
   */
  saveSnapshot(): Uint8Array {
    const snap: SessionSnapshot = this.takeSnapshot();
    snap.session = { identity: this.identity ?? null, resume: this.skipAt.map((x) => ({ ...x })) };
    return encodeSnapshot(snap);
  }

  /**
   * Restores a `saveSnapshot` file into the session's machine. Refused (`E_MISMATCH`) unless the
   * file carries this session's identity — a snapshot restores only into a machine built from
   * the same inputs; a malformed file is a `SnapshotError`. Breakpoints and held snapshots stay
   * (a deterministic run passes the loaded point too).
   */
  loadSnapshot(bytes: Uint8Array): StopEvent {
    const snap = decodeSnapshot(bytes) as SessionSnapshot;
    const id = snap.session?.identity;
    if (typeof id !== 'string') throw new DebugError('E_MISMATCH', 'the snapshot file does not say which experiment it is of (save snapshots from a debug session)');
    if (id !== this.identity) throw new DebugError('E_MISMATCH', 'the snapshot is of another experiment (or of other program files or machine settings than this session\'s): open the experiment it was saved from');
    this.restoreSnapshot(snap);
    const resume = snap.session?.resume;
    if (Array.isArray(resume) && resume.length === this.skipAt.length) resume.forEach((r, i) => { this.skipAt[i] = { instr: Number(r.instr), pc: Number(r.pc) }; });
    return { reason: 'snapshot', description: `snapshot loaded: cycle ${this.position()}, ${this.totalInstructions()} instructions` };
  }

  /** `count` more instructions of `thread` (forward again after `stepBack`). */
  stepForward(thread: ThreadRef, count: number): StopEvent {
    this.inspect.check(thread);
    if (!Number.isInteger(count) || count < 1) throw new DebugError('E_BAD_ARGUMENT', 'step by a whole number ≥ 1 of instructions');
    this.begin({ kind: 'count', thread, count: this.inspect.instructionsOf(thread) + count });
    return this.finish();
  }
}

/** A snapshot as a session saves it to a file: the bucket growth held back, the experiment's identity, where to resume. */
type SessionSnapshot = MachineSnapshot & { heldBack?: Held4[]; session?: { identity: string | null; resume: { instr: number; pc: number }[] } };

function sameRef(a: ThreadRef, b: ThreadRef): boolean {
  return 'cpu' in a ? 'cpu' in b && a.cpu === b.cpu : 'vcpu' in b && a.vcpu === b.vcpu;
}
