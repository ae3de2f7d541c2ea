/**
 * The words of the TLB-miss path (miss-path.ts): what each monitor action of a miss means, as
 * steps, and what the hardware does for the refill handler's privileged instructions natively.
 * One table per side, so the UI, the docs and the tests read the same sentences.
 */
import { decode } from '../isa/decode';
import { describeCause } from '../disco/causes';
import { EXC_NAMES } from '../machine/cpu/cp0';
import { hex } from './errors';
import type { MissStep } from './miss-path';

export interface ActionInfo {
  vaddr: number;
  /** ExcCodes of the tick (why the monitor was entered). */
  exceptions: readonly number[];
  /** ": guest page G → machine page M (pmap)" after the action, or ''. */
  mapping: string;
  l2Entries: number;
}

/** The steps of one monitor action charged to cost-model entry `cause` with `cycles`. */
export function describeMonitorAction(cause: string, cycles: number, i: ActionInfo): MissStep[] {
  /** A step charged to `cause` (`cost` null: a step whose cycles another step of the same action carries). */
  const m = (action: MissStep['action'], text: string, c = cycles, cost: string | null = cause): MissStep => ({ kind: 'monitor', action, text, cycles: c, ...(cost !== null && { cost }) });
  const probe = m('vtlb-probe', 'probe the virtual TLB (the 64 entries the guest wrote, guest page numbers): miss', 0, null);
  switch (cause) {
    case 'trap': {
      const why = i.exceptions.map((c) => EXC_NAMES[c]).join(', ') || 'interrupt';
      return [m('trap', `trap into the monitor (${why}): the hardware's vectors are the monitor's, never the guest's`)];
    }
    case 'tlb.forward':
      return [probe, m('l2tlb-probe', `probe the L2 TLB (${i.l2Entries} entries, hashed by page and ASID): miss → forward the miss to the guest's own refill handler`)];
    case 'tlb.l2hit':
      return [probe, m('l2tlb-probe', `probe the L2 TLB (${i.l2Entries} entries): hit → swap the entry into the virtual TLB at virtual Random`),
        m('insert', `insert into the hardware TLB, translated through the pmap${i.mapping} — the guest never sees this miss`, 0, null)];
    case 'tlb.vtlb':
      return [m('vtlb-probe', 'probe the virtual TLB: hit (the hardware TLB had lost the entry to monitor or L2 entries)'),
        m('insert', `insert into the hardware TLB, translated through the pmap${i.mapping}`, 0, null)];
    case 'tlb.ksseg':
      return [m('insert', `a miss in the guest kernel's supervisor segment (${hex(i.vaddr)}), which the monitor maps itself: pmap lookup and insert${i.mapping}`)];
    case 'tlb.fault':
      return [m('vtlb-probe', 'probe the virtual TLB: an entry, but invalid or read-only for this access → reflected to the guest as the fault')];
    case 'reflect':
      return [m('forward', 'reflect to the guest: virtual EPC, Cause, BadVAddr, Context and EntryHi set, virtual EXL ← 1, jump to the guest\'s vector (KERNBASE + 0 for a refill)')];
    case 'emulate.mfc0':
      return [m('emulate', 'emulate mfc0: read the virtual CP0 register into the guest\'s register')];
    case 'emulate.mtc0':
      return [m('emulate', 'emulate mtc0: write the virtual CP0 register')];
    case 'emulate.tlbwr': case 'emulate.tlbwi':
      return [m('emulate', `emulate ${cause.slice(8)}: write the virtual TLB entry (guest page numbers), translate it through the pmap${i.mapping} and insert it into the hardware TLB`)];
    case 'emulate.eret':
      return [m('emulate', 'emulate eret: virtual EXL ← 0, the hardware mode from the virtual Status, pending virtual interrupts checked, pc ← virtual EPC')];
    default:
      return [m(cause.startsWith('emulate.') ? 'emulate' : 'monitor', `${cause}: ${describeCause(cause) ?? 'a monitor action'}`)];
  }
}

/** Natively: what the hardware does for a privileged instruction of the refill handler (appended to its text). */
export function hardwareNote(word: number | undefined, suffix: string): string {
  const op = word === undefined ? undefined : decode(word)?.mnemonic;
  switch (op) {
    case 'tlbwr': return `${suffix} — hardware: TLB[Random] ← EntryHi, EntryLo0, EntryLo1, PageMask`;
    case 'tlbwi': return `${suffix} — hardware: TLB[Index] ← EntryHi, EntryLo0, EntryLo1, PageMask`;
    case 'eret': return `${suffix} — hardware: EXL ← 0 (back to the mode of Status.KSU), pc ← EPC`;
    case 'mfc0': return `${suffix} — hardware: reads CP0 directly (kernel mode)`;
    case 'mtc0': return `${suffix} — hardware: writes CP0 directly (kernel mode)`;
    default: return suffix;
  }
}
