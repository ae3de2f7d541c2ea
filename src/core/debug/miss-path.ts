/**
 * The TLB-miss path (issue #17's quiz: "what happens on a TLB miss without and with Disco, and
 * what data structure does Disco add?"): trace the next TLB miss of a thread of a paused
 * `DebugSession`, step by step, with the cycles each step took and the cost-model entry that
 * charged them.
 *
 * - **Natively** (a CPU thread): the faulting instruction, the hardware's refill exception (EPC,
 *   BadVAddr, EXL; the refill vector), every instruction of the guest kernel's refill handler
 *   (`tlb_refill`: `mfc0`, the page-table loads, `mtc0`, `tlbwr`, `eret`) with its source line,
 *   and the return to the faulting pc.
 * - **Under Disco** (a vCPU thread): the faulting instruction, the trap into the monitor, the
 *   virtual-TLB probe, the L2-TLB probe, then either the insert into the hardware TLB (pmap:
 *   guest page → machine page) or the forward to the guest's refill vector; then every
 *   instruction of the guest's handler with the monitor's emulation of the privileged ones
 *   (`mfc0`, `mtc0`, `tlbwr`, `eret`) interleaved, each charged to its cost-model entry.
 *
 * The tracer drives the session by `tick`s (one `cpu.run(cycle + 1)` of the thread's CPU, the
 * session's finest step), so a trace is a debugger step like any other: the run's record is the
 * record of the run never traced (test/core/debug/miss-path.test.ts). The monitor's actions come
 * from its `observer` (one null test per monitor action when no tracer listens); each action's
 * cycles are its cost-model entry (`monitor.costs`), and whatever else the monitor charged during
 * the tick (its memory references through the caches) is one step of its own, so the steps'
 * cycles always add up to the CPU time the miss took.
 *
 * The output is plain data (it crosses to the UI as is).
 */
import { disassemble } from '../asm/disasm';
import { EXC_NAMES, Exc, Mode } from '../machine/cpu/cp0';
import type { Cpu } from '../machine/cpu/index';
import { decodeMemAccess } from '../disco/vdevices/mmio';
import { describeMonitorAction, hardwareNote } from './miss-text';
import { DebugError, hex } from './errors';
import type { ThreadRef } from './inspect';
import type { DebugSession, TickInfo } from './session';

export type MissStepKind = 'instruction' | 'monitor' | 'hardware';

/** What a step is, for hosts that mark or filter steps. */
export type MissAction =
  | 'fault' | 'exception' | 'handler' | 'return'
  | 'trap' | 'vtlb-probe' | 'l2tlb-probe' | 'insert' | 'forward' | 'emulate' | 'monitor';

export interface MissStep {
  kind: MissStepKind;
  action: MissAction;
  /** The instruction's address (instruction steps). */
  pc?: number;
  text: string;
  /** `file:line` of the instruction, when a line table covers it. */
  source?: string;
  cycles: number;
  /** The cost-model entry (src/core/disco/cost-model.ts) that charged `cycles` (monitor steps). */
  cost?: string;
}

export type MissOutcome =
  /** Native: the guest kernel's refill handler served it. */
  | 'refill'
  /** Disco: the virtual TLB had it (the hardware TLB had lost it); inserted by the monitor. */
  | 'vtlb-hit'
  /** Disco: the L2 TLB had it; the monitor inserted it, the guest never knew. */
  | 'l2tlb-hit'
  /** Disco: neither had it; forwarded to the guest's refill handler (its privileged instructions emulated). */
  | 'forwarded'
  /** Disco: a miss in the guest kernel's supervisor segment, which the monitor maps itself. */
  | 'ksseg'
  /** Something else handled it (an invalid entry: a fault reflected to the guest), or the step budget ran out. */
  | 'other';

