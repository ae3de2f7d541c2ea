/**
 * memmap: one entry per machine page (the paper's "memmap"): which VM owns it and as which
 * guest-physical page, and — for a replica made by the NUMA policy — which page it replicates.
 * It is also the per-node machine-page allocator. The other half of the paper's memmap, the
 * virtual addresses that map a page (backmaps), is kept by the virtual TLB as a shadow of every
 * hardware TLB slot (vtlb.ts `mappersOf`), since hardware entries are the only place a machine
 * page is mapped.
 *
 * Pages [0, reservedPages) hold the monitor (its code and data in a real Disco; here its shared
 * pages) and are never handed to a guest. Allocation prefers the requested node and falls back
 * to the others in order, so a run is deterministic.
 */
export const MONITOR_VM = -1;
export const FREE = -2;
/** A page shared copy-on-write by one or more VMs (sharing.ts holds its users count and content). */
export const SHARED = -3;

export class Memmap {
  /** Owner VM id per machine page (FREE, MONITOR_VM or a VM id). */
  readonly owner: Int32Array;
  /** Guest-physical page number per machine page (−1 if none). */
  readonly gppn: Int32Array;
  /** For a replica: the machine page it is a read-only copy of; −1 for an ordinary page. */
  readonly replicaOf: Int32Array;
  readonly pagesPerNode: number;
  private used = 0;
  /** Per node: no page below this one is free (allocation scans from here; freeing lowers it). */
  private readonly firstFree: Int32Array;

  constructor(readonly totalPages: number, readonly nodes: number, readonly reservedPages: number) {
    this.owner = new Int32Array(totalPages).fill(FREE);
    this.gppn = new Int32Array(totalPages).fill(-1);
    this.replicaOf = new Int32Array(totalPages).fill(-1);
    this.pagesPerNode = Math.floor(totalPages / nodes);
    for (let p = 0; p < reservedPages && p < totalPages; p++) this.owner[p] = MONITOR_VM;
    this.firstFree = Int32Array.from({ length: nodes }, (_, n) => n * this.pagesPerNode);
  }

  /** Node whose memory holds machine page `mpn`. */
  nodeOf(mpn: number): number { return Math.min(this.nodes - 1, Math.floor(mpn / this.pagesPerNode)); }

  /** Allocates one machine page for (vm, gppn), preferring `node`; −1 when memory is exhausted. */
  allocate(vm: number, gppn: number, node: number): number {
    for (let k = 0; k < this.nodes; k++) {
      const n = (node + k) % this.nodes;
      const lo = n * this.pagesPerNode, hi = Math.min(this.totalPages, lo + this.pagesPerNode);
      // the lowest free page of the node, as a scan from `lo` would find it
      for (let p = Math.max(lo, this.firstFree[n]); p < hi; p++) {
        if (this.owner[p] === FREE) { this.owner[p] = vm; this.gppn[p] = gppn; this.used++; this.firstFree[n] = p + 1; return p; }
      }
      this.firstFree[n] = hi;
    }
    return -1;
  }

  /** Allocates one machine page for (vm, gppn) on `node` only (a NUMA move); −1 when that node is full. */
  allocateOn(vm: number, gppn: number, node: number): number {
    const lo = node * this.pagesPerNode, hi = Math.min(this.totalPages, lo + this.pagesPerNode);
    for (let p = Math.max(lo, this.firstFree[node]); p < hi; p++) {
      if (this.owner[p] === FREE) { this.owner[p] = vm; this.gppn[p] = gppn; this.used++; this.firstFree[node] = p + 1; return p; }
    }
    this.firstFree[node] = hi;
    return -1;
  }

  free(mpn: number): void {
    const n = this.nodeOf(mpn);
    if (mpn >= n * this.pagesPerNode && mpn < this.firstFree[n]) this.firstFree[n] = mpn;
    if (this.owner[mpn] >= 0 || this.owner[mpn] === SHARED) this.used--;
    this.owner[mpn] = FREE; this.gppn[mpn] = -1; this.replicaOf[mpn] = -1;
  }

  /** A VM's page becomes shared (copy-on-write, no single owner), or a shared page becomes `vm`'s own page `gppn` again. */
  setShared(mpn: number): void { this.owner[mpn] = SHARED; this.gppn[mpn] = -1; }
  setPrivate(mpn: number, vm: number, gppn: number): void { this.owner[mpn] = vm; this.gppn[mpn] = gppn; }

  /** Marks `copy` (already allocated to the same VM and guest page) as a replica of `master`. */
  markReplica(copy: number, master: number): void { this.replicaOf[copy] = master; }

  /** The replicas of machine page `master`. */
  replicasOf(master: number): number[] {
    const out: number[] = [];
    for (let p = 0; p < this.totalPages; p++) if (this.replicaOf[p] === master) out.push(p);
    return out;
  }

  /** Machine pages given to VMs (replicas and shared pages included). */
  get usedPages(): number { return this.used; }

  pagesOwnedBy(vm: number): number {
    let n = 0;
    for (let p = 0; p < this.totalPages; p++) if (this.owner[p] === vm) n++;
    return n;
  }
}
