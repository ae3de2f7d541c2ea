/**
 * Pass 1: walks a unit's statements once, defining labels and equates, running directives and
 * choosing each instruction's expansion (from the instruction table, else the pseudo table),
 * exactly once — as gas does in its single pass. Pass 1 decides sizes; pass 2 fills in values.
 */
import { BY_MNEMONIC } from '../isa/table';
import { OPTIONAL_OPERANDS, type InstructionSpec, type OperandKind } from '../isa/types';
import type { Diags, Loc } from './diagnostics';
import { DIRECTIVE_HANDLERS } from './directive-handlers';
import { evaluate, mapExpr, parseExpr, type EvalEnv, type Expr } from './expr';
import type { Token } from './lexer';
import { parseOperands, type Operand } from './operands';
import type { Stmt } from './preprocess';
import { memFits, PSEUDO_BY_MNEMONIC, ZERO_DEST_SYNTAX, type Arg, type Out, type PseudoCtx, type PseudoForm } from './pseudo';
import { syntaxOf } from './encode';
import { BSS, TEXT, type Unit, type UnitSym } from './unit';
import { OPERAND_CHECKS } from './checks';
import { MAX_IMAGE_BYTES } from './limits';

const AT = 1;
/** Pass-1 stand-in for a label's value: far apart per section, so `b - a` is exact within one. */
const SECTION_SPAN = 1n << 40n;

function shapeChar(k: OperandKind): string {
  return k === 'rd' || k === 'rs' || k === 'rt' || k === 'c0reg' ? 'r' : k === 'mem' ? 'm' : 'i';
}

export class Pass1 {
  sec = TEXT;
  prevSec = TEXT;
  reorder = true;
  at = true;
  private optStack: { reorder: boolean; at: boolean }[] = [];
  /** Labels defined since the last emitted byte (moved by auto-alignment, as gas does). */
  pendingLabels: UnitSym[] = [];
  /** Numeric local labels: digit string → number of definitions so far. */
  private localCount = new Map<string, number>();
  stmtIndex = 0;
  /** Current statement's location. */
  loc: Loc = { file: '', line: 0 };

  constructor(readonly unit: Unit, readonly diags: Diags) {}

  get off(): number { return this.unit.size[this.sec]; }

  /**
   * Conditional assembly (`.if expr`, `.ifdef sym`, `.ifndef sym`, `.elseif expr`, `.else`,
   * `.endif`), evaluated in order as gas's single pass does: a condition sees the equates
   * defined above it. One frame per open `.if`: whether its current branch assembles, whether
   * any branch has been taken, whether the enclosing code assembles, and where it opened.
   */
  private conds: { active: boolean; taken: boolean; outer: boolean; sawElse: boolean; loc: Loc; col: number; end: number }[] = [];

  get assembling(): boolean { return this.conds.length === 0 || this.conds[this.conds.length - 1].active; }

  run(stmts: Stmt[]): void {
    for (const s of stmts) { this.stmtIndex++; this.statement(s); }
    if (this.optStack.length) this.diags.warn(this.loc, 0, 1, '.set push without matching .set pop');
    for (const c of this.conds) this.diags.error(c.loc, c.col, c.end, '.if without matching .endif');
    this.conds = [];
  }