export interface MissPath {
  mode: 'native' | 'disco';
  thread: ThreadRef;
  /** The address that missed. */
  vaddr: number;
  /** The faulting instruction. */
  faultPc: number;
  /** A store (TLBS) rather than a load or fetch (TLBL). */
  store: boolean;
  steps: MissStep[];
  /** Σ steps' cycles: the CPU time from the faulting instruction to the return to it. */
  totalCycles: number;
  /** Of `totalCycles`, the monitor's (Disco). */
  monitorCycles: number;
  outcome: MissOutcome;
  /** The handler ran to its end (false: `maxHandlerTicks` ran out first). */
  complete: boolean;
}

export interface TraceOptions {
  /** Only misses taken in user mode (default true: the quiz is about a user program's misses). */
  user?: boolean;
  /** Find a miss of this faulting instruction and this page (the twin of another run's miss) rather than the next one. */
  match?: { pc: number; vaddr: number };
  /** Instructions of the thread to search for the miss (default 2,000,000). */
  maxSearch?: number;
  /** Ticks of the handler at most (default 5,000). */
  maxHandlerTicks?: number;
}

interface Action { cause: string; cycles: number }

/**
 * Traces the next TLB miss of `thread` (see the file comment). The session is left paused at the
 * faulting instruction again (about to re-execute it), or where the budget ran out. Throws
 * `E_NO_MISS` when no (matching) miss happens within the search budget, `E_ENDED` when the run
 * ends first.
 */
export function traceNextMiss(s: DebugSession, thread: ThreadRef, opts: TraceOptions = {}): MissPath {
  s.inspect.check(thread);
  const monitor = s.monitor;
  const actions: Action[] = [];
  const prev = monitor?.observer ?? null;
  const observe = (cpu: Cpu, _vm: number, cause: string) => { if (cpu.id === s.tickingCpu) actions.push({ cause, cycles: monitor!.costs[cause] ?? 0 }); };
  try {
    return s.withoutBreakpoints(() => {
      if (monitor) monitor.observer = observe;
      const found = find(s, thread, opts, actions);
      return follow(s, thread, found, opts, actions);
    });
  } finally {
    if (monitor) monitor.observer = prev;
  }
}

interface Found { tick: TickInfo; word: number | undefined; acts: Action[] }

const isTlbExc = (c: number) => c === Exc.TLBL || c === Exc.TLBS;

/** Runs the thread until its next TLB miss (matching `opts`); returns the tick that raised it. */
function find(s: DebugSession, thread: ThreadRef, opts: TraceOptions, actions: Action[]): Found {
  const user = opts.user ?? true, max = opts.maxSearch ?? 2_000_000;
  const start = s.inspect.instructionsOf(thread);
  const wants = (t: TickInfo, vaddr: () => number) => t.refill && t.exceptions.some(isTlbExc) && (!user || t.mode === Mode.User)
    && (!opts.match || (t.pc === opts.match.pc >>> 0 && pageOf(vaddr()) === pageOf(opts.match.vaddr)));
  let bp = -1;
  if (opts.match) bp = s.setBreakpoint({ kind: 'address', addr: opts.match.pc >>> 0, thread, ...(user && { user: true }) }).id;
  for (;;) {
    if (s.inspect.instructionsOf(thread) - start > max) throw new DebugError('E_NO_MISS', `no${opts.match ? ' matching' : ''} TLB miss in ${max} instructions of the thread`);
    if (bp >= 0) {
      const e = s.continue();
      if (e.reason === 'end') throw new DebugError('E_NO_MISS', `the run ended (${e.end?.reason}) without a${opts.match ? ' matching' : ''} TLB miss`);
    }
    const word = codeWord(s, thread, s.inspect.pcOf(thread));
    actions.length = 0;
    const tick = s.tick(thread);
    if (wants(tick, () => missAddress(s, thread, tick, word, actions))) {
      if (bp >= 0) s.removeBreakpoint(bp);
      return { tick, word, acts: actions.splice(0) };
    }
  }
}

