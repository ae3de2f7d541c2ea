/**
 * Layout and pass 2: places every unit's sections (in input order, `.text` then `.rdata` at
 * `textBase`, `.data` then `.bss` at `dataBase`; each unit's section starts at its alignment and
 * its size is padded as gas pads it: .text to its alignment, the others to min(alignment, 16)), resolves symbols across units, evaluates every
 * operand and datum and encodes the bytes.
 */
import type { Diags } from './diagnostics';
import { encode, type Val } from './encode';
import { evaluate, symbolsIn, type EvalEnv, type Expr, type SymValue } from './expr';
import { MAX_IMAGE_BYTES } from './limits';
import { disassemble } from './disasm';
import type { AsmSymbol, ListingLine, Segment, SourceMapEntry } from './types';
import { BSS, DATA, RDATA, SECTIONS, TEXT, type Unit, type UnitSym } from './unit';

export interface Linked {
  segments: Segment[];
  symbols: AsmSymbol[];
  sourceMap: SourceMapEntry[];
  listing: ListingLine[];
  entry: number;
}

/**
 * Listing lines one statement's data may take (`.ascii`, `.word a, b, ...`): a first line and 8
 * continuation lines, the default of gas's `--listing-cont-lines`. The bytes are all emitted;
 * only the listing is cut, so its size stays proportional to the number of statements.
 */
const MAX_DATA_LINES = 9;

