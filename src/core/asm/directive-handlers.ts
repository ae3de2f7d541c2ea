/**
 * Directive implementations for pass 1 (their documentation is the pure-data list in
 * `directives.ts`). Each handler gets the pass-1 state, the tokens after the directive name and
 * the name token; it reports problems as diagnostics and never throws.
 */
import type { Token } from './lexer';
import type { Pass1 } from './pass1';
import { MAX_IMAGE_BYTES } from './limits';
import { BSS, DATA, RDATA, TEXT } from './unit';

export type DirectiveHandler = (p: Pass1, args: Token[], head: Token) => void;

/** Splits tokens at top-level commas into [start, end) index ranges. */
function commaRanges(t: readonly Token[]): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0, st = 0;
  t.forEach((x, i) => {
    if (x.kind === 'op' && x.text === '(') depth++;
    else if (x.kind === 'op' && x.text === ')') depth--;
    else if (x.kind === 'op' && x.text === ',' && depth <= 0) { out.push([st, i]); st = i + 1; }
  });
  out.push([st, t.length]);
  return out;
}

const span = (t: readonly Token[], head: Token) => [t[0]?.col ?? head.col, t[t.length - 1]?.end ?? head.end] as const;

function noArgs(p: Pass1, t: Token[], head: Token): boolean {
  if (t.length) { p.diags.error(p.loc, t[0].col, t[t.length - 1].end, `${head.text} takes no operands`); return false; }
  return true;
}

const section = (sec: number): DirectiveHandler => (p, t, head) => {
  if (!noArgs(p, t, head)) return;
  if (sec === RDATA && p.unit.align[RDATA] < 16) p.unit.align[RDATA] = 16;
  p.prevSec = p.sec; p.sec = sec; p.pendingLabels = [];
};

const SECTION_NAMES: Record<string, number> = { '.text': TEXT, '.data': DATA, '.rdata': RDATA, '.rodata': RDATA, '.bss': BSS };

const data = (width: 1 | 2 | 4): DirectiveHandler => (p, t, head) => {
  if (!t.length) { p.diags.error(p.loc, head.col, head.end, `${head.text} needs at least one value`); return; }
  if (width > 1) p.alignTo(width, 0, head.col, head.end);
  for (const [a, b] of commaRanges(t)) {
    const e = p.expr(t, a, b);
    const col = t[a]?.col ?? head.col, end = t[b - 1]?.end ?? head.end;
    if (e) p.emitData(width, e, col, end);
  }
};

const strings = (zero: boolean): DirectiveHandler => (p, t, head) => {
  if (!t.length) { p.diags.error(p.loc, head.col, head.end, `${head.text} needs a string`); return; }
  for (const [a, b] of commaRanges(t)) {
    const s = t[a];
    if (b - a !== 1 || s.kind !== 'str') { const [c, e] = span(t.slice(a, b), head); p.diags.error(p.loc, c, e, `${head.text} expects "string" operands`); continue; }
    const bytes = new Uint8Array(s.text.length + (zero ? 1 : 0));
    for (let i = 0; i < s.text.length; i++) bytes[i] = s.text.charCodeAt(i) & 255;
    p.emitBytes(bytes, s.col, s.end);
  }
};

/** Constant operands `n[, m...]` of a directive; undefined after reporting a problem. */
function constArgs(p: Pass1, t: Token[], head: Token, min: number, max: number): bigint[] | undefined {
  const rs = t.length ? commaRanges(t) : [];
  if (rs.length < min || rs.length > max) {
    const [c, e] = span(t, head);
    p.diags.error(p.loc, c, e, `${head.text} takes ${min === max ? min : `${min} to ${max}`} operand${max > 1 ? 's' : ''}`);
    return undefined;
  }
  const out: bigint[] = [];
  for (const [a, b] of rs) {
    const e = p.expr(t, a, b);
    if (!e) return undefined;
    const v = p.cval(e);
    if (v === undefined) { p.diags.error(p.loc, t[a].col, t[b - 1].end, `${head.text} needs a constant known at this point`); return undefined; }
    out.push(v);
  }
  return out;
}

const MAX_FILL = BigInt(MAX_IMAGE_BYTES);

/** `.space n[, fill]`: one fill item (never a byte array), so its cost does not grow with n. */
const space: DirectiveHandler = (p, t, head) => {
  const a = constArgs(p, t, head, 1, 2);
  if (!a) return;
  const [n, fill = 0n] = a;
  const [col, end] = span(t, head);
  if (n < 0n) { p.diags.error(p.loc, col, end, `${head.text} size ${n} is negative`); return; }
  // n is at most 64 bits; anything over the image limit is reported by emitFill as too large
  p.emitFill(n > MAX_FILL ? MAX_IMAGE_BYTES + 1 : Number(n), Number(BigInt.asUintN(8, fill)), col, end);
};

