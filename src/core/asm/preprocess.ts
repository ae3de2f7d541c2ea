/**
 * Preprocessing: splits files into statements and handles `.include` and `.macro`/`.endm`
 * (textual substitution of `\param`, `\@` = expansion counter, `\()` = empty separator), so the
 * assembler proper sees a flat statement list per translation unit (one per input file).
 *
 * Bounded (limits.ts): macro nesting, include depth, and a budget of lines and characters that
 * expansion and includes may produce in one `assemble` call. Past the budget the preprocessor
 * reports one located error and stops (`stopped`), so exponential inputs end quickly.
 */
import type { Diags, Loc } from './diagnostics';
import { lexLine, type Token } from './lexer';
import { MAX_EXPANDED_CHARS, MAX_EXPANDED_LINES, MAX_INCLUDE_DEPTH, MAX_MACRO_NEST } from './limits';
import type { SourceFile } from './types';

export interface Stmt {
  loc: Loc;
  toks: Token[];
  /** Line text the token columns refer to. */
  text: string;
}

interface MacroDef { name: string; params: { name: string; def?: string }[]; body: string[]; loc: Loc }


/** Splits `s` at top-level commas (outside parentheses and strings). Returns [text, startIndex][]. */
function splitArgs(s: string): [string, number][] {
  const out: [string, number][] = [];
  let depth = 0, st = 0, q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) { if (c === '\\') i++; else if (c === '"') q = false; continue; }
    if (c === '"') q = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth <= 0) { out.push([s.slice(st, i), st]); st = i + 1; }
  }
  out.push([s.slice(st), st]);
  return out;
}

/** A macro parameter `name`, `name=default` or `name:req` (linear; no backtracking regex). */
function parseParam(p: string): { name: string; def?: string } | undefined {
  const s = p.trim();
  const m = /^[A-Za-z_.$][\w.$]*/.exec(s);
  if (!m) return undefined;
  let rest = s.slice(m[0].length).trimStart();
  if (rest.startsWith(':req')) rest = rest.slice(4).trimStart();
  if (rest === '') return { name: m[0] };
  if (rest[0] !== '=') return undefined;
  return { name: m[0], def: rest.slice(1).trim() };
}

/** Input text quoted in a message, shortened. */
const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

const SUBST = /\\(\(\)|@|[A-Za-z_.$][\w.$]*)/g;

export class Preprocessor {
  private macros = new Map<string, MacroDef>();
  private counter = 0;
  /** Lines and characters produced by expansion and includes so far (all units). */
  private expLines = 0;
  private expChars = 0;
  /** Set when a budget ran out: every remaining line of every unit is dropped. */
  stopped = false;
  /**
   * Set by a nesting error: the rest of the top-level statement's expansion is dropped (so a
   * macro that invokes itself twice reports once, not 2^100 times); cleared at the next
   * top-level statement.
   */
  private unwinding = false;

  constructor(private diags: Diags, private include?: (name: string, from: string) => SourceFile | undefined) {}

  /** Statements of one translation unit (partial when `stopped`). */
  unit(file: SourceFile): Stmt[] {
    const out: Stmt[] = [];
    this.macros = new Map();
    this.file(file, out, 0);
    return out;
  }

  private file(f: SourceFile, out: Stmt[], incDepth: number): void {
    const lines = f.text.split('\n');
    this.lines(lines.map((text, i) => ({ text, loc: { file: f.path, line: i + 1 } as Loc })), out, 0, incDepth);
  }

  /** Reports running out of the expansion budget at `loc` and stops preprocessing. */
  private exhausted(loc: Loc, col: number, end: number, what: string): void {
    this.diags.error(loc, col, end, `${what} too large: over ${MAX_EXPANDED_LINES} lines or ${MAX_EXPANDED_CHARS / (1024 * 1024)} MiB produced in total (runaway recursion?); stopped`);
    this.stopped = true;
  }

