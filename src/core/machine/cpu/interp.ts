/**
 * The interpreter, generated from the instruction table's `exec` templates (semantics.ts) and
 * compiled once per process with `new Function`: one `case` per row inside the batch loop below,
 * in two variants — `fast` and `timing` (the timing variant calls the memory model for every
 * fetch, load and store, with the model's one-compare hit test inline). The batch loop also
 * dispatches to compiled page functions (jit.ts) and triggers their compilation.
 *
 * The generated method is `Cpu.execBatch(budget)`; it reads and writes the CPU's fields by name
 * (the names below are the Cpu class's), so it is part of core.ts in all but file.
 */
import { SEMANTICS, emitBody, extend, LOAD_SIZE, readPhys, subst, TAG_MASK, writePhys, type Backend, type Semantics } from './semantics';

/** Interpreter back-end: fields from the word `w` at run time. */
function backend(timed: boolean): Backend {
  const slow = 'if (this.faulted) { synced = true; break batch; } cyc = this.curCyc; stall += this.slowStall; if (this.endBatch) budget = 0;';
  const at = 'this.at(pc, npc, slot, cyc, cyc - stall);';
  const FIELD = { rs: '((w >>> 21) & 31)', rt: '((w >>> 16) & 31)', rd: '((w >>> 11) & 31)', sel: '(w & 7)' };
  const data = (kind: 1 | 2, pa: string) => !timed ? ''
    : kind === 1 ? `if ((${pa} >>> dSh) !== lastD[id]) { const _s = timing.access(id, ${pa}, 1); cyc += _s; stall += _s; }`
      : `if ((${pa} >>> dSh) !== lastD[id] || owner[${pa} >>> l2Sh] !== id) { const _s = timing.access(id, ${pa}, 2); cyc += _s; stall += _s; }`;
  return {
    reg: (f) => `r[${FIELD[f]}]`,
    field: (f) => FIELD[f],
    value: (n) => ({ sa: '((w >>> 6) & 31)', imm: '((w << 16) >> 16)', uimm: '(w & 0xffff)', index: '(w & 0x3ffffff)', pc: 'pc', npc: 'npc', hi: 'this.hi', lo: 'this.lo' })[n],
    // $0 is re-zeroed after every instruction
    write: (reg, e, cond) => `${cond === undefined ? '' : `if (${cond}) `}r[${reg === 'ra' ? 31 : FIELD[reg]}] = ${e};`,
    load: (kind, addr, into) => {
      const size = LOAD_SIZE[kind];
      return `{ const _va = ${addr}, _e = (_va >>> 12) & 1023; let _v;
        if (ltag[_e] === (_va & ${TAG_MASK[size]})) { const _pa = lbase[_e] + (_va & 0xfff); _v = ${readPhys(size, '_pa')}; ${data(1, '_pa')} }
        else { ${at} _v = this.loadSlow(_va, ${size}); ${slow} }
        ${into(extend(kind, '_v'))} }`;
    },
    store: (size, addr, value) => `{ const _va = ${addr}, _e = (_va >>> 12) & 1023;
        if (stag[_e] === (_va & ${TAG_MASK[size]})) { const _pa = sbase[_e] + (_va & 0xfff); ${writePhys(size, '_pa', value)} if (res.active !== 0) res.store(_pa); ${data(2, '_pa')} }
        else { ${at} this.storeSlow(_va, ${size}, ${value}); ${slow} } }`,
    call: (helper, args) => `${at} this.${helper}(${args.join(', ')}); ${slow}`,
    raise: (code) => `${at} this.raise(${code}, 0, 0); synced = true; break batch;`,
    next: () => { throw new Error('bug: next() outside a privileged row'); },
  };
}

/**
 * Rows the interpreter runs out of line, with its state saved (`execSlow`): privileged rows,
 * helper calls, and rows that can raise an exception or merge a loaded word — all rare. Keeping
 * them out of the batch loop keeps that loop small, so V8 optimises it early and cheaply.
 */
export const outOfLine = (sem: Semantics) => sem.spec.privileged || sem.helper || sem.body.some((x) => x.k === 'raise' || (x.k === 'load' && x.reg === undefined));

