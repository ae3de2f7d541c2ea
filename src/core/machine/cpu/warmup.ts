/**
 * Interpreter warm-up, once per process and CPU model, before any guest runs.
 *
 * Why: V8 optimises the interpreter (`execBatch`, generated once per model, and the shared
 * `execSlow`: interp.ts) when it is hot, from the type feedback each operation has collected so
 * far. An operation that has never run has none, so the first guest instruction of a kind the
 * interpreter had not met before it was optimised — a `bgtz`, an `xor`, a call to a second
 * compiled region — throws the optimised code away ("Insufficient type feedback for binary
 * operation", "wrong call target"), and every instruction runs in V8's bytecode interpreter until
 * TurboFan has compiled `execBatch` again (15–30 ms of compilation each time; 2–4 times in every
 * fresh run of a shipped workload, measured with `--trace-deopt`; docs/cpu.md).
 *
 * What: a scratch CPU (its own 64 KiB of memory, TLB and reservations; no interceptor, no timing
 * model calls) runs a generated kseg0 program in kernel mode that holds every row of the
 * instruction table that cannot raise an exception — so every inline arm of `execBatch` and most
 * arms of `execSlow` run — with the registers it reads set to values of every kind (zero, small,
 * negative, the int32 limits), so both outcomes of every branch and compare are seen; then again
 * with region compilation at once, so that the dispatch calls two different compiled regions and
 * sees one of them dropped after its code changed. Nothing of it reaches a guest: the region cache
 * is keyed by content, and the program's code is no guest's.
 *
 * Program layout (word addresses from the code base, every control transfer followed by a `nop`
 * delay slot and aimed at the instruction after its slot, so the program runs straight through
 * whichever way a branch goes; a likely branch not taken skips its `nop`):
 *
 *   rows:   one instance of each row: rd = $10, rt = $9, rs = $11 (memory rows: base $8 + 4,
 *           or + 5 for lwl/lwr/swl/swr, + 0 for ll/sc; jr/jalr through $12, loaded by lui/ori;
 *           add/sub/addi on $14 and $15, which never overflow; the conditional traps left out)
 *   priv:   mfc0 of every CP0 register, mtc0 to the harmless ones, tlbp/tlbr/tlbwi/tlbwr, cache,
 *           eret (to the next instruction: ErrorEPC and EPC are set first)
 *   end:    j rows; nop
 *
 * Two more pages hold a two-block loop each (two region functions at the dispatch's one call
 * site), and three pages spin on themselves for the user-mode, fetch-fault and `wait` passes.
 */
import { INSTRUCTIONS } from '../../isa/table';
import { SEMANTICS, OP_ID } from './semantics';

/** What the warm-up needs of a CPU (the `Cpu` class; structural, so this file does not import core.ts). */
export interface WarmCpu {
  readonly r: Int32Array;
  jit: boolean;
  jitThreshold: number;
  cycle: number;
  setPc(pc: number): void;
  run(untilCycle: number): void;
  writeCp0(reg: number, sel: number, value: number): void;
  readCp0(reg: number, sel?: number): number;
  writeTlbEntry(i: number, entryHi: number, lo0: number, lo1: number, pageMask: number): void;
}

/** Physical layout of the scratch memory. */
export const WARM_BYTES = 64 * 1024;
const VECTOR = 0x180, CODE = 0x1000, LOOP = 0x3000, LOOP2 = 0x6000, USER = 0x4000, IDLE = 0x5000, DATA = 0x8000;
/** Where the user page is mapped (kuseg). */
const USER_VA = 0x00400000;
const K0 = 0x80000000;
const C0_COUNT = 9, C0_COMPARE = 11, C0_STATUS = 12;

const spec = (m: string) => INSTRUCTIONS[OP_ID.get(m)! - 1];
const enc = (m: string, f: { rs?: number; rt?: number; rd?: number; sa?: number; imm?: number; index?: number } = {}) =>
  (spec(m).match | ((f.rs ?? 0) << 21) | ((f.rt ?? 0) << 16) | ((f.rd ?? 0) << 11) | ((f.sa ?? 0) << 6)
    | ((f.imm ?? 0) & 0xffff) | ((f.index ?? 0) & 0x3ffffff)) | 0;
const NOP = 0;

