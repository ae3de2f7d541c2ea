/**
 * pmap: one entry per guest-physical page of a VM (the paper's pmap): the machine page backing
 * it and the precomputed hardware EntryLo bits (PFN | C = 3, for the monitor's own mappings), so
 * translating a guest TLB entry is one array load. `translateLo` is the only way a guest-supplied PFN reaches the hardware
 * TLB: a PFN at or beyond the VM's memory yields an invalid entry (V = 0), never a machine page
 * outside the VM (isolation).
 *
 * A page the NUMA policy replicated (docs/disco.md "NUMA") has a machine page per node: the
 * master (`mpn`) and read-only copies; a CPU of node n is given n's copy (the master where n has
 * none), always without D, so the first write traps to the monitor, which collapses the replicas
 * (`onWrite`) before the guest's store is let through.
 */
import { EL_D, EL_V } from '../machine/cpu/cp0';

export const PAGE = 4096;
/** EntryLo fields the guest controls that survive translation: C | D | V | G (an uncached guest mapping stays uncached). */
const LO_FLAGS = 0x3f;

export class Pmap {
  /** Machine page per guest page; −1 = not backed (released with the "page is free" hint). */
  readonly mpn: Int32Array;
  /** Precomputed EntryLo: machine PFN << 6 | C = 3 << 3. */
  readonly lo: Int32Array;

  /** Replicated guest pages: gppn → machine page per node (−1: that node reads the master). */
  readonly replicas = new Map<number, Int32Array>();
  /** Times the NUMA policy moved each guest page (migrations and replications) [moves]. */
  readonly moves: Uint8Array;
  /** 1 = the guest page maps a shared machine page, read-only until a write copies it (copy-on-write). */
  readonly cow: Uint8Array;
  /** Guest pages with `cow` set (0: the common fast path skips the per-page test) [pages]. */
  cowPages = 0;
  /** 1 = the VM has used the guest page (mapped, or copied into or out of by the monitor). */
  readonly used: Uint8Array;
  /**
   * Called before the monitor writes guest page `gppn` itself (emulated store, DMA, monitor
   * call) while it is replicated or shared: the monitor collapses the replicas or copies the page.
   */
  onWrite: (gppn: number) => void = () => { throw new Error('bug: a read-only page with no write handler'); };

  /**
   * @param back called for a guest page with no machine page (it was freed): returns a fresh,
   *   zeroed machine page (the monitor allocates it and calls `set`).
   */
  constructor(readonly pages: number, private readonly back: (gppn: number) => number = () => -1) {
    this.mpn = new Int32Array(pages).fill(-1);
    this.lo = new Int32Array(pages);
    this.moves = new Uint8Array(pages);
    this.cow = new Uint8Array(pages);
    this.used = new Uint8Array(pages);
  }

  /** Is guest page `p` read-only in hardware until the monitor sees a write (replicated or shared)? */
  readOnly(p: number): boolean { return (this.cowPages !== 0 && this.cow[p] === 1) || (this.replicas.size !== 0 && this.replicas.has(p)); }

  /** Marks guest page `p` shared (copy-on-write) or private again. */
  setCow(p: number, on: boolean): void {
    if ((this.cow[p] === 1) === on) return;
    this.cow[p] = on ? 1 : 0;
    this.cowPages += on ? 1 : -1;
  }

  /**
   * Hardware EntryLo for guest page `p` (< pages) on a CPU of `node`, with the guest's flags
   * `flags` (C | D | V | G): a replicated page maps the node's copy and never has D.
   */
  loOn(p: number, node: number, flags: number): number {
    const r = this.replicas.size !== 0 ? this.replicas.get(p) : undefined;
    if (r === undefined) return (this.loOf(p) & ~LO_FLAGS) | (this.cowPages !== 0 && this.cow[p] === 1 ? flags & ~EL_D : flags);
    const m = r[node] >= 0 ? r[node] : this.mpn[p];
    return (m << 6) | (flags & ~EL_D);
  }

  /** Machine address of guest-physical `gpa` for a write by the monitor (collapses replicas first), or −1 outside the VM. */
  writableAddr(gpa: number): number {
    const u = gpa >>> 0, p = Math.floor(u / PAGE);
    if (p >= this.pages) return -1;
    if (this.readOnly(p)) this.onWrite(p);
    return this.page(p) * PAGE + (u % PAGE);
  }

  set(gppn: number, mpn: number): void {
    this.mpn[gppn] = mpn;
    this.lo[gppn] = mpn < 0 ? 0 : (mpn << 6) | (3 << 3);
  }

  /** The machine page of guest page `p` (< pages), backing it first if it was freed. */
  page(p: number): number {
    this.used[p] = 1;
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
  translateLo(guestLo: number, pfnOffset = 0, node = 0): number {
    const gppn = ((guestLo >>> 6) & 0xfffff) + pfnOffset;
    if (gppn >= this.pages) return guestLo & LO_FLAGS & ~EL_V;
    return this.loOn(gppn, node, guestLo & LO_FLAGS);
  }

  /** Guest page named by a guest EntryLo (+ offset into a large page). */
  static gppnOf(guestLo: number, pfnOffset = 0): number { return ((guestLo >>> 6) & 0xfffff) + pfnOffset; }

  /** Does the guest EntryLo name a page inside the VM? */
  inRange(guestLo: number, pfnOffset = 0): boolean {
    return ((guestLo >>> 6) & 0xfffff) + pfnOffset < this.pages;
  }
}
