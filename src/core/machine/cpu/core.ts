/**
 * The MIPS32 R1 CPU (R4000-style CP0) — one class for both CPU models; `timing` differs only in
 * calling `MemoryTiming.access` for every fetch, load and store and adding the stall. See
 * docs/cpu.md for the architecture summary, the accounting rules and the speed techniques.
 *
 * Hot-path structure (v86/jor1k style):
 *  - registers in an Int32Array, all arithmetic kept int32 with `|0` / `>>>0`;
 *  - `pc`, `npc` (address of the next instruction: the branch target after a taken branch) and
 *    `slot` (1 while executing a delay slot) live in locals during a batch;
 *  - three direct-mapped soft-TLBs (fetch / load / store, 1024 entries keyed by vaddr[21:12])
 *    map a 4 KB virtual page to its physical base; the tag is `vaddr & 0xfffff000` so one
 *    compare of `va & 0xfffff003` also checks word alignment. They are flushed on every TLB
 *    write, ASID change and mode change, and only hold RAM pages (MMIO always takes the slow path);
 *  - decoded-instruction cache per physical code page: a copy of the words and their op ids; an
 *    entry is re-decoded when the word in memory differs from the copy (so stores, DMA and other
 *    CPUs' writes to code need no invalidation);
 *  - instructions run in batches up to the next timer event / the caller's limit; anything that
 *    can change mode, ASID, TLB or interrupt state (exceptions, CP0/TLB ops, eret, MMIO) ends the
 *    batch, so interrupt sampling and accounting happen at batch boundaries with exact mode.
 */
import type {
  AccessKind, CpuHost, ExceptionInterceptor, LLReservationTable, MemoryTiming, TimeBuckets,
} from '../contracts';
import {
  CA_IP7, EH_WRITABLE, EL_D, EL_V, Exc, Mode, PM_WRITABLE, ST_BEV, ST_CU0, ST_ERL,
  ST_EXL, ST_IE, ST_KSU, VEC_BASE, VEC_BASE_BEV, VEC_RESET,
} from './cp0';
import { readCp0Reg, writeCp0Reg, type Cp0File } from './cp0-regs';
import { enterException, EXC_BADVA, EXC_REFILL, EXC_TLB } from './exception';
import { Tlb } from './tlb';
import { LLReservations } from './llsc';
import { compileRegion, type JitContext, type PageFn, type TimingFastPath } from './jit';
import { mulhs, mulhu } from './mul';
import { buildInterpreter } from './interp';
import { decodeOp } from './semantics';
import { runWarmup, WARM_BYTES } from './warmup';
import { PhysicalMemory } from '../memory/physical';
import { CauseTally, causeId } from './cause-tally';

// Executor dispatch comes from the instruction table: every row's `exec` template is expanded
// into the interpreter (interp.ts, one `case` per row, compiled once per process) and into the
// page compiler (jit.ts); op ids and `decodeOp` live in semantics.ts.

export type CpuModelId = 'fast' | 'timing';
export type CpuRunState = 'running' | 'waiting' | 'halted';

/** Per-CPU event counters. `exceptions[c]` counts exceptions with ExcCode c (offered to the interceptor or delivered). */
export interface CpuCounters {
  /** Instructions issued (an instruction that raises an exception counts). */
  instructions: number;
  tlbRefill: number;
  tlbInvalid: number;
  tlbModified: number;
  exceptions: number[];
}

const SOFT_TLB = 1024;
const NO_TAG = 0xfff;  // never equals `va & 0xfffff003` (bits 11:2 are zero there)
const EMPTY_I32 = new Int32Array(1024);
const EMPTY_U8 = new Uint8Array(1024);

const enum Kind { Fetch = 0, Load = 1, Store = 2 }
// raise() flags (exception.ts)
const F_BADVA = EXC_BADVA, F_TLB = EXC_TLB, F_REFILL = EXC_REFILL;

export { mulhs, mulhu };

/** Primary opcode → coprocessor it belongs to (−1: none). COP0 0x10; COP1 0x11, COP1X 0x13, LWC1 0x31, LDC1 0x35, SWC1 0x39, SDC1 0x3d; COP2 0x12, LWC2 0x32, LDC2 0x36, SWC2 0x3a, SDC2 0x3e. */
const COP_OF_OPCODE = new Int8Array(64).fill(-1);
COP_OF_OPCODE[0x10] = 0;
for (const o of [0x11, 0x13, 0x31, 0x35, 0x39, 0x3d]) COP_OF_OPCODE[o] = 1;
for (const o of [0x12, 0x32, 0x36, 0x3a, 0x3e]) COP_OF_OPCODE[o] = 2;

const ZERO_TIMING: MemoryTiming = {
  access: () => 0, uncachedAccess: () => 0, missCount: () => 0, resetMissCounts: () => {}, invalidatePage: () => {},
};

