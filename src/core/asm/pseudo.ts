/**
 * Pseudo-instructions and the gas macro forms of real mnemonics, as a TABLE of expansions.
 * Each form names the operand shape it accepts (`r` register, `i` expression, `m` memory
 * `off(base)`), documents its expansion, and builds the machine instructions. The expansions
 * are those of `mips-linux-gnu-as -march=mips32 -O0` (verified by the differential tests).
 *
 * Expansions that contain their own branches (`div`, `rem`, `abs`) fill those delay slots
 * themselves (`noFill`); every other branch/jump gets a `nop` in `.set reorder` mode like any
 * branch the user writes. `$at` ($1) is the scratch register; using a form that needs it after
 * `.set noat` is an error, as in gas.
 */
import type { Expr } from './expr';
import type { Operand } from './operands';

export type Arg =
  | { k: 'r'; n: number }
  /** `fit16`: pass 2 requires the value to be a signed 16-bit number (see `li`). */
  | { k: 'e'; e: Expr; col: number; end: number; fit16?: string }
  | { k: 'm'; base: number; e: Expr | undefined; col: number; end: number };

/** One machine instruction of an expansion. `mn` is a table mnemonic. */
export interface Out { mn: string; a: Arg[]; noFill?: boolean }

/** What an expansion may ask about its operands (pass 1). */
export interface PseudoCtx {
  /** Value of an expression if it is a constant known now (no labels, no forward symbols). */
  cval(e: Expr | undefined): bigint | undefined;
  /** Note that the expansion uses `$at`. */
  useAt(): void;
  /** Report an operand error (at the operand's columns). */
  error(col: number, end: number, message: string): void;
  warn(col: number, end: number, message: string): void;
}

export interface PseudoForm {
  mnemonic: string;
  /** Operand shape, e.g. `r,r,i`. */
  shape: string;
  /** Syntax shown in docs, e.g. `li rt, imm`. */
  syntax: string;
  /** Expansion shown in docs. */
  expansion: string;
  /** Extra applicability test beyond the shape (first matching form wins). */
  when?: (o: Operand[], c: PseudoCtx) => boolean;
  expand: (o: Operand[], c: PseudoCtx) => Out[];
}

const AT = 1;
const R = (n: number): Arg => ({ k: 'r', n });
const reg = (o: Operand): Arg => R(o.t === 'reg' ? o.n : 0);
const rn = (o: Operand): number => (o.t === 'reg' ? o.n : -1);
const ex = (o: Operand): Arg => (o.t === 'imm' ? { k: 'e', e: o.e, col: o.col, end: o.end } : { k: 'e', e: { k: 'num', v: 0n }, col: o.col, end: o.end });
const num = (v: bigint | number, col = 0, end = 1): Arg => ({ k: 'e', e: { k: 'num', v: BigInt(v) }, col, end });
const expr = (e: Expr, o: Operand): Arg => ({ k: 'e', e, col: o.col, end: o.end });
const mem = (base: number, e: Expr | undefined, o: Operand): Arg => ({ k: 'm', base, e, col: o.col, end: o.end });
const here = (delta: number): Arg => ({ k: 'e', e: { k: 'here', delta }, col: 0, end: 1 });
const I = (mn: string, ...a: Arg[]): Out => ({ mn, a });
const NF = (o: Out): Out => ({ ...o, noFill: true });
const offOf = (o: Operand): Expr | undefined => (o.t === 'imm' ? o.e : o.t === 'mem' ? o.off : undefined);
const valOf = (o: Operand, c: PseudoCtx) => (o.t === 'imm' ? c.cval(o.e) : undefined);

const fitsS16 = (v: bigint | undefined) => v !== undefined && v >= -0x8000n && v < 0x8000n;
const fitsU16 = (v: bigint | undefined) => v !== undefined && v >= 0n && v <= 0xffffn;
const isHalf = (e: Expr | undefined) => e !== undefined && (e.k === 'hi' || e.k === 'lo');
/** An `off(base)` offset usable directly in a load/store: absent, a 16-bit constant, or %lo/%hi. */
export const memFits = (e: Expr | undefined, c: Pick<PseudoCtx, 'cval'>) => e === undefined || isHalf(e) || fitsS16(c.cval(e));

const LI_FIT16 = 'li of a value not known at this point (a forward symbol or an address) assembles to one addiu, as in gas; the value must fit in 16 signed bits — define the constant before use, or use la for an address';

