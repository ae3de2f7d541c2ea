/**
 * The interpreter, generated from the instruction table's `exec` templates (semantics.ts) and
 * compiled once per process with `new Function`, in two variants — `fast` and `timing` (which
 * calls the memory model for every fetch, load and store, with the model's one-compare hit test
 * inline). The batch loop also dispatches to compiled regions (jit.ts) and triggers their
 * compilation.
 *
 * Kept small on purpose: V8 optimises a function after an amount of work that grows with its
 * bytecode size, and compiles it in time that grows with it too, and until then every guest
 * instruction runs in V8's bytecode interpreter, ~20× slower. So only the common rows are
 * inline (ALU, branches, and the soft-TLB hit of loads and stores); everything else — a soft-TLB
 * miss, privileged rows, helpers, rows that can raise, reserved words — goes to the slow tail,
 * `execSlow`: a function per row, generated from the same templates, run with the CPU's state
 * saved.
 *
 * Generated: the method `Cpu.execBatch(budget)` and the table `execSlow[op](cpu, w)`; they read
 * and write the CPU's fields by name (the names below are the Cpu class's), so they are part of
 * core.ts in all but file.
 */
import { SEMANTICS, emitBody, extend, LOAD_SIZE, readPhys, subst, TAG_MASK, writePhys, type Backend, type Semantics } from './semantics';

/**
 * Rows the interpreter always runs out of line (`execSlow`): privileged rows, helper calls, and
 * rows that can raise an exception or merge a loaded word — all rare.
 */
export const outOfLine = (sem: Semantics) => sem.spec.privileged || sem.helper || sem.body.some((x) => x.k === 'raise' || (x.k === 'load' && x.reg === undefined));

const FIELD = { rs: '((w >>> 21) & 31)', rt: '((w >>> 16) & 31)', rd: '((w >>> 11) & 31)', sel: '(w & 7)' };
const VALUE = { sa: '((w >>> 6) & 31)', imm: '((w << 16) >> 16)', uimm: '(w & 0xffff)', index: '(w & 0x3ffffff)' };

/** Inline back-end: fields from the word `w` at run time; a soft-TLB miss leaves the switch for the slow tail. */
function backend(timed: boolean): Backend {
  const data = (kind: 1 | 2, pa: string) => !timed ? ''
    : kind === 1 ? `if ((${pa} >>> dSh) !== lastD[id]) { const _s = timing.access(id, ${pa}, 1); cyc += _s; stall += _s; }`
      : `if ((${pa} >>> dSh) !== lastD[id] || owner[${pa} >>> l2Sh] !== id) { const _s = timing.access(id, ${pa}, 2); cyc += _s; stall += _s; }`;
  const no = (what: string) => () => { throw new Error(`bug: ${what} in an inline row`); };
  return {
    reg: (f) => `r[${FIELD[f]}]`,
    field: (f) => FIELD[f],
    value: (n) => (n === 'pc' ? 'pc' : n === 'npc' ? 'npc' : n === 'hi' ? 'this.hi' : n === 'lo' ? 'this.lo' : VALUE[n]),
    // $0 is re-zeroed after every instruction
    write: (reg, e, cond) => `${cond === undefined ? '' : `if (${cond}) `}r[${reg === 'ra' ? 31 : FIELD[reg]}] = ${e};`,
    load: (kind, addr, into) => `const _va = ${addr}, _e = (_va >>> 12) & 1023; if (ltag[_e] !== (_va & ${TAG_MASK[LOAD_SIZE[kind]]})) break;
        const _pa = lbase[_e] + (_va & 0xfff), _v = ${readPhys(LOAD_SIZE[kind], '_pa')}; ${data(1, '_pa')} ${into(extend(kind, '_v'))}`,
    store: (size, addr, value) => `const _va = ${addr}, _e = (_va >>> 12) & 1023; if (stag[_e] !== (_va & ${TAG_MASK[size]})) break;
        const _pa = sbase[_e] + (_va & 0xfff); ${writePhys(size, '_pa', value)} if (res.active !== 0) res.store(_pa); ${data(2, '_pa')}`,
    call: no('call'), raise: no('raise'), next: no('next()'),
  };
}