const alignUp = (x: number, a: number) => Math.ceil(x / a) * a;
const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** `withListing` false: no listing lines (the bytes, symbols and source map are the same). */
export function link(units: Unit[], textBase: number, dataBase: number, diags: Diags, withListing = true): Linked {
  // ---- layout: base[unit][sec] ----
  const base: number[][] = units.map(() => [0, 0, 0, 0]);
  const secStart = [0, 0, 0, 0];
  const secEnd = [0, 0, 0, 0];
  let addr = textBase;
  for (const sec of [TEXT, RDATA, DATA, BSS]) {
    if (sec === DATA) addr = dataBase;
    const maxAlign = Math.max(...units.map((u) => u.align[sec]), 1);
    addr = alignUp(addr, maxAlign);
    secStart[sec] = addr;
    for (const u of units) {
      addr = alignUp(addr, u.align[sec]);
      base[u.index][sec] = addr;
      // gas pads each section's size: .text to its full alignment (code alignment at the end of a
      // text section), the others to their alignment capped at 16 bytes (measured with gas -O0)
      addr += alignUp(u.size[sec], sec === TEXT ? u.align[sec] : Math.min(u.align[sec], 16));
    }
    secEnd[sec] = addr;
  }
  // ---- placement checks: the address space, the largest machine memory, no overlap ----
  const here0 = { file: units[0]?.path ?? '', line: 1 };
  const range = (x: number, y: number) => `0x${hex8(x)}..0x${hex8(y)}`;
  const textEnd = secEnd[RDATA], dataEnd = secEnd[BSS];
  let placed = true;
  for (const [name, st, en] of [['.text/.rdata', secStart[TEXT], textEnd], ['.data/.bss', secStart[DATA], dataEnd]] as const) {
    if (en > 0x1_0000_0000) { diags.error(here0, 0, 1, `${name} (${range(st, en)}) runs past the end of the 32-bit address space`); placed = false; }
  }
  if (placed && textEnd - secStart[TEXT] + (dataEnd - secStart[DATA]) > MAX_IMAGE_BYTES) {
    diags.error(here0, 0, 1, `program too large: its sections total over ${MAX_IMAGE_BYTES / (1024 * 1024)} MiB (the largest machine memory)`);
    placed = false;
  }
  if (placed && textEnd > secStart[TEXT] && dataEnd > secStart[DATA] && secStart[TEXT] < dataEnd && secStart[DATA] < textEnd) {
    diags.error(here0, 0, 1, `.text/.rdata (${range(secStart[TEXT], textEnd)}) and .data/.bss (${range(secStart[DATA], dataEnd)}) overlap; place them apart (--text/--data)`);
    placed = false;
  }
  if (!placed) return { segments: [], symbols: [], sourceMap: [], listing: [], entry: 0 };

  // ---- symbols ----
  const globals = new Map<string, UnitSym>();
  for (const u of units) {
    for (const s of u.syms.values()) {
      if (!s.global || s.hidden) continue;
      const old = globals.get(s.name);
      if (old) diags.error(s.loc, s.col, s.end, `global symbol '${s.name}' is also defined in ${old.loc.file}:${old.loc.line}`);
      else globals.set(s.name, s);
    }
  }
  const lookup = (unit: number, name: string): UnitSym | undefined => units[unit].syms.get(name) ?? globals.get(name);
  /**
   * Equates defined by expressions: memoised (so `a = b + b` chains stay linear) and resolved
   * with an explicit stack (so a forward `.equ` chain of any length needs no JS recursion). A
   * symbol on the stack evaluates to undefined: that is a cycle, reported as unevaluable.
   */
  const memo = new Map<UnitSym, SymValue>();
  const active = new Set<UnitSym>();
  const unresolved = (s: UnitSym | undefined): s is UnitSym => !!s && s.kind === 'equ' && s.value === undefined && !!s.expr && !memo.has(s) && !active.has(s);
  const symValue = (s: UnitSym): SymValue => {
    if (s.kind === 'label') return { v: BigInt(base[s.unit][s.sec!] + s.off!), rel: true };
    if (s.value !== undefined) return { v: s.value, rel: false };
    if (!unresolved(s)) return memo.get(s);
    const stack: { s: UnitSym; deps: string[]; i: number }[] = [{ s, deps: symbolsIn(s.expr!), i: 0 }];
    active.add(s);
    while (stack.length) {
      const top = stack[stack.length - 1];
      let next: UnitSym | undefined;
      while (!next && top.i < top.deps.length) {
        const d = lookup(top.s.unit, top.deps[top.i++]);
        if (unresolved(d)) next = d;
      }
      if (next) { active.add(next); stack.push({ s: next, deps: symbolsIn(next.expr!), i: 0 }); continue; }
      // every dependency is now a label, a constant, memoised, or on the stack (a cycle)
      stack.pop();
      const r = evaluate(top.s.expr!, envFor(top.s.unit));
      active.delete(top.s);
      memo.set(top.s, r.ok ? { v: r.v, rel: r.rel } : undefined);
    }
    return memo.get(s);
  };
  const envFor = (unit: number, here?: number): EvalEnv => ({
    sym: (name) => { const s = lookup(unit, name); return s ? symValue(s) : undefined; },
    loc: (u, sec, off) => BigInt(base[u][sec] + off),
    here,
  });

  // ---- bytes ----
  const secBytes = SECTIONS.map((_, sec) => new Uint8Array(secEnd[sec] - secStart[sec]));
  const listing: ListingLine[] = [];
  const rawMap: SourceMapEntry[] = [];
  const eval32 = (unit: number, e: Expr, here: number, col: number, end: number, loc: UnitSym['loc']): number | undefined => {
    const r = evaluate(e, envFor(unit, here));
    if (!r.ok) {
      if (r.silent) return undefined;
      let msg = r.message;
      if (r.unknown && r.unknown !== '.' && r.unknown.startsWith('\u0002')) msg = `no following local label ${r.unknown.slice(1).split('\u0001')[0]}:`;
      diags.error(loc, r.col || col, r.end || end, msg);
      return undefined;
    }
    return Number(BigInt.asIntN(32, r.v));
  };
  for (const u of units) {
    let lastStmt = -1;
    let dataLines = 0; // listing lines of the current statement's data
    for (const it of u.items) {
      const a = base[u.index][it.sec] + it.off;
      const buf = secBytes[it.sec];
      const o = a - secStart[it.sec];
      const size = it.k === 'insn' ? 4 : it.k === 'data' ? it.width : it.k === 'fill' ? it.size : it.bytes.length;
      if (it.stmt === lastStmt && rawMap.length && rawMap[rawMap.length - 1].addr + rawMap[rawMap.length - 1].size === a) rawMap[rawMap.length - 1].size += size;
      else rawMap.push({ addr: a >>> 0, size, file: it.loc.file, line: it.loc.line });
      if (it.stmt !== lastStmt) dataLines = 0;
      lastStmt = it.stmt;
      if (it.k === 'fill') {
        // one listing line however large: the first bytes and the count
        if (it.value !== 0 && it.sec !== BSS) buf.fill(it.value, o, o + it.size);
        if (!withListing) continue;
        const hex = it.value.toString(16).padStart(2, '0').repeat(Math.min(it.size, 4));
        listing.push({ addr: a >>> 0, hex, text: `.space ${it.size}${it.value ? `, 0x${it.value.toString(16)}` : ''}`, file: it.loc.file, line: it.loc.line });
        continue;
      }
      if (it.k === 'bytes') {
        if (it.sec !== BSS) buf.set(it.bytes, o);
        for (let i = 0; withListing && i < it.bytes.length && dataLines < MAX_DATA_LINES; i += 4, dataLines++) {
          const chunk = it.bytes.subarray(i, i + 4);
          const more = dataLines === MAX_DATA_LINES - 1 && i + 4 < it.bytes.length ? ` … (${it.bytes.length - i - 4} more bytes)` : '';
          listing.push({ addr: (a + i) >>> 0, hex: [...chunk].map((b) => b.toString(16).padStart(2, '0')).join(''), text: `.byte ${[...chunk].map((b) => '0x' + b.toString(16)).join(',')}${more}`, file: it.loc.file, line: it.loc.line });
        }
        continue;
      }
      if (it.k === 'data') {
        const v = eval32(u.index, it.e, a, it.col, it.end, it.loc);
        if (v === undefined) continue;
        const full = evaluate(it.e, envFor(u.index, a));
        const bits = BigInt(it.width * 8);
        if (full.ok) {
          const hi = full.v >> bits;
          if (hi !== 0n && hi !== -1n) diags.warn(it.loc, it.col, it.end, `value 0x${BigInt.asUintN(64, full.v).toString(16)} truncated to 0x${BigInt.asUintN(Number(bits), full.v).toString(16)}`);
        }
        for (let i = 0; i < it.width; i++) buf[o + i] = (v >>> (8 * (it.width - 1 - i))) & 255;
        if (dataLines++ >= MAX_DATA_LINES || !withListing) continue;
        const name = it.width === 4 ? '.word' : it.width === 2 ? '.half' : '.byte';
        const uv = it.width === 4 ? v >>> 0 : v & ((1 << (8 * it.width)) - 1);
        listing.push({ addr: a >>> 0, hex: uv.toString(16).padStart(it.width * 2, '0'), text: `${name} 0x${uv.toString(16)}`, file: it.loc.file, line: it.loc.line });
        continue;
      }
      // instruction
      const vals: (Val | undefined)[] = [];
      let bad = false;
      for (const arg of it.args) {
        if (arg.k === 'r') { vals.push({ r: arg.n }); continue; }
        const v = arg.e ? eval32(u.index, arg.e, a, arg.col, arg.end, it.loc) : 0;
        if (v === undefined) { bad = true; vals.push(undefined); continue; }
        if (arg.k === 'e' && arg.fit16 && (v < -0x8000 || v > 0x7fff)) { diags.error(it.loc, arg.col, arg.end, `value ${v} does not fit: ${arg.fit16}`); bad = true; }
        vals.push(arg.k === 'm' ? { base: arg.base, off: v } : { v });
      }
      let word = 0;
      if (!bad) {
        const r = encode(it.spec, vals, a >>> 0);
        for (const e of r.errors) {
          const arg = it.args[Math.min(e.index, it.args.length - 1)];
          const [c, en] = arg && arg.k !== 'r' ? [arg.col, arg.end] : [0, 1];
          diags.error(it.loc, c, en, e.message);
        }
        word = r.word;
      }
      buf[o] = word >>> 24; buf[o + 1] = (word >>> 16) & 255; buf[o + 2] = (word >>> 8) & 255; buf[o + 3] = word & 255;
      if (withListing) listing.push({ addr: a >>> 0, hex: hex8(word), text: disassemble(word, a >>> 0), file: it.loc.file, line: it.loc.line });
    }
  }

  // ---- symbol table, labels in the listing ----
  const symbols: AsmSymbol[] = [];
  for (const u of units) {
    for (const s of u.syms.values()) {
      if (s.hidden) continue;
      const v = symValue(s);
      if (!v) { if (s.kind === 'equ') diags.error(s.loc, s.col, s.end, `cannot evaluate the value of '${s.name}'`); continue; }
      symbols.push({ name: s.name, value: Number(BigInt.asUintN(32, v.v)), kind: s.kind, ...(s.kind === 'label' ? { section: SECTIONS[s.sec!] } : {}), global: s.global, file: s.loc.file, line: s.loc.line });
    }
    for (const [name, g] of u.globals) {
      if (!u.syms.has(name) && !globals.has(name)) diags.warn(g.loc, g.col, g.end, `global symbol '${name}' is never defined`);
    }
  }
  const labelsAt = new Map<number, string[]>();
  for (const s of symbols) if (s.kind === 'label') { const l = labelsAt.get(s.value) ?? []; l.push(s.name); labelsAt.set(s.value, l); }
  listing.sort((x, y) => x.addr - y.addr);
  let prev = -1;
  for (const l of listing) { if (l.addr !== prev && labelsAt.has(l.addr)) l.labels = labelsAt.get(l.addr); prev = l.addr; }

  const segments: Segment[] = [];
  SECTIONS.forEach((name, sec) => { if (secBytes[sec].length) segments.push({ name, vaddr: secStart[sec] >>> 0, bytes: secBytes[sec] }); });
  const start = globals.get('__start') ?? units.map((u) => u.syms.get('__start')).find((s) => s && s.kind === 'label');
  const entry = start ? Number(symValue(start)?.v ?? BigInt(secStart[TEXT])) >>> 0 : secStart[TEXT] >>> 0;
  rawMap.sort((x, y) => x.addr - y.addr);
  return { segments, symbols, sourceMap: rawMap, listing, entry };
}