interface CodePage {
  words: Int32Array<ArrayBufferLike>;
  ops: Uint8Array<ArrayBufferLike>;
  /** Compiled code (jit.ts): the region function at each entry, for virtual page `fnVa` (1 = none). */
  efn: (PageFn | undefined)[];
  fnVa: number;
  /** 1 at every instruction some region covers. */
  covered: Uint8Array;
  /** Interpreted visits of each instruction not covered by compiled code (wraps at 65536). */
  heat: Uint16Array;
  /** Regions compiled for this page since its code last changed. */
  regions: number;
}
/** Arrays that hold objects keep one elements kind from the start (V8 would otherwise deoptimise the interpreter when a fresh array's kind differs). */
const fnTable = () => new Array<PageFn | undefined>(1024).fill(undefined);
const newPage = (words: Int32Array<ArrayBufferLike>, ops: Uint8Array<ArrayBufferLike>): CodePage =>
  ({ words, ops, efn: fnTable(), fnVa: 1, covered: new Uint8Array(1024), heat: new Uint16Array(1024), regions: 0 });
const EMPTY_PAGE: CodePage = newPage(EMPTY_I32, EMPTY_U8);
/**
 * Default interpreted visits of a block leader before a region is compiled from it. A fresh
 * region runs in V8's bytecode interpreter — slower than this CPU's own optimised interpreter —
 * until V8 has seen enough of it to optimise it, so compiling pays only for code that will run
 * long after: 500 beat 16, 1000 and 2000 on the shipped workloads in a fresh process (16 compiled
 * ~100 regions for pmake, most of which never ran long enough to be optimised; docs/cpu.md).
 */
const JIT_THRESHOLD = 500;
/**
 * The same for kernel and supervisor code (a guest kernel, natively or under Disco) while
 * `jitThreshold` is the default: the heat counter's maximum, so kernel code is compiled only
 * where it is very hot (its copy loops, or everything in a long run). A kernel is many short
 * paths — exception entry and exit, system calls, the TLB refill handler, the scheduler — each
 * run a few thousand times in a run of ~20 M instructions; compiled at 500 visits, each became a
 * region V8 had to warm up on its own (47 of pmake native's 48 regions, 190 of its 194 KB of
 * generated source, most optimised late or never within the run), while the interpreter that
 * runs them otherwise is one function V8 optimises once. Measured 1.23× (geometric mean of the
 * shipped workloads' fresh runs, 1.3–1.5× on the kernel-heavy ones; docs/cpu.md, "Step: kernel
 * code compiled only when very hot").
 */
const JIT_KERNEL_THRESHOLD = 65535;
/** Regions per page (with unchanged code); past it, new entries stay interpreted. */
const MAX_REGIONS = 64;

/** The interpreter variants and the privileged-instruction executor, generated from the table once. */
const INTERP = buildInterpreter({
  mulhs, mulhu, decodeOp, NO_TAG, EMPTY_I32, EMPTY_U8, EMPTY_PAGE, ST_CU0, EXC_CPU: Exc.CpU, JIT_THRESHOLD, JIT_KERNEL_THRESHOLD,
});

/** Models whose interpreter has been warmed up in this process (warmup.ts). */
const WARMED: Record<CpuModelId, boolean> = { fast: false, timing: false };
/**
 * Runs warmup.ts's program on a scratch CPU of `model` (its own memory; the timing model's with a
 * stand-in memory model whose inline hit tests always hit, so its stall calls are never made
 * from the interpreter), so that V8 optimises the interpreter once, with feedback for every arm.
 */
function warmUp(model: CpuModelId): void {
  const memory = new PhysicalMemory(1, WARM_BYTES);
  const timing: MemoryTiming & { fastPath: TimingFastPath } = {
    ...ZERO_TIMING,
    fastPath: { lastI: new Int32Array(1), lastD: new Int32Array(1), owner: new Int8Array(2), l1iShift: 31, l1dShift: 31, l2Shift: 31 },
  };
  const cpu = new Cpu(model, 0, { memory, mmioRead32: () => undefined, mmioWrite32: () => false, ...(model === 'timing' && { timing }) });
  runWarmup(cpu, memory.words);
}

/** The interceptor `translateForDebug` installs: every exception is swallowed. */
const QUIET: ExceptionInterceptor = { onException: () => true };

/** A timing model without inline hit tests: every access is a call (lines never match −1). */
function noFastPath(cpus: number): TimingFastPath {
  return { lastI: new Int32Array(cpus).fill(-1), lastD: new Int32Array(cpus).fill(-1), owner: new Int8Array(2).fill(-1), l1iShift: 0, l1dShift: 0, l2Shift: 31 };
}

