/**
 * Line lexer. A source line becomes statements (split at `;`) of tokens; `#` starts a comment.
 * Columns are 0-based character offsets into the line (diagnostics add 1). The lexer never
 * throws: bad characters and unterminated strings come back as `LexError`s and the offending
 * text is skipped.
 */
import { MAX_NUMBER_BITS } from './limits';

export type TokKind = 'id' | 'num' | 'str' | 'reg' | 'op' | 'lref';

export interface Token {
  kind: TokKind;
  /** Source text (for `reg`: without the `$`; for `str`: the decoded string). */
  text: string;
  /** `num`: the value; `lref`: the label digit(s). */
  value?: bigint;
  /** `lref`: 'b' (backward) or 'f' (forward). */
  dir?: 'b' | 'f';
  col: number;
  end: number;
}

export interface LexError { col: number; end: number; message: string }

export interface LexedLine {
  /** Statements of the line; each is a non-empty token list. */
  stmts: Token[][];
  errors: LexError[];
}

const OPS2 = ['<<', '>>', '==', '!=', '<=', '>=', '&&', '||', '<>'];
const OPS1 = ',()+-*/%&|^~!:=<>[]@';
const isIdStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '.';
const isIdChar = (c: string) => isIdStart(c) || (c >= '0' && c <= '9') || c === '$';
const isDigit = (c: string) => c >= '0' && c <= '9';
const ESC: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, e: 27, '\\': 92, '"': 34, "'": 39 };

/** Most significant digits a 64-bit literal can have, by radix. */
const MAX_DIGITS: Record<number, number> = { 2: 64, 8: 22, 10: 20, 16: 16 };
const RADIX_PREFIX: Record<number, string> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };
const TWO64 = 1n << BigInt(MAX_NUMBER_BITS);

/**
 * Reads a number at `i`: its value and end, or `err` — 'malformed' (bad digits) or 'big' (over
 * 64 bits; `end` is then the end of its digits). Linear in the digits, however many there are.
 */
function readNumber(s: string, i: number): { v: bigint; end: number } | { err: 'malformed' | 'big'; end: number } {
  let j = i;
  let radix = 10;
  let digits: string;
  if (s[j] === '0' && (s[j + 1] === 'x' || s[j + 1] === 'X')) {
    j += 2; const st = j; while (j < s.length && /[0-9a-fA-F]/.test(s[j])) j++;
    if (j === st) return { err: 'malformed', end: j }; digits = s.slice(st, j); radix = 16;
  } else if (s[j] === '0' && (s[j + 1] === 'b' || s[j + 1] === 'B') && (s[j + 2] === '0' || s[j + 2] === '1')) {
    j += 2; const st = j; while (j < s.length && (s[j] === '0' || s[j] === '1')) j++;
    digits = s.slice(st, j); radix = 2;
  } else {
    const st = j; while (j < s.length && isDigit(s[j])) j++;
    digits = s.slice(st, j);
    if (digits.length > 1 && digits[0] === '0') { radix = 8; if (/[89]/.test(digits)) return { err: 'malformed', end: j }; }
  }
  if (j < s.length && isIdChar(s[j])) return { err: 'malformed', end: j };
  let z = 0; while (z < digits.length - 1 && digits[z] === '0') z++;
  const significant = digits.slice(z);
  if (significant.length > MAX_DIGITS[radix]) return { err: 'big', end: j };
  const v = BigInt(RADIX_PREFIX[radix] + significant);
  return v >= TWO64 ? { err: 'big', end: j } : { v, end: j };
}

/** Decodes a string body starting after the opening quote. Returns [text, end] or undefined if unterminated. */
function readString(s: string, i: number, quote: string): [string, number] | undefined {
  // plain runs are sliced whole (no per-character concatenation: long strings stay cheap)
  const parts: string[] = [];
  let j = i, run = i;
  while (j < s.length) {
    const c = s[j];
    if (c === quote) { parts.push(s.slice(run, j)); return [parts.join(''), j + 1]; }
    if (c !== '\\' || j + 1 >= s.length) { j++; continue; }
    parts.push(s.slice(run, j));
    const e = s[j + 1];
    if (e in ESC) { parts.push(String.fromCharCode(ESC[e])); j += 2; }
    else if (e === 'x' || e === 'X') {
      let k = j + 2; while (k < s.length && /[0-9a-fA-F]/.test(s[k])) k++;
      parts.push(String.fromCharCode(k > j + 2 ? parseInt(s.slice(Math.max(j + 2, k - 2), k), 16) & 255 : 0)); j = k;
    } else if (e >= '0' && e <= '7') {
      let k = j + 1; while (k < s.length && k < j + 4 && s[k] >= '0' && s[k] <= '7') k++;
      parts.push(String.fromCharCode(parseInt(s.slice(j + 1, k), 8) & 255)); j = k;
    } else { parts.push(e); j += 2; }
    run = j;
  }
  return undefined;
}