/** The `case` arms of the op switch: `break inl` = done; `break` = the slow tail; branches `continue`. */
function cases(timed: boolean): string {
  const b = backend(timed);
  const out: string[] = [];
  for (const sem of SEMANTICS) {
    if (sem === undefined || outOfLine(sem)) continue;
    let code: string;
    const body = emitBody(sem, b);
    if (sem.control === undefined) {
      code = `${body} break inl;`;
    } else if (sem.control.kind === 'jump') {
      // the target is read before a link write (jalr rd = rs): the template saves it first
      code = `${body} const _t = ${subst(sem.control.target, b)}; r[0] = 0; pc = npc; npc = _t; slot = 1; continue;`;
    } else if (sem.spec.delay === 'likely') {
      // branches: target = npc + (simm16 << 2); the delay slot at npc runs only if taken
      code = `${body} r[0] = 0; if (${subst(sem.control.cond, b)}) { const _t = (npc + (((w << 16) >> 16) << 2)) | 0; pc = npc; npc = _t; slot = 1; }
        else { pc = (npc + 4) | 0; npc = (pc + 4) | 0; slot = 0; lead = 1; } continue;`;   // nullify the delay slot
    } else {
      code = `${body} r[0] = 0; const _t = ${subst(sem.control.cond, b)} ? (npc + (((w << 16) >> 16) << 2)) | 0 : (npc + 4) | 0; pc = npc; npc = _t; slot = 1; continue;`;
    }
    out.push(`case ${sem.id}: { /* ${sem.spec.mnemonic} */ ${code} }`);
  }
  return out.join('\n');
}

/**
 * Source of `execBatch(budget)`. Locals mirror the CPU's hot state (pc, npc, slot, the current
 * code page); slow paths sync them through `this.at(...)`. Compiled regions are looked up only
 * at block leaders (the batch's first instruction, the one after a delay slot, after a region).
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
  // kernel and supervisor code is compiled later at the default threshold (core.ts JIT_KERNEL_THRESHOLD)
  const jit = this.jit, jt = this.jitThreshold, jx = this.jx;
  const jitThreshold = mode !== 2 && jt === JIT_THRESHOLD ? JIT_KERNEL_THRESHOLD : jt;
  let synced = false, lead = 1;
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
    if (lead !== 0) {
      lead = 0;
      if (jit && slot === 0) {
        // compiled code (jit.ts): a region at this entry runs while it stays in its region
        const fn = page.efn[wi];
        if (fn !== undefined && page.fnVa === (pc & -4096)) {
          const n = fn(this, jx, r, ltag, lbase, stag, sbase, budget - cyc, wi, fbase);
          if (this.bslot === 2) { this.bslot = 0; this.dropCode(page); }   // its code changed
          if (n > 0) {
            cyc += n; ${timed ? 'stall += this.bstall;' : ''}
            pc = this.bpc; npc = this.bnpc; slot = this.bslot; lead = 1;
            continue;
          }
          // no progress (the block does not fit the budget, or its code changed): interpret
        } else if ((page.covered[wi] === 0 || page.fnVa !== (pc & -4096)) && ++page.heat[wi] >= jitThreshold && !fu) {
          if (this.compilePage(page, wi, pc)) { lead = 1; continue; }   // run it now
        }
      }
    }
    const w = mem[fbase + wi];
    let op = cop[wi];
    if (cw[wi] !== w) { op = decodeOp(w); cw[wi] = w; cop[wi] = op; }
    cyc++;
    ${fetchTiming}
    inl: {
      switch (op) {
${cases(timed)}
      }
      // the slow tail: out-of-line rows, soft-TLB misses, reserved words (execSlow[op]: 1 = the batch ends here)
      this.at(pc, npc, slot, cyc, cyc - stall);
      if (execSlow[op](this, w) !== 0) { cyc = this.curCyc; synced = true; break batch; }
      cyc = this.curCyc; stall += this.slowStall;
      if (this.endBatch) {
        // An MMIO access ends the batch so that an interrupt it raised is taken before the next
        // instruction. If it raised none that can be taken now (and nobody asked to stop), the
        // batch boundary would change nothing — the next batch would get the rest of this
        // budget (the timer is not due: batches end at it) — so the batch goes on.
        if (this.stopRequested || this.state !== 'running' || ((this.cause & this.status & 0xff00) !== 0 && (this.status & 7) === 1)) budget = 0;
        else this.endBatch = false;
      }
    }
    r[0] = 0;
    lead = slot; pc = npc; npc = (npc + 4) | 0; slot = 0;
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
 * `execSlow[op](cpu, w)`: any row but a branch, with the CPU's state saved (`at`), through the
 * CPU's slow paths; privileged rows after the CpU check. Returns 1 when the batch must end with
 * the CPU's state as it is (an exception was raised, or a privileged row ran), else 0 (the caller
 * advances the pc). A table of one small function per row, indexed by op id (a word the table
 * does not decode, and a branch, which never comes here, get `reserved`): V8 optimises each row
 * on its own once it is hot — in a run, the dozen the guest kernel and the monitor use — instead
 * of compiling every row as one 34 KB function, and a row whose callees deoptimise (the monitor
 * behind `raise`) is recompiled alone (docs/cpu.md "Cold start").
 */