export class Cpu implements Cp0File {
  readonly id: number;
  readonly model: CpuModelId;
  /** General-purpose registers $0..$31 ($0 is forced to 0 after every instruction). */
  readonly r = new Int32Array(32);
  hi = 0;
  lo = 0;
  /** Address of the instruction to execute next, and of the one after it (branch target after a taken branch). */
  pc = VEC_RESET;
  npc = (VEC_RESET + 4) | 0;
  /** 1 when the instruction at `pc` is in a branch delay slot. */
  slot = 0;
  /** Local time of this CPU in cycles. */
  cycle = 0;
  state: CpuRunState = 'running';
  readonly buckets: TimeBuckets = { user: 0, kernel: 0, monitor: 0, idle: 0, stall: 0 };
  /** Monitor cycles by cause id (`chargeMonitor`, `chargeMonitorId`; ./cause-tally.ts). */
  readonly monitorTally = new CauseTally();
  /** Monitor cycles by cause name (`chargeMonitor`), causes in first-charge order (a fresh object per read). */
  get monitorByCause(): Record<string, number> { return this.monitorTally.toRecord(); }
  readonly counters: CpuCounters = { instructions: 0, tlbRefill: 0, tlbInvalid: 0, tlbModified: 0, exceptions: new Array(32).fill(0) };
  /** Disco's hook: offered every exception before the architectural sequence. */
  interceptor: ExceptionInterceptor | null = null;
  /** Set before the interceptor is called: true if the TLBL/TLBS being offered is a refill (no matching entry). */
  excIsRefill = false;

  // --- CP0 ---
  index = 0; entryLo0 = 0; entryLo1 = 0; context = 0; pageMask = 0; wired = 0;
  badVAddr = 0; entryHi = 0; compare = 0; status = 0; cause = 0; epc = 0; errorEpc = 0;
  configK0 = 3;
  private countBase = 0;
  private randomBase = 0;
  private timerCycle = 0;
  /** Current privilege mode (Mode.Kernel/Supervisor/User), derived from Status. */
  mode: Mode = Mode.Kernel;

  /** The JTLB (machine PFNs). Write it through `writeTlbEntry` / `flushTlbAll`, which keep the soft-TLBs coherent. */
  readonly tlb = new Tlb();

  // --- host ---
  private readonly host: CpuHost;
  private readonly mem: Int32Array;
  private readonly u8: Uint8Array;
  private readonly u16: Uint16Array;
  private readonly memBytes: number;
  private readonly timing: MemoryTiming;
  private readonly timed: boolean;
  readonly reservations: LLReservationTable;

  // --- soft-TLBs ---
  // One set per mode (kernel / supervisor / user), so exception entry and eret only switch
  // sets; the current mode's arrays are in ftag…sbase.
  private readonly softSets = [0, 1, 2].map(() => ({
    ftag: new Int32Array(SOFT_TLB).fill(NO_TAG), fbase: new Int32Array(SOFT_TLB),
    ltag: new Int32Array(SOFT_TLB).fill(NO_TAG), lbase: new Int32Array(SOFT_TLB),
    stag: new Int32Array(SOFT_TLB).fill(NO_TAG), sbase: new Int32Array(SOFT_TLB),
  }));
  private ftag = this.softSets[0].ftag;
  private fbase = this.softSets[0].fbase;
  private ltag = this.softSets[0].ltag;
  private lbase = this.softSets[0].lbase;
  private stag = this.softSets[0].stag;
  private sbase = this.softSets[0].sbase;
  private lastErl = -1;
  private readonly codePages: (CodePage | undefined)[];
  private fpBase = 0;
  private fpWords: Int32Array<ArrayBufferLike> = EMPTY_I32;
  private fpOps: Uint8Array<ArrayBufferLike> = EMPTY_U8;
  private fpPage: CodePage = EMPTY_PAGE;
  /** Page compilation (jit.ts; both models; `jit = false` forces pure interpretation). */
  jit = true;
  /**
   * Interpreted visits of a block leader before a region is compiled from it (1 = compile at
   * once; tests use it for coverage). At the default, user-mode code uses it and kernel and
   * supervisor code `JIT_KERNEL_THRESHOLD`; any other value applies to all code.
   */
  jitThreshold = JIT_THRESHOLD;
  /**
   * Set by compiled code on return: the next pc, npc and delay-slot flag (2: its code changed —
   * not in a delay slot, drop the page's code); the stall cycles included in its result (timing).
   */
  bpc = 0;
  bnpc = 0;
  bslot = 0;
  bstall = 0;
  /** The timing model's inline hit-test parameters (a no-op stand-in for other models). */
  private readonly timingFast: TimingFastPath;
  /** What compiled code reads of this CPU (jit.ts). */
  private readonly jx: JitContext;
  /** The interpreter (interp.ts): one generated variant per model. */
  private readonly execBatch: (budget: number) => void;

  // --- slow-path handshake ---
  faulted = false;
  /** Set by slow paths (MMIO, halt, stop) to end the current batch after this instruction. */
  endBatch = false;
  private curCyc = 0;
  private curInstr = 0;
  private stopRequested = false;

  constructor(model: CpuModelId, id: number, host: CpuHost) {
    this.model = model;
    this.id = id;
    this.host = host;
    const m = host.memory;
    this.mem = m.words; this.u8 = m.u8; this.u16 = m.u16; this.memBytes = m.bytes;
    this.timed = model === 'timing';
    this.execBatch = this.timed ? INTERP.timed : INTERP.fast;
    this.timing = host.timing ?? ZERO_TIMING;
    this.reservations = host.reservations ?? new LLReservations(id + 1);
    this.timingFast = (this.timing as { fastPath?: TimingFastPath }).fastPath ?? noFastPath(id + 1);
    const tf = this.timingFast;
    this.jx = { mem: this.mem, u8: this.u8, u16: this.u16, res: this.reservations, timing: this.timing, lastI: tf.lastI, lastD: tf.lastD, owner: tf.owner, id };
    this.codePages = new Array<CodePage | undefined>(Math.ceil(m.bytes / 4096)).fill(undefined);
    this.flushTlbAll();
    this.reset();
    if (!WARMED[model]) { WARMED[model] = true; warmUp(model); }
  }