/** The `case` arms of the op switch. */
function cases(timed: boolean): string {
  const b = backend(timed);
  const out: string[] = [];
  for (const sem of SEMANTICS) {
    if (sem === undefined) continue;
    let code: string;
    if (outOfLine(sem)) continue;
    if (sem.control === undefined) {
      code = `${emitBody(sem, b)} break;`;
    } else {
      // branches: target = npc + (simm16 << 2); the delay slot at npc always runs (likely: only if taken)
      const body = emitBody(sem, b);
      if (sem.control.kind === 'jump') {
        code = `${body} const _t = ${sub(sem.control.target, b)}; r[0] = 0; pc = npc; npc = _t; slot = 1; continue;`;
        // the target is read before a link write (jalr rd = rs): the template saves it first
      } else if (sem.spec.delay === 'likely') {
        code = `${body} r[0] = 0; if (${sub(sem.control.cond, b)}) { const _t = (npc + (((w << 16) >> 16) << 2)) | 0; pc = npc; npc = _t; slot = 1; }
          else { pc = (npc + 4) | 0; npc = (pc + 4) | 0; slot = 0; } continue;`;   // nullify the delay slot
      } else {
        code = `${body} r[0] = 0; const _t = ${sub(sem.control.cond, b)} ? (npc + (((w << 16) >> 16) << 2)) | 0 : (npc + 4) | 0; pc = npc; npc = _t; slot = 1; continue;`;
      }
    }
    out.push(`case ${sem.id}: { /* ${sem.spec.mnemonic} */ ${code} }`);
  }
  const labels = (f: (s: Semantics) => boolean) => SEMANTICS.filter((s) => s !== undefined && outOfLine(s) && f(s)).map((s) => `case ${s!.id}: /* ${s!.spec.mnemonic} */`).join(' ');
  // privileged rows: always end the batch (execSlow runs the row after the CpU check)
  out.push(`${labels((s) => s.spec.privileged)} { this.at(pc, npc, slot, cyc, cyc - stall); this.execSlow(op, w); cyc = this.curCyc; synced = true; break batch; }`);
  out.push(`${labels((s) => !s.spec.privileged)} { this.at(pc, npc, slot, cyc, cyc - stall); this.execSlow(op, w); if (this.faulted) { synced = true; break batch; } cyc = this.curCyc; stall += this.slowStall; if (this.endBatch) budget = 0; break; }`);
  return out.join('\n');
}
const sub = subst;

/**
 * Source of `execBatch(budget)`. Locals mirror the CPU's hot state (pc, npc, slot, the current
 * code page); slow paths sync them through `this.at(...)`. Closure: helpers and constants.
 */
function source(timed: boolean): string {
  const fetchTiming = !timed ? '' : `{ const _pa = (fbase + wi) * 4;
        if (fu) { const _s = timing.uncachedAccess(id, _pa); cyc += _s; stall += _s; }
        else if ((_pa >>> iSh) !== lastI[id]) { const _s = timing.access(id, _pa, 0); cyc += _s; stall += _s; } }`;
  return `"use strict";
return function execBatch(budget) {
  const r = this.r, mem = this.mem, u8 = this.u8, u16 = this.u16;
  const ltag = this.ltag, lbase = this.lbase, stag = this.stag, sbase = this.sbase;
  const id = this.id, res = this.reservations;
  ${timed ? 'const timing = this.timing, tf = this.timingFast, lastI = tf.lastI, lastD = tf.lastD, owner = tf.owner, iSh = tf.l1iShift, dSh = tf.l1dShift, l2Sh = tf.l2Shift;' : ''}
  const mode = this.mode;
  let pc = this.pc, npc = this.npc, slot = this.slot;
  let cyc = 0, stall = 0;
  let ftag = NO_TAG, fbase = 0;
  let cw = EMPTY_I32, cop = EMPTY_U8, page = EMPTY_PAGE, fu = false, fetchFault = 0;
  const jit = this.jit, jitThreshold = this.jitThreshold, jx = this.jx;
  let synced = false;
  this.endBatch = false;

  batch: while (cyc < budget) {
    // fetch: tag = pc[31:12] with pc[1:0] = 0
    if ((pc & 0xfffff003) !== ftag) {
      this.at(pc, npc, slot, cyc, cyc - stall);
      // a fetch that faults still takes a cycle, though no instruction issues (so a CPU caught
      // in an exception loop — e.g. vectors outside RAM — advances time and reaches its limits)
      if (!this.fetchPage(pc)) { cyc++; fetchFault = 1; synced = true; break; }
      ftag = pc & 0xfffff000; fbase = this.fpBase; cw = this.fpWords; cop = this.fpOps; page = this.fpPage; fu = this.fpUncached;
    }
    const wi = (pc >>> 2) & 1023;
    if (jit && slot === 0) {
      // compiled code (jit.ts): a region function at this entry runs while it stays in its region
      const fn = page.efn[wi];
      if (fn !== undefined && page.fnVa === (pc & -4096)) {
        const n = fn(this, jx, r, ltag, lbase, stag, sbase, budget - cyc, wi, fbase);
        if (this.bslot === 2) { this.bslot = 0; this.dropCode(page); }   // its code changed
        if (n > 0) {
          cyc += n; ${timed ? 'stall += this.bstall;' : ''}
          pc = this.bpc; npc = this.bnpc; slot = this.bslot;
          continue;
        }
        // no progress (the block does not fit the budget, or its code changed): interpret
      } else if ((page.covered[wi] === 0 || page.fnVa !== (pc & -4096)) && ++page.heat[wi] >= jitThreshold && !fu) {
        if (this.compilePage(page, wi, pc)) continue;   // run it now
      }
    }
    const w = mem[fbase + wi];
    let op = cop[wi];
    if (cw[wi] !== w) { op = decodeOp(w); cw[wi] = w; cop[wi] = op; }
    cyc++;
    ${fetchTiming}
    switch (op) {
${cases(timed)}
      default: { this.at(pc, npc, slot, cyc, cyc - stall); this.reserved(w); synced = true; break batch; }
    }
    r[0] = 0;
    pc = npc; npc = (npc + 4) | 0; slot = 0;
  }

  if (!synced) { this.pc = pc; this.npc = npc; this.slot = slot; }
  r[0] = 0;
  // accounting: the mode is constant within a batch
  this.cycle += cyc;
  this.counters.instructions += cyc - stall - fetchFault;
  if (mode === 2) this.buckets.user += cyc; else this.buckets.kernel += cyc;
  this.buckets.stall += stall;
  this.curCyc = 0; this.curInstr = 0;
};`;
}

