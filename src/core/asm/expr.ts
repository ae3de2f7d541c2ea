/**
 * Expressions: parsing from tokens and evaluation over 64-bit two's-complement integers
 * (as GNU as does on a 64-bit host; results are truncated where they are stored).
 *
 * Precedence, loosest first (GNU as, "Infix Operators"):
 *   `||`  ·  `&&`  ·  `== != <> < > <= >=`  ·  `+ -`  ·  `| & ^ !`  ·  `* / % << >>`  ·  unary `- ~ ! +`
 * `>>` is a logical shift of the 64-bit value (gas: -16 >> 2 = 0x3ffffffffffffffc).
 * Comparisons yield -1 for true and 0 for false (as in gas). `%hi(e)` and `%lo(e)` are the
 * halves used by `lui`/`addiu` pairs: %hi(e) = ((e + 0x8000) >> 16) & 0xffff, %lo(e) = e & 0xffff
 * sign-extended.
 */
import type { Token } from './lexer';

export type Expr =
  | { k: 'num'; v: bigint }
  | { k: 'sym'; name: string; col: number; end: number }
  | { k: 'lref'; n: bigint; dir: 'b' | 'f'; col: number; end: number }
  | { k: 'dot' }
  /** Offset `off` in section `sec` of unit `unit` (bound form of `.` and local labels). */
  | { k: 'loc'; unit: number; sec: number; off: number }
  /** Address of the instruction being encoded plus `delta` (macro-internal branches). */
  | { k: 'here'; delta: number }
  | { k: 'un'; op: string; a: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr; col: number; end: number }
  | { k: 'hi' | 'lo'; a: Expr }
  /** Stands in for a part already reported as an error; evaluates to a silent failure. */
  | { k: 'err' };

export interface ExprError { col: number; end: number; message: string }
export type ParseResult = { ok: true; expr: Expr; next: number; col: number; end: number } | { ok: false; err: ExprError };

const MAX_NODES = 4000;
const MAX_DEPTH = 200;

const LEVELS: readonly (readonly string[])[] = [
  ['||'], ['&&'], ['==', '!=', '<>', '<', '>', '<=', '>='], ['+', '-'], ['|', '&', '^', '!'], ['*', '/', '%', '<<', '>>'],
];

/** Parses one expression starting at `toks[i]`; stops before a token that cannot continue it. */
export function parseExpr(toks: readonly Token[], i: number): ParseResult {
  const endCol = toks.length ? toks[toks.length - 1].end : 0;
  let pos = i;
  let err: ExprError | undefined;
  const fail = (col: number, end: number, message: string): Expr => { if (!err) err = { col, end, message }; return { k: 'num', v: 0n }; };

  // bounds keep parsing and evaluation recursion far from the JS stack limit
  let nodes = 0;
  let depth = 0;
  const primary = (): Expr => {
    const t = toks[pos];
    if (++nodes > MAX_NODES || depth > MAX_DEPTH) return fail(t?.col ?? endCol, (t?.end ?? endCol) + 1, 'expression too long or too deeply nested');
    if (!t) { const c = toks[pos - 1]?.end ?? endCol; return fail(c, c + 1, 'expected an expression'); }
    if (t.kind === 'op' && (t.text === '-' || t.text === '~' || t.text === '!' || t.text === '+')) {
      pos++; depth++; const a = primary(); depth--; return t.text === '+' ? a : { k: 'un', op: t.text, a };
    }
    if (t.kind === 'op' && t.text === '(') {
      pos++; depth++; const a = level(0); depth--;
      const c = toks[pos];
      if (!c || c.kind !== 'op' || c.text !== ')') return fail(t.col, c?.end ?? endCol, "missing ')'");
      pos++; return a;
    }
    if (t.kind === 'op' && t.text === '%') {
      const f = toks[pos + 1];
      if (f && f.kind === 'id' && (f.text === 'hi' || f.text === 'lo') && toks[pos + 2]?.text === '(') {
        pos += 3; const a = level(0);
        const c = toks[pos];
        if (!c || c.kind !== 'op' || c.text !== ')') return fail(t.col, c?.end ?? endCol, "missing ')' after %" + f.text + '(');
        pos++; return { k: f.text, a };
      }
      return fail(t.col, (f ?? t).end, 'unknown relocation operator (only %hi and %lo are supported)');
    }
    if (t.kind === 'num') { pos++; return { k: 'num', v: t.value! }; }
    if (t.kind === 'lref') { pos++; return { k: 'lref', n: t.value!, dir: t.dir!, col: t.col, end: t.end }; }
    if (t.kind === 'id') { pos++; return t.text === '.' ? { k: 'dot' } : { k: 'sym', name: t.text, col: t.col, end: t.end }; }
    if (t.kind === 'reg') return fail(t.col, t.end, `register $${t.text} where an expression was expected`);
    if (t.kind === 'str') return fail(t.col, t.end, 'string where an expression was expected');
    return fail(t.col, t.end, `unexpected '${t.text}' in expression`);
  };

  const level = (l: number): Expr => {
    if (l >= LEVELS.length) return primary();
    let a = level(l + 1);
    for (;;) {
      const t = toks[pos];
      if (!t || t.kind !== 'op' || !LEVELS[l].includes(t.text)) return a;
      pos++;
      const b = level(l + 1);
      a = { k: 'bin', op: t.text, a, b, col: t.col, end: t.end };
    }
  };

  const startCol = toks[i]?.col ?? endCol;
  const expr = level(0);
  if (err) return { ok: false, err };
  return { ok: true, expr, next: pos, col: startCol, end: toks[pos - 1]?.end ?? startCol + 1 };
}