  // =============================================================================================
  // Public control
  // =============================================================================================

  /** Architectural reset: Status = BEV | ERL, kernel mode, pc = `pc` (default 0xBFC00000). TLB contents are kept. */
  reset(pc: number = VEC_RESET): void {
    this.status = ST_BEV | ST_ERL;
    this.cause = 0; this.wired = 0; this.randomBase = this.counters.instructions;
    this.configK0 = 3;
    this.reservations.clear(this.id);
    this.state = 'running';
    this.setPc(pc);
    this.updateMode();
    this.flushSoftTlb();
    this.recomputeTimer();
  }

  /** Continue at `pc` (not in a delay slot); `npc` defaults to pc + 4. */
  setPc(pc: number, npc: number = (pc + 4) | 0): void {
    this.pc = pc | 0; this.npc = npc | 0; this.slot = 0;
  }

  /** For interceptors: complete the faulting instruction without effect and continue after it (handles delay slots). */
  skipInstruction(): void {
    this.pc = this.npc; this.npc = (this.npc + 4) | 0; this.slot = 0;
  }

  /** Hardware interrupt line 2..7 → Cause.IP2..IP7 (level-sensitive). */
  setInterruptLine(line: number, level: boolean): void {
    const bit = 1 << (8 + line);
    if (level) this.cause |= bit; else this.cause &= ~bit;
  }

  /** Charge monitor (Disco) time to this CPU: advances its clock and the monitor bucket. */
  chargeMonitor(cycles: number, cause: string): void { this.chargeMonitorId(cycles, causeId(cause)); }

  /** `chargeMonitor` with the cause's id (`causeId(cause)`, ./cause-tally.ts): no string lookup. */
  chargeMonitorId(cycles: number, cause: number): void {
    this.cycle += cycles;
    this.buckets.monitor += cycles;
    this.monitorTally.add(cause, cycles);
  }

  /** Charge cycles to the bucket of the current mode (used by kernel-less hosts, e.g. the user-mode runner's refill handler). */
  chargeKernel(cycles: number): void {
    this.cycle += cycles;
    this.buckets.kernel += cycles;
  }

  /** Stop `run` at the next batch boundary and mark the CPU halted (e.g. a power-off device or exit). */
  halt(): void { this.state = 'halted'; this.stopRequested = true; this.endBatch = true; }

  /**
   * Run until the local clock reaches `untilCycle`, the CPU halts, or `stop` is requested.
   * While waiting (after `wait`) with no pending unmasked interrupt, time advances as idle.
   */
  run(untilCycle: number): void {
    this.stopRequested = false;
    while (this.cycle < untilCycle && this.state !== 'halted' && !this.stopRequested) {
      if (this.cycle >= this.timerCycle) { this.cause |= CA_IP7; this.recomputeTimer(); }
      const pending = this.cause & this.status & 0xff00;
      if (this.state === 'waiting') {
        if (pending !== 0) this.state = 'running';
        else {
          const t = Math.min(untilCycle, this.timerCycle);
          this.buckets.idle += t - this.cycle;
          this.cycle = t;
          continue;
        }
      }
      if (pending !== 0 && (this.status & (ST_IE | ST_EXL | ST_ERL)) === ST_IE) {
        this.raise(Exc.Int, 0, 0);
        // an interceptor (Disco) may park the CPU (no virtual CPU to run) or halt it
        if (this.state !== 'running') continue;
      }
      this.execBatch(Math.min(untilCycle, this.timerCycle) - this.cycle);
    }
  }

  /** Ask `run` to return at the next batch boundary (without halting). */
  requestStop(): void { this.stopRequested = true; this.endBatch = true; }

  // =============================================================================================
  // The interpreter
  // =============================================================================================

  // (execBatch is generated: interp.ts)

  /**
   * Compiles a region of the current code page grown from the hot entry `wi` (jit.ts). Returns
   * whether `wi` is now a compiled entry.
   */
  private compilePage(page: CodePage, wi: number, pc: number): boolean {
    const pageVa = pc & -4096;
    if (page.fnVa !== pageVa) {
      // the first region here, or the page is now run at another virtual address: start over
      page.efn = fnTable(); page.covered = new Uint8Array(1024); page.fnVa = pageVa; page.regions = 0;
    }
    if (page.regions >= MAX_REGIONS) { page.covered[wi] = 1; return false; }
    // compile from the current memory contents (refresh the page's decoded copy first)
    const base = this.fpBase, mem = this.mem, words = page.words, ops = page.ops;
    for (let i = 0; i < 1024; i++) {
      const w = mem[base + i];
      if (words[i] !== w) { words[i] = w; ops[i] = decodeOp(w); }
    }
    const efn = page.efn, covered = page.covered, heat = page.heat;
    const region = compileRegion({
      words, ops, seed: wi, pageVa,
      include: (s) => efn[s] === undefined && (heat[s] !== 0 || covered[s] !== 0),
      ...(this.timed && { timing: this.timingFast }),
    });
    page.regions++;
    covered[wi] = 1;   // even if it is not an entry: stop counting it
    if (region === undefined) return false;
    for (const s of region.starts) if (efn[s] === undefined) efn[s] = region.fn;
    for (const i of region.covered) covered[i] = 1;
    return efn[wi] === region.fn;
  }

