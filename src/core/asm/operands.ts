/**
 * Operand parsing: a statement's tokens after the mnemonic become typed operands
 * (register, memory `off(base)`, or expression), split at top-level commas.
 */
import { GPR_ALIASES, GPR_NAMES } from '../isa/registers';
import { parseExpr, type Expr } from './expr';
import type { Token } from './lexer';

export type Operand =
  | { t: 'reg'; n: number; col: number; end: number }
  | { t: 'mem'; off: Expr | undefined; base: number; col: number; end: number }
  | { t: 'imm'; e: Expr; col: number; end: number };

export interface OperandError { col: number; end: number; message: string }

const REG_BY_NAME = new Map<string, number>([...GPR_NAMES.map((n, i) => [n, i] as [string, number]), ...Object.entries(GPR_ALIASES)]);

/** Register number of `$name` (`name` without `$`), or undefined. */
export function regNumber(name: string): number | undefined {
  if (/^\d+$/.test(name)) { const n = Number(name); return n < 32 ? n : undefined; }
  return REG_BY_NAME.get(name);
}

function splitCommas(toks: readonly Token[]): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (const t of toks) {
    if (t.kind === 'op' && t.text === '(') depth++;
    if (t.kind === 'op' && t.text === ')') depth--;
    if (t.kind === 'op' && t.text === ',' && depth <= 0) { out.push(cur); cur = []; continue; }
    cur.push(t);
  }
  out.push(cur);
  return out;
}

export function parseOperands(toks: readonly Token[], afterCol: number): { ops: Operand[]; errors: OperandError[] } {
  const ops: Operand[] = [];
  const errors: OperandError[] = [];
  if (!toks.length) return { ops, errors };
  const groups = splitCommas(toks);
  let prevEnd = afterCol;
  for (const g of groups) {
    if (!g.length) { errors.push({ col: prevEnd, end: prevEnd + 1, message: 'missing operand' }); continue; }
    const col = g[0].col, end = g[g.length - 1].end;
    prevEnd = end + 1;
    if (g.length === 1 && g[0].kind === 'reg') {
      const n = regNumber(g[0].text);
      if (n === undefined) errors.push({ col, end, message: `unknown register '$${g[0].text}'` });
      else ops.push({ t: 'reg', n, col, end });
      continue;
    }
    // memory operand: [expr] ( $reg )
    const L = g.length;
    if (L >= 3 && g[L - 1].text === ')' && g[L - 2].kind === 'reg' && g[L - 3].text === '(' && g[L - 3].kind === 'op') {
      const n = regNumber(g[L - 2].text);
      if (n === undefined) { errors.push({ col: g[L - 2].col, end: g[L - 2].end, message: `unknown register '$${g[L - 2].text}'` }); continue; }
      let off: Expr | undefined;
      if (L > 3) {
        const r = parseExpr(g.slice(0, L - 3), 0);
        if (!r.ok) { errors.push(r.err); continue; }
        if (r.next !== L - 3) { const t = g[r.next]; errors.push({ col: t.col, end: t.end, message: `unexpected '${t.text}' in operand` }); continue; }
        off = r.expr;
      }
      ops.push({ t: 'mem', off, base: n, col, end });
      continue;
    }
    const r = parseExpr(g, 0);
    if (!r.ok) { errors.push(r.err); continue; }
    if (r.next !== g.length) { const t = g[r.next]; errors.push({ col: t.col, end: t.end, message: `unexpected '${t.kind === 'reg' ? '$' + t.text : t.text}' in operand` }); continue; }
    ops.push({ t: 'imm', e: r.expr, col, end });
  }
  return { ops, errors };
}