/** What a symbol name means to the evaluator. */
export type SymValue = { v: bigint; rel: boolean } | undefined;

export interface EvalEnv {
  /** Value of a named symbol, or undefined if not (yet) defined. */
  sym(name: string): SymValue;
  /** Address of a unit's section offset, or undefined before layout (pass 1). */
  loc(unit: number, sec: number, off: number): bigint | undefined;
  /** Address of the instruction being encoded (pass 2). */
  here?: number;
}

/**
 * Result of evaluating: `rel` is true when the value depends on an address (a label, `.`) —
 * pass 1 uses it to pick expansions as gas does for relocatable operands. `unknown` names a
 * symbol with no value yet.
 */
export type EvalResult = { ok: true; v: bigint; rel: boolean } | { ok: false; unknown?: string; col: number; end: number; message: string; silent?: boolean };

const M64 = (x: bigint) => BigInt.asIntN(64, x);

export function evaluate(e: Expr, env: EvalEnv): EvalResult {
  switch (e.k) {
    case 'num': return { ok: true, v: e.v, rel: false };
    case 'sym': {
      const s = env.sym(e.name);
      if (!s) return { ok: false, unknown: e.name, col: e.col, end: e.end, message: `undefined symbol '${e.name}'` };
      return { ok: true, v: s.v, rel: s.rel };
    }
    case 'lref': return { ok: false, col: e.col, end: e.end, message: `local label reference ${e.n}${e.dir} has no matching label` };
    case 'dot': return { ok: false, col: 0, end: 1, message: "'.' is not available here" };
    case 'err': return { ok: false, col: 0, end: 1, message: 'already reported', silent: true };
    case 'loc': {
      const v = env.loc(e.unit, e.sec, e.off);
      return v === undefined ? { ok: false, unknown: '.', col: 0, end: 1, message: 'address not yet known' } : { ok: true, v, rel: true };
    }
    case 'here':
      return env.here === undefined ? { ok: false, unknown: '.', col: 0, end: 1, message: 'address not yet known' } : { ok: true, v: BigInt(env.here + e.delta), rel: true };
    case 'hi': case 'lo': {
      const a = evaluate(e.a, env); if (!a.ok) return a;
      const lo16 = BigInt.asIntN(16, a.v);
      const v = e.k === 'lo' ? lo16 : BigInt.asUintN(16, (a.v - lo16) >> 16n);
      return { ok: true, v, rel: false };
    }
    case 'un': {
      const a = evaluate(e.a, env); if (!a.ok) return a;
      const v = e.op === '-' ? -a.v : e.op === '~' ? ~a.v : (a.v === 0n ? 1n : 0n);
      return { ok: true, v: M64(v), rel: a.rel };
    }
    case 'bin': {
      const a = evaluate(e.a, env); if (!a.ok) return a;
      const b = evaluate(e.b, env); if (!b.ok) return b;
      const x = a.v, y = b.v;
      let v: bigint;
      switch (e.op) {
        case '+': v = x + y; break;
        case '-': v = x - y; break;
        case '*': v = x * y; break;
        case '/': case '%':
          if (y === 0n) return { ok: false, col: e.col, end: e.end, message: 'division by zero' };
          v = e.op === '/' ? x / y : x % y; break;
        case '<<': v = y >= 64n || y < 0n ? 0n : x << y; break;
        case '>>': v = y >= 64n || y < 0n ? 0n : BigInt.asUintN(64, x) >> y; break; // logical, as gas
        case '&': v = x & y; break;
        case '|': v = x | y; break;
        case '^': v = x ^ y; break;
        case '!': v = x | ~y; break;
        case '==': v = x === y ? -1n : 0n; break;
        case '!=': case '<>': v = x !== y ? -1n : 0n; break;
        case '<': v = x < y ? -1n : 0n; break;
        case '>': v = x > y ? -1n : 0n; break;
        case '<=': v = x <= y ? -1n : 0n; break;
        case '>=': v = x >= y ? -1n : 0n; break;
        case '&&': v = x !== 0n && y !== 0n ? 1n : 0n; break;
        case '||': v = x !== 0n || y !== 0n ? 1n : 0n; break;
        default: return { ok: false, col: e.col, end: e.end, message: `unknown operator '${e.op}'` };
      }
      // address - address of the same kind is a constant; address ± constant stays an address
      const rel = e.op === '-' && a.rel && b.rel ? false : a.rel || b.rel;
      return { ok: true, v: M64(v), rel };
    }
  }
}

/** Names of the symbols `e` refers to (iterative: no recursion however deep `e` is). */
export function symbolsIn(e: Expr): string[] {
  const out: string[] = [];
  const todo: Expr[] = [e];
  for (let x = todo.pop(); x; x = todo.pop()) {
    if (x.k === 'sym') out.push(x.name);
    else if (x.k === 'un' || x.k === 'hi' || x.k === 'lo') todo.push(x.a);
    else if (x.k === 'bin') todo.push(x.a, x.b);
  }
  return out;
}

/** Replaces `.` and local label references in pass 1 (see assembler.ts); other nodes unchanged. */
export function mapExpr(e: Expr, f: (e: Expr) => Expr | undefined): Expr {
  const r = f(e);
  if (r) return r;
  switch (e.k) {
    case 'un': return { ...e, a: mapExpr(e.a, f) };
    case 'bin': return { ...e, a: mapExpr(e.a, f), b: mapExpr(e.b, f) };
    case 'hi': case 'lo': return { ...e, a: mapExpr(e.a, f) };
    default: return e;
  }
}
