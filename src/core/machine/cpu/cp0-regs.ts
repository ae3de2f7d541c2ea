/**
 * The CP0 registers as `mfc0` / `mtc0` see them: one table row per register with the hardware's
 * writable-bit masks (cp0.ts), written once for both register files that implement them — the
 * physical CPU (`Cpu`) and Disco's virtual CPU (`Vcpu`). Registers whose value depends on time
 * or on other hardware (Count, Random, Cause.IP, LLAddr) and writes with side effects (Status →
 * mode, EntryHi.ASID → soft TLB, Compare → timer, Wired → Random) go through the `Cp0File` hooks,
 * which each implementation provides.
 */
import {
  C0, CA_IP7, CA_WRITABLE, CONFIG1_VALUE, CONFIG_FIXED, CTX_PTEBASE, EH_WRITABLE, EL_WRITABLE, PM_WRITABLE, PRID_VALUE, ST_WRITABLE,
} from './cp0';
import type { ExceptionRegs } from './exception';
import type { TlbRegs } from './tlb';

/** A CP0 register file: the plain registers plus the hooks for the time- and hardware-dependent ones. */
export interface Cp0File extends TlbRegs, ExceptionRegs {
  wired: number; compare: number; errorEpc: number; configK0: number;
  /** Count now (increments every other cycle). */
  countValue(): number;
  /** mtc0 Count. */
  countWritten(value: number): void;
  /** Random now: decrements once per instruction issued from 63 to Wired, then wraps. */
  randomValue(): number;
  /** Wired was written: Random restarts at 63. */
  wiredWritten(): void;
  /** Cause with the interrupt-pending bits as they are now. */
  causeValue(): number;
  /** LLAddr: physical address of the last `ll` (as this CPU sees physical memory) >> 4. */
  llAddrValue(): number;
  /** Compare was written (IP7 already cleared here): re-arm the timer. */
  compareWritten(): void;
  /** Status was written: re-derive the mode. */
  statusWritten(): void;
  /** EntryHi was written (`old` = the previous value): an ASID change invalidates cached translations. */
  entryHiWritten(old: number): void;
}

export interface Cp0Reg {
  readonly name: string;
  read(s: Cp0File): number;
  /** Absent: read-only (writes ignored, as the hardware). */
  write?(s: Cp0File, x: number): void;
}

export const CP0_REGS: Readonly<Record<number, Cp0Reg>> = {
  [C0.Index]: { name: 'Index', read: (s) => s.index, write: (s, x) => { s.index = (s.index & (0x80000000 | 0)) | (x & 63); } },
  [C0.Random]: { name: 'Random', read: (s) => s.randomValue() },
  [C0.EntryLo0]: { name: 'EntryLo0', read: (s) => s.entryLo0, write: (s, x) => { s.entryLo0 = x & EL_WRITABLE; } },
  [C0.EntryLo1]: { name: 'EntryLo1', read: (s) => s.entryLo1, write: (s, x) => { s.entryLo1 = x & EL_WRITABLE; } },
  [C0.Context]: { name: 'Context', read: (s) => s.context, write: (s, x) => { s.context = (s.context & ~CTX_PTEBASE) | (x & CTX_PTEBASE); } },
  [C0.PageMask]: { name: 'PageMask', read: (s) => s.pageMask, write: (s, x) => { s.pageMask = x & PM_WRITABLE; } },
  [C0.Wired]: { name: 'Wired', read: (s) => s.wired, write: (s, x) => { s.wired = x & 63; s.wiredWritten(); } },
  [C0.BadVAddr]: { name: 'BadVAddr', read: (s) => s.badVAddr },
  [C0.Count]: { name: 'Count', read: (s) => s.countValue(), write: (s, x) => { s.countWritten(x | 0); } },
  [C0.EntryHi]: { name: 'EntryHi', read: (s) => s.entryHi, write: (s, x) => { const old = s.entryHi; s.entryHi = x & EH_WRITABLE; s.entryHiWritten(old); } },
  [C0.Compare]: { name: 'Compare', read: (s) => s.compare, write: (s, x) => { s.compare = x | 0; s.cause &= ~CA_IP7; s.compareWritten(); } },
  [C0.Status]: { name: 'Status', read: (s) => s.status, write: (s, x) => { s.status = (s.status & ~ST_WRITABLE) | (x & ST_WRITABLE); s.statusWritten(); } },
  [C0.Cause]: { name: 'Cause', read: (s) => s.causeValue(), write: (s, x) => { s.cause = (s.cause & ~CA_WRITABLE) | (x & CA_WRITABLE); } },
  [C0.EPC]: { name: 'EPC', read: (s) => s.epc, write: (s, x) => { s.epc = x | 0; } },
  [C0.PRId]: { name: 'PRId', read: () => PRID_VALUE },
  [C0.Config]: { name: 'Config', read: (s) => CONFIG_FIXED | s.configK0, write: (s, x) => { s.configK0 = x & 7; } },
  [C0.LLAddr]: { name: 'LLAddr', read: (s) => s.llAddrValue() },
  [C0.ErrorEPC]: { name: 'ErrorEPC', read: (s) => s.errorEpc, write: (s, x) => { s.errorEpc = x | 0; } },
};

/** mfc0 rd, sel: Config1 at (16, 1); other selects and unlisted registers read 0, as the hardware. */
export function readCp0Reg(s: Cp0File, reg: number, sel: number): number {
  if (sel !== 0) return reg === C0.Config && sel === 1 ? CONFIG1_VALUE : 0;
  const r = CP0_REGS[reg];
  return r ? r.read(s) : 0;
}

/** mtc0 rd, sel: writes to read-only or unlisted registers are ignored. */
export function writeCp0Reg(s: Cp0File, reg: number, sel: number, value: number): void {
  if (sel !== 0) return;
  CP0_REGS[reg]?.write?.(s, value);
}
