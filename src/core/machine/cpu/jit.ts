/**
 * Region compiler (both CPU models): hot code of one code page, as seen at one virtual page,
 * becomes a JavaScript function (`new Function`), generated from the same instruction templates
 * as the interpreter (semantics.ts).
 *
 * Units. A *block* starts at an entry and runs straight-line code up to and including the first
 * branch or jump and its delay slot, or up to an instruction that always ends a batch
 * (privileged, syscall/break, reserved), or the page end. A *region* grows from a hot seed
 * through the blocks' static successors in the page (branch targets, fall-throughs, return
 * points after calls and after batch-ending instructions) that have already run at least once,
 * stopping at the entries of other regions. Its blocks are the arms of a `switch (wi)` inside a
 * loop, so taken and untaken branches, loops and calls whose targets are in the region stay in
 * compiled code (a superblock/trace in effect), and `jr` to one of its entries does too. Loads
 * and stores stay in compiled code while they hit the soft-TLBs; a miss calls the CPU's slow
 * path, which raises exceptions precisely. A page collects regions as new code gets hot;
 * regions are never recompiled, so V8 keeps their optimised code.
 *
 * Sharing. A region's code depends only on its instructions and virtual addresses, not on the
 * physical page or the CPU (those are arguments), so compiled regions are cached by content for
 * the whole process: four processes running the same program, four CPUs running one kernel, or
 * the next run of an experiment, reuse one function — and V8 optimises it once.
 *
 * Timing model: the same code plus the memory model's calls for every fetch, load and store,
 * with its one-compare hit test inline (the L1 line touched last, `TimingFastPath`): a fetch is
 * checked at a block's first instruction, at a new cache line, and after any data access
 * (which can evict the line); nothing else changes `lastI`.
 *
 * Contract with the interpreter (interp.ts):
 *   fn(cpu, x, r, ltag, lbase, stag, sbase, budget, wi, B) → cycles used (0: nothing ran).
 *   `x`: the CPU's `JitContext`; `B`: physical word index of the page; `budget`: cycles left in
 *   the batch. A block runs only if it fits; in the timing model a stall after which the rest of
 *   the block no longer fits ends the run after that instruction (even between a branch and its
 *   delay slot), and the interpreter runs on to the budget's exact end. On return
 *   `cpu.bpc/bnpc/bslot` hold the next state and (timing) `cpu.bstall` the stall cycles included
 *   in the result. If an exception was raised or a batch-ending instruction ran, `cpu.faulted`
 *   is true and the CPU's state is already synced. If a slow path set `cpu.endBatch` (MMIO,
 *   halt), it returns after that instruction.
 *
 * Code changes. Every block checks its words against memory at its first entry in each call
 * (a bit test afterwards). Within a call only this CPU's stores can change memory: a store that
 * hits this page, and every slow-path store or helper, returns to the dispatcher, which
 * re-enters through the checks. So compiled code always executes the instructions in memory,
 * exactly as the interpreter does. A failed check sets `cpu.jitStale` (the page is dropped).
 */
import { SEMANTICS, emitBody, extend, LOAD_SIZE, readPhys, subst, TAG_MASK, writePhys, type Backend, type Semantics } from './semantics';
import { mulhs, mulhu } from './mul';
import type { TimingFastPath } from '../memory/numa';

export type PageFn = (cpu: unknown, x: JitContext, r: Int32Array, ltag: Int32Array, lbase: Int32Array, stag: Int32Array,
  sbase: Int32Array, budget: number, wi: number, B: number) => number;

export type { TimingFastPath };

/** Per-CPU values compiled code reads (the functions themselves are shared). */
export interface JitContext {
  mem: Int32Array; u8: Uint8Array; u16: Uint16Array; res: unknown; timing: unknown;
  lastI: Int32Array; lastD: Int32Array; owner: Int8Array; id: number;
}

export interface RegionInput {
  /** The page's words (current memory) and their op ids. */
  words: ArrayLike<number>;
  ops: ArrayLike<number>;
  /** The hot entry to grow the region from. */
  seed: number;
  /** Virtual address of the page. */
  pageVa: number;
  /** Whether a successor block starting at `s` may join the region (it ran before, and is no other region's entry). */
  include: (s: number) => boolean;
  /** Timing model: the memory model's hit-test parameters. */
  timing?: TimingFastPath;
}

