/**
 * memmap: one entry per machine page (the paper's "memmap"): which VM owns it and as which
 * guest-physical page. It is also the machine-page allocator. The other half of the paper's
 * memmap — the virtual addresses mapping a page — is found on demand by scanning the hardware
 * TLBs when a page is reclaimed (`Monitor.freePage`), instead of being maintained on every
 * TLB insert (docs/disco.md).
 *
 * Pages [0, reservedPages) hold the monitor (its code and data in a real Disco; here its shared
 * pages) and are never handed to a guest. Allocation prefers the requested node and falls back
 * to the others in order, so a run is deterministic.
 */
export const MONITOR_VM = -1;
export const FREE = -2;

export class Memmap {
  /** Owner VM id per machine page (FREE, MONITOR_VM or a VM id). */
  readonly owner: Int32Array;
  /** Guest-physical page number per machine page (−1 if none). */
  readonly gppn: Int32Array;
  readonly pagesPerNode: number;

  constructor(readonly totalPages: number, readonly nodes: number, readonly reservedPages: number) {
    this.owner = new Int32Array(totalPages).fill(FREE);
    this.gppn = new Int32Array(totalPages).fill(-1);
    this.pagesPerNode = Math.floor(totalPages / nodes);
    for (let p = 0; p < reservedPages && p < totalPages; p++) this.owner[p] = MONITOR_VM;
  }

  /** Allocates one machine page for (vm, gppn), preferring `node`; −1 when memory is exhausted. */
  allocate(vm: number, gppn: number, node: number): number {
    for (let k = 0; k < this.nodes; k++) {
      const n = (node + k) % this.nodes;
      const lo = n * this.pagesPerNode, hi = Math.min(this.totalPages, lo + this.pagesPerNode);
      for (let p = lo; p < hi; p++) {
        if (this.owner[p] === FREE) { this.owner[p] = vm; this.gppn[p] = gppn; return p; }
      }
    }
    return -1;
  }

  free(mpn: number): void {
    this.owner[mpn] = FREE; this.gppn[mpn] = -1;
  }

  pagesOwnedBy(vm: number): number {
    let n = 0;
    for (let p = 0; p < this.totalPages; p++) if (this.owner[p] === vm) n++;
    return n;
  }
}