function slowSource(): string {
  const b: Backend = {
    reg: (f) => `cpu.r[${FIELD[f]}]`,
    field: (f) => FIELD[f],
    value: (n) => (n === 'pc' ? 'cpu.pc' : n === 'npc' ? 'cpu.npc' : n === 'hi' ? 'cpu.hi' : n === 'lo' ? 'cpu.lo' : VALUE[n]),
    write: (reg, e, cond) => `${cond === undefined ? '' : `if (${cond}) `}cpu.r[${reg === 'ra' ? 31 : FIELD[reg]}] = ${e};`,
    load: (kind, addr, into) => `{ const _v = cpu.loadSlow(${addr}, ${LOAD_SIZE[kind]}); if (cpu.faulted) return 1; ${into(extend(kind, '_v'))} }`,
    store: (size, addr, value) => `cpu.storeSlow(${addr}, ${size}, ${value}); if (cpu.faulted) return 1;`,
    call: (helper, args) => `cpu.${helper}(${args.join(', ')}); if (cpu.faulted) return 1;`,
    raise: (code) => `cpu.raise(${code}, 0, 0); cpu.faulted = true; return 1;`,
    next: () => 'cpu.skipInstruction();',
  };
  const rows = SEMANTICS.filter((s) => s !== undefined && s.control === undefined).map((s) => {
    const check = s!.spec.privileged ? 'if (cpu.mode !== 0 && (cpu.status & ST_CU0) === 0) { cpu.raise(EXC_CPU, 0, 0, 0); return 1; } ' : '';
    return `t[${s!.id}] = function slow_${s!.spec.mnemonic.replace(/\W/g, '_')}(cpu, w) { ${check}${emitBody(s!, b)} return ${s!.spec.privileged ? 1 : 0}; };`;
  });
  return `"use strict";
const t = new Array(${SEMANTICS.length}).fill(function reserved(cpu, w) { cpu.reserved(w); return 1; });
${rows.join('\n')}
return t;`;
}

export type ExecBatch = (this: unknown, budget: number) => void;
export type ExecSlow = readonly ((cpu: unknown, w: number) => number)[];

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
  /** The default `jitThreshold`, and the threshold kernel and supervisor code use with it. */
  JIT_THRESHOLD: number;
  JIT_KERNEL_THRESHOLD: number;
}

/** Builds the interpreter variants (once per process). */
export function buildInterpreter(k: InterpConstants): { fast: ExecBatch; timed: ExecBatch } {
  const names = Object.keys(k);
  const vals = names.map((n) => (k as unknown as Record<string, unknown>)[n]);
  const make = <T>(src: string, more: Record<string, unknown> = {}): T =>
    new Function(...names, ...Object.keys(more), src)(...vals, ...Object.values(more)) as T;
  const slow = make<ExecSlow>(slowSource());
  return { fast: make<ExecBatch>(source(false), { execSlow: slow }), timed: make<ExecBatch>(source(true), { execSlow: slow }) };
}

/** For tests and docs: the generated sources. */
export function interpreterSource(timed: boolean): string { return source(timed); }