export interface Region {
  fn: PageFn;
  /** Block entries (word indices). */
  starts: number[];
  /** Every instruction inside a block. */
  covered: number[];
  instructions: number;
}

const MAX_BLOCK = 64;
/** Instructions per region (V8 optimises large functions late and slowly). */
const MAX_REGION = 400;
/** Compiled regions kept for reuse (by content). */
const CACHE_LIMIT = 4096;
const cache = new Map<string, PageFn>();
/** Statistics for benchmarks and tests. */
export const jitStats = { compiled: 0, reused: 0, instructions: 0 };

const c32 = (n: number) => ((n | 0) < 0 ? `(${n | 0})` : `${n | 0}`);

interface Block { start: number; idx: number[]; end: 'branch' | 'fall'; next: number }

function scan(ops: ArrayLike<number>, s: number): Block | undefined {
  const idx: number[] = [];
  let i = s;
  for (;;) {
    if (i >= 1024) return idx.length ? { start: s, idx, end: 'fall', next: 1024 } : undefined;
    if (idx.length >= MAX_BLOCK) return { start: s, idx, end: 'fall', next: i };
    const sem = SEMANTICS[ops[i]];
    // left to the interpreter: reserved words, privileged and always-raising rows, helper calls,
    // and a branch whose delay slot is on the next page or is one of those, or another branch
    const alone = (x: typeof sem) => x === undefined || x.privileged || x.helper;
    if (alone(sem)) return idx.length ? { start: s, idx, end: 'fall', next: i } : undefined;
    if (sem!.control) {
      if (i + 1 >= 1024 || alone(SEMANTICS[ops[i + 1]]) || SEMANTICS[ops[i + 1]]!.control) return idx.length ? { start: s, idx, end: 'fall', next: i } : undefined;
      idx.push(i, i + 1);
      return { start: s, idx, end: 'branch', next: i + 2 };
    }
    idx.push(i);
    i++;
  }
}

/** Constant jump targets: the template's expression evaluated once per row (undefined: depends on registers). */
const jumpEval = new Map<number, ((pc: number, npc: number, index: number) => number) | null>();
function constTarget(sem: Semantics, w: number, pc: number): number | undefined {
  const c = sem.control!;
  if (c.kind === 'branch') return (pc + 4 + (((w << 16) >> 16) << 2)) | 0;
  let f = jumpEval.get(sem.id);
  if (f === undefined) {
    const e = c.target.replace(/\$(pc|npc|index)\b/g, (_a, n: string) => n);
    f = /[$#]|\b[a-z]\b/.test(e) ? null : new Function('pc', 'npc', 'index', `"use strict"; return (${e}) | 0;`) as (pc: number, npc: number, index: number) => number;
    jumpEval.set(sem.id, f);
  }
  return f === null ? undefined : f(pc, (pc + 4) | 0, w & 0x3ffffff);
}
/** Whether memory differs from a block's words (its check at its first entry in a call). */
function differ(mem: Int32Array, at: number, W: Int32Array, off: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (mem[at + i] !== W[off + i]) return true;
  return false;
}

/** Word index of `t` if it lies in the page at `pageVa` (and is word-aligned), else −1. */
const inPage = (t: number, pageVa: number) => (((t ^ pageVa) & 0xfffff003) === 0 ? (t >>> 2) & 1023 : -1);

/** Static successors of a block inside the page. */
function successors(b: Block, words: ArrayLike<number>, ops: ArrayLike<number>, pageVa: number): number[] {
  if (b.end !== 'branch') return b.next < 1024 ? [b.next] : [];
  const bi = b.idx[b.idx.length - 2];
  const sem = SEMANTICS[ops[bi]]!, w = words[bi] | 0, pc = (pageVa + bi * 4) | 0;
  const out: number[] = [];
  const t = constTarget(sem, w, pc);
  if (t !== undefined && inPage(t, pageVa) >= 0) out.push(inPage(t, pageVa));
  // the fall-through of a conditional branch, or the return point of a call
  if ((sem.control!.kind === 'branch' || sem.spec.links || sem.spec.operands.includes('rd')) && b.next < 1024) out.push(b.next);
  return out;
}

/** Compiles the region grown from `inp.seed`; undefined when no block can start there. */
export function compileRegion(inp: RegionInput): Region | undefined {
  const { words, ops, pageVa } = inp;
  const blocks = new Map<number, Block>();
  const queue = [inp.seed];
  let total = 0;
  for (let q = 0; q < queue.length && total < MAX_REGION; q++) {
    const s = queue[q];
    if (blocks.has(s) || (q > 0 && !inp.include(s))) continue;
    const b = scan(ops, s);
    if (b === undefined) continue;
    blocks.set(s, b);
    total += b.idx.length;
    for (const x of successors(b, words, ops, pageVa)) if (!blocks.has(x)) queue.push(x);
  }
  if (!blocks.has(inp.seed)) return undefined;
  const starts = [...blocks.keys()].sort((a, b) => a - b);
  const tf = inp.timing;
  const key = `${tf ? `T${tf.l1iShift},${tf.l1dShift},${tf.l2Shift}` : 'F'}|${pageVa}|${starts.map((s) => `${s}:${blocks.get(s)!.idx.map((i) => words[i] | 0).join(',')}`).join(';')}`;
  let fn = cache.get(key);
  if (fn === undefined) {
    fn = generate(blocks, starts, inp);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, fn);
    jitStats.compiled++;
    jitStats.instructions += total;
  } else jitStats.reused++;
  const covered: number[] = [];
  for (const s of starts) covered.push(...blocks.get(s)!.idx);
  return { fn, starts, covered, instructions: total };
}