  private lines(lines: { text: string; loc: Loc }[], out: Stmt[], depth: number, incDepth: number): void {
    let def: MacroDef | undefined;
    let nest = 0;
    const top = depth === 0 && incDepth === 0;
    for (const { text, loc } of lines) {
      if (this.stopped) return;
      if (this.unwinding) { if (!top) return; this.unwinding = false; }
      const lexed = lexLine(text);
      if (def) {
        const first = lexed.stmts[0]?.[0];
        const w = first?.kind === 'id' ? first.text.toLowerCase() : '';
        if (w === '.macro') nest++;
        if (w === '.endm' || w === '.endmacro') {
          if (nest === 0) { this.macros.set(def.name.toLowerCase(), def); def = undefined; continue; }
          nest--;
        }
        def.body.push(text);
        continue;
      }
      for (const e of lexed.errors) this.diags.error(loc, e.col, e.end, e.message);
      if (lexed.errors.length) continue; // the lexical error is the useful message; skip the line
      for (const toks of lexed.stmts) {
        if (this.stopped || (this.unwinding && !top)) return;
        this.unwinding = false;
        // leading labels stay with the statement; look at the first non-label token
        let k = 0;
        while (k + 1 < toks.length && (toks[k].kind === 'id' || (toks[k].kind === 'num')) && toks[k + 1].kind === 'op' && toks[k + 1].text === ':') k += 2;
        const head = toks[k];
        const word = head?.kind === 'id' ? head.text : '';
        const lw = word.toLowerCase();
        if (lw === '.macro') {
          if (k > 0) out.push({ loc, toks: toks.slice(0, k), text });
          const d = this.defineMacro(toks.slice(k + 1), text, loc, head);
          if (d) { def = d; nest = 0; }
          else def = { name: '', params: [], body: [], loc }; // swallow the body of a bad definition
          break;
        }
        if (lw === '.endm' || lw === '.endmacro') { this.diags.error(loc, head.col, head.end, `${word} without .macro`); continue; }
        if (lw === '.include') {
          if (k > 0) out.push({ loc, toks: toks.slice(0, k), text });
          this.doInclude(toks.slice(k + 1), head, loc, out, depth, incDepth);
          continue;
        }
        const m = word ? this.macros.get(lw) : undefined; // gas: macro names are case-insensitive
        if (m) {
          if (k > 0) out.push({ loc, toks: toks.slice(0, k), text });
          const argText = toks.length > k + 1 ? text.slice(toks[k + 1].col, toks[toks.length - 1].end) : '';
          const site = loc.site ?? { col: toks[0].col, end: toks[toks.length - 1].end, macro: m.name };
          this.expand(m, argText, loc, { file: loc.file, line: loc.line, site }, head, out, depth, incDepth);
          continue;
        }
        out.push({ loc, toks, text });
      }
    }
    if (def && def.name && !this.stopped) this.diags.error(def.loc, 0, 1, `missing .endm for macro '${def.name}'`);
  }

  private defineMacro(toks: Token[], text: string, loc: Loc, head: Token): MacroDef | undefined {
    const nameTok = toks[0];
    if (!nameTok || nameTok.kind !== 'id') { this.diags.error(loc, head.col, (nameTok ?? head).end, '.macro needs a name'); return undefined; }
    const params: MacroDef['params'] = [];
    const rest = toks.length > 1 ? text.slice(toks[1].col, toks[toks.length - 1].end).replace(/^\s*,/, '') : '';
    const parts = rest.trim() === '' ? [] : (rest.includes(',') ? rest.split(',') : rest.trim().split(/\s+/));
    for (const p of parts) {
      const m = parseParam(p);
      if (!m) { this.diags.error(loc, toks[1]?.col ?? head.col, toks[toks.length - 1].end, `bad macro parameter '${clip(p.trim())}'`); return undefined; }
      params.push(m);
    }
    if (this.macros.has(nameTok.text.toLowerCase())) this.diags.warn(loc, nameTok.col, nameTok.end, `macro '${nameTok.text}' redefined`);
    return { name: nameTok.text, params, body: [], loc };
  }

