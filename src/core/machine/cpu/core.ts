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
import { Tlb, TLB_ENTRIES } from './tlb';
import { LLReservations } from './llsc';
import { compileBlock, type BlockFn } from './jit';
import { decode } from '../../isa/decode';
import { INSTRUCTIONS } from '../../isa/table';

// =============================================================================================
// Executor dispatch, driven by the instruction table: every mnemonic of `isa/table.ts` has an
// operation id (its handler is the `case Op.<mnemonic>` arm of the interpreter switch below), and
// `decodeOp(word)` = table decode → mnemonic → id. A test checks that the table and this map
// cover each other exactly. Id 0 is "reserved instruction" (RI). The enum lives in this file so
// that esbuild/tsx inline its values into the switch (cross-file const enums are not inlined).
// =============================================================================================

export const enum Op {
  RI = 0,
  add_ = 1,
  addu = 2,
  sub_ = 3,
  subu = 4,
  and_ = 5,
  or_ = 6,
  xor_ = 7,
  nor = 8,
  slt = 9,
  sltu = 10,
  movz = 11,
  movn = 12,
  sll = 13,
  srl = 14,
  sra = 15,
  sllv = 16,
  srlv = 17,
  srav = 18,
  mult = 19,
  multu = 20,
  div_ = 21,
  divu = 22,
  mfhi = 23,
  mthi = 24,
  mflo = 25,
  mtlo = 26,
  madd = 27,
  maddu = 28,
  msub = 29,
  msubu = 30,
  mul = 31,
  clz = 32,
  clo = 33,
  addi = 34,
  addiu = 35,
  slti = 36,
  sltiu = 37,
  andi = 38,
  ori = 39,
  xori = 40,
  lui = 41,
  beq = 42,
  bne = 43,
  blez = 44,
  bgtz = 45,
  bltz = 46,
  bgez = 47,
  bltzal = 48,
  bgezal = 49,
  beql = 50,
  bnel = 51,
  blezl = 52,
  bgtzl = 53,
  bltzl = 54,
  bgezl = 55,
  bltzall = 56,
  bgezall = 57,
  j = 58,
  jal = 59,
  jr = 60,
  jalr = 61,
  lb = 62,
  lbu = 63,
  lh = 64,
  lhu = 65,
  lw = 66,
  lwl = 67,
  lwr = 68,
  ll = 69,
  sb = 70,
  sh = 71,
  sw = 72,
  swl = 73,
  swr = 74,
  sc = 75,
  pref = 76,
  sync_ = 77,
  syscall = 78,
  break_ = 79,
  tge = 80,
  tgeu = 81,
  tlt = 82,
  tltu = 83,
  teq = 84,
  tne = 85,
  tgei = 86,
  tgeiu = 87,
  tlti = 88,
  tltiu = 89,
  teqi = 90,
  tnei = 91,
  mfc0 = 92,
  mtc0 = 93,
  tlbr = 94,
  tlbwi = 95,
  tlbwr = 96,
  tlbp = 97,
  eret = 98,
  wait_ = 99,
  cache = 100,
}

/** Handler id for each table mnemonic. */
export const SEMANTICS: Readonly<Record<string, Op>> = {
  add: Op.add_, addu: Op.addu, sub: Op.sub_, subu: Op.subu, and: Op.and_, or: Op.or_, xor: Op.xor_, nor: Op.nor,
  slt: Op.slt, sltu: Op.sltu, movz: Op.movz, movn: Op.movn, sll: Op.sll, srl: Op.srl, sra: Op.sra, sllv: Op.sllv,
  srlv: Op.srlv, srav: Op.srav, mult: Op.mult, multu: Op.multu, div: Op.div_, divu: Op.divu, mfhi: Op.mfhi, mthi: Op.mthi,
  mflo: Op.mflo, mtlo: Op.mtlo, madd: Op.madd, maddu: Op.maddu, msub: Op.msub, msubu: Op.msubu, mul: Op.mul, clz: Op.clz,
  clo: Op.clo, addi: Op.addi, addiu: Op.addiu, slti: Op.slti, sltiu: Op.sltiu, andi: Op.andi, ori: Op.ori, xori: Op.xori,
  lui: Op.lui, beq: Op.beq, bne: Op.bne, blez: Op.blez, bgtz: Op.bgtz, bltz: Op.bltz, bgez: Op.bgez, bltzal: Op.bltzal,
  bgezal: Op.bgezal, beql: Op.beql, bnel: Op.bnel, blezl: Op.blezl, bgtzl: Op.bgtzl, bltzl: Op.bltzl, bgezl: Op.bgezl, bltzall: Op.bltzall,
  bgezall: Op.bgezall, j: Op.j, jal: Op.jal, jr: Op.jr, jalr: Op.jalr, lb: Op.lb, lbu: Op.lbu, lh: Op.lh,
  lhu: Op.lhu, lw: Op.lw, lwl: Op.lwl, lwr: Op.lwr, ll: Op.ll, sb: Op.sb, sh: Op.sh, sw: Op.sw,
  swl: Op.swl, swr: Op.swr, sc: Op.sc, pref: Op.pref, sync: Op.sync_, syscall: Op.syscall, break: Op.break_, tge: Op.tge,
  tgeu: Op.tgeu, tlt: Op.tlt, tltu: Op.tltu, teq: Op.teq, tne: Op.tne, tgei: Op.tgei, tgeiu: Op.tgeiu, tlti: Op.tlti,
  tltiu: Op.tltiu, teqi: Op.teqi, tnei: Op.tnei, mfc0: Op.mfc0, mtc0: Op.mtc0, tlbr: Op.tlbr, tlbwi: Op.tlbwi, tlbwr: Op.tlbwr,
  tlbp: Op.tlbp, eret: Op.eret, wait: Op.wait_, cache: Op.cache,
};
export const OP_COUNT = 101;

