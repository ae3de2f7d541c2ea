/**
 * Address ↔ source line, from the assembler's source map (`Image.sourceMap`: one entry per
 * statement, `{ addr, size, file, line }`, sorted by address). The assembler already emits it
 * beside the bytes, so the debugger needs nothing else from it and GNU-as compatibility of the
 * bytes is untouched.
 *
 * A line table names the address space its addresses live in: `native` (bare-metal programs,
 * kseg0), a VM's guest kernel, or the user program run on the guest OS (`user`: kuseg, every
 * process that runs it). Breakpoints on a line stop at the line's first instruction in that space.
 */
import type { SourceMapEntry } from '../asm/types';
import { DebugError } from './errors';

export interface SourceLocation { file: string; line: number }

/** Where a line table's addresses apply. */
export interface LineScope {
  /** Disco: only on this VM's vCPUs (default: every CPU / vCPU). */
  vm?: number;
  /** Only in user mode (kuseg programs on the guest OS). */
  user?: boolean;
  /** Only outside user mode (the guest OS kernel). */
  kernel?: boolean;
}

export class LineTable {
  private readonly entries: SourceMapEntry[];
  /** file → line → first address. */
  private readonly byLine = new Map<string, Map<number, number>>();

  constructor(sourceMap: readonly SourceMapEntry[], readonly scope: LineScope = {}) {
    this.entries = [...sourceMap].filter((e) => e.size > 0).sort((a, b) => (a.addr >>> 0) - (b.addr >>> 0));
    for (const e of this.entries) {
      let lines = this.byLine.get(e.file);
      if (!lines) { lines = new Map(); this.byLine.set(e.file, lines); }
      const at = lines.get(e.line);
      if (at === undefined || (e.addr >>> 0) < at) lines.set(e.line, e.addr >>> 0);
    }
  }

  get files(): string[] { return [...this.byLine.keys()]; }

  /** The source line of the statement that emitted `addr`, if any. */
  locate(addr: number): SourceLocation | undefined {
    const a = addr >>> 0, e = this.entries;
    let lo = 0, hi = e.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1, m = e[mid], s = m.addr >>> 0;
      if (a < s) hi = mid - 1;
      else if (a >= s + m.size) lo = mid + 1;
      else return { file: m.file, line: m.line };
    }
    return undefined;
  }

  /** The first address of `file`:`line`, or of the next line with code (as debuggers move a breakpoint on a blank line). */
  addressOf(file: string, line: number): { addr: number; line: number } | undefined {
    const lines = this.byLine.get(file) ?? this.byLine.get(this.files.find((f) => sameFile(f, file)) ?? '');
    if (!lines) return undefined;
    let best: number | undefined;
    for (const l of lines.keys()) if (l >= line && (best === undefined || l < best)) best = l;
    return best === undefined ? undefined : { addr: lines.get(best)!, line: best };
  }

  /** `addressOf`, or a typed error. */
  require(file: string, line: number): { addr: number; line: number } {
    const r = this.addressOf(file, line);
    if (!r) throw new DebugError('E_NO_SOURCE', `no code at ${file}:${line}`);
    return r;
  }
}

/** Same file when one path ends with the other at a separator (a client's absolute path vs the assembler's relative one). */
export function sameFile(a: string, b: string): boolean {
  const x = a.split('\\').join('/'), y = b.split('\\').join('/');
  if (x === y) return true;
  const [long, short] = x.length >= y.length ? [x, y] : [y, x];
  return long.endsWith(short) && long[long.length - short.length - 1] === '/';
}
