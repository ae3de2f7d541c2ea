/**
 * Virtual CP0 registers as the guest sees them through trapped mfc0/mtc0: one table row per
 * register (read, write), with the hardware's writable-bit masks (src/core/machine/cpu/cp0.ts).
 * Side effects that concern the physical CPU (ASID, Status → hardware mode, Compare → physical
 * timer, pending interrupts) are applied by the monitor after every emulation (`Monitor.resume`).
 */
import {
  C0, CA_IP7, CA_WRITABLE, CONFIG1_VALUE, CONFIG_FIXED, CTX_PTEBASE, EH_WRITABLE, EL_WRITABLE, PM_WRITABLE, PRID_VALUE, ST_WRITABLE,
} from '../../machine/cpu/cp0';
import type { Vcpu } from '../vcpu';

export interface Cp0Reg {
  name: string;
  read(v: Vcpu, now: number): number;
  /** Absent: read-only (writes ignored, as the hardware). */
  write?(v: Vcpu, value: number, now: number): void;
}

export const VIRTUAL_CP0: Readonly<Record<number, Cp0Reg>> = {
  [C0.Index]: { name: 'Index', read: (v) => v.index, write: (v, x) => { v.index = (v.index & (0x80000000 | 0)) | (x & 63); } },
  [C0.Random]: { name: 'Random', read: (v) => v.nextRandom() },
  [C0.EntryLo0]: { name: 'EntryLo0', read: (v) => v.entryLo0, write: (v, x) => { v.entryLo0 = x & EL_WRITABLE; } },
  [C0.EntryLo1]: { name: 'EntryLo1', read: (v) => v.entryLo1, write: (v, x) => { v.entryLo1 = x & EL_WRITABLE; } },
  [C0.Context]: { name: 'Context', read: (v) => v.context, write: (v, x) => { v.context = (v.context & ~CTX_PTEBASE) | (x & CTX_PTEBASE); } },
  [C0.PageMask]: { name: 'PageMask', read: (v) => v.pageMask, write: (v, x) => { v.pageMask = x & PM_WRITABLE; } },
  [C0.Wired]: { name: 'Wired', read: (v) => v.wired, write: (v, x) => { v.wired = x & 63; v.random = 63; } },
  [C0.BadVAddr]: { name: 'BadVAddr', read: (v) => v.badVAddr },
  [C0.Count]: { name: 'Count', read: (v, now) => v.count(now), write: (v, x, now) => { v.countBase = (x - Math.floor(now / 2)) | 0; v.recomputeTimer(now); } },
  [C0.EntryHi]: { name: 'EntryHi', read: (v) => v.entryHi, write: (v, x) => { v.entryHi = x & EH_WRITABLE; } },
  [C0.Compare]: { name: 'Compare', read: (v) => v.compare, write: (v, x, now) => { v.compare = x | 0; v.cause &= ~CA_IP7; v.recomputeTimer(now); } },
  [C0.Status]: { name: 'Status', read: (v) => v.status, write: (v, x) => { v.status = (v.status & ~ST_WRITABLE) | (x & ST_WRITABLE); } },
  [C0.Cause]: { name: 'Cause', read: (v, now) => { v.tickTimer(now); return v.causeValue(); }, write: (v, x) => { v.cause = (v.cause & ~CA_WRITABLE) | (x & CA_WRITABLE); } },
  [C0.EPC]: { name: 'EPC', read: (v) => v.epc, write: (v, x) => { v.epc = x | 0; } },
  [C0.PRId]: { name: 'PRId', read: () => PRID_VALUE },
  [C0.Config]: { name: 'Config', read: (v) => CONFIG_FIXED | v.configK0, write: (v, x) => { v.configK0 = x & 7; } },
  [C0.LLAddr]: { name: 'LLAddr', read: (v) => v.llAddr },
  [C0.ErrorEPC]: { name: 'ErrorEPC', read: (v) => v.errorEpc, write: (v, x) => { v.errorEpc = x | 0; } },
};

/** mfc0 rd, sel: Config1 at (16, 1); other selects and unlisted registers read 0, as the hardware. */
export function readVirtualCp0(v: Vcpu, reg: number, sel: number, now: number): number {
  if (sel !== 0) return reg === C0.Config && sel === 1 ? CONFIG1_VALUE : 0;
  const r = VIRTUAL_CP0[reg];
  return r ? r.read(v, now) : 0;
}

export function writeVirtualCp0(v: Vcpu, reg: number, sel: number, value: number, now: number): void {
  if (sel !== 0) return;
  VIRTUAL_CP0[reg]?.write?.(v, value, now);
}