  /** Forget a page's compiled code (its words changed). */
  private dropCode(page: CodePage): void {
    page.efn = fnTable(); page.fnVa = 1; page.regions = 0;
    page.covered = new Uint8Array(1024); page.heat.fill(0);
  }

  /** Save the hot-loop state before a slow path (pc = the instruction being executed). */
  private at(pc: number, npc: number, slot: number, cyc: number, icount: number): void {
    this.pc = pc; this.npc = npc; this.slot = slot; this.curCyc = cyc; this.curInstr = icount;
    this.faulted = false; this.slowStall = 0;
  }
  private slowStall = 0;

  // =============================================================================================
  // Address translation (slow path; fills the soft-TLBs)
  // =============================================================================================

  /**
   * Translate `va` for an access of `kind`; `align` is the low-bit mask that must be zero.
   * Returns the physical address, or −1 after raising AdEL/AdES/TLBL/TLBS/Mod.
   * Segments: kuseg 0–2 GB mapped (unmapped while ERL = 1); kseg0 0x80000000 and kseg1
   * 0xA0000000 unmapped (kernel only); ksseg 0xC0000000 mapped (kernel, supervisor);
   * kseg3 0xE0000000 mapped (kernel only). Supervisor may use kuseg and ksseg, user only kuseg.
   */
  private xlate(va: number, kind: Kind, align: number): number {
    const u = va >>> 0;
    if ((va & align) !== 0) return this.addressError(va, kind);
    this.storeOk = true; this.uncached = false;
    let pa: number;
    const mode = this.mode;
    if (u < 0x80000000) {
      if ((this.status & ST_ERL) !== 0) pa = u;
      else { pa = this.tlbTranslate(va, kind); if (pa < 0) return -1; }
    } else if (mode === Mode.User) {
      return this.addressError(va, kind);
    } else if (u < 0xc0000000) {
      if (mode !== Mode.Kernel) return this.addressError(va, kind);
      pa = u & 0x1fffffff;
      this.uncached = u >= 0xa0000000 || this.configK0 === 2;
    } else if (u < 0xe0000000 || mode === Mode.Kernel) {
      pa = this.tlbTranslate(va, kind); if (pa < 0) return -1;
    } else {
      return this.addressError(va, kind);
    }
    // uncached pages stay out of the soft-TLBs on the timing model, so every access to them
    // takes the slow path and pays `uncachedAccess` (the fast model has no timing to get wrong)
    if (pa < this.memBytes && !(this.uncached && this.timed)) {
      const e = (u >>> 12) & 1023, tag = va & 0xfffff000, base = pa - (pa & 0xfff);
      if (kind === Kind.Fetch) { this.ftag[e] = tag; this.fbase[e] = base; }
      else if (kind === Kind.Load) { this.ltag[e] = tag; this.lbase[e] = base; }
      else if (this.storeOk) { this.stag[e] = tag; this.sbase[e] = base; this.ltag[e] = tag; this.lbase[e] = base; }
    }
    return pa;
  }
  /** Set by tlbTranslate: the page is writable (D = 1) or unmapped. */
  private storeOk = true;
  /** Set by xlate: the access is uncached (kseg1, Config.K0 = 2 in kseg0, TLB C = 2). */
  private uncached = false;
  /** The current code page is uncached (timing model): fetches pay `uncachedAccess`. */
  private fpUncached = false;

  private addressError(va: number, kind: Kind): number {
    this.raise(kind === Kind.Store ? Exc.AdES : Exc.AdEL, va, F_BADVA);
    return -1;
  }

  /**
   * JTLB lookup. Match: VPN2 equal outside PageMask, and G or ASID equal. With several matching
   * entries the lowest index wins (the R4000 would set Status.TS and shut down; we document instead).
   */
  private tlbTranslate(va: number, kind: Kind): number {
    const t = this.tlb, i = t.match(va, this.entryHi & 0xff);
    if (i < 0) {
      this.counters.tlbRefill++;
      this.raise(kind === Kind.Store ? Exc.TLBS : Exc.TLBL, va, F_BADVA | F_TLB | F_REFILL);
      return -1;
    }
    const half = t.pageBytes(i);
    const lo = (va & half) !== 0 ? t.lo1[i] : t.lo0[i];
    if ((lo & EL_V) === 0) {
      this.counters.tlbInvalid++;
      this.raise(kind === Kind.Store ? Exc.TLBS : Exc.TLBL, va, F_BADVA | F_TLB);
      return -1;
    }
    if (kind === Kind.Store && (lo & EL_D) === 0) {
      this.counters.tlbModified++;
      this.raise(Exc.Mod, va, F_BADVA | F_TLB);
      return -1;
    }
    this.storeOk = (lo & EL_D) !== 0;
    this.uncached = ((lo >>> 3) & 7) === 2;
    const pfnBase = ((lo >>> 6) & 0xfffff) * 4096;
    return pfnBase - (pfnBase % half) + ((va >>> 0) % half);
  }

