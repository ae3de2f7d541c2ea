/**
 * Label definitions and references in MIPS source text, for go-to-definition, find-references,
 * completion and hovers. A lexical scan of the editor's text (comments and strings skipped) —
 * it works while the file does not assemble; nothing is simulated here.
 */

export interface SymbolSite {
  name: string;
  /** 1-based line and columns; `endCol` exclusive. */
  line: number;
  col: number;
  endCol: number;
  kind: 'label' | 'equ';
}

const IDENT = /[A-Za-z_.$][\w.$]*/y;

/** The code part of a line: strings blanked, comment (`#` …) removed; keeps columns. */
export function codeOf(line: string): string {
  let out = '';
  let inStr = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inStr) {
      if (c === '\\') { out += '  '; i++; continue; }
      if (c === '"') inStr = false;
      out += c === '"' ? c : ' ';
      continue;
    }
    if (c === '#') break;
    if (c === '"') inStr = true;
    out += c;
  }
  return out;
}

/** Every `name:` label definition and `.equ/.set name, …` / `name = …` constant. */
export function definitions(text: string): SymbolSite[] {
  const out: SymbolSite[] = [];
  text.split('\n').forEach((raw, i) => {
    const code = codeOf(raw);
    let pos = 0;
    // labels: one or more `name:` at the start of the statement
    for (;;) {
      while (pos < code.length && (code[pos] === ' ' || code[pos] === '\t')) pos++;
      IDENT.lastIndex = pos;
      const m = IDENT.exec(code);
      if (!m || code[pos + m[0].length] !== ':') break;
      out.push({ name: m[0], line: i + 1, col: pos + 1, endCol: pos + 1 + m[0].length, kind: 'label' });
      pos += m[0].length + 1;
    }
    const eq = /^(\s*)\.(?:equ|set)\s+([A-Za-z_.$][\w.$]*)\s*,/.exec(code.slice(pos)) ?? /^(\s*)()([A-Za-z_.$][\w.$]*)\s*=/.exec(code.slice(pos));
    if (eq) {
      const name = eq[2] || eq[3];
      const at = pos + code.slice(pos).indexOf(name, eq[1].length);
      out.push({ name, line: i + 1, col: at + 1, endCol: at + 1 + name.length, kind: 'equ' });
    }
  });
  return out;
}

/** Every occurrence of `name` as a whole word in code (definitions included). */
export function occurrences(text: string, name: string): SymbolSite[] {
  const out: SymbolSite[] = [];
  const re = /[A-Za-z_.$][\w.$]*/g;
  text.split('\n').forEach((raw, i) => {
    const code = codeOf(raw);
    for (const m of code.matchAll(re)) {
      if (m[0] === name) out.push({ name, line: i + 1, col: m.index! + 1, endCol: m.index! + 1 + name.length, kind: 'label' });
    }
  });
  return out;
}

/**
 * Which operand of its statement column `col` (1-based) of `line` is in: the mnemonic (or
 * directive) and the operand index (0-based; -1 on the mnemonic itself), or undefined outside a
 * statement (in a comment, a label definition, blank space before the mnemonic).
 */
export function operandContext(line: string, col: number): { mnemonic: string; index: number } | undefined {
  const code = codeOf(line);
  if (col - 1 > code.length) return undefined;
  let pos = 0;
  for (;;) {
    while (pos < code.length && (code[pos] === ' ' || code[pos] === '\t')) pos++;
    IDENT.lastIndex = pos;
    const m = IDENT.exec(code);
    if (!m) return undefined;
    if (code[pos + m[0].length] === ':') { pos += m[0].length + 1; continue; }
    const end = pos + m[0].length;
    if (col - 1 < pos) return undefined;
    if (col - 1 <= end) return { mnemonic: m[0].toLowerCase(), index: -1 };
    let index = 0, depth = 0;
    for (let i = end; i < col - 1 && i < code.length; i++) {
      if (code[i] === '(') depth++;
      else if (code[i] === ')') depth--;
      else if (code[i] === ',' && depth === 0) index++;
    }
    return { mnemonic: m[0].toLowerCase(), index };
  }
}