/**
 * `li rt, value`: the shortest gas sequence for a constant known now. A value not known yet is
 * one `addiu rt, $0, value` (gas emits that with a LO16 fixup); where gas would silently keep only
 * the low 16 bits we report an error instead.
 */
function li(rt: number, o: Operand, c: PseudoCtx): Out[] {
  const e = offOf(o) ?? { k: 'num', v: 0n } as Expr;
  const v64 = c.cval(e);
  if (v64 === undefined) return [I('addiu', R(rt), R(0), { k: 'e', e, col: o.col, end: o.end, fit16: LI_FIT16 })];
  return liConst(rt, o, v64, c);
}

/** `la rt, addr`: `lui`/`addiu` with %hi/%lo for an address; a constant known now as `li`. */
function la(rt: number, o: Operand, c: PseudoCtx): Out[] {
  const e = offOf(o) ?? { k: 'num', v: 0n } as Expr;
  const v64 = c.cval(e);
  if (v64 === undefined) return [I('lui', R(rt), expr({ k: 'hi', a: e }, o)), I('addiu', R(rt), R(rt), expr({ k: 'lo', a: e }, o))];
  return liConst(rt, o, v64, c);
}

function liConst(rt: number, o: Operand, v64: bigint, c: PseudoCtx): Out[] {
  if (v64 < -0x80000000n || v64 > 0xffffffffn) c.error(o.col, o.end, `value ${v64} does not fit in 32 bits`);
  // 0xffffffff and -1 are the same 32-bit value (gas picks the sequence from the signed view)
  const v = BigInt.asIntN(32, v64);
  const u = BigInt.asUintN(32, v);
  if (fitsS16(v)) return [I('addiu', R(rt), R(0), num(v, o.col, o.end))];
  if (fitsU16(v)) return [I('ori', R(rt), R(0), num(v, o.col, o.end))];
  if ((u & 0xffffn) === 0n) return [I('lui', R(rt), num(u >> 16n, o.col, o.end))];
  return [I('lui', R(rt), num(u >> 16n, o.col, o.end)), I('ori', R(rt), R(rt), num(u & 0xffffn, o.col, o.end))];
}
const liAt = (o: Operand, c: PseudoCtx): Out[] => { c.useAt(); return li(AT, o, c); };

/** Loads/stores whose address is a symbol, a large constant, or `big(base)`. */
function memMacro(mn: string, tempIsRt: boolean) {
  return (o: Operand[], c: PseudoCtx): Out[] => {
    const rt = rn(o[0]);
    const a = o[1];
    const e = offOf(a) ?? { k: 'num', v: 0n } as Expr;
    const base = a.t === 'mem' ? a.base : 0;
    const v = c.cval(e);
    if (base === 0 && fitsS16(v)) return [I(mn, R(rt), mem(0, e, a))];
    const t = tempIsRt && rt !== 0 && rt !== base ? rt : AT;
    if (t === AT) c.useAt();
    const out: Out[] = [];
    if (v !== undefined) {
      const lo = BigInt.asIntN(16, v);
      out.push(I('lui', R(t), num(BigInt.asUintN(16, (v - lo) >> 16n), a.col, a.end)));
      if (base) out.push(I('addu', R(t), R(t), R(base)));
      out.push(I(mn, R(rt), mem(t, { k: 'num', v: lo }, a)));
    } else {
      out.push(I('lui', R(t), expr({ k: 'hi', a: e }, a)));
      if (base) out.push(I('addu', R(t), R(t), R(base)));
      out.push(I(mn, R(rt), mem(t, { k: 'lo', a: e }, a)));
    }
    return out;
  };
}

/** `op rd, rs, imm` for a three-register ALU op: the immediate form when it fits, else via $at. */
function aluImm(rop: string, iop: string | undefined, fits: (v: bigint | undefined) => boolean, negate = false): PseudoForm['expand'] {
  return (o, c) => {
    const v = valOf(o[2], c);
    if (iop && v !== undefined && fits(negate ? -v : v)) return [I(iop, reg(o[0]), reg(o[1]), num(negate ? -v : v, o[2].col, o[2].end))];
    if (iop && v === undefined && o[2].t === 'imm' && isHalf(o[2].e) && !negate) return [I(iop, reg(o[0]), reg(o[1]), ex(o[2]))];
    if (rop === 'nor' && fitsU16(v)) return [I('ori', reg(o[0]), reg(o[1]), num(v!, o[2].col, o[2].end)), I('nor', reg(o[0]), reg(o[0]), R(0))];
    return [...liAt(o[2], c), I(rop, reg(o[0]), reg(o[1]), R(AT))];
  };
}