  /** Probe like the hardware would (for monitors and tests): physical address or −1, no side effects. */
  translateForDebug(va: number, kind: 0 | 1 | 2 = 1): number {
    // a soft-TLB entry of the current mode is exactly what the translation would give (the
    // monitor asks for the instruction that just trapped, so its fetch entry is there)
    const e = (va >>> 12) & 1023, tag = va & 0xfffff000;
    if (kind === 0 ? this.ftag[e] === tag : kind === 1 ? this.ltag[e] === tag : this.stag[e] === tag) {
      return (kind === 0 ? this.fbase[e] : kind === 1 ? this.lbase[e] : this.sbase[e]) + (va & 0xfff);
    }
    const save = this.interceptor, c = this.counters, ex = this.savedExc;
    const refill = c.tlbRefill, invalid = c.tlbInvalid, modified = c.tlbModified;
    for (let i = 0; i < 32; i++) ex[i] = c.exceptions[i];
    this.interceptor = QUIET;
    const pa = this.xlate(va | 0, kind as Kind, 0);
    this.interceptor = save;
    c.tlbRefill = refill; c.tlbInvalid = invalid; c.tlbModified = modified;
    for (let i = 0; i < 32; i++) c.exceptions[i] = ex[i];
    return pa;
  }
  private readonly savedExc = new Array<number>(32).fill(0);

  private fetchPage(pc: number): boolean {
    const e = (pc >>> 12) & 1023;
    let pa: number;
    if (this.ftag[e] === (pc & 0xfffff003)) { pa = this.fbase[e]; this.fpUncached = false; }
    else {
      pa = this.xlate(pc, Kind.Fetch, 3);
      if (pa < 0) return false;
      if (pa >= this.memBytes) { this.raise(Exc.IBE, 0, 0); return false; }
      this.fpUncached = this.timed && this.uncached;
    }
    const ppn = Math.floor(pa / 4096);
    let cp = this.codePages[ppn];
    if (cp === undefined) {
      const words = this.mem.slice(ppn * 1024, ppn * 1024 + 1024);
      const ops = new Uint8Array(1024);
      for (let i = 0; i < 1024; i++) ops[i] = decodeOp(words[i]);
      cp = newPage(words, ops);
      this.codePages[ppn] = cp;
    }
    this.fpBase = ppn * 1024; this.fpWords = cp.words; this.fpOps = cp.ops; this.fpPage = cp;
    return true;
  }

  // =============================================================================================
  // Slow memory paths (set `faulted` on an exception; `curCyc`/`slowStall` carry timing)
  // =============================================================================================

  private loadSlow(va: number, size: 1 | 2 | 4): number {
    const pa = this.xlate(va, Kind.Load, size - 1);
    if (pa < 0) { this.faulted = true; return 0; }
    if (pa < this.memBytes) {
      this.stallFor(pa, Kind.Load);
      return size === 4 ? this.mem[pa >>> 2] : size === 2 ? this.u16[(pa ^ 2) >>> 1] : this.u8[pa ^ 3];
    }
    this.endBatch = true;
    const v = size === 4 ? this.host.mmioRead32(this.id, pa) : undefined;
    if (v === undefined) { this.raise(Exc.DBE, 0, 0); this.faulted = true; return 0; }
    return v | 0;
  }

  private storeSlow(va: number, size: 1 | 2 | 4, v: number): void {
    const pa = this.xlate(va, Kind.Store, size - 1);
    if (pa < 0) { this.faulted = true; return; }
    if (pa < this.memBytes) {
      this.stallFor(pa, Kind.Store);
      if (size === 4) this.mem[pa >>> 2] = v; else if (size === 2) this.u16[(pa ^ 2) >>> 1] = v; else this.u8[pa ^ 3] = v;
      if (this.reservations.active !== 0) this.reservations.store(pa);
      return;
    }
    this.endBatch = true;
    if (size !== 4 || !this.host.mmioWrite32(this.id, pa, v | 0)) { this.raise(Exc.DBE, 0, 0); this.faulted = true; }
  }

  private stallFor(pa: number, kind: Kind): void {
    if (!this.timed) return;
    const s = this.uncached ? this.timing.uncachedAccess(this.id, pa) : this.timing.access(this.id, pa, kind as number as AccessKind);
    this.curCyc += s; this.slowStall += s;
  }