/** The faulting address: BadVAddr (hardware natively; virtual when forwarded), else the instruction's own address. */
function missAddress(s: DebugSession, thread: ThreadRef, t: TickInfo, word: number | undefined, acts: readonly Action[]): number {
  if ('cpu' in thread) return s.inspect.cp0(thread).regs.BadVAddr;
  if (acts.some((a) => a.cause === 'reflect')) return s.inspect.cp0(thread).regs.BadVAddr;
  const regs = Int32Array.from(s.inspect.registers(thread).values.slice(0, 32));
  const acc = word === undefined ? undefined : decodeMemAccess(word, regs);
  return acc ? acc.ea : t.pc;
}

/** From the faulting tick to the return to the faulting instruction. */
function follow(s: DebugSession, thread: ThreadRef, f: Found, opts: TraceOptions, actions: Action[]): MissPath {
  const disco = 'vcpu' in thread;
  const vaddr = missAddress(s, thread, f.tick, f.word, f.acts) >>> 0;
  const store = f.tick.exceptions.includes(Exc.TLBS);
  const faultPc = f.tick.pc;
  const steps: MissStep[] = [];
  const ctx = { s, thread, vaddr, cpu: f.tick.cpu };
  steps.push(instructionStep(s, thread, f.tick, f.word, 'fault', ` — TLB miss (${store ? 'TLBS' : 'TLBL'}) at ${hex(vaddr)}`));
  if (!disco) {
    const cp0 = s.inspect.cp0(thread).regs;
    steps.push({ kind: 'hardware', action: 'exception', cycles: 0, text: `hardware: TLB refill exception — EPC ← ${hex(cp0.EPC)}, BadVAddr ← ${hex(cp0.BadVAddr)}, Context, EntryHi.VPN2 ← the page; EXL ← 1 (kernel mode); jump to the refill vector ${hex(s.inspect.pcOf(thread))}` });
  }
  steps.push(...monitorSteps(ctx, f.tick, f.acts));
  const first = f.acts.find((a) => a.cause.startsWith('tlb.'))?.cause;
  let outcome: MissOutcome = disco
    ? first === 'tlb.forward' ? 'forwarded' : first === 'tlb.l2hit' ? 'l2tlb-hit' : first === 'tlb.vtlb' ? 'vtlb-hit' : first === 'tlb.ksseg' ? 'ksseg' : 'other'
    : 'refill';
  const back = () => s.inspect.pcOf(thread) === faultPc && s.inspect.registers(thread).mode === 'user';
  const limit = opts.maxHandlerTicks ?? 5_000;
  let n = 0;
  while (!back() && n < limit) {
    const pc = s.inspect.pcOf(thread), word = codeWord(s, thread, pc);
    actions.length = 0;
    const t = s.tick(thread);
    const acts = actions.splice(0);
    const traps = t.exceptions.length ? ` — traps (${t.exceptions.map((c) => EXC_NAMES[c]).join(', ')})` : '';
    steps.push(instructionStep(s, thread, t, word, 'handler', disco ? traps : hardwareNote(word, traps)));
    steps.push(...monitorSteps(ctx, t, acts));
    n++;
  }
  const complete = back();
  if (!complete) outcome = 'other';
  else if (steps.length > 1) steps.push({ kind: 'hardware', action: 'return', pc: faultPc, cycles: 0, text: `back at the faulting instruction ${hex(faultPc)} in user mode: it runs again and now finds the translation in the hardware TLB${mapping(ctx)}` });
  const totalCycles = steps.reduce((a, x) => a + x.cycles, 0);
  const monitorCycles = steps.filter((x) => x.kind === 'monitor').reduce((a, x) => a + x.cycles, 0);
  return { mode: disco ? 'disco' : 'native', thread, vaddr, faultPc, store, steps, totalCycles, monitorCycles, outcome, complete };
}