/**
 * `execSlow(op, w)`: an out-of-line row with the CPU's state saved (`at`): privileged rows after
 * the CpU check (they end the batch), the others through the CPU's slow paths. An exception
 * sets `faulted`; the caller advances the pc of a row that completes.
 */
function slowSource(): string {
  const F = { rs: '((w >>> 21) & 31)', rt: '((w >>> 16) & 31)', rd: '((w >>> 11) & 31)', sel: '(w & 7)' };
  const b: Backend = {
    reg: (f) => `cpu.r[${F[f]}]`,
    field: (f) => F[f],
    value: (n) => ({ sa: '((w >>> 6) & 31)', imm: '((w << 16) >> 16)', uimm: '(w & 0xffff)', index: '(w & 0x3ffffff)', pc: 'cpu.pc', npc: 'cpu.npc', hi: 'cpu.hi', lo: 'cpu.lo' })[n],
    write: (reg, e, cond) => `${cond === undefined ? '' : `if (${cond}) `}cpu.r[${reg === 'ra' ? 31 : F[reg]}] = ${e};`,
    load: (kind, addr, into) => `{ const _v = cpu.loadSlow(${addr}, ${LOAD_SIZE[kind]}); if (cpu.faulted) return; ${into(extend(kind, '_v'))} }`,
    store: (size, addr, value) => `cpu.storeSlow(${addr}, ${size}, ${value}); if (cpu.faulted) return;`,
    call: (helper, args) => `cpu.${helper}(${args.join(', ')}); if (cpu.faulted) return;`,
    raise: (code) => `cpu.raise(${code}, 0, 0); cpu.faulted = true; return;`,
    next: () => 'cpu.skipInstruction();',
  };
  const arms = SEMANTICS.filter((s) => s !== undefined && outOfLine(s)).map((s) => {
    const check = s!.spec.privileged ? 'if (this.mode !== 0 && (this.status & ST_CU0) === 0) { this.raise(EXC_CPU, 0, 0, 0); return; } ' : '';
    return `case ${s!.id}: { /* ${s!.spec.mnemonic} */ ${check}${emitBody(s!, b)} return; }`;
  });
  return `"use strict";
return function execSlow(op, w) {
  const cpu = this;
  switch (op) {
${arms.join('\n')}
    default: throw new Error('execSlow: unexpected op ' + op);
  }
};`;
}

export type ExecBatch = (this: unknown, budget: number) => void;
export type ExecSlow = (this: unknown, op: number, w: number) => void;

/** Closure values of the generated functions. */
export interface InterpConstants {
  mulhs: (a: number, b: number) => number;
  mulhu: (a: number, b: number) => number;
  decodeOp: (w: number) => number;
  NO_TAG: number;
  EMPTY_I32: Int32Array;
  EMPTY_U8: Uint8Array;
  EMPTY_PAGE: unknown;
  ST_CU0: number;
  EXC_CPU: number;
}

/** Builds the interpreter variants (once per process). */
export function buildInterpreter(k: InterpConstants): { fast: ExecBatch; timed: ExecBatch; slow: ExecSlow } {
  const names = Object.keys(k);
  const vals = names.map((n) => (k as unknown as Record<string, unknown>)[n]);
  const make = <T>(src: string): T => new Function(...names, src)(...vals) as T;
  return { fast: make<ExecBatch>(source(false)), timed: make<ExecBatch>(source(true)), slow: make<ExecSlow>(slowSource()) };
}

/** For tests and docs: the generated sources. */
export function interpreterSource(timed: boolean): string { return source(timed); }