/** `lui/ori $reg, value`. */
const li = (reg: number, v: number) => [enc('lui', { rt: reg, imm: v >>> 16 }), enc('ori', { rt: reg, rs: reg, imm: v & 0xffff })];

/** The main program's words, to be placed at kseg0 `K0 + CODE`. */
export function warmupProgram(): number[] {
  const out: number[] = [];
  const pc = () => (K0 + CODE + out.length * 4) | 0;
  for (const sem of SEMANTICS) {
    if (sem === undefined || sem.privileged) continue;
    const s = sem.spec, m = s.mnemonic;
    if (sem.body.some((x) => x.k === 'raise')) {
      // add, sub, addi on $14 and $15 (small values: no overflow); the traps are left out
      if (s.category !== 'alu') continue;
      out.push(s.operands.includes('simm16') ? enc(m, { rs: 14, rt: 9, imm: 7 }) : enc(m, { rs: 14, rt: 15, rd: 10 }));
      continue;
    }
    if (sem.control !== undefined) {
      if (m === 'jr' || m === 'jalr') {
        out.push(...li(12, (pc() + 16) | 0));   // after lui, ori, the jump and its slot
        out.push(enc(m, { rs: 12, rd: m === 'jalr' ? 10 : 0 }), NOP);
      } else if (s.operands.includes('jtarget')) {
        out.push(enc(m, { index: ((pc() + 8) >>> 2) }), NOP);
      } else {
        out.push(enc(m, { rs: 11, rt: s.operands.includes('rt') ? 9 : 0, imm: 1 }), NOP);   // target: after the slot
      }
      continue;
    }
    if (s.operands.includes('mem')) {
      const off = m === 'lwl' || m === 'lwr' || m === 'swl' || m === 'swr' ? 5 : m === 'll' || m === 'sc' ? 0 : 4;
      out.push(enc(m, { rs: 8, rt: 9, imm: off }));
      continue;
    }
    // only the fields the row has (the others are fixed by its mask)
    const has = (k: string) => s.operands.includes(k as never);
    out.push(enc(m, {
      rs: has('rs') ? 11 : 0, rt: s.tie === 'rt=rd' ? 10 : has('rt') ? 9 : 0, rd: has('rd') ? 10 : 0, sa: has('sa') ? 5 : 0,
      imm: has('simm16') ? -3 : has('uimm16') ? 0x8001 : 0,
    }));
  }
  // privileged rows through execSlow (kernel mode): reads of every register, harmless writes
  for (const reg of [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 30]) out.push(enc('mfc0', { rt: 9, rd: reg }));
  out.push(enc('mfc0', { rt: 9, rd: 16 }) | 1);   // Config1 (sel 1)
  for (const reg of [0, 2, 3, 4, 5, 6, 10, 11, 14, 30]) out.push(enc('mtc0', { rt: 11, rd: reg }));
  out.push(enc('tlbp'), enc('tlbr'), enc('tlbwi'), enc('tlbwr'), enc('cache', { rs: 8, imm: 4 }));
  out.push(...li(12, (pc() + 20) | 0), enc('mtc0', { rt: 12, rd: 30 }), enc('mtc0', { rt: 12, rd: 14 }), enc('eret'));
  out.push(enc('j', { index: (K0 + CODE) >>> 2 }), NOP);
  return out;
}

/** A loop page: `$10 += 1` in a loop of 8 (two blocks), forever. */
function loopProgram(): number[] {
  return [
    enc('addiu', { rt: 13, imm: 8 }),                         // 0: $13 = 8
    enc('addiu', { rt: 10, rs: 10, imm: 1 }),                 // 1: loop: $10 += 1
    enc('addiu', { rt: 13, rs: 13, imm: -1 }),                // 2: $13 -= 1
    enc('bne', { rs: 13, imm: -3 }), NOP,                      // 3: → 1
    enc('beq', { imm: -7 }), NOP,                             // 5: → 0
  ];
}

/** A page that loops on itself: `$10 += 1; b .; nop` (user mode, then the idle pass). */
const spin = () => [enc('addiu', { rt: 10, rs: 10, imm: 1 }), enc('beq', { imm: -2 }), NOP];

/** Register values the program's rows read ($9, $11): every kind of int32. */
const VALUES: readonly [number, number][] = [
  [0, 0], [1, 0], [-1, 5], [0x7fffffff, -0x80000000], [0x12345678, 0x12345678], [-3, 0x9abcdef0 | 0], [-0x80000000, -1], [100, 7],
];