const align: DirectiveHandler = (p, t, head) => {
  const a = constArgs(p, t, head, 1, 2);
  if (!a) return;
  const [n, fill = 0n] = a;
  const [col, end] = span(t, head);
  if (n < 0n || n > 16n) { p.diags.error(p.loc, col, end, `alignment 2^${n} out of range (0..16)`); return; }
  p.alignTo(1 << Number(n), Number(BigInt.asUintN(8, fill)), col, end);
};

/** `.org offset[, fill]`: advance to `offset` bytes from the start of the section (never backwards). */
const org: DirectiveHandler = (p, t, head) => {
  const a = constArgs(p, t, head, 1, 2);
  if (!a) return;
  const [n, fill = 0n] = a;
  const [col, end] = span(t, head);
  const off = BigInt(p.off);
  if (n < off) { p.diags.error(p.loc, col, end, `.org ${n} would move backwards (the section is already ${off} bytes long)`); return; }
  p.emitFill(n - off > MAX_FILL ? MAX_IMAGE_BYTES + 1 : Number(n - off), Number(BigInt.asUintN(8, fill)), col, end);
};

const globl: DirectiveHandler = (p, t, head) => {
  if (!t.length) { p.diags.error(p.loc, head.col, head.end, `${head.text} needs a symbol name`); return; }
  for (const [a, b] of commaRanges(t)) {
    const s = t[a];
    if (b - a !== 1 || s.kind !== 'id') { const [c, e] = span(t.slice(a, b), head); p.diags.error(p.loc, c, e, `${head.text} expects symbol names`); continue; }
    p.unit.globals.set(s.text, { loc: p.loc, col: s.col, end: s.end });
    const sym = p.unit.syms.get(s.text);
    if (sym) sym.global = true;
  }
};

const equ: DirectiveHandler = (p, t, head) => {
  const name = t[0];
  if (!name || name.kind !== 'id' || t[1]?.text !== ',') { const [c, e] = span(t, head); p.diags.error(p.loc, c, e, `${head.text} expects 'symbol, expression'`); return; }
  const e = p.expr(t, 2, t.length);
  if (e) p.defineEqu(name.text, e, name.col, name.end);
};

const set: DirectiveHandler = (p, t, head) => {
  if (t.length >= 2 && t[1].text === ',') { equ(p, t, head); return; }
  if (!t.length) { p.diags.error(p.loc, head.col, head.end, '.set needs an option or `symbol, expression`'); return; }
  // options may be written with '=' (gp=default): join the raw tokens
  const name = t.map((x) => x.text).join('');
  p.setOption(name, t[0].col, t[t.length - 1].end);
};

const sectionDir: DirectiveHandler = (p, t, head) => {
  const n = t[0];
  const sec = n && (n.kind === 'id' || n.kind === 'str') ? SECTION_NAMES[n.text] : undefined;
  if (sec === undefined) {
    const [c, e] = span(t, head);
    p.diags.error(p.loc, c, e, `unsupported section${n ? ` '${n.text}'` : ''}: use .text, .data, .rdata/.rodata or .bss`);
    return;
  }
  p.prevSec = p.sec; p.sec = sec; p.pendingLabels = [];
};

const previous: DirectiveHandler = (p, t, head) => {
  if (!noArgs(p, t, head)) return;
  const s = p.sec; p.sec = p.prevSec; p.prevSec = s; p.pendingLabels = [];
};

const ignore: DirectiveHandler = () => {};

export const DIRECTIVE_HANDLERS: Readonly<Record<string, DirectiveHandler>> = {
  '.text': section(TEXT), '.data': section(DATA), '.rdata': section(RDATA), '.bss': section(BSS),
  '.section': sectionDir, '.previous': previous,
  '.globl': globl, '.global': globl, '.extern': ignore,
  '.word': data(4), '.half': data(2), '.hword': data(2), '.short': data(2), '.byte': data(1),
  '.ascii': strings(false), '.asciiz': strings(true), '.asciz': strings(true),
  '.space': space, '.skip': space, '.align': align, '.org': org,
  // conditionals are handled by Pass1 itself (they must run even where code is skipped)
  '.if': ignore, '.ifdef': ignore, '.ifndef': ignore, '.elseif': ignore, '.else': ignore, '.endif': ignore,
  '.equ': equ, '.set': set,
  '.ent': ignore, '.end': ignore, '.type': ignore, '.size': ignore, '.file': ignore, '.frame': ignore,
  '.mask': ignore, '.fmask': ignore, '.loc': ignore, '.module': ignore, '.abicalls': ignore, '.option': ignore,
  '.gnu_attribute': ignore, '.ident': ignore,
  // .macro/.endm/.include are consumed by the preprocessor; they never reach pass 1
  '.macro': ignore, '.endm': ignore, '.include': ignore,
};
