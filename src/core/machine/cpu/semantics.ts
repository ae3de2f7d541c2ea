/**
 * Instruction behaviour, written once: every row of the instruction table (`isa/table.ts`)
 * carries an `exec` template (its mini-language is documented on `InstructionSpec.exec`). This
 * module parses the templates once and expands them for a *back-end*: the interpreter
 * (`interp.ts`: fields decoded from the word at run time, one `case` per row, compiled once with
 * `new Function`) and the block compiler (`jit.ts`: fields, pcs and targets are constants).
 * Back-ends supply what differs — how a register, a field or HI/LO is named, and how a load, a
 * store, a helper call and an exception are carried out — through `Backend`.
 *
 * Op ids: row i of `INSTRUCTIONS` has id i + 1; 0 is "reserved instruction".
 */
import { decodeIndex } from '../../isa/decode';
import { INSTRUCTIONS } from '../../isa/table';
import type { InstructionSpec } from '../../isa/types';
import { Exc } from './cp0';

export type LoadKind = '8s' | '8u' | '16s' | '16u' | '32';

/** One parsed statement of a template. */
export type Stmt =
  | { k: 'code'; text: string }
  | { k: 'write'; cond: string | undefined; reg: 'rd' | 'rt' | 'ra'; expr: string }
  | { k: 'load'; kind: LoadKind; addr: string; reg: 'rt' | undefined; temp: string | undefined; decl: boolean }
  | { k: 'store'; size: 1 | 2 | 4; addr: string; value: string }
  | { k: 'call'; helper: string; args: string[] }
  | { k: 'raise'; cond: string | undefined; code: number }
  | { k: 'next' };

/** A parsed row: statements, then the control transfer (branches and jumps) if any. */
export interface Semantics {
  readonly spec: InstructionSpec;
  readonly id: number;
  readonly body: readonly Stmt[];
  /** `branch(c)`: condition; `jump(a)`: target expression. */
  readonly control: { kind: 'branch'; cond: string } | { kind: 'jump'; target: string } | undefined;
  /** Always ends the batch: privileged rows and rows that raise unconditionally. */
  readonly privileged: boolean;
  /** Calls a CPU slow-path helper (swl/swr, ll/sc). */
  readonly helper: boolean;
  /** May leave straight-line execution through an exception or a slow path (loads, stores, calls, raises). */
  readonly mayFault: boolean;
  /** Touches memory (load, store or helper call). */
  readonly memory: boolean;
}

/** Back-end: how each sigil and each effect is written. Values are JavaScript expressions. */
export interface Backend {
  /** `$rs` `$rt` `$rd`: register values. */
  reg(field: 'rs' | 'rt' | 'rd'): string;
  /** `#rs` `#rt` `#rd` `#sel`: field numbers. */
  field(name: 'rs' | 'rt' | 'rd' | 'sel'): string;
  /** `$sa` `$imm` `$uimm` `$index` `$pc` `$npc` `$hi` `$lo`. */
  value(name: 'sa' | 'imm' | 'uimm' | 'index' | 'pc' | 'npc' | 'hi' | 'lo'): string;
  /** Register write (a write to $0 must have no effect). `cond`: only if this holds. */
  write(reg: 'rd' | 'rt' | 'ra', expr: string, cond: string | undefined): string;
  /** A load of `kind` from `addr` into `into` (a register write or a temporary assignment, given the value). */
  load(kind: LoadKind, addr: string, into: (v: string) => string): string;
  store(size: 1 | 2 | 4, addr: string, value: string): string;
  /** A CPU slow-path helper `cpu[helper](...args)` that may fault or end the batch. */
  call(helper: string, args: string[]): string;
  /** Raise exception `code` (nothing after it executes). */
  raise(code: number): string;
  /** Privileged rows: continue after the instruction. */
  next(): string;
}