  /** Handles a conditional directive; returns false when `head` is not one. */
  private conditional(head: Token, rest: Token[]): boolean {
    const d = head.text.toLowerCase();
    if (d !== '.if' && d !== '.ifdef' && d !== '.ifndef' && d !== '.elseif' && d !== '.else' && d !== '.endif') return false;
    const top = this.conds[this.conds.length - 1];
    const test = (): boolean => {
      if (d === '.ifdef' || d === '.ifndef') {
        const n = rest[0];
        if (!n || n.kind !== 'id' || rest.length !== 1) { this.diags.error(this.loc, head.col, (rest[rest.length - 1] ?? head).end, `${head.text} needs one symbol name`); return false; }
        return this.unit.syms.has(n.text) === (d === '.ifdef');
      }
      const e = this.expr([head, ...rest], 1, rest.length + 1);
      if (!e) return false;
      const v = this.cval(e);
      if (v === undefined) { this.diags.error(this.loc, rest[0].col, rest[rest.length - 1].end, `${head.text} needs a constant known at this point`); return false; }
      return v !== 0n;
    };
    if (d === '.if' || d === '.ifdef' || d === '.ifndef') {
      const outer = this.assembling;
      const v = outer ? test() : false;
      this.conds.push({ active: outer && v, taken: outer && v, outer, sawElse: false, loc: this.loc, col: head.col, end: head.end });
      return true;
    }
    if (!top) { this.diags.error(this.loc, head.col, head.end, `${head.text} without .if`); return true; }
    if (d === '.endif') { this.conds.pop(); return true; }
    if (top.sawElse) { this.diags.error(this.loc, head.col, head.end, `${head.text} after .else`); return true; }
    if (d === '.else') { top.sawElse = true; top.active = top.outer && !top.taken; top.taken = true; return true; }
    // .elseif
    const v = top.outer && !top.taken ? test() : false;
    top.active = v; top.taken = top.taken || v;
    return true;
  }

  // ---- values ----

  /** Pass-1 evaluation environment: constants only; labels get section-relative stand-ins. */
  readonly env: EvalEnv = {
    sym: (name) => {
      const s = this.unit.syms.get(name);
      if (!s) return undefined;
      if (s.kind === 'label') return { v: BigInt(s.unit * 4 + s.sec!) * SECTION_SPAN + BigInt(s.off!), rel: true };
      return s.value !== undefined ? { v: s.value, rel: false } : undefined;
    },
    loc: (unit, sec, off) => BigInt(unit * 4 + sec) * SECTION_SPAN + BigInt(off),
  };

  /** Constant value now (undefined for addresses and not-yet-defined symbols). */
  cval(e: Expr | undefined): bigint | undefined {
    if (!e) return 0n;
    const r = evaluate(e, this.env);
    if (!r.ok || r.rel) return undefined;
    return r.v > -SECTION_SPAN / 2n && r.v < SECTION_SPAN / 2n ? r.v : undefined;
  }

  /**
   * Replaces `.` by the current location, numeric local references by their label's name, and
   * symbols that are constants now by their value (so a later `.set` does not change them).
   */
  bind(e: Expr): Expr {
    return mapExpr(e, (x) => {
      if (x.k === 'sym') {
        const s = this.unit.syms.get(x.name);
        return s && s.kind === 'equ' && s.value !== undefined ? { k: 'num', v: s.value } : undefined;
      }
      if (x.k === 'dot') return { k: 'loc', unit: this.unit.index, sec: this.sec, off: this.off };
      if (x.k === 'lref') {
        const d = String(x.n);
        const n = this.localCount.get(d) ?? 0;
        if (x.dir === 'b' && n === 0) { this.diags.error(this.loc, x.col, x.end, `no previous local label ${d}:`); return { k: 'err' }; }
        return { k: 'sym', name: localName(d, x.dir === 'b' ? n : n + 1), col: x.col, end: x.end };
      }
      return undefined;
    });
  }

  /** Parses one expression filling `toks[i..j)` exactly; reports and returns undefined on error. */
  expr(toks: readonly Token[], i: number, j: number): Expr | undefined {
    const sub = toks.slice(i, j);
    if (!sub.length) { const c = toks[i - 1]?.end ?? 0; this.diags.error(this.loc, c, c + 1, 'expected an expression'); return undefined; }
    const r = parseExpr(sub, 0);
    if (!r.ok) { this.diags.error(this.loc, r.err.col, r.err.end, r.err.message); return undefined; }
    if (r.next !== sub.length) { const t = sub[r.next]; this.diags.error(this.loc, t.col, t.end, `unexpected '${t.text}' after expression`); return undefined; }
    return this.bind(r.expr);
  }

  // ---- symbols ----

  defineLabel(name: string, col: number, end: number, hidden = false): void {
    const u = this.unit;
    const old = u.syms.get(name);
    if (old) {
      const where = `${old.loc.file}:${old.loc.line}`;
      this.diags.error(this.loc, col, end, `symbol '${name}' is already defined (at ${where})`);
      return;
    }
    const s: UnitSym = { name, kind: 'label', unit: u.index, sec: this.sec, off: this.off, global: u.globals.has(name), hidden, loc: this.loc, col, end };
    u.syms.set(name, s);
    this.pendingLabels.push(s);
  }