/**
 * Per-row code generators, built once per row and memory-model variant: the row's template
 * expanded into a JavaScript template literal whose holes are the instance's fields and exits
 * (`a.rs`, `a.B`, …), so generating an instruction is one call and some string concatenation.
 */
interface GenArgs {
  /** Register expressions (`r[5]`, or `0` for $0) and field numbers. */
  rs: string; rt: string; rd: string; frs: number; frt: number; frd: number; sel: number;
  sa: number; imm: string; uimm: number; index: number; pc: string; npc: string;
  /** `(($rs + $imm) | 0)`, or `$rs` alone when imm = 0 (registers are int32 already). */
  ea: string;
  /** Leave before / after the instruction; its fetch check; the timing model's budget test. */
  B: string; A: string; F: string; O: string;
}
interface RowGen { body: (a: GenArgs) => string; ctl: ((a: GenArgs) => string) | undefined; fetchInBody: boolean }
const rowGens = new Map<string, RowGen>();
function rowGen(sem: Semantics, tf: TimingFastPath | undefined): RowGen {
  const key = `${sem.id}|${tf ? `${tf.l1dShift},${tf.l2Shift}` : ''}`;
  let g = rowGens.get(key);
  if (g !== undefined) return g;
  const data = (kind: 1 | 2, pa: string) => {
    if (!tf) return '';
    const test = kind === 1 ? `(${pa} >>> ${tf.l1dShift}) !== lastD[id]` : `((${pa} >>> ${tf.l1dShift}) !== lastD[id] || owner[${pa} >>> ${tf.l2Shift}] !== id)`;
    // `a.O` is the budget test (`n + st + len > budget`) as an expression
    return `if (${test} && (st += timing.access(id, ${pa}, ${kind}), \${a.O})) ex = 1;`;
  };
  const hole = (e: string) => '${' + e + '}';
  const pb: Backend = {
    reg: (f) => hole(`a.${f}`),
    field: (f) => hole(f === 'sel' ? 'a.sel' : `a.f${f}`),
    value: (n) => (n === 'hi' ? 'cpu.hi' : n === 'lo' ? 'cpu.lo' : hole(`a.${n}`)),
    // a write to $0 is dropped
    write: (reg, e, cond) => {
      const d = reg === 'ra' ? '31' : `a.f${reg}`;
      return hole(`${d} === 0 ? ';' : \`${cond === undefined ? '' : `if (${cond}) `}r[${hole(d)}] = ${e};\``);
    },
    load: (kind, addr, into) => {
      const size = LOAD_SIZE[kind];
      return `const _va = ${addr}, _e = (_va >>> 12) & 1023; if (ltag[_e] !== (_va & ${TAG_MASK[size]})) ${hole('a.B')}
        ${hole('a.F')} const _pa = lbase[_e] + (_va & 0xfff), _v = ${readPhys(size, '_pa')}; ${data(1, '_pa')} ${into(extend(kind, '_v'))}`;
    },
    store: (size, addr, value) => `const _va = ${addr}, _e = (_va >>> 12) & 1023;
        if (stag[_e] !== (_va & ${TAG_MASK[size]}) || ra !== 0) ${hole('a.B')}
        ${hole('a.F')} const _pa = sbase[_e] + (_va & 0xfff); ${writePhys(size, '_pa', value)} ${data(2, '_pa')}
        if ((_pa >>> 12) === ppn) ${hole('a.A')}`,
    call: () => { throw new Error('bug: helper rows end blocks'); },
    raise: () => hole('a.B'),
    next: () => { throw new Error('bug: next() outside a privileged row'); },
  };
  // compact text (once per row); `$ea` (`(($rs + $imm) | 0)`) is one hole: just the register when imm = 0
  const lit = (code: string) => new Function('a', `"use strict"; return \`${code.replace(/\s+/g, ' ').replace(/\(\(\$\{a\.rs\} \+ \$\{a\.imm\}\) \| 0\)/g, '${a.ea}')}\`;`) as (a: GenArgs) => string;
  const c = sem.control;
  g = {
    body: lit(emitBody(sem, pb)),
    ctl: c === undefined ? undefined : lit(subst(c.kind === 'branch' ? c.cond : c.target, pb)),
    fetchInBody: sem.body.some((x) => x.k === 'load' || x.k === 'store'),
  };
  rowGens.set(key, g);
  return g;
}