// ---- conditional branches built from slt/sltu ----
type Cmp = 'lt' | 'gt' | 'le' | 'ge';
const ZERO_BR: Record<Cmp, string> = { lt: 'bltz', ge: 'bgez', gt: 'bgtz', le: 'blez' };
/** `$0 <cmp> rt` as a compare of rt with zero. */
const ZERO_BR_SWAPPED: Record<Cmp, string> = { lt: 'bgtz', ge: 'blez', gt: 'bltz', le: 'bgez' };
/** A compare that always holds: `b label`, with gas's warning. */
function always(cmp: Cmp, u: boolean, t: Arg, o: Operand, c: PseudoCtx): Out[] {
  c.warn(o.col, o.end, `branch b${cmp}${u ? 'u' : ''} is always true`);
  return [I('beq', R(0), R(0), t)];
}
/** A compare that never holds: gas emits a single `nop` in place of the branch and its slot. */
const never = (): Out[] => [I('sll', R(0), R(0), num(0))];

/** Branch if rs <cmp> rt; `u` = unsigned. Special cases with $zero follow gas. */
function cmpBranch(cmp0: Cmp, u: boolean) {
  const slt = u ? 'sltu' : 'slt';
  return (o: Operand[], c: PseudoCtx): Out[] => {
    let cmp = cmp0;
    const t = ex(o[2]);
    let s = rn(o[0]);
    let r: number;
    const pre: Out[] = [];
    if (o[1].t === 'imm') {
      const raw = c.cval(o[1].e);
      const v0 = raw === undefined ? undefined : u ? BigInt.asUintN(32, raw) : BigInt.asIntN(32, raw);
      // rs > imm  is  !(rs >= imm + 1)  and  rs <= imm  is  rs < imm + 1  (gas rewrites them so)
      if (v0 === 0n && !u) return [I(ZERO_BR[cmp], R(s), t)];
      if (v0 === 0n && u && (cmp === 'gt' || cmp === 'le')) return [I(cmp === 'gt' ? 'bne' : 'beq', R(s), R(0), t)];
      const plus1 = cmp === 'gt' || cmp === 'le';
      const v = v0 === undefined ? undefined : plus1 ? v0 + 1n : v0;
      if (plus1) cmp = cmp === 'gt' ? 'ge' : 'lt';
      if (v === (u ? 1n << 32n : 1n << 31n)) return cmp === 'lt' ? always(cmp0, u, t, o[1], c) : never(); // imm + 1 overflowed
      if (u && v === 0n) return cmp === 'ge' ? always(cmp0, u, t, o[1], c) : never();
      if (v === 0n && !u) return [I(ZERO_BR[cmp], R(s), t)];
      if (fitsS16(v) && v !== 0n) {
        c.useAt();
        return [I(u ? 'sltiu' : 'slti', R(AT), R(s), num(v!, o[1].col, o[1].end)), I(cmp === 'lt' ? 'bne' : 'beq', R(AT), R(0), t)];
      }
      pre.push(...(plus1 && v !== undefined ? liAt({ ...o[1], e: { k: 'num', v } }, c) : liAt(o[1], c)));
      r = AT;
    } else r = rn(o[1]);
    if (!u && r === 0) return [...pre, I(ZERO_BR[cmp], R(s), t)];
    if (!u && s === 0) return [...pre, I(ZERO_BR_SWAPPED[cmp], R(r), t)];
    if (u && r === 0 && (cmp === 'gt' || cmp === 'le')) return [...pre, I(cmp === 'gt' ? 'bne' : 'beq', R(s), R(0), t)];
    if (u && ((r === 0 && cmp === 'ge') || (s === 0 && cmp === 'le'))) return always(cmp0, u, t, o[1], c);
    if (u && ((r === 0 && cmp === 'lt') || (s === 0 && cmp === 'gt'))) return never();
    if (u && s === 0 && (cmp === 'lt' || cmp === 'ge')) return [...pre, I(cmp === 'lt' ? 'bne' : 'beq', R(0), R(r), t)];
    c.useAt();
    // lt: slt at,s,r; bne   ge: slt at,s,r; beq   gt: slt at,r,s; bne   le: slt at,r,s; beq
    if (cmp === 'gt' || cmp === 'le') [s, r] = [r, s];
    return [...pre, I(slt, R(AT), R(s), R(r)), I(cmp === 'lt' || cmp === 'gt' ? 'bne' : 'beq', R(AT), R(0), t)];
  };
}