const SIGIL = /([$#])([a-z]+)/g;

/** Splits at top-level `,` (not inside parentheses). */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

function parse(spec: InstructionSpec, id: number): Semantics {
  const body: Stmt[] = [];
  let control: Semantics['control'];
  const stmts = spec.exec.split(';').map((x) => x.trim()).filter((x) => x !== '');
  stmts.forEach((st, i) => {
    const where = `${spec.mnemonic}: '${st}'`;
    if (control !== undefined) throw new Error(`bug: ${where} follows the control transfer`);
    let m: RegExpMatchArray | null;
    if ((m = st.match(/^branch\((.*)\)$/))) { control = { kind: 'branch', cond: m[1] }; return; }
    if ((m = st.match(/^jump\((.*)\)$/))) { control = { kind: 'jump', target: m[1] }; return; }
    if ((m = st.match(/^(let\s+)?(\$rt|[a-z]\w*)\s*=\s*load(8s|8u|16s|16u|32)\((.*)\)$/))) {
      const reg = m[2] === '$rt' ? 'rt' as const : undefined;
      body.push({ k: 'load', kind: m[3] as LoadKind, addr: m[4], reg, temp: reg ? undefined : m[2], decl: !!m[1] });
      return;
    }
    if ((m = st.match(/^store(8|16|32)\((.*)\)$/))) {
      const a = splitArgs(m[2]);
      if (a.length !== 2) throw new Error(`bug: ${where}`);
      body.push({ k: 'store', size: (Number(m[1]) / 8) as 1 | 2 | 4, addr: a[0], value: a[1] });
      return;
    }
    if ((m = st.match(/^call\((\w+)(?:,(.*))?\)$/))) { body.push({ k: 'call', helper: m[1], args: splitArgs(m[2] ?? '') }); return; }
    if ((m = st.match(/^(?:if \((.*)\) )?raise\((\w+)\)$/))) {
      const code = (Exc as Record<string, number>)[m[2]];
      if (code === undefined) throw new Error(`bug: ${where}: unknown exception`);
      body.push({ k: 'raise', cond: m[1], code });
      return;
    }
    if (st === 'next()') { body.push({ k: 'next' }); return; }
    if ((m = st.match(/^(?:if \((.*)\) )?\$(rd|rt|ra)\s*=(?!=)\s*(.*)$/))) {
      body.push({ k: 'write', cond: m[1], reg: m[2] as 'rd' | 'rt' | 'ra', expr: m[3] });
      return;
    }
    if (/\b(load|store)\d/.test(st) || /\b(branch|jump|raise|call)\(/.test(st)) throw new Error(`bug: ${where}: macro not at statement level`);
    body.push({ k: 'code', text: st });
    void i;
  });
  if (!!spec.delay !== (control !== undefined)) throw new Error(`bug: ${spec.mnemonic}: delay flag and branch()/jump() disagree`);
  // Loads, stores, helper calls and exceptions come before any register or HI/LO write, so an
  // instruction that cannot complete (a miss, a fault) has changed nothing and can be re-run.
  const firstEffect = body.findIndex((x) => x.k === 'write' || (x.k === 'code' && /\$(hi|lo)\s*=(?!=)/.test(x.text)));
  const lastAccess = body.map((x) => x.k === 'load' || x.k === 'store' || x.k === 'call' || x.k === 'raise').lastIndexOf(true);
  if (!spec.privileged && firstEffect >= 0 && lastAccess > firstEffect) throw new Error(`bug: ${spec.mnemonic}: a write precedes a memory access or an exception`);
  const privileged = spec.privileged || body.some((s) => s.k === 'raise' && s.cond === undefined);
  const mayFault = body.some((s) => s.k === 'load' || s.k === 'store' || s.k === 'call' || s.k === 'raise');
  const memory = body.some((s) => s.k === 'load' || s.k === 'store' || s.k === 'call');
  const helper = body.some((s) => s.k === 'call');
  return { spec, id, body, control, privileged, helper, mayFault, memory };
}

/** Every row, parsed; index = op id (0 = reserved instruction, undefined). */
export const SEMANTICS: readonly (Semantics | undefined)[] = [undefined, ...INSTRUCTIONS.map((s, i) => parse(s, i + 1))];
export const OP_COUNT = SEMANTICS.length;
/** Mnemonic of each op id (0 = reserved). */
export const OP_MNEMONIC: readonly string[] = SEMANTICS.map((s) => s?.spec.mnemonic ?? '(reserved)');
/** Op id by mnemonic. */
export const OP_ID: ReadonlyMap<string, number> = new Map(INSTRUCTIONS.map((s, i) => [s.mnemonic, i + 1]));
/** 1 for ops the table marks privileged (need CP0 access: kernel mode or Status.CU0). */
export const OP_PRIVILEGED = Uint8Array.from(SEMANTICS, (s) => (s?.spec.privileged ? 1 : 0));

/**
 * Decode a word to its op id (0 = reserved instruction): the table index + 1, as SEMANTICS is
 * built (mnemonics are unique: OP_ID agrees). Not on the hot path: cached per code page.
 */
export function decodeOp(word: number): number { return decodeIndex(word) + 1; }

/** Substitutes the sigils of an expression or a plain statement. */
export function subst(text: string, b: Backend): string {
  return text.replace(/\$ea\b/g, '(($rs + $imm) | 0)').replace(SIGIL, (_all, sig: string, name: string) => {
    if (sig === '#') {
      if (name === 'rs' || name === 'rt' || name === 'rd' || name === 'sel') return b.field(name);
    } else if (name === 'rs' || name === 'rt' || name === 'rd') return b.reg(name);
    else if (name === 'sa' || name === 'imm' || name === 'uimm' || name === 'index' || name === 'pc' || name === 'npc' || name === 'hi' || name === 'lo') return b.value(name);
    throw new Error(`bug: unknown template sigil ${sig}${name}`);
  });
}

/** The statements of a row (everything but the control transfer) for back-end `b`. */
export function emitBody(sem: Semantics, b: Backend): string {
  const out: string[] = [];
  for (const s of sem.body) {
    switch (s.k) {
      case 'code': out.push(`${subst(s.text, b)};`); break;
      case 'write': out.push(b.write(s.reg, subst(s.expr, b), s.cond === undefined ? undefined : subst(s.cond, b))); break;
      case 'load': {
        const into = s.reg ? (v: string) => b.write('rt', v, undefined) : (v: string) => `${s.temp} = ${v};`;
        if (s.decl) out.push(`let ${s.temp} = 0;`);
        out.push(b.load(s.kind, subst(s.addr, b), into));
        break;
      }
      case 'store': out.push(b.store(s.size, subst(s.addr, b), subst(s.value, b))); break;
      case 'call': out.push(b.call(s.helper, s.args.map((a) => subst(a, b)))); break;
      case 'raise': out.push(s.cond === undefined ? b.raise(s.code) : `if (${subst(s.cond, b)}) { ${b.raise(s.code)} }`); break;
      case 'next': out.push(b.next()); break;
    }
  }
  return out.join(' ');
}

/** Sign/zero extension of a raw loaded value (bytes and halves are read unsigned). */
export function extend(kind: LoadKind, v: string): string {
  return kind === '8s' ? `((${v} << 24) >> 24)` : kind === '16s' ? `((${v} << 16) >> 16)` : v;
}
export const LOAD_SIZE: Readonly<Record<LoadKind, 1 | 2 | 4>> = { '8s': 1, '8u': 1, '16s': 2, '16u': 2, '32': 4 };
/** The soft-TLB tag mask for an access of `size` bytes (page and alignment in one compare). */
export const TAG_MASK: Readonly<Record<1 | 2 | 4, string>> = { 1: '0xfffff000', 2: '0xfffff001', 4: '0xfffff003' };
/** Reads `size` bytes at physical `pa` (big-endian bytes in host-order words: XOR the sub-word address). */
export function readPhys(size: 1 | 2 | 4, pa: string): string {
  return size === 4 ? `mem[(${pa}) >>> 2]` : size === 2 ? `u16[((${pa}) ^ 2) >>> 1]` : `u8[(${pa}) ^ 3]`;
}
export function writePhys(size: 1 | 2 | 4, pa: string, v: string): string {
  return size === 4 ? `mem[(${pa}) >>> 2] = ${v};` : size === 2 ? `u16[((${pa}) ^ 2) >>> 1] = ${v};` : `u8[(${pa}) ^ 3] = ${v};`;
}
