/**
 * Layout and pass 2: places every unit's sections (in input order, `.text` then `.rdata` at
 * `textBase`, `.data` then `.bss` at `dataBase`; each unit's section starts at its alignment and
 * its size is padded as gas pads it: .text to its alignment, the others to min(alignment, 16)), resolves symbols across units, evaluates every
 * operand and datum and encodes the bytes.
 */
import type { Diags } from './diagnostics';
import { encode, type Val } from './encode';
import { evaluate, type EvalEnv, type Expr } from './expr';
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

const alignUp = (x: number, a: number) => Math.ceil(x / a) * a;
const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

export function link(units: Unit[], textBase: number, dataBase: number, diags: Diags): Linked {
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
  if (secEnd[RDATA] > dataBase && secStart[TEXT] < dataBase && textBase < dataBase) {
    diags.error({ file: units[0]?.path ?? '', line: 1 }, 0, 1, `.text/.rdata (0x${hex8(secStart[TEXT])}..0x${hex8(secEnd[RDATA])}) overlap .data at 0x${hex8(dataBase)}`);
  }

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
  const resolving = new Set<UnitSym>();
  const symValue = (s: UnitSym): { v: bigint; rel: boolean } | undefined => {
    if (s.kind === 'label') return { v: BigInt(base[s.unit][s.sec!] + s.off!), rel: true };
    if (s.value !== undefined) return { v: s.value, rel: false };
    if (!s.expr || resolving.has(s)) return undefined;
    resolving.add(s);
    const r = evaluate(s.expr, envFor(s.unit));
    resolving.delete(s);
    if (!r.ok) return undefined;
    return { v: r.v, rel: r.rel };
  };
  const lookup = (unit: number, name: string): UnitSym | undefined => units[unit].syms.get(name) ?? globals.get(name);
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
    for (const it of u.items) {
      const a = base[u.index][it.sec] + it.off;
      const buf = secBytes[it.sec];
      const o = a - secStart[it.sec];
      const size = it.k === 'insn' ? 4 : it.k === 'data' ? it.width : it.bytes.length;
      if (it.stmt === lastStmt && rawMap.length && rawMap[rawMap.length - 1].addr + rawMap[rawMap.length - 1].size === a) rawMap[rawMap.length - 1].size += size;
      else rawMap.push({ addr: a >>> 0, size, file: it.loc.file, line: it.loc.line });
      lastStmt = it.stmt;
      if (it.k === 'bytes') {
        if (it.sec !== BSS) buf.set(it.bytes, o);
        for (let i = 0; i < it.bytes.length; i += 4) {
          const chunk = it.bytes.subarray(i, i + 4);
          listing.push({ addr: (a + i) >>> 0, hex: [...chunk].map((b) => b.toString(16).padStart(2, '0')).join(''), text: `.byte ${[...chunk].map((b) => '0x' + b.toString(16)).join(',')}`, file: it.loc.file, line: it.loc.line });
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
      listing.push({ addr: a >>> 0, hex: hex8(word), text: disassemble(word, a >>> 0), file: it.loc.file, line: it.loc.line });
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