/**
 * Runs the warm-up on `cpu`, a fresh CPU over a scratch memory of `WARM_BYTES` (`words` its
 * word view), in passes: the main program interpreted with every register value set; the two
 * loop pages with regions compiled at once (two region functions at the dispatch's one call
 * site), then one of them again after a word of it changed (its region is dropped); a spin page
 * in user mode; a fetch that takes a TLB refill; a `wait` woken by the timer interrupt. The CPU
 * is left in kernel mode with interrupts off. About 1,800 instructions (5–10 ms in a fresh
 * process, most of it V8 compiling the interpreter's bytecode, which the first run would do anyway).
 */
export function runWarmup(cpu: WarmCpu, words: Int32Array): void {
  const prog = warmupProgram(), loop = loopProgram();
  prog.forEach((w, i) => { words[(CODE >>> 2) + i] = w; });
  loop.forEach((w, i) => { words[(LOOP >>> 2) + i] = w; words[(LOOP2 >>> 2) + i] = w; });
  words[(LOOP2 >>> 2) + 2] = enc('addiu', { rt: 13, rs: 13, imm: -2 });   // another region function
  const r = cpu.r;
  const pass = (v: readonly [number, number], start: number, cycles = prog.length + 4) => {
    r[8] = (K0 + DATA) | 0; r[9] = v[0]; r[11] = v[1]; r[14] = 3; r[15] = 5;
    cpu.setPc(start);
    cpu.run(cpu.cycle + cycles);
  };
  cpu.jit = false;
  for (const v of VALUES) pass(v, (K0 + CODE) | 0);
  // compiled at once: the two loop pages only (generating a region of every row would cost
  // more than it saves); then one loop page's first word changes, so its region is dropped
  cpu.jit = true; cpu.jitThreshold = 1;
  for (const v of VALUES.slice(0, 3)) { pass(v, (K0 + LOOP) | 0, 64); pass(v, (K0 + LOOP2) | 0, 64); }
  words[LOOP >>> 2] = enc('addiu', { rt: 13, imm: 9 });
  pass(VALUES[0], (K0 + LOOP) | 0, 64);
  cpu.jit = false;
  // user mode (its own accounting bucket): the spin page mapped at USER_VA (TLB entry 0: even
  // page USER, V, D, G, cacheable), Status KSU = user, EXL = ERL = BEV = 0
  spin().forEach((w, i) => { words[(USER >>> 2) + i] = w; words[(IDLE >>> 2) + i] = w; });
  const lo = (pa: number) => ((pa >>> 12) << 6) | (3 << 3) | 0x7;
  cpu.writeTlbEntry(0, USER_VA, lo(USER), 0, 0);
  cpu.writeCp0(C0_STATUS, 0, 0x10);
  cpu.setPc(USER_VA);
  cpu.run(cpu.cycle + 64);
  // a fetch that faults (kernel mode, ERL = 0: an unmapped kuseg page), the refill handler at
  // the vector returning to the spin page through EPC
  words[0] = enc('mtc0', { rt: 12, rd: 14 }); words[1] = enc('eret');
  cpu.writeCp0(C0_STATUS, 0, 0);
  r[12] = (K0 + IDLE) | 0;
  cpu.setPc(0x00800000);
  cpu.run(cpu.cycle + 64);
  // a timer interrupt taken while waiting: `wait` in kernel mode with IE and IM7, Compare a few
  // counts ahead; the handler at the general vector writes Compare (clearing IP7) and returns
  words[VECTOR >>> 2] = enc('mtc0', { rd: C0_COMPARE }); words[(VECTOR >>> 2) + 1] = enc('eret');
  words[(IDLE - 8) >>> 2] = enc('wait'); words[(IDLE - 4) >>> 2] = NOP;
  cpu.writeCp0(C0_STATUS, 0, 0x8001);
  cpu.writeCp0(C0_COMPARE, 0, (cpu.readCp0(C0_COUNT) + 8) | 0);
  cpu.setPc((K0 + IDLE - 8) | 0);
  cpu.run(cpu.cycle + 64);
  cpu.writeCp0(C0_STATUS, 0, 0);
}