  defineEqu(name: string, e: Expr, col: number, end: number): void {
    const u = this.unit;
    const old = u.syms.get(name);
    if (old && old.kind === 'label') { this.diags.error(this.loc, col, end, `symbol '${name}' is already defined as a label`); return; }
    const v = this.cval(e);
    const s: UnitSym = { name, kind: 'equ', unit: u.index, value: v, expr: v === undefined ? e : undefined, global: u.globals.has(name) || !!old?.global, loc: this.loc, col, end };
    u.syms.set(name, s);
  }

  // ---- emission ----

  /** Bytes in all sections of this unit so far. */
  private total = 0;
  private tooBig = false;

  /**
   * Grows the current section by `n` bytes; false (after one located error per unit) when the
   * program would exceed MAX_IMAGE_BYTES, which no machine could load.
   */
  private grow(n: number, col: number, end: number): boolean {
    if (this.total + n > MAX_IMAGE_BYTES) {
      if (!this.tooBig) this.diags.error(this.loc, col, end, `program too large: over ${MAX_IMAGE_BYTES / (1024 * 1024)} MiB (the largest machine memory)`);
      this.tooBig = true;
      return false;
    }
    this.total += n;
    this.unit.size[this.sec] += n;
    return true;
  }

  /** Pads the current section to `n` bytes, moving pending labels to the new location. */
  alignTo(n: number, fill = 0, col = 0, end = 1): void {
    const u = this.unit;
    if (n > u.align[this.sec]) u.align[this.sec] = n;
    const pad = (n - (this.off % n)) % n;
    if (pad) this.emitFill(pad, fill, col, end, true);
    for (const l of this.pendingLabels) if (l.sec === this.sec) l.off = this.off;
  }

  emitBytes(bytes: Uint8Array, col = 0, end = 1): void {
    if (!bytes.length) return;
    if (this.sec === BSS && bytes.some((b) => b !== 0)) {
      this.diags.error(this.loc, col, end, 'non-zero data in .bss');
    }
    const off = this.off;
    if (!this.grow(bytes.length, col, end)) return;
    this.unit.items.push({ k: 'bytes', sec: this.sec, off, bytes, loc: this.loc, stmt: this.stmtIndex });
    this.pendingLabels = [];
  }

  /** `size` bytes of `value`, as one item (so `.space 0x1000000` costs no more than `.space 4`). */
  emitFill(size: number, value: number, col: number, end: number, keepLabels = false): void {
    if (size <= 0) return;
    if (this.sec === BSS && value !== 0) this.diags.error(this.loc, col, end, 'non-zero data in .bss');
    const off = this.off;
    if (!this.grow(size, col, end)) return;
    this.unit.items.push({ k: 'fill', sec: this.sec, off, size, value: value & 255, loc: this.loc, stmt: this.stmtIndex });
    if (!keepLabels) this.pendingLabels = [];
  }

  emitData(width: 1 | 2 | 4, e: Expr, col: number, end: number): void {
    if (this.sec === BSS) { this.diags.error(this.loc, col, end, 'initialised data in .bss (use .space)'); return; }
    const off = this.off;
    if (!this.grow(width, col, end)) return;
    this.unit.items.push({ k: 'data', sec: this.sec, off, width, e, col, end, loc: this.loc, stmt: this.stmtIndex });
    this.pendingLabels = [];
  }

  private emitInsn(spec: InstructionSpec, args: Arg[], col: number, end: number): void {
    const off = this.off;
    if (!this.grow(4, col, end)) return;
    this.unit.items.push({ k: 'insn', sec: this.sec, off, spec, args, loc: this.loc, stmt: this.stmtIndex });
    this.pendingLabels = [];
  }

  // ---- options ----