/** `div`/`rem` (signed/unsigned) with a destination: gas's checked sequences. */
function divMacro(op: 'div' | 'divu', mf: 'mflo' | 'mfhi'): PseudoForm['expand'] {
  return (o, c) => {
    const rd = rn(o[0]), rs = rn(o[1]);
    if (o[2].t === 'imm') {
      const v = c.cval(o[2].e);
      const rem = mf === 'mfhi';
      if (v === 0n) { c.warn(o[2].col, o[2].end, 'divide by zero'); return [I('break', num(7))]; }
      if (v === 1n) return [I('or', R(rd), R(rem ? 0 : rs), R(0))];
      if (v === -1n && op === 'div') return [rem ? I('or', R(rd), R(0), R(0)) : I('sub', R(rd), R(0), R(rs))];
      return [...liAt(o[2], c), I(op, R(rs), R(AT)), I(mf, R(rd))];
    }
    const rt = rn(o[2]);
    const out: Out[] = [NF(I('bne', R(rt), R(0), here(12))), I(op, R(rs), R(rt)), I('break', num(7))];
    if (op === 'div') {
      c.useAt();
      out.push(I('addiu', R(AT), R(0), num(-1)), NF(I('bne', R(rt), R(AT), here(20))), I('lui', R(AT), num(0x8000)),
        NF(I('bne', R(rs), R(AT), here(12))), I('sll', R(0), R(0), num(0)), I('break', num(6)));
    }
    out.push(I(mf, R(rd)));
    return out;
  };
}

function setCmp(kind: 'seq' | 'sne'): PseudoForm['expand'] {
  return (o, c) => {
    const rd = reg(o[0]), rs = reg(o[1]);
    const test = kind === 'seq' ? I('sltiu', rd, rd, num(1)) : I('sltu', rd, R(0), rd);
    if (o[2].t === 'reg') {
      if (o[2].n === 0) return [kind === 'seq' ? I('sltiu', rd, rs, num(1)) : I('sltu', rd, R(0), rs)];
      return [I('xor', rd, rs, reg(o[2])), test];
    }
    const v = valOf(o[2], c);
    if (v === 0n) return [kind === 'seq' ? I('sltiu', rd, rs, num(1)) : I('sltu', rd, R(0), rs)];
    if (fitsU16(v)) return [I('xori', rd, rs, num(v!, o[2].col, o[2].end)), test];
    if (v !== undefined && v < 0n && v > -0x8000n) return [I('addiu', rd, rs, num(-v, o[2].col, o[2].end)), test];
    return [...liAt(o[2], c), I('xor', rd, rs, R(AT)), test];
  };
}

const ALU_IMM: [string, string | undefined, (v: bigint | undefined) => boolean, boolean][] = [
  ['add', 'addi', fitsS16, false], ['addu', 'addiu', fitsS16, false], ['sub', 'addi', fitsS16, true], ['subu', 'addiu', fitsS16, true],
  ['and', 'andi', fitsU16, false], ['or', 'ori', fitsU16, false], ['xor', 'xori', fitsU16, false], ['nor', undefined, fitsU16, false], // nor: ori + nor
  ['slt', 'slti', fitsS16, false], ['sltu', 'sltiu', fitsS16, false], ['mul', undefined, fitsS16, false],
];
const LOADS_RT = ['lb', 'lbu', 'lh', 'lhu', 'lw', 'll'];
const LOADS_AT = ['lwl', 'lwr', 'sb', 'sh', 'sw', 'swl', 'swr', 'sc'];

