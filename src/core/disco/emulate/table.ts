/**
 * Privileged-instruction emulation, as a table keyed by the ISA table's privileged mnemonics
 * (src/core/isa/table.ts, `privileged: true`; a test checks every one has a row). The guest
 * kernel runs in hardware supervisor mode, so each of these traps (CpU, CE = 0) to the monitor,
 * which runs the row against the vCPU's virtual state and charges `cause` from the cost model.
 *
 * Outcomes: `next` — continue after the instruction (delay slots handled by the CPU's
 * `skipInstruction`); `jump` — the row set the pc (eret); `wait` — continue after it, but the
 * vCPU sleeps until a virtual interrupt is pending (the scheduler deschedules it).
 */
import type { Cpu } from '../../machine/cpu/index';
import { EL_G, ST_ERL, ST_EXL } from '../../machine/cpu/cp0';
import type { Vcpu } from '../vcpu';
import { readVirtualCp0, writeVirtualCp0 } from './cp0';

/** What emulation rows need from the monitor. */
export interface EmuHost {
  now(cpu: Cpu): number;
  /** Guest TLB write of entry `index` from the virtual EntryHi/EntryLo0/EntryLo1/PageMask; `random` = tlbwr. */
  tlbWrite(cpu: Cpu, v: Vcpu, index: number, random: boolean): void;
  /** A guest tlbp found nothing: drop any monitor-held translation (hardware or L2) of that VPN2. */
  tlbProbeMiss(cpu: Cpu, v: Vcpu): void;
}

export type EmuOutcome = 'next' | 'jump' | 'wait';
export interface EmuCtx { host: EmuHost; cpu: Cpu; v: Vcpu; word: number }
export interface Emulation { cause: string; run(c: EmuCtx): EmuOutcome }

const rt = (w: number) => (w >>> 16) & 31, rd = (w: number) => (w >>> 11) & 31, sel = (w: number) => w & 7;

export const EMULATIONS: Readonly<Record<string, Emulation>> = {
  mfc0: {
    cause: 'emulate.mfc0',
    run: ({ host, cpu, v, word }) => {
      const x = readVirtualCp0(v, rd(word), sel(word), host.now(cpu));
      if (rt(word) !== 0) cpu.r[rt(word)] = x;
      return 'next';
    },
  },
  mtc0: {
    cause: 'emulate.mtc0',
    run: ({ host, cpu, v, word }) => { writeVirtualCp0(v, rd(word), sel(word), cpu.r[rt(word)], host.now(cpu)); return 'next'; },
  },
  tlbr: {
    cause: 'emulate.tlbr',
    run: ({ v }) => {
      const i = v.index & 63, g = v.tlbG[i] ? EL_G : 0;
      v.entryHi = v.tlbHi[i] & ~v.tlbMask[i];
      v.pageMask = v.tlbMask[i];
      v.entryLo0 = v.tlbLo0[i] | g;
      v.entryLo1 = v.tlbLo1[i] | g;
      return 'next';
    },
  },
  tlbwi: { cause: 'emulate.tlbwi', run: ({ host, cpu, v }) => { host.tlbWrite(cpu, v, v.index & 63, false); return 'next'; } },
  tlbwr: { cause: 'emulate.tlbwr', run: ({ host, cpu, v }) => { host.tlbWrite(cpu, v, v.nextRandom(), true); return 'next'; } },
  tlbp: {
    cause: 'emulate.tlbp',
    run: ({ host, cpu, v }) => {
      const asid = v.entryHi & 0xff;
      let found = -1;
      for (let i = 0; i < 64; i++) {
        const m = v.tlbMask[i] | 0x1fff;
        if (((v.tlbHi[i] ^ v.entryHi) & ~m) === 0 && (v.tlbG[i] !== 0 || (v.tlbHi[i] & 0xff) === asid)) { found = i; break; }
      }
      v.index = found >= 0 ? found : (0x80000000 | 0);
      if (found < 0) host.tlbProbeMiss(cpu, v);
      return 'next';
    },
  },
  eret: {
    cause: 'emulate.eret',
    run: ({ cpu, v }) => {
      if ((v.status & ST_ERL) !== 0) { v.status &= ~ST_ERL; cpu.setPc(v.errorEpc); }
      else { v.status &= ~ST_EXL; cpu.setPc(v.epc); }
      cpu.reservations.clear(cpu.id);
      return 'jump';
    },
  },
  wait: { cause: 'emulate.wait', run: () => 'wait' },
  cache: { cause: 'emulate.cache', run: () => 'next' },
};
