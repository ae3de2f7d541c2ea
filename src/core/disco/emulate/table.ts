/**
 * Privileged-instruction emulation, as a table keyed by the ISA table's privileged mnemonics
 * (src/core/isa/table.ts, `privileged: true`; a test checks every one has a row). The guest
 * kernel runs in hardware supervisor mode, so each of these traps (CpU, CE = 0) to the monitor,
 * which runs the row against the vCPU's virtual state and charges `cause` from the cost model.
 * The rows use the hardware's own CP0 register table (machine/cpu/cp0-regs.ts) and TLB
 * (machine/cpu/tlb.ts) on the vCPU; what hardware would do to its TLB, the virtual TLB does to
 * every cached copy of the translation (`EmuHost`, vtlb.ts).
 *
 * Outcomes: `next` — continue after the instruction (delay slots handled by the CPU's
 * `skipInstruction`); `jump` — the row set the pc (eret); `wait` — continue after it, but the
 * vCPU sleeps until a virtual interrupt is pending (the scheduler deschedules it).
 */
import type { Cpu } from '../../machine/cpu/index';
import { ST_ERL, ST_EXL } from '../../machine/cpu/cp0';
import { readCp0Reg, writeCp0Reg } from '../../machine/cpu/cp0-regs';
import type { Vcpu } from '../vcpu';

/** What emulation rows need from the monitor (the virtual TLB's guest-instruction entry points). */
export interface EmuHost {
  /** Guest TLB write of entry `index` from the virtual EntryHi/EntryLo0/EntryLo1/PageMask; `random` = tlbwr. */
  tlbWrite(cpu: Cpu, v: Vcpu, index: number, random: boolean): void;
  /** A guest tlbr of entry `index` (the guest now knows that entry). */
  tlbRead(cpu: Cpu, v: Vcpu, index: number): void;
  /** A guest tlbp found nothing: drop any monitor-held translation (hardware or L2) of that VPN2. */
  tlbProbeMiss(cpu: Cpu, v: Vcpu): void;
}

export type EmuOutcome = 'next' | 'jump' | 'wait';
/** A row: the cost-model cause it charges, and the emulation of `word` on vCPU `v` running on `cpu` (positional arguments: nothing allocated per trap). */
export interface Emulation { cause: string; run(host: EmuHost, cpu: Cpu, v: Vcpu, word: number): EmuOutcome }

const rt = (w: number) => (w >>> 16) & 31, rd = (w: number) => (w >>> 11) & 31, sel = (w: number) => w & 7;

export const EMULATIONS: Readonly<Record<string, Emulation>> = {
  mfc0: {
    cause: 'emulate.mfc0',
    run: (_h, cpu, v, word) => {
      const x = readCp0Reg(v, rd(word), sel(word));
      if (rt(word) !== 0) cpu.r[rt(word)] = x;
      return 'next';
    },
  },
  mtc0: { cause: 'emulate.mtc0', run: (_h, cpu, v, word) => { writeCp0Reg(v, rd(word), sel(word), cpu.r[rt(word)]); return 'next'; } },
  tlbr: { cause: 'emulate.tlbr', run: (host, cpu, v) => { v.tlb.read(v.index & 63, v); host.tlbRead(cpu, v, v.index & 63); return 'next'; } },
  tlbwi: { cause: 'emulate.tlbwi', run: (host, cpu, v) => { host.tlbWrite(cpu, v, v.index & 63, false); return 'next'; } },
  tlbwr: { cause: 'emulate.tlbwr', run: (host, cpu, v) => { host.tlbWrite(cpu, v, v.randomValue(), true); return 'next'; } },
  tlbp: { cause: 'emulate.tlbp', run: (host, cpu, v) => { if (v.tlb.probe(v) < 0) host.tlbProbeMiss(cpu, v); return 'next'; } },
  eret: {
    cause: 'emulate.eret',
    run: (_h, cpu, v) => {
      if ((v.status & ST_ERL) !== 0) { v.status &= ~ST_ERL; cpu.setPc(v.errorEpc); }
      else { v.status &= ~ST_EXL; cpu.setPc(v.epc); }
      cpu.reservations.clear(cpu.id);
      return 'jump';
    },
  },
  wait: { cause: 'emulate.wait', run: () => 'wait' },
  cache: { cause: 'emulate.cache', run: () => 'next' },
};
