/**
 * pmap: one entry per guest-physical page of a VM (the paper's pmap): the machine page backing
 * it and the precomputed hardware EntryLo bits (PFN | C = 3, for the monitor's own mappings), so
 * translating a guest TLB entry is one array load. `translateLo` is the only way a guest-supplied PFN reaches the hardware
 * TLB: a PFN at or beyond the VM's memory yields an invalid entry (V = 0), never a machine page
 * outside the VM (isolation).
 */
export const PAGE = 4096;
const EL_V = 2;
/** EntryLo fields the guest controls that survive translation: C | D | V | G (an uncached guest mapping stays uncached). */
const LO_FLAGS = 0x3f;

export class Pmap {
  /** Machine page per guest page; −1 = not backed (released with the "page is free" hint). */
  readonly mpn: Int32Array;
  /** Precomputed EntryLo: machine PFN << 6 | C = 3 << 3. */
  readonly lo: Int32Array;

  /**
   * @param back called for a guest page with no machine page (it was freed): returns a fresh,
   *   zeroed machine page (the monitor allocates it and calls `set`).
   */
  constructor(readonly pages: number, private readonly back: (gppn: number) => number = () => -1) {
    this.mpn = new Int32Array(pages).fill(-1);
    this.lo = new Int32Array(pages);
  }

  set(gppn: number, mpn: number): void {
    this.mpn[gppn] = mpn;
    this.lo[gppn] = mpn < 0 ? 0 : (mpn << 6) | (3 << 3);
  }

  /** The machine page of guest page `p` (< pages), backing it first if it was freed. */
  page(p: number): number {
    let m = this.mpn[p];
    if (m < 0) { m = this.back(p); if (m < 0) throw new Error('bug: cannot back a guest page (machine memory exhausted)'); }
    return m;
  }

  /** Machine address of guest-physical `gpa`, or −1 if outside the VM's memory. */
  machineAddr(gpa: number): number {
    const u = gpa >>> 0, p = Math.floor(u / PAGE);
    if (p >= this.pages) return -1;
    return this.page(p) * PAGE + (u % PAGE);
  }

  /** Precomputed EntryLo of guest page `p` (< pages), backing it first if needed. */
  loOf(p: number): number { this.page(p); return this.lo[p]; }

  /**
   * Guest EntryLo → hardware EntryLo: the guest PFN (bits 25:6, plus `pfnOffset` 4 KiB pages
   * inside a large guest page) replaced by the machine PFN, C/D/V/G kept; outside the VM → V = 0.
   */
  translateLo(guestLo: number, pfnOffset = 0): number {
    const gppn = ((guestLo >>> 6) & 0xfffff) + pfnOffset;
    if (gppn >= this.pages) return guestLo & LO_FLAGS & ~EL_V;
    return (this.loOf(gppn) & ~LO_FLAGS) | (guestLo & LO_FLAGS);
  }

  /** Does the guest EntryLo name a page inside the VM? */
  inRange(guestLo: number, pfnOffset = 0): boolean {
    return ((guestLo >>> 6) & 0xfffff) + pfnOffset < this.pages;
  }
}