function instructionStep(s: DebugSession, thread: ThreadRef, t: TickInfo, word: number | undefined, action: MissAction, suffix: string): MissStep {
  const loc = locateAt(s, thread, t);
  return {
    kind: 'instruction', action, pc: t.pc, cycles: t.cycles - t.monitorCycles,
    text: (word === undefined ? '(instruction not mapped)' : disassemble(word, t.pc)) + suffix,
    ...(loc && { source: `${loc.file}:${loc.line}` }),
  };
}

interface Ctx { s: DebugSession; thread: ThreadRef; vaddr: number; cpu: number }

/** The monitor's actions of one tick as steps, and the cycles it charged besides them (its memory references) as one more. */
function monitorSteps(ctx: Ctx, t: TickInfo, acts: readonly Action[]): MissStep[] {
  const out: MissStep[] = [];
  for (const a of acts) out.push(...describeMonitorAction(a.cause, a.cycles, { vaddr: ctx.vaddr, exceptions: t.exceptions, mapping: mapping(ctx), l2Entries: l2Entries(ctx) }));
  const rest = t.monitorCycles - acts.reduce((x, a) => x + a.cycles, 0);
  if (rest !== 0) out.push({ kind: 'monitor', action: 'monitor', cycles: rest, text: 'the monitor\'s own memory references during these actions (its data structures through the caches)' });
  return out;
}

function l2Entries(ctx: Ctx): number {
  return 'vcpu' in ctx.thread ? ctx.s.inspect.l2Tlb(ctx.thread.vcpu).entries : 0;
}

/** ": guest page G → machine page M (pmap)" for the missed address as the TLBs map it now, or ''. */
function mapping(ctx: Ctx): string {
  const { s, thread, vaddr } = ctx;
  const cpu = s.inspect.cpu('cpu' in thread ? thread.cpu : (s.inspect.vcpu(thread.vcpu).onCpu?.id ?? ctx.cpu));
  const hw = cpu.tlb.match(vaddr, cpu.entryHi & 0xff);
  const page = (lo: number, i: number, t: typeof cpu.tlb) => ((lo >>> 6) & 0xfffff) + Math.floor(((vaddr >>> 0) % t.pageBytes(i)) / 4096);
  const mpn = hw >= 0 && (cpu.tlb.loFor(hw, vaddr) & 2) !== 0 ? page(cpu.tlb.loFor(hw, vaddr), hw, cpu.tlb) : -1;
  if ('cpu' in thread) return mpn >= 0 ? ` (physical page ${hex(mpn)})` : '';
  const v = s.inspect.vcpu(thread.vcpu);
  const vi = v.tlb.match(vaddr, v.entryHi & 0xff);
  const gppn = vi >= 0 && (v.tlb.loFor(vi, vaddr) & 2) !== 0 ? page(v.tlb.loFor(vi, vaddr), vi, v.tlb) : -1;
  if (gppn < 0) return '';
  return `: guest page ${hex(gppn)} → machine page ${mpn >= 0 ? hex(mpn) : hex(v.vm.pmap.mpn[gppn] ?? -1)} (pmap)`;
}

/** The source line of the tick's instruction, with the line tables in scope where it ran (its mode then, not now). */
function locateAt(s: DebugSession, thread: ThreadRef, t: TickInfo) {
  const user = t.mode === Mode.User, vm = 'vcpu' in thread ? s.inspect.vcpu(thread.vcpu).vm.id : undefined;
  for (const table of s.lines) {
    const sc = table.scope;
    if ((sc.user && !user) || (sc.kernel && user) || (sc.vm !== undefined && sc.vm !== vm)) continue;
    const l = table.locate(t.pc);
    if (l) return l;
  }
  return undefined;
}

function codeWord(s: DebugSession, thread: ThreadRef, pc: number): number | undefined {
  try { return s.inspect.readWord({ space: 'virtual', thread }, pc); } catch { return undefined; }
}

const pageOf = (a: number) => (a >>> 12) >>> 0;