  private swlr(left: boolean, va: number, rt: number): void {
    const wa = va & ~3, k = va & 3;
    const pa = this.xlate(wa, Kind.Store, 3);
    if (pa < 0) { this.faulted = true; return; }
    if (pa >= this.memBytes) {
      // MMIO: only the full-word forms (swl k = 0, swr k = 3) reach the device
      this.endBatch = true;
      const full = left ? k === 0 : k === 3;
      if (!full || !this.host.mmioWrite32(this.id, pa, rt)) { this.raise(Exc.DBE, 0, 0); this.faulted = true; }
      return;
    }
    this.stallFor(pa, Kind.Store);
    const old = this.mem[pa >>> 2];
    let v: number;
    if (left) v = k === 0 ? rt : (old & ~(0xffffffff >>> (8 * k))) | (rt >>> (8 * k));
    else v = k === 3 ? rt : (rt << (8 * (3 - k))) | (old & ((1 << (8 * (3 - k))) - 1));
    this.mem[pa >>> 2] = v;
    if (this.reservations.active !== 0) this.reservations.store(pa);
  }

  private llsc(isSc: boolean, va: number, rt: number): void {
    if (!isSc) {
      const v = this.loadSlow(va, 4);
      if (this.faulted) return;
      const pa = this.translateQuiet(va);
      this.r[rt] = v;
      if (pa >= 0) { this.reservations.set(this.id, pa); this.llAddr = pa; }
      return;
    }
    const pa = this.xlate(va, Kind.Store, 3);
    if (pa < 0) { this.faulted = true; return; }
    if (this.reservations.holds(this.id, pa)) {
      this.storeSlow(va, 4, this.r[rt]);
      if (this.faulted) return;
      this.r[rt] = 1;
    } else this.r[rt] = 0;
    this.reservations.clear(this.id);
  }
  /** Physical address of the last `ll` (LLAddr = this >> 4). */
  llAddr = 0;
  /** Translate after a successful access (cannot fault: the soft-TLB or TLB just succeeded). */
  private translateQuiet(va: number): number {
    const e = (va >>> 12) & 1023;
    if (this.ltag[e] === (va & 0xfffff003)) return this.lbase[e] + (va & 0xfff);
    return this.translateForDebug(va, 1);
  }

  // =============================================================================================
  // Exceptions
  // =============================================================================================

  /**
   * Raise exception `code` for the instruction at `this.pc` (`this.slot` = in a delay slot).
   * The interceptor (Disco) sees it first; if it handles it, the CPU continues at the pc it set.
   * Otherwise: BadVAddr/Context/EntryHi per `flags`; if EXL = 0, EPC = pc (or pc − 4 in a
   * delay slot) and Cause.BD; Cause.ExcCode; EXL = 1; pc = vector (refill at +0 only when EXL
   * was 0; BEV selects 0xBFC00200).
   */
  raise(code: number, badVAddr: number, flags: number, ce = 0): void {
    this.counters.exceptions[code]++;
    this.excIsRefill = (flags & F_REFILL) !== 0;
    if (this.interceptor !== null
      && this.interceptor.onException(this.id, code, badVAddr >>> 0, this.slot !== 0, this.pc >>> 0)) {
      this.updateMode();
      return;
    }
    const off = enterException(this, code, badVAddr, flags, ce, this.pc, this.slot !== 0);
    const base = (this.status & ST_BEV) !== 0 ? VEC_BASE_BEV : VEC_BASE;
    this.setPc((base + off) | 0);
    this.updateMode();
  }

  /**
   * A word the table does not decode. Coprocessor opcodes are "coprocessor unusable" (there is
   * no FPU / CP2: CpU with CE = 1 or 2; an unknown COP0 operation is CpU outside kernel mode
   * without CU0, else RI); everything else is a reserved instruction.
   */
  private reserved(w: number): void {
    const cop = COP_OF_OPCODE[w >>> 26];
    if (cop === 0) {
      if (this.mode !== Mode.Kernel && (this.status & ST_CU0) === 0) this.raise(Exc.CpU, 0, 0, 0);
      else this.raise(Exc.RI, 0, 0);
    } else if (cop > 0) this.raise(Exc.CpU, 0, 0, cop);
    else this.raise(Exc.RI, 0, 0);
  }

  private updateMode(): void {
    const s = this.status;
    const m = (s & (ST_EXL | ST_ERL)) !== 0 ? Mode.Kernel : ((s & ST_KSU) >>> 3) === 1 ? Mode.Supervisor
      : ((s & ST_KSU) >>> 3) === 2 ? Mode.User : Mode.Kernel;
    // ERL changes how kuseg is translated (unmapped while ERL = 1): drop everything
    const erl = s & ST_ERL;
    if (erl !== this.lastErl) { this.lastErl = erl; this.flushSoftTlb(); }
    if (m !== this.mode || this.ftag !== this.softSets[m].ftag) {
      this.mode = m;
      const set = this.softSets[m];
      this.ftag = set.ftag; this.fbase = set.fbase; this.ltag = set.ltag; this.lbase = set.lbase;
      this.stag = set.stag; this.sbase = set.sbase;
    }
  }

  /**
   * After a whole-machine snapshot was restored into this CPU (src/core/snapshot): drop what is
   * derived from memory and the TLB — decoded and compiled code pages, the current code page,
   * the soft-TLBs — and re-select the current mode's soft-TLB set. None of it is architectural
   * state; it refills as the CPU runs, with the same results.
   */
  restoreDerived(): void {
    this.codePages.fill(undefined);
    this.fpBase = 0; this.fpWords = EMPTY_I32; this.fpOps = EMPTY_U8; this.fpPage = EMPTY_PAGE;
    this.lastErl = -1;
    this.flushSoftTlb();
    this.updateMode();
  }

