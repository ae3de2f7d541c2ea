/**
 * Diagnostic collection. Internally columns are 0-based offsets (as the lexer gives them); the
 * public `Diagnostic` is 1-based with an exclusive `endCol` (see types.ts).
 */
import type { Diagnostic, Severity } from './types';

/** Where a statement came from. Statements expanded from a macro report at the invocation. */
export interface Loc {
  file: string;
  line: number;
  /** When set, every diagnostic of the statement uses this 0-based column range. */
  site?: { col: number; end: number; macro: string };
}

export class Diags {
  readonly list: Diagnostic[] = [];
  private errors = 0;

  add(severity: Severity, loc: Loc, col: number, end: number, message: string): void {
    let c = col, e = end, m = message;
    if (loc.site) { c = loc.site.col; e = loc.site.end; m = `${message} (in expansion of macro '${loc.site.macro}')`; }
    if (!(c >= 0)) c = 0;
    if (!(e > c)) e = c + 1;
    this.list.push({ file: loc.file, line: loc.line, col: c + 1, endCol: e + 1, severity, message: m });
    if (severity === 'error') this.errors++;
  }
  error(loc: Loc, col: number, end: number, message: string): void { this.add('error', loc, col, end, message); }
  warn(loc: Loc, col: number, end: number, message: string): void { this.add('warning', loc, col, end, message); }
  get errorCount(): number { return this.errors; }
}