  /**
   * `line` with `\param`, `\@` and `\()` substituted; undefined when the result would be longer
   * than `room` characters (checked before the string is built).
   */
  private substitute(line: string, values: Map<string, string>, count: string, room: number): string | undefined {
    if (!line.includes('\\')) return line.length > room ? undefined : line;
    const parts: string[] = [];
    let len = 0, last = 0;
    SUBST.lastIndex = 0;
    for (let m = SUBST.exec(line); m; m = SUBST.exec(line)) {
      const name = m[1];
      const v = name === '()' ? '' : name === '@' ? count : values.get(name) ?? m[0];
      len += m.index - last + v.length;
      if (len > room) return undefined;
      parts.push(line.slice(last, m.index), v);
      last = SUBST.lastIndex;
    }
    len += line.length - last;
    if (len > room) return undefined;
    parts.push(line.slice(last));
    return parts.join('');
  }

  /** `loc`: the invocation (for errors about it); `inner`: where the expanded statements report. */
  private expand(m: MacroDef, argText: string, loc: Loc, inner: Loc, head: Token, out: Stmt[], depth: number, incDepth: number): void {
    if (depth >= MAX_MACRO_NEST) { this.diags.error(loc, head.col, head.end, `macros nested too deeply (more than ${MAX_MACRO_NEST} levels)`); this.unwinding = true; return; }
    let args = argText.trim() === '' ? [] : splitArgs(argText).map(([s]) => s.trim());
    if (args.length === 1 && m.params.length > 1 && /\s/.test(args[0])) args = args[0].split(/\s+/);
    if (args.length > m.params.length) { this.diags.error(loc, head.col, head.end, `too many arguments to macro '${m.name}' (${args.length} for ${m.params.length})`); return; }
    const values = new Map<string, string>();
    m.params.forEach((p, i) => values.set(p.name, args[i] !== undefined && args[i] !== '' ? args[i] : (p.def ?? '')));
    const count = String(this.counter++);
    this.expLines += m.body.length;
    if (this.expLines > MAX_EXPANDED_LINES) { this.exhausted(loc, head.col, head.end, 'macro expansion'); return; }
    const body: { text: string; loc: Loc }[] = [];
    for (const line of m.body) {
      const text = this.substitute(line, values, count, MAX_EXPANDED_CHARS - this.expChars);
      if (text === undefined) { this.exhausted(loc, head.col, head.end, 'macro expansion'); return; }
      this.expChars += text.length + 1;
      body.push({ text, loc: inner });
    }
    this.lines(body, out, depth + 1, incDepth);
  }

  private doInclude(toks: Token[], head: Token, loc: Loc, out: Stmt[], depth: number, incDepth: number): void {
    const t = toks[0];
    if (!t || t.kind !== 'str' || toks.length > 1) { this.diags.error(loc, head.col, (toks[toks.length - 1] ?? head).end, '.include needs one "file name"'); return; }
    if (incDepth >= MAX_INCLUDE_DEPTH) { this.diags.error(loc, t.col, t.end, `.include nested too deeply (more than ${MAX_INCLUDE_DEPTH} levels)`); this.unwinding = true; return; }
    let f: SourceFile | undefined;
    try { f = this.include?.(t.text, loc.file); } catch { f = undefined; }
    if (!f || typeof f.text !== 'string') { this.diags.error(loc, t.col, t.end, `cannot find include file "${clip(t.text)}"`); return; }
    this.expChars += f.text.length;
    if (this.expChars > MAX_EXPANDED_CHARS) { this.exhausted(loc, t.col, t.end, '.include'); return; }
    const texts = f.text.split('\n');
    this.expLines += texts.length;
    if (this.expLines > MAX_EXPANDED_LINES) { this.exhausted(loc, t.col, t.end, '.include'); return; }
    // inside a macro, an included file's statements report at the macro invocation
    const path = f.path;
    const lines = texts.map((text, i) => ({ text, loc: loc.site ? loc : ({ file: path, line: i + 1 } as Loc) }));
    this.lines(lines, out, depth, incDepth + 1);
  }
}