  setOption(name: string, col: number, end: number): void {
    switch (name) {
      case 'reorder': this.reorder = true; return;
      case 'noreorder': this.reorder = false; return;
      case 'at': this.at = true; return;
      case 'noat': this.at = false; return;
      case 'push': this.optStack.push({ reorder: this.reorder, at: this.at }); return;
      case 'pop': {
        const o = this.optStack.pop();
        if (!o) { this.diags.error(this.loc, col, end, '.set pop without .set push'); return; }
        this.reorder = o.reorder; this.at = o.at; return;
      }
      case 'mips32': case 'mips0': case 'macro': case 'nomacro': case 'volatile': case 'novolatile': case 'nomips16': case 'nomicromips':
      case 'move': case 'nomove': case 'bopt': case 'nobopt': case 'gp=default': case 'mips32r1': return;
      default: this.diags.warn(this.loc, col, end, `unknown .set option '${name}' ignored`);
    }
  }

  // ---- statements ----

  private statement(s: Stmt): void {
    this.loc = s.loc;
    const t = s.toks;
    let i = 0;
    if (t[0]?.kind === 'id' && this.conditional(t[0], t.slice(1))) return;
    if (!this.assembling) return;
    // labels: `name:` or `N:` (numeric local)
    while (i + 1 < t.length && t[i + 1].kind === 'op' && t[i + 1].text === ':' && (t[i].kind === 'id' || t[i].kind === 'num')) {
      const l = t[i];
      if (l.kind === 'num') {
        if (!/^\d+$/.test(l.text)) { this.diags.error(this.loc, l.col, l.end, `bad local label '${l.text}'`); i += 2; continue; }
        const d = String(BigInt(l.text));
        const n = (this.localCount.get(d) ?? 0) + 1;
        this.localCount.set(d, n);
        this.defineLabel(localName(d, n), l.col, l.end, true);
      } else if (l.text === '.') this.diags.error(this.loc, l.col, l.end, "'.' cannot be a label");
      else this.defineLabel(l.text, l.col, l.end);
      i += 2;
    }
    if (i >= t.length) return;
    const head = t[i];
    // `sym = expr`
    if (head.kind === 'id' && t[i + 1]?.kind === 'op' && t[i + 1].text === '=') {
      const e = this.expr(t, i + 2, t.length);
      if (e) this.defineEqu(head.text, e, head.col, head.end);
      return;
    }
    if (head.kind !== 'id') { this.diags.error(this.loc, head.col, head.end, `expected an instruction or directive, found '${head.text}'`); return; }
    if (head.text.startsWith('.')) {
      const h = DIRECTIVE_HANDLERS[head.text.toLowerCase()];
      if (!h) { this.diags.error(this.loc, head.col, head.end, `unknown directive '${head.text}'`); return; }
      h(this, t.slice(i + 1), head);
      return;
    }
    this.instruction(head, t.slice(i + 1));
  }