/** The generator arguments of the word `w` at `pc`. */
function argsOf(w: number, pc: number, npc: string, B: string, A: string, F: string, O: string): GenArgs {
  const frs = (w >>> 21) & 31, frt = (w >>> 16) & 31, frd = (w >>> 11) & 31;
  const rs = frs === 0 ? '0' : `r[${frs}]`, imm = (w << 16) >> 16;
  return {
    ea: imm === 0 ? rs : `((${rs} + ${c32(imm)}) | 0)`,
    rs: frs === 0 ? '0' : `r[${frs}]`, rt: frt === 0 ? '0' : `r[${frt}]`, rd: frd === 0 ? '0' : `r[${frd}]`, frs, frt, frd, sel: w & 7,
    sa: (w >>> 6) & 31, imm: c32((w << 16) >> 16), uimm: w & 0xffff, index: w & 0x3ffffff, pc: c32(pc), npc, B, A, F, O,
  };
}

function generate(blocks: Map<number, Block>, starts: number[], inp: RegionInput): PageFn {
  const { words, ops, pageVa } = inp;
  const tf = inp.timing;
  const timed = tf !== undefined;
  const entry = new Set(starts);
  const pcOf = (i: number) => (pageVa + i * 4) | 0;
  // Every exit sets locals and leaves the loop for the one epilogue, which every call runs: so
  // rarely taken exits need no type feedback of their own (V8 would deoptimise on reaching them).
  /** Leave for constant `pc` (not a delay slot) after `k` instructions of the current block. */
  // constant exits are numbered: the epilogue reads their pc and count from tables (less code)
  const exitPc: number[] = [], exitK: number[] = [], exitIds = new Map<string, number>();
  const exitAt = (pc: number, k: number) => {
    const key = `${pc},${k}`;
    let id = exitIds.get(key);
    if (id === undefined) { id = exitPc.length; exitIds.set(key, id); exitPc.push(pc); exitK.push(k); }
    return `{x=${id};break run}`;
  };
  const exitSlot = (pc: number, npc: string, k: number) => `{ xp = ${c32(pc)}; xn = ${npc}; xs = 1; kk = ${k}; break run; }`;
  const exitDyn = (pc: string, k: number) => `{ xp = ${pc}; xs = 0; kk = ${k}; break run; }`;
  /** Continue at constant `t` after the block (n already counts it). */
  const goTo = (t: number) => {
    const j = inPage(t, pageVa);
    return j >= 0 && entry.has(j) ? `{ wi = ${j}; continue; }` : exitAt(t, 0);
  };
  const goToDyn = (t: string) => `if (((${t} ^ ${c32(pageVa)}) & 0xfffff003) === 0) { wi = (${t} >>> 2) & 1023; continue; } ${exitDyn(t, 0)}`;

  const arms: string[] = [];
  const wordsOut: number[] = [];
  let okVars = 0;
  starts.forEach((s, j) => {
    const b = blocks.get(s)!;
    const len = b.idx.length;
    const okVar = `ok${j >> 5}`, bit = `${1 << (j & 31)}`;
    okVars = Math.max(okVars, (j >> 5) + 1);
    const code: string[] = [];
    code.push(`if (n${timed ? ' + st' : ''} + ${len} > budget) ${exitAt(pcOf(s), 0)}`);
    // blocks are contiguous: their words are W[wOff .. wOff + len)
    const wOff = wordsOut.length;
    for (const i of b.idx) wordsOut.push(words[i] | 0);
    code.push(`if ((${okVar} & ${bit}) === 0) { if (differ(mem, B + ${s}, W, ${wOff}, ${len})) { x = ${exitAt(pcOf(s), 0).match(/x=(\d+)/)![1]}; xs = 2; break run; } ${okVar} |= ${bit}; }`);

    // Timing model: a stall after which the rest of the block no longer fits the budget ends the
    // run after that instruction (`ex`); the interpreter then runs to the budget's exact end.
    const overBudget = timed ? `n + st + ${len} > budget` : '';
    let lastLine = -1, dataSince = true;
    /** Timing model: the fetch of instruction i, as a condition that holds when it stalled past the budget ('' if no test). */
    const fetchCond = (i: number): string => {
      if (!timed) return '';
      const off = i * 4, line = off >>> tf!.l1iShift;
      if (line === lastLine && !dataSince) return '';
      lastLine = line; dataSince = false;
      return `lastI[id] !== L0 + ${line} && (st += timing.access(id, B4 + ${off}, 0), ${overBudget})`;
    };
    const fetch = (i: number): string => { const c = fetchCond(i); return c === '' ? '' : `if (${c}) ex = 1;`; };
    /**
     * One non-control instruction at word i, K = instructions of the block before it; `before`:
     * leave without running it (the interpreter will: a soft-TLB miss, an exception, an active
     * LL reservation); `after`: leave right after it.
     */
    const instr = (i: number, K: number, npc: string, before: string, after: string): string => {
      const w = words[i] | 0, sem = SEMANTICS[ops[i]]!;
      // Timing model: an instruction left to the interpreter must not have paid its fetch (the
      // interpreter pays it, and checks the budget before it), so the fetch goes after the
      // checks that can leave: after a soft-TLB test, or after the whole body otherwise (the
      // body's register writes do not touch the memory model).
      const g = rowGen(sem, tf);
      const cond = fetchCond(i);
      const body = g.body(argsOf(w, pcOf(i), npc, before, after, cond === '' ? '' : `if (${cond}) ex = 1;`, overBudget));
      const code = body.trim() === ';' ? '' : `{ ${body} }`;
      // no memory access: the fetch (after the body) is the only stall, and leaves at once
      if (!g.fetchInBody) return cond === '' ? code : `${code} if (${cond}) ${after}`;
      if (sem.memory) dataSince = true;
      return timed ? `${code} if (ex !== 0) ${after}` : code;
    };

    const plain = (i: number, K: number) => instr(i, K, c32(pcOf(i + 1)), exitAt(pcOf(i), K), exitAt(pcOf(i + 1), K + 1));
    if (b.end !== 'branch') {
      b.idx.forEach((i, K) => code.push(plain(i, K)));
      code.push(`n += ${len}; ${b.next < 1024 ? goTo(pcOf(b.next)) : exitAt(pcOf(1024), 0)}`);
    } else {
      b.idx.slice(0, -2).forEach((i, K) => code.push(plain(i, K)));
      const bi = b.idx[len - 2], si = b.idx[len - 1];
      const KB = len - 2;                      // instructions before the branch
      const sem = SEMANTICS[ops[bi]]!, w = words[bi] | 0, pc = pcOf(bi), slotPc = pcOf(si), fall = pcOf(si + 1);
      const ctl = sem.control!;
      const likely = sem.spec.delay === 'likely';
      const g = rowGen(sem, tf), ba = argsOf(w, pc, c32(slotPc), '', '', '', '');
      const t = constTarget(sem, w, pc);
      const fb = fetch(bi);
      let head: string, outcome: string, go: string, afterSlot: string, beforeSlot: string;
      if (ctl.kind === 'branch') {
        head = `const _t = ${g.ctl!(ba)};`;
        outcome = `(_t ? ${c32(t!)} : ${c32(fall)})`;
        go = `if (_t) ${goTo(t!)} else ${goTo(fall)}`;
        afterSlot = `if (_t) ${exitAt(t!, len)} else ${exitAt(fall, len)}`;
      } else if (t !== undefined) {
        head = ''; outcome = c32(t); go = goTo(t);
        afterSlot = exitAt(t, len);
      } else {
        head = `const _j = ${g.ctl!(ba)};`; outcome = '_j'; go = goToDyn('_j');
        afterSlot = exitDyn('_j', len);
      }
      beforeSlot = exitSlot(slotPc, outcome, KB + 1);
      // timing: a stall that used up the budget stops before the delay slot, as the interpreter does
      const exBranch = !timed || fb === '' ? '' : likely
        ? `if (ex !== 0) { if (!_t) ${exitAt(fall, KB + 1)} ${beforeSlot} }`
        : `if (ex !== 0) ${beforeSlot}`;
      const nullify = likely ? `if (!_t) { n += ${KB + 1}; ${goTo(fall)} }` : '';
      const slotCode = instr(si, KB + 1, outcome, beforeSlot, afterSlot);
      code.push(`{ ${fb} ${g.body(ba)} ${head} ${exBranch} ${nullify} ${slotCode} n += ${len}; ${go} }`);
    }
    arms.push(`case ${s}: { ${code.join('\n')} }`);
  });

  const locals = ['n = 0', 'st = 0', 'ex = 0', 'x = -1', 'xp = 0', 'xn = 0', 'xs = 0', 'kk = 0', ...Array.from({ length: okVars }, (_, i) => `ok${i} = 0`)];
  // V8 compiles a parenthesised function eagerly (no second parse at its first call).
  // `ra`: whether any LL reservation is active, read once per call — only ll/sc (helper rows,
  // never compiled) and exceptions change it, and both leave compiled code.
  const src = `"use strict";
return (function region_${(pageVa >>> 12).toString(16)}_${starts[0]}(cpu, x_, r, ltag, lbase, stag, sbase, budget, wi, B) {
const mem = x_.mem, u8 = x_.u8, u16 = x_.u16, ra = x_.res.active, ppn = B >>> 10;
${timed ? `const timing = x_.timing, lastI = x_.lastI, lastD = x_.lastD, owner = x_.owner, id = x_.id, B4 = B << 2, L0 = B4 >>> ${tf!.l1iShift};` : ''}
let ${locals.join(', ')};
run: for (;;) { switch (wi) {
${arms.join('\n')}
default: { xp = (${c32(pageVa)} + (wi << 2)) | 0; break run; }
} }
if (x >= 0) { xp = XP[x]; kk = XK[x]; }
cpu.bpc = xp; cpu.bnpc = xs === 1 ? xn : (xp + 4) | 0; cpu.bslot = xs;
${timed ? 'cpu.bstall = st; return n + kk + st;' : 'return n + kk;'}
});`;
  // debugging and measurement: `globalThis.__dumpRegions = []` collects every generated source
  const dump = (globalThis as { __dumpRegions?: string[] }).__dumpRegions;
  if (dump) dump.push(src);
  return new Function('mulhs', 'mulhu', 'differ', 'W', 'XP', 'XK', src)(mulhs, mulhu, differ, Int32Array.from(wordsOut), Int32Array.from(exitPc), Int32Array.from(exitK)) as PageFn;
}