  /** Invalidate the fetch/load/store soft-TLBs of every mode (after ASID changes, large-page TLB writes). */
  flushSoftTlb(): void {
    for (const set of this.softSets) { set.ftag.fill(NO_TAG); set.ltag.fill(NO_TAG); set.stag.fill(NO_TAG); }
  }

  /** Invalidate the soft-TLB entries of the 4 KB virtual pages of one even/odd pair (VPN2). */
  private flushSoftPair(vpn2: number): void {
    const e0 = (vpn2 * 2) & 1023, e1 = (vpn2 * 2 + 1) & 1023;
    for (const set of this.softSets) {
      set.ftag[e0] = NO_TAG; set.ltag[e0] = NO_TAG; set.stag[e0] = NO_TAG;
      set.ftag[e1] = NO_TAG; set.ltag[e1] = NO_TAG; set.stag[e1] = NO_TAG;
    }
  }

  // =============================================================================================
  // Privileged instructions
  // =============================================================================================

  // (execSlow runs the table's privileged rows: interp.ts; these are their helpers)

  /** tlbr: EntryHi/EntryLo0/EntryLo1/PageMask ← TLB[Index] (an ASID change flushes the soft-TLBs). */
  tlbRead(): void {
    const oldAsid = this.entryHi & 0xff;
    this.tlb.read(this.index & 63, this);
    if ((this.entryHi & 0xff) !== oldAsid) this.flushSoftTlb();
  }

  /** eret: ERL → pc = ErrorEPC, ERL = 0; else pc = EPC, EXL = 0. Clears the LL bit. No delay slot. */
  eret(): void {
    if ((this.status & ST_ERL) !== 0) { this.status &= ~ST_ERL; this.setPc(this.errorEpc); }
    else { this.status &= ~ST_EXL; this.setPc(this.epc); }
    this.reservations.clear(this.id);
    this.updateMode();
  }

  /**
   * Write a TLB entry directly (monitors, hosts, tests). Invalidates the soft-TLB entries the
   * old and the new translation could have produced (all of them for pages larger than 4 KB).
   */
  writeTlbEntry(i: number, entryHi: number, lo0: number, lo1: number, pageMask: number): void {
    const t = this.tlb;
    if ((pageMask & PM_WRITABLE) === 0 && t.mask[i] === 0) {
      this.flushSoftPair(t.hi[i] >>> 13);
      this.flushSoftPair((entryHi & EH_WRITABLE) >>> 13);
      t.write(i, entryHi, lo0, lo1, pageMask);
    } else {
      t.write(i, entryHi, lo0, lo1, pageMask);
      this.flushSoftTlb();
    }
  }

  /** Invalidate every TLB entry (each becomes the empty entry of its index, tlb.ts). */
  flushTlbAll(): void {
    this.tlb.clear();
    this.flushSoftTlb();
  }

  /** Random: decrements from 63 to Wired once per instruction issued, then wraps to 63 (reset by a Wired write). */
  randomValue(): number {
    const wired = this.wired & 63;
    const n = 64 - wired;
    const k = (this.instructionsNow() - this.randomBase) % n;
    return 63 - k;
  }

  /** Instructions issued so far, including the current batch's progress (for interceptors: up to and including the faulting instruction). */
  instructionsNow(): number { return this.counters.instructions + this.curInstr; }

  /** Local time including the current batch's progress (for interceptors: the time of the faulting instruction). */
  now(): number { return this.cycle + this.curCyc; }

  /** The cycle at which the Count/Compare timer fires next (debuggers idle a waiting CPU up to it). */
  get timerAt(): number { return this.timerCycle; }

  private recomputeTimer(): void {
    const cur = Math.floor(this.now() / 2);
    const delta = ((this.compare - ((this.countBase + cur) | 0)) >>> 0) || 0x100000000;
    this.timerCycle = 2 * (cur + delta);
  }

  // ---- Cp0File hooks (cp0-regs.ts) ----
  countValue(): number { return (this.countBase + Math.floor(this.now() / 2)) | 0; }
  countWritten(x: number): void { this.countBase = (x - Math.floor(this.now() / 2)) | 0; this.recomputeTimer(); }
  wiredWritten(): void { this.randomBase = this.instructionsNow(); }
  causeValue(): number { return this.cause; }
  llAddrValue(): number { return (this.llAddr >>> 4) | 0; }
  compareWritten(): void { this.recomputeTimer(); }
  statusWritten(): void { this.updateMode(); }
  entryHiWritten(old: number): void { if (((old ^ this.entryHi) & 0xff) !== 0) this.flushSoftTlb(); }

  /** Read a CP0 register (as mfc0 would). */
  readCp0(reg: number, sel = 0): number { return readCp0Reg(this, reg, sel); }

  /** Write a CP0 register (as mtc0 would; read-only fields are kept). */
  writeCp0(reg: number, sel: number, v: number): void { writeCp0Reg(this, reg, sel, v); }
}