  private instruction(head: Token, rest: Token[]): void {
    const mn = head.text.toLowerCase();
    if (this.sec === BSS) { this.diags.error(this.loc, head.col, head.end, 'instruction in .bss'); return; }
    const spec = BY_MNEMONIC.get(mn);
    const forms = PSEUDO_BY_MNEMONIC.get(mn);
    if (!spec && !forms) { this.diags.error(this.loc, head.col, head.end, `unknown instruction '${head.text}'`); return; }
    const { ops, errors } = parseOperands(rest, head.end);
    if (errors.length) { for (const e of errors) this.diags.error(this.loc, e.col, e.end, e.message); return; }
    for (const o of ops) {
      if (o.t === 'imm') o.e = this.bind(o.e);
      else if (o.t === 'mem' && o.off) o.off = this.bind(o.off);
    }
    if (this.off % 4 !== 0) this.diags.error(this.loc, head.col, head.end, `instruction at misaligned offset ${this.off} of the section`);
    let usedAt = false;
    let atErr = false;
    const ctx: PseudoCtx = {
      cval: (e) => this.cval(e),
      useAt: () => { usedAt = true; },
      error: (col, end, message) => this.diags.error(this.loc, col, end, message),
      warn: (col, end, message) => this.diags.warn(this.loc, col, end, message),
    };
    let outs = this.match(spec, forms, ops, ctx);
    if (!outs && ops.length === 2 && spec && spec.operands.length === 3 && shapeChar(spec.operands[0]) === 'r' && shapeChar(spec.operands[1]) === 'r' && ops[0].t === 'reg' && !spec.delay && spec.category !== 'muldiv') {
      // two-operand shorthand: `addu $t0, $t1` = `addu $t0, $t0, $t1`
      outs = this.match(spec, forms, [ops[0], ...ops], ctx);
    }
    if (!outs) {
      const syn = [...(spec && !ZERO_DEST_SYNTAX.has(mn) ? [syntaxOf(spec)] : []), ...(forms ?? []).map((f) => f.syntax)];
      const col = rest[0]?.col ?? head.col, end = rest[rest.length - 1]?.end ?? head.end;
      this.diags.error(this.loc, col, end, `invalid operands for '${mn}'; expected ${syn.map((x) => `'${x}'`).join(' or ')}`);
      return;
    }
    if (outs.length === 1 && outs[0].mn === mn) {
      const msg = OPERAND_CHECKS[mn]?.(outs[0].a);
      if (msg) { this.diags.error(this.loc, rest[0]?.col ?? head.col, rest[rest.length - 1]?.end ?? head.end, msg); return; }
    }
    if (this.at) {
      const atOp = ops.find((o) => (o.t === 'reg' && o.n === AT) || (o.t === 'mem' && o.base === AT));
      if (atOp) this.diags.warn(this.loc, atOp.col, atOp.end, 'used $at without ".set noat"');
    }
    if (usedAt && !this.at) { this.diags.error(this.loc, head.col, head.end, `'${mn}' needs $at after ".set noat"`); atErr = true; }
    if (atErr) return;
    for (const o of outs) {
      const s = BY_MNEMONIC.get(o.mn);
      if (!s) throw new Error(`pseudo expansion names unknown instruction '${o.mn}'`);
      this.emitInsn(s, o.a, head.col, head.end);
      if (s.delay && this.reorder && !o.noFill) this.emitInsn(NOP, NOP_ARGS, head.col, head.end);
    }
  }

  /** The expansion for `ops`: the real instruction when its operand shape fits, else the first pseudo form that does. */
  private match(spec: InstructionSpec | undefined, forms: readonly PseudoForm[] | undefined, ops: Operand[], ctx: PseudoCtx): Out[] | undefined {
    const shape = ops.map((o) => (o.t === 'reg' ? 'r' : o.t === 'mem' ? 'm' : 'i')).join(',');
    if (spec && !ZERO_DEST_SYNTAX.has(spec.mnemonic)) {
      const args = this.realArgs(spec, ops);
      if (args) return [{ mn: spec.mnemonic, a: args }];
    }
    for (const f of forms ?? []) {
      if (f.shape !== shape) continue;
      if (f.when && !f.when(ops, ctx)) continue;
      return f.expand(ops, ctx);
    }
    return undefined;
  }

  /** Operands as arguments of `spec` itself, or undefined if they do not fit its syntax. */
  private realArgs(spec: InstructionSpec, ops: Operand[]): Arg[] | undefined {
    const kinds = spec.operands;
    const max = kinds.length + (kinds.includes('brkcode') ? 1 : 0);
    let min = kinds.length;
    while (min > 0 && OPTIONAL_OPERANDS.has(kinds[min - 1])) min--;
    if (ops.length < min || ops.length > max) return undefined;
    const args: Arg[] = [];
    for (let i = 0; i < ops.length; i++) {
      const k = kinds[Math.min(i, kinds.length - 1)];
      const o = ops[i];
      const want = shapeChar(k);
      if (want === 'r') { if (o.t !== 'reg') return undefined; args.push({ k: 'r', n: o.n }); continue; }
      if (want === 'm') {
        if (o.t !== 'mem' || !memFits(o.off, this)) return undefined;
        args.push({ k: 'm', base: o.base, e: o.off, col: o.col, end: o.end });
        continue;
      }
      if (o.t !== 'imm') return undefined;
      args.push({ k: 'e', e: o.e, col: o.col, end: o.end });
    }
    return args;
  }
}

export function localName(digits: string, n: number): string {
  return `\u0002${digits}\u0001${n}`;
}

const NOP = BY_MNEMONIC.get('sll')!;
const NOP_ARGS: Arg[] = [{ k: 'r', n: 0 }, { k: 'r', n: 0 }, { k: 'e', e: { k: 'num', v: 0n }, col: 0, end: 1 }];