/** Mnemonic of each op id (index = id; 0 = RI). */
export const OP_MNEMONIC: readonly string[] = ['(reserved)', ...Object.keys(SEMANTICS)];

/** 1 for ops the table marks privileged (need CP0 access: kernel mode or Status.CU0). */
export const OP_PRIVILEGED = new Uint8Array(OP_COUNT);
for (const s of INSTRUCTIONS) { const id = SEMANTICS[s.mnemonic]; if (id !== undefined && s.privileged) OP_PRIVILEGED[id] = 1; }

/** Decode a word to its handler id (0 = reserved instruction). Not on the hot path: cached per code page. */
export function decodeOp(word: number): Op {
  const spec = decode(word);
  if (spec === undefined) return Op.RI;
  const id = SEMANTICS[spec.mnemonic];
  return id === undefined ? Op.RI : id;
}

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

/** 32-bit high word of the unsigned 64-bit product a × b (16-bit split, no BigInt). */
export function mulhu(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}
/** High word of the signed 64-bit product. */
export function mulhs(a: number, b: number): number {
  let h = mulhu(a >>> 0, b >>> 0);
  if (a < 0) h = (h - b) | 0;
  if (b < 0) h = (h - a) | 0;
  return h;
}

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
  /** Compiled blocks (fast model): length (0 = none yet, −1 = not compilable), function, virtual pc compiled for, heat. */
  blen: Int16Array;
  bfn: (BlockFn | undefined)[];
  bva: Int32Array;
  heat: Uint8Array;
}
const EMPTY_PAGE: CodePage = { words: EMPTY_I32, ops: EMPTY_U8, blen: new Int16Array(1024), bfn: [], bva: new Int32Array(1024), heat: new Uint8Array(1024) };
/** Default executions of an instruction (as a block entry) before it is compiled. */
const JIT_THRESHOLD = 16;

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
  /** Monitor cycles by cause (`chargeMonitor`). */
  readonly monitorByCause: Record<string, number> = {};
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
  /** Basic-block compilation (fast model only; `jit = false` forces pure interpretation). */
  jit: boolean;
  /** Visits of a block entry before it is compiled (1 = compile at once; tests use it for coverage). */
  jitThreshold = JIT_THRESHOLD;
  /** Set by compiled blocks: the next pc. */
  bpc = 0;
  private blockCyc = 0;

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
    this.jit = model === 'fast';
    this.timing = host.timing ?? ZERO_TIMING;
    this.reservations = host.reservations ?? new LLReservations(id + 1);
    this.codePages = new Array(Math.ceil(m.bytes / 4096));
    this.flushTlbAll();
    this.reset();
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
  chargeMonitor(cycles: number, cause: string): void {
    this.cycle += cycles;
    this.buckets.monitor += cycles;
    this.monitorByCause[cause] = (this.monitorByCause[cause] ?? 0) + cycles;
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

  private execBatch(budget: number): void {
    const r = this.r, mem = this.mem, u8 = this.u8, u16 = this.u16;
    const ltag = this.ltag, lbase = this.lbase, stag = this.stag, sbase = this.sbase;
    const timed = this.timed, timing = this.timing, id = this.id, res = this.reservations;
    const mode = this.mode;
    let pc = this.pc, npc = this.npc, slot = this.slot;
    let cyc = 0, stall = 0;
    let ftag = NO_TAG, fbase = 0;
    let cw: Int32Array<ArrayBufferLike> = EMPTY_I32, cop: Uint8Array<ArrayBufferLike> = EMPTY_U8;
    let page: CodePage = EMPTY_PAGE, fu = false, fetchFault = 0;
    const jit = this.jit && !timed, jitThreshold = this.jitThreshold;
    let synced = false;
    this.endBatch = false;

    batch: while (cyc < budget) {
      // fetch: tag = pc[31:12] with pc[1:0] = 0
      if ((pc & 0xfffff003) !== ftag) {
        this.at(pc, npc, slot, cyc, cyc - stall);
        // a fetch that faults still takes a cycle, though no instruction issues (so a CPU caught
        // in an exception loop — e.g. vectors outside RAM — advances time and reaches its limits)
        if (!this.fetchPage(pc)) { cyc++; fetchFault = 1; synced = true; break; }
        ftag = pc & 0xfffff000; fbase = this.fpBase; cw = this.fpWords; cop = this.fpOps; page = this.fpPage; fu = this.fpUncached;
      }
      const wi = (pc >>> 2) & 1023;
      if (jit && slot === 0) {
        // compiled block at this entry? (built after JIT_THRESHOLD visits; keyed by the virtual pc too)
        const bl = page.blen[wi];
        if (bl > 0 && page.bva[wi] === pc && npc === ((pc + 4) | 0) && budget - cyc >= bl) {
          this.blockCyc = cyc; this.faulted = false;
          const n = page.bfn[wi]!(this, r, mem, u8, u16, ltag, lbase, stag, sbase, res, fbase + wi);
          if (n > 0) {
            cyc += n;
            if (this.faulted) { synced = true; break; }
            pc = this.bpc; npc = (pc + 4) | 0;
            if (this.endBatch) budget = 0;
            continue;
          }
          page.blen[wi] = 0; page.heat[wi] = 0;   // code changed: recompile later
        } else if (bl === 0 && ++page.heat[wi] >= jitThreshold) {
          if (this.compileAt(page, wi, pc)) continue;   // run it now
        }
      }
      const w = mem[fbase + wi];
      let op: Op = cop[wi];
      if (cw[wi] !== w) { op = decodeOp(w); cw[wi] = w; cop[wi] = op; }
      cyc++;
      if (timed) { const s = fu ? timing.uncachedAccess(id, (fbase + wi) * 4) : timing.access(id, (fbase + wi) * 4, 0 as AccessKind); cyc += s; stall += s; }

      switch (op) {
        // ---- R-type ALU: rs 25:21, rt 20:16, rd 15:11 ----
        case Op.add_: {
          const a = r[(w >>> 21) & 31], b = r[(w >>> 16) & 31], s = (a + b) | 0;
          if (((a ^ s) & (b ^ s)) < 0) { this.at(pc, npc, slot, cyc, cyc - stall); this.raise(Exc.Ov, 0, 0); synced = true; break batch; }
          r[(w >>> 11) & 31] = s; break;
        }
        case Op.addu: r[(w >>> 11) & 31] = (r[(w >>> 21) & 31] + r[(w >>> 16) & 31]) | 0; break;
        case Op.sub_: {
          const a = r[(w >>> 21) & 31], b = r[(w >>> 16) & 31], s = (a - b) | 0;
          if (((a ^ b) & (a ^ s)) < 0) { this.at(pc, npc, slot, cyc, cyc - stall); this.raise(Exc.Ov, 0, 0); synced = true; break batch; }
          r[(w >>> 11) & 31] = s; break;
        }
        case Op.subu: r[(w >>> 11) & 31] = (r[(w >>> 21) & 31] - r[(w >>> 16) & 31]) | 0; break;
        case Op.and_: r[(w >>> 11) & 31] = r[(w >>> 21) & 31] & r[(w >>> 16) & 31]; break;
        case Op.or_: r[(w >>> 11) & 31] = r[(w >>> 21) & 31] | r[(w >>> 16) & 31]; break;
        case Op.xor_: r[(w >>> 11) & 31] = r[(w >>> 21) & 31] ^ r[(w >>> 16) & 31]; break;
        case Op.nor: r[(w >>> 11) & 31] = ~(r[(w >>> 21) & 31] | r[(w >>> 16) & 31]); break;
        case Op.slt: r[(w >>> 11) & 31] = r[(w >>> 21) & 31] < r[(w >>> 16) & 31] ? 1 : 0; break;
        case Op.sltu: r[(w >>> 11) & 31] = (r[(w >>> 21) & 31] >>> 0) < (r[(w >>> 16) & 31] >>> 0) ? 1 : 0; break;
        case Op.movz: if (r[(w >>> 16) & 31] === 0) r[(w >>> 11) & 31] = r[(w >>> 21) & 31]; break;
        case Op.movn: if (r[(w >>> 16) & 31] !== 0) r[(w >>> 11) & 31] = r[(w >>> 21) & 31]; break;
        // ---- shifts: sa 10:6 ----
        case Op.sll: r[(w >>> 11) & 31] = r[(w >>> 16) & 31] << ((w >>> 6) & 31); break;
        case Op.srl: r[(w >>> 11) & 31] = r[(w >>> 16) & 31] >>> ((w >>> 6) & 31); break;
        case Op.sra: r[(w >>> 11) & 31] = r[(w >>> 16) & 31] >> ((w >>> 6) & 31); break;
        case Op.sllv: r[(w >>> 11) & 31] = r[(w >>> 16) & 31] << (r[(w >>> 21) & 31] & 31); break;
        case Op.srlv: r[(w >>> 11) & 31] = r[(w >>> 16) & 31] >>> (r[(w >>> 21) & 31] & 31); break;
        case Op.srav: r[(w >>> 11) & 31] = r[(w >>> 16) & 31] >> (r[(w >>> 21) & 31] & 31); break;
        // ---- multiply / divide ----
        case Op.mult: { const a = r[(w >>> 21) & 31], b = r[(w >>> 16) & 31]; this.lo = Math.imul(a, b); this.hi = mulhs(a, b); break; }
        case Op.multu: { const a = r[(w >>> 21) & 31], b = r[(w >>> 16) & 31]; this.lo = Math.imul(a, b); this.hi = mulhu(a >>> 0, b >>> 0); break; }
        case Op.div_: {
          // as QEMU: divisor 0, or INT_MIN / −1, divide by 1 instead (LO = rs, HI = 0)
          const a = r[(w >>> 21) & 31]; let b = r[(w >>> 16) & 31];
          if (b === 0 || (b === -1 && a === -0x80000000)) b = 1;
          this.lo = (a / b) | 0; this.hi = (a % b) | 0; break;
        }
        case Op.divu: {
          const a = r[(w >>> 21) & 31] >>> 0; let b = r[(w >>> 16) & 31] >>> 0;
          if (b === 0) b = 1;
          this.lo = (a / b) | 0; this.hi = (a % b) | 0; break;
        }
        case Op.mfhi: r[(w >>> 11) & 31] = this.hi; break;
        case Op.mthi: this.hi = r[(w >>> 21) & 31]; break;
        case Op.mflo: r[(w >>> 11) & 31] = this.lo; break;
        case Op.mtlo: this.lo = r[(w >>> 21) & 31]; break;
        case Op.madd: case Op.maddu: case Op.msub: case Op.msubu: {
          const a = r[(w >>> 21) & 31], b = r[(w >>> 16) & 31];
          const plo = Math.imul(a, b), phi = op === Op.madd || op === Op.msub ? mulhs(a, b) : mulhu(a >>> 0, b >>> 0);
          if (op === Op.madd || op === Op.maddu) {
            const l = (this.lo >>> 0) + (plo >>> 0);
            this.hi = (this.hi + phi + (l > 0xffffffff ? 1 : 0)) | 0; this.lo = l | 0;
          } else {
            const l = (this.lo >>> 0) - (plo >>> 0);
            this.hi = (this.hi - phi - (l < 0 ? 1 : 0)) | 0; this.lo = l | 0;
          }
          break;
        }
        case Op.mul: r[(w >>> 11) & 31] = Math.imul(r[(w >>> 21) & 31], r[(w >>> 16) & 31]); break;
        case Op.clz: r[(w >>> 11) & 31] = Math.clz32(r[(w >>> 21) & 31]); break;
        case Op.clo: r[(w >>> 11) & 31] = Math.clz32(~r[(w >>> 21) & 31]); break;
        // ---- immediate ALU: imm 15:0 ----
        case Op.addi: {
          const a = r[(w >>> 21) & 31], b = (w << 16) >> 16, s = (a + b) | 0;
          if (((a ^ s) & (b ^ s)) < 0) { this.at(pc, npc, slot, cyc, cyc - stall); this.raise(Exc.Ov, 0, 0); synced = true; break batch; }
          r[(w >>> 16) & 31] = s; break;
        }
        case Op.addiu: r[(w >>> 16) & 31] = (r[(w >>> 21) & 31] + ((w << 16) >> 16)) | 0; break;
        case Op.slti: r[(w >>> 16) & 31] = r[(w >>> 21) & 31] < ((w << 16) >> 16) ? 1 : 0; break;
        case Op.sltiu: r[(w >>> 16) & 31] = (r[(w >>> 21) & 31] >>> 0) < (((w << 16) >> 16) >>> 0) ? 1 : 0; break;
        case Op.andi: r[(w >>> 16) & 31] = r[(w >>> 21) & 31] & (w & 0xffff); break;
        case Op.ori: r[(w >>> 16) & 31] = r[(w >>> 21) & 31] | (w & 0xffff); break;
        case Op.xori: r[(w >>> 16) & 31] = r[(w >>> 21) & 31] ^ (w & 0xffff); break;
        case Op.lui: r[(w >>> 16) & 31] = w << 16; break;

        // ---- branches: target = npc + (simm16 << 2); the delay slot at npc always runs (likely: only if taken) ----
        case Op.beq: case Op.bne: case Op.blez: case Op.bgtz: case Op.bltz: case Op.bgez:
        case Op.bltzal: case Op.bgezal: {
          const a = r[(w >>> 21) & 31];
          let taken: boolean;
          switch (op) {
            case Op.beq: taken = a === r[(w >>> 16) & 31]; break;
            case Op.bne: taken = a !== r[(w >>> 16) & 31]; break;
            case Op.blez: taken = a <= 0; break;
            case Op.bgtz: taken = a > 0; break;
            case Op.bltz: taken = a < 0; break;
            case Op.bgez: taken = a >= 0; break;
            case Op.bltzal: taken = a < 0; r[31] = (pc + 8) | 0; break;
            default: taken = a >= 0; r[31] = (pc + 8) | 0; break;
          }
          r[0] = 0;
          const t = taken ? (npc + (((w << 16) >> 16) << 2)) | 0 : (npc + 4) | 0;
          pc = npc; npc = t; slot = 1;
          continue;
        }
        case Op.beql: case Op.bnel: case Op.blezl: case Op.bgtzl: case Op.bltzl: case Op.bgezl:
        case Op.bltzall: case Op.bgezall: {
          const a = r[(w >>> 21) & 31];
          let taken: boolean;
          switch (op) {
            case Op.beql: taken = a === r[(w >>> 16) & 31]; break;
            case Op.bnel: taken = a !== r[(w >>> 16) & 31]; break;
            case Op.blezl: taken = a <= 0; break;
            case Op.bgtzl: taken = a > 0; break;
            case Op.bltzl: taken = a < 0; break;
            case Op.bgezl: taken = a >= 0; break;
            case Op.bltzall: taken = a < 0; r[31] = (pc + 8) | 0; break;
            default: taken = a >= 0; r[31] = (pc + 8) | 0; break;
          }
          r[0] = 0;
          if (taken) { const t = (npc + (((w << 16) >> 16) << 2)) | 0; pc = npc; npc = t; slot = 1; }
          else { pc = (npc + 4) | 0; npc = (pc + 4) | 0; slot = 0; }  // nullify the delay slot
          continue;
        }
        // ---- jumps: j/jal target = npc[31:28] ‖ instr_index 25:0 ‖ 00 ----
        case Op.j: { const t = (npc & 0xf0000000) | ((w & 0x3ffffff) << 2); pc = npc; npc = t; slot = 1; continue; }
        case Op.jal: { const t = (npc & 0xf0000000) | ((w & 0x3ffffff) << 2); r[31] = (pc + 8) | 0; pc = npc; npc = t; slot = 1; continue; }
        case Op.jr: { const t = r[(w >>> 21) & 31]; pc = npc; npc = t; slot = 1; continue; }
        case Op.jalr: { const t = r[(w >>> 21) & 31]; r[(w >>> 11) & 31] = (pc + 8) | 0; r[0] = 0; pc = npc; npc = t; slot = 1; continue; }

        // ---- loads: ea = rs + simm16 ----
        case Op.lw: {
          const va = (r[(w >>> 21) & 31] + ((w << 16) >> 16)) | 0, e = (va >>> 12) & 1023;
          let v: number;
          if (ltag[e] === (va & 0xfffff003)) {
            const pa = lbase[e] + (va & 0xfff);
            v = mem[pa >>> 2];
            if (timed) { const s = timing.access(id, pa, 1 as AccessKind); cyc += s; stall += s; }
          } else {
            this.at(pc, npc, slot, cyc, cyc - stall); v = this.loadSlow(va, 4);
            if (this.faulted) { synced = true; break batch; }
            cyc = this.curCyc; stall += this.slowStall; if (this.endBatch) budget = 0;
          }
          r[(w >>> 16) & 31] = v; break;
        }
        case Op.lb: case Op.lbu: {
          const va = (r[(w >>> 21) & 31] + ((w << 16) >> 16)) | 0, e = (va >>> 12) & 1023;
          let v: number;
          if (ltag[e] === (va & 0xfffff000)) {
            const pa = lbase[e] + (va & 0xfff);
            v = u8[pa ^ 3];
            if (timed) { const s = timing.access(id, pa, 1 as AccessKind); cyc += s; stall += s; }
          } else {
            this.at(pc, npc, slot, cyc, cyc - stall); v = this.loadSlow(va, 1);
            if (this.faulted) { synced = true; break batch; }
            cyc = this.curCyc; stall += this.slowStall; if (this.endBatch) budget = 0;
          }
          r[(w >>> 16) & 31] = op === Op.lb ? (v << 24) >> 24 : v; break;
        }
        case Op.lh: case Op.lhu: {
          const va = (r[(w >>> 21) & 31] + ((w << 16) >> 16)) | 0, e = (va >>> 12) & 1023;
          let v: number;
          if (ltag[e] === (va & 0xfffff001)) {
            const pa = lbase[e] + (va & 0xfff);
            v = u16[(pa ^ 2) >>> 1];
            if (timed) { const s = timing.access(id, pa, 1 as AccessKind); cyc += s; stall += s; }
          } else {
            this.at(pc, npc, slot, cyc, cyc - stall); v = this.loadSlow(va, 2);
            if (this.faulted) { synced = true; break batch; }
            cyc = this.curCyc; stall += this.slowStall; if (this.endBatch) budget = 0;
          }
          r[(w >>> 16) & 31] = op === Op.lh ? (v << 16) >> 16 : v; break;
        }
        case Op.lwl: case Op.lwr: {
          // big-endian: k = ea[1:0]; lwl merges bytes k..3 into rt's high end, lwr bytes 0..k into its low end
          const va = (r[(w >>> 21) & 31] + ((w << 16) >> 16)) | 0, e = (va >>> 12) & 1023;
          const wa = va & ~3;
          let v: number;
          if (ltag[e] === (wa & 0xfffff003)) {
            const pa = lbase[e] + (wa & 0xfff);
            v = mem[pa >>> 2];
            if (timed) { const s = timing.access(id, pa, 1 as AccessKind); cyc += s; stall += s; }
          } else {
            this.at(pc, npc, slot, cyc, cyc - stall); v = this.loadSlow(wa, 4);
            if (this.faulted) { synced = true; break batch; }
            cyc = this.curCyc; stall += this.slowStall; if (this.endBatch) budget = 0;
          }
          const rt = (w >>> 16) & 31, k = va & 3;
          if (op === Op.lwl) r[rt] = (v << (8 * k)) | (r[rt] & ((1 << (8 * k)) - 1));
          else r[rt] = k === 3 ? v : (v >>> (8 * (3 - k))) | (r[rt] & ~(0xffffffff >>> (8 * (3 - k))));
          break;
        }
        case Op.ll: case Op.sc: {
          this.at(pc, npc, slot, cyc, cyc - stall);
          this.llsc(op === Op.sc, (r[(w >>> 21) & 31] + ((w << 16) >> 16)) | 0, (w >>> 16) & 31);
          if (this.faulted) { synced = true; break batch; }
          cyc = this.curCyc; stall += this.slowStall; if (this.endBatch) budget = 0;
          break;
        }
        // ---- stores ----
        case Op.sw: {
          const va = (r[(w >>> 21) & 31] + ((w << 16) >> 16)) | 0, e = (va >>> 12) & 1023;
          if (stag[e] === (va & 0xfffff003)) {
            const pa = sbase[e] + (va & 0xfff);
            mem[pa >>> 2] = r[(w >>> 16) & 31];
            if (res.active !== 0) res.store(pa);
            if (timed) { const s = timing.access(id, pa, 2 as AccessKind); cyc += s; stall += s; }
          } else {
            this.at(pc, npc, slot, cyc, cyc - stall); this.storeSlow(va, 4, r[(w >>> 16) & 31]);
            if (this.faulted) { synced = true; break batch; }
            cyc = this.curCyc; stall += this.slowStall; if (this.endBatch) budget = 0;
          }
          break;
        }
        case Op.sb: {
          const va = (r[(w >>> 21) & 31] + ((w << 16) >> 16)) | 0, e = (va >>> 12) & 1023;
          if (stag[e] === (va & 0xfffff000)) {
            const pa = sbase[e] + (va & 0xfff);
            u8[pa ^ 3] = r[(w >>> 16) & 31];
            if (res.active !== 0) res.store(pa);
            if (timed) { const s = timing.access(id, pa, 2 as AccessKind); cyc += s; stall += s; }
          } else {
            this.at(pc, npc, slot, cyc, cyc - stall); this.storeSlow(va, 1, r[(w >>> 16) & 31]);
            if (this.faulted) { synced = true; break batch; }
            cyc = this.curCyc; stall += this.slowStall; if (this.endBatch) budget = 0;
          }
          break;
        }
        case Op.sh: {
          const va = (r[(w >>> 21) & 31] + ((w << 16) >> 16)) | 0, e = (va >>> 12) & 1023;
          if (stag[e] === (va & 0xfffff001)) {
            const pa = sbase[e] + (va & 0xfff);
            u16[(pa ^ 2) >>> 1] = r[(w >>> 16) & 31];
            if (res.active !== 0) res.store(pa);
            if (timed) { const s = timing.access(id, pa, 2 as AccessKind); cyc += s; stall += s; }
          } else {
            this.at(pc, npc, slot, cyc, cyc - stall); this.storeSlow(va, 2, r[(w >>> 16) & 31]);
            if (this.faulted) { synced = true; break batch; }
            cyc = this.curCyc; stall += this.slowStall; if (this.endBatch) budget = 0;
          }
          break;
        }
        case Op.swl: case Op.swr: {
          this.at(pc, npc, slot, cyc, cyc - stall);
          this.swlr(op === Op.swl, (r[(w >>> 21) & 31] + ((w << 16) >> 16)) | 0, r[(w >>> 16) & 31]);
          if (this.faulted) { synced = true; break batch; }
          cyc = this.curCyc; stall += this.slowStall; if (this.endBatch) budget = 0;
          break;
        }
        case Op.pref: case Op.sync_: break;

        // ---- traps (condition on rs vs rt, or rs vs simm16) ----
        case Op.tge: case Op.tgeu: case Op.tlt: case Op.tltu: case Op.teq: case Op.tne:
        case Op.tgei: case Op.tgeiu: case Op.tlti: case Op.tltiu: case Op.teqi: case Op.tnei: {
          const a = r[(w >>> 21) & 31];
          const b = op <= Op.tne ? r[(w >>> 16) & 31] : (w << 16) >> 16;
          let t: boolean;
          switch (op) {
            case Op.tge: case Op.tgei: t = a >= b; break;
            case Op.tgeu: case Op.tgeiu: t = (a >>> 0) >= (b >>> 0); break;
            case Op.tlt: case Op.tlti: t = a < b; break;
            case Op.tltu: case Op.tltiu: t = (a >>> 0) < (b >>> 0); break;
            case Op.teq: case Op.teqi: t = a === b; break;
            default: t = a !== b; break;
          }
          if (t) { this.at(pc, npc, slot, cyc, cyc - stall); this.raise(Exc.Tr, 0, 0); synced = true; break batch; }
          break;
        }
        case Op.syscall: this.at(pc, npc, slot, cyc, cyc - stall); this.raise(Exc.Sys, 0, 0); synced = true; break batch;
        case Op.break_: this.at(pc, npc, slot, cyc, cyc - stall); this.raise(Exc.Bp, 0, 0); synced = true; break batch;
        case Op.RI: this.at(pc, npc, slot, cyc, cyc - stall); this.reserved(w); synced = true; break batch;

        // ---- privileged (CP0 / TLB / eret / wait / cache): slow path, always ends the batch ----
        case Op.mfc0: case Op.mtc0: case Op.tlbr: case Op.tlbwi: case Op.tlbwr: case Op.tlbp:
        case Op.eret: case Op.wait_: case Op.cache:
          this.at(pc, npc, slot, cyc, cyc - stall); this.priv(op, w); cyc = this.curCyc; synced = true; break batch;
        default: {
          const never: never = op; throw new Error(`unhandled op ${never as number}`);
        }
      }
      r[0] = 0;
      pc = npc; npc = (npc + 4) | 0; slot = 0;
    }

    if (!synced) { this.pc = pc; this.npc = npc; this.slot = slot; }
    r[0] = 0;
    // accounting: the mode is constant within a batch
    this.cycle += cyc;
    this.counters.instructions += cyc - stall - fetchFault;
    if (mode === Mode.User) this.buckets.user += cyc; else this.buckets.kernel += cyc;
    this.buckets.stall += stall;
    this.curCyc = 0; this.curInstr = 0;
  }

  private compileAt(page: CodePage, wi: number, pc: number): boolean {
    // compile from the current memory contents (refresh the page's decoded copy first)
    const base = this.fpBase;
    for (let i = wi; i < 1024 && i < wi + 64; i++) {
      const w = this.mem[base + i];
      if (page.words[i] !== w) { page.words[i] = w; page.ops[i] = decodeOp(w); }
    }
    const b = compileBlock(page.words, (w) => OP_MNEMONIC[decodeOp(w)], wi, (pc & ~0xfff) | 0);
    if (b === undefined) { page.blen[wi] = -1; return false; }
    page.blen[wi] = b.length; page.bfn[wi] = b.fn; page.bva[wi] = pc;
    return true;
  }

  /** Slow-path load for compiled blocks (state of the instruction passed in). */
  jload(va: number, size: 1 | 2 | 4, pc: number, npc: number, slot: number, idx: number): number {
    this.at(pc, npc, slot, this.blockCyc + idx + 1, this.blockCyc + idx + 1);
    return this.loadSlow(va, size);
  }
  /** Slow-path store for compiled blocks. */
  jstore(va: number, size: 1 | 2 | 4, v: number, pc: number, npc: number, slot: number, idx: number): void {
    this.at(pc, npc, slot, this.blockCyc + idx + 1, this.blockCyc + idx + 1);
    this.storeSlow(va, size, v);
  }
  mulhs(a: number, b: number): number { return mulhs(a, b); }
  mulhu(a: number, b: number): number { return mulhu(a, b); }

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
    const save = this.interceptor; const cp = this.saveExcState();
    this.interceptor = { onException: () => true };
    const pa = this.xlate(va | 0, kind as Kind, 0);
    this.interceptor = save; this.restoreExcState(cp);
    return pa;
  }
  private saveExcState() { return [this.counters.tlbRefill, this.counters.tlbInvalid, this.counters.tlbModified, this.counters.exceptions.slice()] as const; }
  private restoreExcState(s: readonly [number, number, number, number[]]) {
    this.counters.tlbRefill = s[0]; this.counters.tlbInvalid = s[1]; this.counters.tlbModified = s[2];
    for (let i = 0; i < 32; i++) this.counters.exceptions[i] = s[3][i];
  }

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
      cp = { words, ops, blen: new Int16Array(1024), bfn: new Array(1024), bva: new Int32Array(1024), heat: new Uint8Array(1024) };
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

  private priv(op: Op, w: number): void {
    if (OP_PRIVILEGED[op] !== 0 && this.mode !== Mode.Kernel && (this.status & ST_CU0) === 0) {
      this.raise(Exc.CpU, 0, 0, 0);
      return;
    }
    const rt = (w >>> 16) & 31, rd = (w >>> 11) & 31, sel = w & 7;
    switch (op) {
      case Op.mfc0: if (rt !== 0) this.r[rt] = this.readCp0(rd, sel); break;
      case Op.mtc0: this.writeCp0(rd, sel, this.r[rt]); break;
      case Op.tlbr: {
        const oldAsid = this.entryHi & 0xff;
        this.tlb.read(this.index & 63, this);
        if ((this.entryHi & 0xff) !== oldAsid) this.flushSoftTlb();
        break;
      }
      case Op.tlbwi: this.writeTlb(this.index & 63); break;
      case Op.tlbwr: this.writeTlb(this.randomValue()); break;
      case Op.tlbp: this.tlb.probe(this); break;
      case Op.eret: {
        if ((this.status & ST_ERL) !== 0) { this.status &= ~ST_ERL; this.setPc(this.errorEpc); }
        else { this.status &= ~ST_EXL; this.setPc(this.epc); }
        this.reservations.clear(this.id);
        this.updateMode();
        return;
      }
      case Op.wait_: this.state = 'waiting'; break;
      case Op.cache: break;
      default: throw new Error(`priv: unexpected op ${op}`);
    }
    this.skipInstruction();
  }

  /** Write TLB entry `i` from EntryHi/EntryLo0/EntryLo1/PageMask (G = Lo0.G AND Lo1.G). */
  private writeTlb(i: number): void {
    this.writeTlbEntry(i, this.entryHi, this.entryLo0, this.entryLo1, this.pageMask);
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