export const PSEUDO: readonly PseudoForm[] = [
  { mnemonic: 'nop', shape: '', syntax: 'nop', expansion: 'sll $0, $0, 0', expand: () => [I('sll', R(0), R(0), num(0))] },
  { mnemonic: 'ssnop', shape: '', syntax: 'ssnop', expansion: 'sll $0, $0, 1 (superscalar no-op)', expand: () => [I('sll', R(0), R(0), num(1))] },
  { mnemonic: 'ehb', shape: '', syntax: 'ehb', expansion: 'sll $0, $0, 3 (execution hazard barrier; a nop before Release 2)', expand: () => [I('sll', R(0), R(0), num(3))] },
  { mnemonic: 'li', shape: 'r,i', syntax: 'li rt, imm', expansion: 'addiu rt,$0,imm (−32768..32767) | ori rt,$0,imm (≤ 0xffff) | lui rt,hi (low half 0) | lui rt,hi; ori rt,rt,lo; a value not known yet (forward symbol, address): addiu rt,$0,value, which must then fit in 16 signed bits', expand: (o, c) => li(rn(o[0]), o[1], c) },
  { mnemonic: 'la', shape: 'r,i', syntax: 'la rt, addr', expansion: 'lui rt,%hi(addr); addiu rt,rt,%lo(addr) (a constant known now: as li)', expand: (o, c) => la(rn(o[0]), o[1], c) },
  {
    mnemonic: 'la', shape: 'r,m', syntax: 'la rt, off(base)', expansion: 'addiu rt,base,off | la rt,off; addu rt,rt,base',
    expand: (o, c) => {
      const m = o[1] as Extract<Operand, { t: 'mem' }>;
      const v = c.cval(m.off ?? { k: 'num', v: 0n });
      if (fitsS16(v) || isHalf(m.off)) return [I('addiu', reg(o[0]), R(m.base), m.off ? expr(m.off, m) : num(0))];
      const rt = rn(o[0]);
      const t = rt === m.base ? AT : rt;
      if (t === AT) c.useAt();
      return [...la(t, { t: 'imm', e: m.off!, col: m.col, end: m.end }, c), I('addu', reg(o[0]), R(t), R(m.base))];
    },
  },
  { mnemonic: 'move', shape: 'r,r', syntax: 'move rd, rs', expansion: 'or rd, rs, $0', expand: (o) => [I('or', reg(o[0]), reg(o[1]), R(0))] },
  { mnemonic: 'b', shape: 'i', syntax: 'b label', expansion: 'beq $0, $0, label', expand: (o) => [I('beq', R(0), R(0), ex(o[0]))] },
  { mnemonic: 'bal', shape: 'i', syntax: 'bal label', expansion: 'bgezal $0, label', expand: (o) => [I('bgezal', R(0), ex(o[0]))] },
  { mnemonic: 'beqz', shape: 'r,i', syntax: 'beqz rs, label', expansion: 'beq rs, $0, label', expand: (o) => [I('beq', reg(o[0]), R(0), ex(o[1]))] },
  { mnemonic: 'bnez', shape: 'r,i', syntax: 'bnez rs, label', expansion: 'bne rs, $0, label', expand: (o) => [I('bne', reg(o[0]), R(0), ex(o[1]))] },
  ...['beql', 'bnel'].map((mn) => ({
    mnemonic: mn, shape: 'r,i,i', syntax: `${mn} rs, imm, label`, expansion: `${mn} rs, $0, label (imm 0) | li $at, imm; ${mn} rs, $at, label`,
    expand: (o: Operand[], c: PseudoCtx) => (c.cval((o[1] as { e: Expr }).e) === 0n ? [I(mn, reg(o[0]), R(0), ex(o[2]))] : [...liAt(o[1], c), I(mn, reg(o[0]), R(AT), ex(o[2]))]),
  })),
  {
    mnemonic: 'beq', shape: 'r,i,i', syntax: 'beq rs, imm, label', expansion: 'beq rs,$0,label (imm 0) | li $at, imm; beq rs, $at, label',
    expand: (o, c) => (c.cval((o[1] as { e: Expr }).e) === 0n ? [I('beq', reg(o[0]), R(0), ex(o[2]))] : [...liAt(o[1], c), I('beq', reg(o[0]), R(AT), ex(o[2]))]),
  },
  {
    mnemonic: 'bne', shape: 'r,i,i', syntax: 'bne rs, imm, label', expansion: 'bne rs,$0,label (imm 0) | li $at, imm; bne rs, $at, label',
    expand: (o, c) => (c.cval((o[1] as { e: Expr }).e) === 0n ? [I('bne', reg(o[0]), R(0), ex(o[2]))] : [...liAt(o[1], c), I('bne', reg(o[0]), R(AT), ex(o[2]))]),
  },
  ...(['lt', 'gt', 'le', 'ge'] as Cmp[]).flatMap((cmp) => [false, true].flatMap((u) => {
    const mn = `b${cmp}${u ? 'u' : ''}`;
    const s = u ? 'sltu' : 'slt';
    const [a, b] = cmp === 'gt' || cmp === 'le' ? ['rt', 'rs'] : ['rs', 'rt'];
    const br = cmp === 'lt' || cmp === 'gt' ? 'bne' : 'beq';
    return ['r,r,i', 'r,i,i'].map((shape) => ({
      mnemonic: mn, shape, syntax: `${mn} rs, ${shape === 'r,r,i' ? 'rt' : 'imm'}, label`,
      expansion: shape === 'r,r,i' ? `${s} $at, ${a}, ${b}; ${br} $at, $0, label (with $0 operand: the matching compare-with-zero branch)` : `${s}i $at, rs, imm${cmp === 'gt' || cmp === 'le' ? '+1' : ''}; ${br} $at, $0, label (imm 0: compare-with-zero branch; large imm: via li $at)`,
      expand: cmpBranch(cmp, u),
    }));
  })),
  { mnemonic: 'neg', shape: 'r,r', syntax: 'neg rd, rs', expansion: 'sub rd, $0, rs', expand: (o) => [I('sub', reg(o[0]), R(0), reg(o[1]))] },
  { mnemonic: 'neg', shape: 'r', syntax: 'neg rd', expansion: 'sub rd, $0, rd', expand: (o) => [I('sub', reg(o[0]), R(0), reg(o[0]))] },
  { mnemonic: 'negu', shape: 'r,r', syntax: 'negu rd, rs', expansion: 'subu rd, $0, rs', expand: (o) => [I('subu', reg(o[0]), R(0), reg(o[1]))] },
  { mnemonic: 'negu', shape: 'r', syntax: 'negu rd', expansion: 'subu rd, $0, rd', expand: (o) => [I('subu', reg(o[0]), R(0), reg(o[0]))] },
  { mnemonic: 'not', shape: 'r,r', syntax: 'not rd, rs', expansion: 'nor rd, rs, $0', expand: (o) => [I('nor', reg(o[0]), reg(o[1]), R(0))] },
  { mnemonic: 'not', shape: 'r', syntax: 'not rd', expansion: 'nor rd, rd, $0', expand: (o) => [I('nor', reg(o[0]), reg(o[0]), R(0))] },
  {
    mnemonic: 'abs', shape: 'r,r', syntax: 'abs rd, rs', expansion: 'bgez rs, 1f; or rd, rs, $0 (delay slot); sub rd, $0, rs; 1:',
    expand: (o) => [NF(I('bgez', reg(o[1]), here(12))), rn(o[0]) === rn(o[1]) ? I('sll', R(0), R(0), num(0)) : I('or', reg(o[0]), reg(o[1]), R(0)), I('sub', reg(o[0]), R(0), reg(o[1]))],
  },
  { mnemonic: 'abs', shape: 'r', syntax: 'abs rd', expansion: 'bgez rd, 1f; nop; sub rd, $0, rd; 1:', expand: (o) => [NF(I('bgez', reg(o[0]), here(12))), I('sll', R(0), R(0), num(0)), I('sub', reg(o[0]), R(0), reg(o[0]))] },
  { mnemonic: 'mul', shape: 'r,r,i', syntax: 'mul rd, rs, imm', expansion: 'li $at, imm; mult rs, $at; mflo rd', expand: (o, c) => [...liAt(o[2], c), I('mult', reg(o[1]), R(AT)), I('mflo', reg(o[0]))] },
  { mnemonic: 'div', shape: 'r,r,r', syntax: 'div $0, rs, rt', expansion: 'div rs, rt (no checks)', when: (o) => rn(o[0]) === 0, expand: (o) => [I('div', reg(o[1]), reg(o[2]))] },
  { mnemonic: 'divu', shape: 'r,r,r', syntax: 'divu $0, rs, rt', expansion: 'divu rs, rt (no checks)', when: (o) => rn(o[0]) === 0, expand: (o) => [I('divu', reg(o[1]), reg(o[2]))] },
  ...([['div', 'div', 'mflo'], ['divu', 'divu', 'mflo'], ['rem', 'div', 'mfhi'], ['remu', 'divu', 'mfhi']] as const).flatMap(([mn, op, mf]) => [
    {
      mnemonic: mn, shape: 'r,r,r', syntax: `${mn} rd, rs, rt`,
      expansion: `bne rt,$0,1f; ${op} $0,rs,rt (slot); break 7; 1:${op === 'div' ? ' li $at,-1; bne rt,$at,2f; lui $at,0x8000 (slot); bne rs,$at,2f; nop; break 6; 2:' : ''} ${mf} rd`,
      expand: divMacro(op, mf),
    },
    { mnemonic: mn, shape: 'r,r,i', syntax: `${mn} rd, rs, imm`, expansion: `li $at, imm; ${op} $0, rs, $at; ${mf} rd`, expand: divMacro(op, mf) },
    { mnemonic: mn, shape: 'r,r', syntax: `${mn} rs, rt`, expansion: `${mn} rs, rs, rt (gas: the two-operand form is the checked macro too)`, expand: (o: Operand[], c: PseudoCtx) => divMacro(op, mf)([o[0], o[0], o[1]], c) },
    { mnemonic: mn, shape: 'r,i', syntax: `${mn} rs, imm`, expansion: `${mn} rs, rs, imm`, expand: (o: Operand[], c: PseudoCtx) => divMacro(op, mf)([o[0], o[0], o[1]], c) },
  ]),
  { mnemonic: 'seq', shape: 'r,r,r', syntax: 'seq rd, rs, rt', expansion: 'xor rd, rs, rt; sltiu rd, rd, 1', expand: setCmp('seq') },
  { mnemonic: 'seq', shape: 'r,r,i', syntax: 'seq rd, rs, imm', expansion: 'sltiu rd, rs, 1 (imm 0) | xori rd, rs, imm; sltiu rd, rd, 1', expand: setCmp('seq') },
  { mnemonic: 'sne', shape: 'r,r,r', syntax: 'sne rd, rs, rt', expansion: 'xor rd, rs, rt; sltu rd, $0, rd', expand: setCmp('sne') },
  { mnemonic: 'sne', shape: 'r,r,i', syntax: 'sne rd, rs, imm', expansion: 'sltu rd, $0, rs (imm 0) | xori rd, rs, imm; sltu rd, $0, rd', expand: setCmp('sne') },
  ...([['sgt', 'slt'], ['sgtu', 'sltu']] as const).map(([mn, s]) => ({ mnemonic: mn, shape: 'r,r,r', syntax: `${mn} rd, rs, rt`, expansion: `${s} rd, rt, rs`, expand: (o: Operand[]) => [I(s, reg(o[0]), reg(o[2]), reg(o[1]))] })),
  ...([['sgt', 'slt'], ['sgtu', 'sltu']] as const).map(([mn, s]) => ({ mnemonic: mn, shape: 'r,r,i', syntax: `${mn} rd, rs, imm`, expansion: `li $at, imm; ${s} rd, $at, rs`, expand: (o: Operand[], c: PseudoCtx) => [...liAt(o[2], c), I(s, reg(o[0]), R(AT), reg(o[1]))] })),
  ...([['sle', 'slt'], ['sleu', 'sltu']] as const).map(([mn, s]) => ({ mnemonic: mn, shape: 'r,r,r', syntax: `${mn} rd, rs, rt`, expansion: `${s} rd, rt, rs; xori rd, rd, 1`, expand: (o: Operand[]) => [I(s, reg(o[0]), reg(o[2]), reg(o[1])), I('xori', reg(o[0]), reg(o[0]), num(1))] })),
  ...([['sle', 'slt'], ['sleu', 'sltu']] as const).map(([mn, s]) => ({ mnemonic: mn, shape: 'r,r,i', syntax: `${mn} rd, rs, imm`, expansion: `li $at, imm; ${s} rd, $at, rs; xori rd, rd, 1`, expand: (o: Operand[], c: PseudoCtx) => [...liAt(o[2], c), I(s, reg(o[0]), R(AT), reg(o[1])), I('xori', reg(o[0]), reg(o[0]), num(1))] })),
  ...([['sge', 'slt'], ['sgeu', 'sltu']] as const).map(([mn, s]) => ({ mnemonic: mn, shape: 'r,r,r', syntax: `${mn} rd, rs, rt`, expansion: `${s} rd, rs, rt; xori rd, rd, 1`, expand: (o: Operand[]) => [I(s, reg(o[0]), reg(o[1]), reg(o[2])), I('xori', reg(o[0]), reg(o[0]), num(1))] })),
  ...([['sge', 'slt'], ['sgeu', 'sltu']] as const).map(([mn, s]) => ({
    mnemonic: mn, shape: 'r,r,i', syntax: `${mn} rd, rs, imm`, expansion: `${s}i rd, rs, imm; xori rd, rd, 1 (large imm: via li $at)`,
    expand: (o: Operand[], c: PseudoCtx) => {
      const v = valOf(o[2], c);
      if (fitsS16(v)) return [I(s === 'slt' ? 'slti' : 'sltiu', reg(o[0]), reg(o[1]), ex(o[2])), I('xori', reg(o[0]), reg(o[0]), num(1))];
      return [...liAt(o[2], c), I(s, reg(o[0]), reg(o[1]), R(AT)), I('xori', reg(o[0]), reg(o[0]), num(1))];
    },
  })),
  // three-register ALU ops written with an immediate
  ...ALU_IMM.map(([mn, iop, fits, neg]) => ({
    mnemonic: mn, shape: 'r,r,i', syntax: `${mn} rd, rs, imm`,
    expansion: iop ? `${iop} rd, rs, ${neg ? '-' : ''}imm (when it fits) | li $at, imm; ${mn} rd, rs, $at` : `li $at, imm; ${mn} rd, rs, $at`,
    expand: aluImm(mn, iop, fits, neg),
  })).filter((f) => f.mnemonic !== 'mul'),
  // immediate ALU ops with an immediate out of range are errors in gas (no form here)
  // shifts by a register written with the constant-shift mnemonic
  ...([['sll', 'sllv'], ['srl', 'srlv'], ['sra', 'srav']] as const).map(([c, v]) => (
    { mnemonic: c, shape: 'r,r,r', syntax: `${c} rd, rt, rs`, expansion: `${v} rd, rt, rs`, expand: (o: Operand[]) => [I(v, reg(o[0]), reg(o[1]), reg(o[2]))] })),
  { mnemonic: 'jalr', shape: 'r', syntax: 'jalr rs', expansion: 'jalr $ra, rs', expand: (o) => [I('jalr', R(31), reg(o[0]))] },
  { mnemonic: 'jal', shape: 'r', syntax: 'jal rs', expansion: 'jalr $ra, rs', expand: (o) => [I('jalr', R(31), reg(o[0]))] },
  { mnemonic: 'jal', shape: 'r,r', syntax: 'jal rd, rs', expansion: 'jalr rd, rs', expand: (o) => [I('jalr', reg(o[0]), reg(o[1]))] },
  { mnemonic: 'j', shape: 'r', syntax: 'j rs', expansion: 'jr rs', expand: (o) => [I('jr', reg(o[0]))] },
  // loads and stores of a symbol, a large address, or off(base) with a large/symbolic offset
  ...[...LOADS_RT, ...LOADS_AT].flatMap((mn) => {
    const tmp = LOADS_RT.includes(mn) ? 'rt' : '$at';
    return [
      { mnemonic: mn, shape: 'r,i', syntax: `${mn} rt, addr`, expansion: `${mn} rt, addr($0) (16-bit addr) | lui ${tmp}, %hi(addr); ${mn} rt, %lo(addr)(${tmp})`, expand: memMacro(mn, tmp === 'rt') },
      { mnemonic: mn, shape: 'r,m', syntax: `${mn} rt, big(base)`, expansion: `lui ${tmp}, %hi(big); addu ${tmp}, ${tmp}, base; ${mn} rt, %lo(big)(${tmp})`, expand: memMacro(mn, tmp === 'rt') },
    ];
  }),
];

/**
 * Table instructions whose bare operand syntax gas reserves for a macro: the machine `div rs, rt`
 * is written `div $zero, rs, rt` (the disassembler prints it that way too).
 */
export const ZERO_DEST_SYNTAX: ReadonlySet<string> = new Set(['div', 'divu']);

export const PSEUDO_BY_MNEMONIC: ReadonlyMap<string, readonly PseudoForm[]> = (() => {
  const m = new Map<string, PseudoForm[]>();
  for (const f of PSEUDO) { const l = m.get(f.mnemonic) ?? []; l.push(f); m.set(f.mnemonic, l); }
  return m;
})();

