/**
 * The software-managed TLB of an R4000-style MIPS32 CPU (MIPS32 Vol. III §4): 64 entries, each
 * mapping an even/odd pair of pages. The one implementation of TLB matching, probing, reading
 * and writing: the physical CPU (`Cpu`, machine PFNs) and Disco's virtual CPU (`Vcpu`,
 * guest-physical PFNs) each own one.
 *
 * Entry layout (as EntryHi / EntryLo / PageMask hold it):
 *   hi   = VPN2 31:13 (bits inside PageMask cleared) | ASID 7:0
 *   mask = PageMask 24:13 (0 = 4 KiB pages; 0x1FFE000 = 16 MiB pages)
 *   lo0/lo1 = PFN 25:6 | C 5:3 | D 2 | V 1 (G is kept per entry, as the hardware: G = Lo0.G AND Lo1.G)
 * Matching: VPN2 equal outside the mask, and G or ASID equal. With several matching entries the
 * lowest index wins (the R4000 would set Status.TS and shut down; documented in docs/cpu.md).
 *
 * An *empty* entry has a distinct unmapped kseg0 VPN2 (never looked up, never matching another
 * empty entry) and V = 0 — how the kernel, the monitor and reset invalidate entries.
 */
import { EH_WRITABLE, EL_G, EL_WRITABLE, PM_WRITABLE } from './cp0';

export const TLB_ENTRIES = 64;

/** EntryHi of the empty entry at index `i`: a distinct kseg0 VPN2, ASID 0. */
export function emptyEntryHi(i: number): number { return (0x80000000 + i * 0x2000) | 0; }

/** The CP0 registers tlbr / tlbwi / tlbwr / tlbp read and write. */
export interface TlbRegs { index: number; entryHi: number; entryLo0: number; entryLo1: number; pageMask: number }

export class Tlb {
  readonly hi = new Int32Array(TLB_ENTRIES);
  readonly mask = new Int32Array(TLB_ENTRIES);
  readonly lo0 = new Int32Array(TLB_ENTRIES);
  readonly lo1 = new Int32Array(TLB_ENTRIES);
  readonly g = new Uint8Array(TLB_ENTRIES);

  constructor() { this.clear(); }

  /** Index of the entry translating `va` under `asid` (lowest match), or −1. */
  match(va: number, asid: number): number {
    const hi = this.hi, mk = this.mask, g = this.g;
    for (let i = 0; i < TLB_ENTRIES; i++) {
      if (((hi[i] ^ va) & ~(mk[i] | 0x1fff)) === 0 && (g[i] !== 0 || (hi[i] & 0xff) === asid)) return i;
    }
    return -1;
  }

  /** `tlbp`: Index = the entry matching EntryHi's VPN2 and ASID, or P (bit 31) set when none does. */
  probe(r: TlbRegs): number {
    const i = this.match(r.entryHi, r.entryHi & 0xff);
    r.index = i >= 0 ? i : (0x80000000 | 0);
    return i;
  }

  /** `tlbr`: EntryHi, PageMask, EntryLo0/1 (G folded into both) from entry `i`. */
  read(i: number, r: TlbRegs): void {
    const g = this.g[i];
    r.entryHi = this.hi[i] & ~this.mask[i];
    r.pageMask = this.mask[i];
    r.entryLo0 = this.lo0[i] | g;
    r.entryLo1 = this.lo1[i] | g;
  }

  /** Writes entry `i` (`tlbwi`/`tlbwr` from the registers, or a monitor's direct write). */
  write(i: number, entryHi: number, lo0: number, lo1: number, pageMask: number): void {
    const mask = pageMask & PM_WRITABLE;
    this.mask[i] = mask;
    this.hi[i] = entryHi & EH_WRITABLE & ~mask;
    this.g[i] = lo0 & lo1 & EL_G;
    this.lo0[i] = lo0 & EL_WRITABLE & ~EL_G;
    this.lo1[i] = lo1 & EL_WRITABLE & ~EL_G;
  }

  /** Makes entry `i` empty (see the file comment). */
  invalidate(i: number): void { this.write(i, emptyEntryHi(i), 0, 0, 0); }

  clear(): void { for (let i = 0; i < TLB_ENTRIES; i++) this.invalidate(i); }

  /** Page size of entry `i` in bytes (4 KiB … 16 MiB). */
  pageBytes(i: number): number { return ((this.mask[i] | 0x1fff) + 1) >>> 1; }

  /** EntryLo (without G) of the half of entry `i` that holds `va`. */
  loFor(i: number, va: number): number {
    return (va & this.pageBytes(i)) !== 0 ? this.lo1[i] : this.lo0[i];
  }

  /** Does entry `i` map a kseg0/kseg1 VPN2 (an empty entry: never looked up)? */
  isUnmapped(i: number): boolean { const u = this.hi[i] >>> 0; return u >= 0x80000000 && u < 0xc0000000; }
}