export function lexLine(s: string): LexedLine {
  const stmts: Token[][] = [];
  const errors: LexError[] = [];
  let cur: Token[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') { i++; continue; }
    if (c === '#') break;
    if (c === ';') { if (cur.length) stmts.push(cur); cur = []; i++; continue; }
    const st = i;
    if (c === '"') {
      const r = readString(s, i + 1, '"');
      if (!r) { errors.push({ col: st, end: n, message: 'unterminated string' }); break; }
      cur.push({ kind: 'str', text: r[0], col: st, end: r[1] }); i = r[1]; continue;
    }
    if (c === "'") {
      // character constant: 'a (gas) or 'a'
      let j = i + 1; let ch: number;
      if (j >= n) { errors.push({ col: st, end: n, message: 'missing character after \'' }); break; }
      if (s[j] === '\\' && j + 1 < n) {
        const e = s[j + 1];
        ch = e in ESC ? ESC[e] : e.charCodeAt(0); j += 2;
      } else { ch = s.charCodeAt(j); j++; }
      if (s[j] === "'") j++;
      cur.push({ kind: 'num', text: s.slice(st, j), value: BigInt(ch & 255), col: st, end: j }); i = j; continue;
    }
    if (c === '$') {
      let j = i + 1; while (j < n && isIdChar(s[j])) j++;
      if (j === i + 1) { errors.push({ col: st, end: st + 1, message: "expected a register name after '$'" }); i++; continue; }
      cur.push({ kind: 'reg', text: s.slice(i + 1, j), col: st, end: j }); i = j; continue;
    }
    if (isDigit(c)) {
      // local label reference: digits followed by b/f and no further identifier character
      let j = i; while (j < n && isDigit(s[j])) j++;
      if ((s[j] === 'b' || s[j] === 'f') && !(j + 1 < n && isIdChar(s[j + 1])) && !(c === '0' && j === i + 1 && s[j] === 'b' && isDigit(s[j + 1] ?? ''))) {
        if (j - i > MAX_DIGITS[10]) { errors.push({ col: st, end: j + 1, message: 'local label number too large' }); i = j + 1; continue; }
        cur.push({ kind: 'lref', text: s.slice(i, j + 1), value: BigInt(s.slice(i, j)), dir: s[j] as 'b' | 'f', col: st, end: j + 1 });
        i = j + 1; continue;
      }
      const r = readNumber(s, i);
      if ('err' in r) {
        let k = r.end; while (k < n && isIdChar(s[k])) k++;
        const text = s.slice(i, k);
        const msg = r.err === 'big' ? `number too large (more than ${MAX_NUMBER_BITS} bits)` : `malformed number '${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`;
        errors.push({ col: st, end: k, message: msg }); i = k; continue;
      }
      cur.push({ kind: 'num', text: s.slice(i, r.end), value: r.v, col: st, end: r.end }); i = r.end; continue;
    }
    if (isIdStart(c)) {
      let j = i + 1; while (j < n && isIdChar(s[j])) j++;
      cur.push({ kind: 'id', text: s.slice(i, j), col: st, end: j }); i = j; continue;
    }
    const two = s.slice(i, i + 2);
    if (OPS2.includes(two)) { cur.push({ kind: 'op', text: two, col: st, end: st + 2 }); i += 2; continue; }
    if (OPS1.includes(c)) { cur.push({ kind: 'op', text: c, col: st, end: st + 1 }); i++; continue; }
    if (c === '\\') { errors.push({ col: st, end: st + 1, message: "stray '\\' (macro argument outside a macro?)" }); i++; continue; }
    errors.push({ col: st, end: st + 1, message: `unexpected character '${c}'` });
    i++;
  }
  if (cur.length) stmts.push(cur);
  return { stmts, errors };
}
