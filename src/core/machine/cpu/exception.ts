/**
 * The architectural exception sequence (MIPS32 Vol. III §6.2, R4000 style), written once for a
 * CP0 register file: the physical CPU (`Cpu.raise`) and Disco's exception delivery to a virtual
 * CPU (`reflect` in src/core/disco) both call it, so a guest sees exactly what hardware would
 * show it. What differs between them is only where the vector lives (BEV / the guest's KERNBASE)
 * and what happens next (the CPU jumps; the monitor sets the physical pc).
 *
 *   BadVAddr ← va (address errors, TLB exceptions)
 *   Context.BadVPN2 ← va[31:13], EntryHi.VPN2 ← va[31:13] (TLB exceptions; ASID kept)
 *   if EXL = 0: EPC ← pc, or pc − 4 with Cause.BD = 1 in a delay slot
 *   Cause.ExcCode ← code, Cause.CE ← coprocessor (CpU)
 *   EXL ← 1
 *   vector offset: 0x000 for a TLB refill taken with EXL = 0, 0x200 for an interrupt with
 *   Cause.IV = 1, 0x180 otherwise.
 */
import { CA_BD, CA_IV, CTX_PTEBASE, Exc, ST_EXL } from './cp0';

/** The registers the exception sequence writes. */
export interface ExceptionRegs { status: number; cause: number; epc: number; badVAddr: number; context: number; entryHi: number }

/** `flags` of `enterException`: set BadVAddr; set Context/EntryHi (TLB exception); a TLB refill (no matching entry). */
export const EXC_BADVA = 1, EXC_TLB = 2, EXC_REFILL = 4;

/**
 * Applies the exception sequence to `s` for the instruction at `pc` (`inSlot`: it is in a
 * branch delay slot) and returns the vector offset from the exception base.
 */
export function enterException(s: ExceptionRegs, code: number, badVAddr: number, flags: number, ce: number, pc: number, inSlot: boolean): number {
  if ((flags & EXC_BADVA) !== 0) s.badVAddr = badVAddr | 0;
  if ((flags & EXC_TLB) !== 0) {
    s.context = (s.context & CTX_PTEBASE) | ((badVAddr >>> 9) & 0x7ffff0);
    s.entryHi = (badVAddr & 0xffffe000) | (s.entryHi & 0xff);
  }
  const exl = (s.status & ST_EXL) !== 0;
  if (!exl) {
    // branch-free: the first exception in a delay slot would otherwise deoptimise every caller
    s.epc = (pc - (inSlot ? 4 : 0)) | 0;
    s.cause = (s.cause & ~CA_BD) | (inSlot ? CA_BD : 0);
  }
  s.cause = (s.cause & ~(0x7c | (3 << 28))) | (code << 2) | ((ce & 3) << 28);
  s.status |= ST_EXL;
  if ((flags & EXC_REFILL) !== 0 && !exl) return 0;
  return code === Exc.Int && (s.cause & CA_IV) !== 0 ? 0x200 : 0x180;
}
