/**
 * The ccNUMA memory-system timing model (implements `MemoryTiming`), used by the `timing` CPU.
 *
 * Per CPU: a split L1 (instruction, data) and an inclusive board cache (L2), tags only, LRU.
 * A full-map directory keeps, per L2 line of machine memory, the set of CPUs whose L2 holds it
 * (`sharers`, a 32-bit mask) and the CPU holding it exclusively, if any: `owner` when the line is
 * Modified (dirty), `clean` when it is Exclusive (clean). Invariants: a CPU is a sharer iff its
 * L2 holds the line; an L1 line is only present under its L2 line; at most one of `owner`,
 * `clean` is ≥ 0, and either implies `sharers == 1 << that CPU`.
 *
 * Line states, MESI-style (FLASH's protocol hands a read miss exclusive ownership when no other
 * cache holds the line, as the R10000's clean-exclusive state expects):
 *
 *   | event (by CPU c)                     | directory before         | after                    | stall                                   |
 *   |--------------------------------------|--------------------------|--------------------------|-----------------------------------------|
 *   | load miss, no other cache holds it   | I                        | E at c                   | distance[node(c)][home]                 |
 *   | load miss, others share it           | S                        | S (+ c)                  | distance[node(c)][home]                 |
 *   | load miss, E or M at another CPU o   | E/M at o                 | S (o, c)                 | three-hop (below); o keeps a shared copy|
 *   | instruction fetch miss               | I / S                    | S (+ c), never E         | as a load miss                          |
 *   | store, line E at c                   | E at c                   | M at c (silent)          | 0 (L1 hit) / L2 hit (L1 miss)            |
 *   | store, line M at c                   | M at c                   | M at c                   | 0 / L2 hit                              |
 *   | store, line S at c ("upgrade")       | S                        | M at c, others invalid   | distance[node(c)][home]                 |
 *   | store miss                           | I / S / E / M elsewhere  | M at c, others invalid   | as the load miss of that state          |
 *
 * Costs (stall cycles returned to the CPU; a hit in L1 costs 0, the base CPI covers it):
 *   - L1 miss, L2 hit:                       caches.l2.hitNs
 *   - L2 miss, line uncached or only shared: distance[node(cpu)][home]
 *   - L2 miss, line E or M in another CPU:   distance[node(cpu)][home] + distance[home][node(holder)]
 *     (three-hop: the directory only knows the line is held exclusively — a clean-exclusive
 *     holder may have written it silently — so the home forwards the request to the holder);
 *     a load downgrades the holder to sharer (an E holder has nothing to write back), a store
 *     invalidates it
 *   - store to a line held shared ("upgrade"): distance[node(cpu)][home]; other copies invalidated
 *   - store to a line held E: none — it becomes M without a directory request
 * Invalidations travel in parallel with the reply, so they add no latency of their own.
 * Write-backs of dirty lines are absorbed by a write buffer (no stall). ns → cycles rounds to
 * the nearest cycle at `clockMHz`.
 *
 * FLASH's MAGIC counted cache misses per page per node; so does this model: every request that
 * reaches the directory — every L2 miss and every upgrade — by a CPU of node n to a line of page
 * p increments `missCount(p, n)`; of those, the requests for ownership (store misses and
 * upgrades) also increment `writeMissCount(p)` — what the directory sees of writes. The silent
 * E → M transition reaches no directory and is not counted. Disco's NUMA policy reads these (a
 * shared page with write requests is not replicated). A miss is *local* when the line's home is
 * the CPU's own node.
 *
 * Everything is typed arrays and integer arithmetic; no randomness, so runs are deterministic.
 */
import { AccessKind, type MemoryTiming } from '../contracts';
import type { MachineConfig } from '../config/types';
import type { StatSpec } from '../stats';
import { CacheTags } from './cache';
import { PAGE_SHIFT } from './physical';

/** Per-CPU memory-system counters, in the order of `MEMORY_STATS`. */
export interface CacheCounters {
  l1iMisses: number;
  l1dMisses: number;
  l2Misses: number;
  localMisses: number;
  remoteMisses: number;
  upgrades: number;
  exclusiveGrants: number;
  threeHopMisses: number;
  invalidationsReceived: number;
  stallCycles: number;
  uncached: number;
}

export const MEMORY_STATS: readonly StatSpec[] = [
  { name: 'l1iMisses', description: 'Instruction fetches that missed in the L1 instruction cache', unit: 'misses' },
  { name: 'l1dMisses', description: 'Loads and stores that missed in the L1 data cache', unit: 'misses' },
  { name: 'l2Misses', description: 'L1 misses that also missed in the board cache (L2) and went to memory', unit: 'misses' },
  { name: 'localMisses', description: 'L2 misses served by the requesting CPU\'s own node', unit: 'misses' },
  { name: 'remoteMisses', description: 'L2 misses served by another node\'s memory', unit: 'misses' },
  { name: 'upgrades', description: 'Stores to a line held shared, needing ownership from the directory (a store to a line held exclusive needs none)', unit: 'requests' },
  { name: 'exclusiveGrants', description: 'Data-load L2 misses to a line no other cache held, answered with exclusive (E) ownership so a later store needs no upgrade', unit: 'misses' },
  { name: 'threeHopMisses', description: 'L2 misses to a line held exclusive (E or M) in another CPU\'s cache (forwarded by the home to that CPU)', unit: 'misses' },
  { name: 'invalidationsReceived', description: 'Lines removed from this CPU\'s caches by another CPU\'s store, DMA or page invalidation', unit: 'lines' },
  { name: 'stallCycles', description: 'Cycles of memory stall returned by the memory system', unit: 'cycles' },
  { name: 'uncached', description: 'Uncached references to memory (kseg1, or a TLB mapping with C = 2), each paying the full memory latency', unit: 'references' },
];

/**
 * What the CPU's compiled code and interpreter test inline before calling `access` (which
 * returns 0 at once, changing nothing, in exactly these cases): a fetch of the L1I line touched
 * last, a load of the L1D line touched last, a store to it when this CPU owns its L2 line.
 */
export interface TimingFastPath {
  /** Per CPU: the L1I / L1D line (paddr >>> l1iShift / l1dShift) touched last, or −1. */
  readonly lastI: Int32Array;
  readonly lastD: Int32Array;
  /** Per L2 line (paddr >>> l2Shift): the CPU holding it dirty-exclusive, or −1. */
  readonly owner: Int8Array;
  readonly l1iShift: number;
  readonly l1dShift: number;
  readonly l2Shift: number;
}

const N_STATS = MEMORY_STATS.length;
const S_L1I = 0, S_L1D = 1, S_L2 = 2, S_LOCAL = 3, S_REMOTE = 4, S_UPG = 5, S_EXCL = 6, S_3HOP = 7, S_INV = 8, S_STALL = 9, S_UNC = 10;

export class NumaMemoryTiming implements MemoryTiming {
  readonly cpus: number;
  readonly nodes: number;
  /** Latency matrix in cycles, [requesting node × nodes + home node]. */
  readonly distCycles: Int32Array;
  readonly l2HitCycles: number;

  private readonly cpusPerNode: number;
  private readonly nodeBytes: number;
  private readonly l1i: CacheTags[];
  private readonly l1d: CacheTags[];
  private readonly l2: CacheTags[];
  private readonly l1iShift: number;
  private readonly l1dShift: number;
  private readonly l2Shift: number;
  private readonly sharers: Int32Array;
  /** Per L2 line: the CPU holding it Modified, or -1. */
  private readonly owner: Int8Array;
  /** Per L2 line: the CPU holding it Exclusive (clean), or -1. */
  private readonly clean: Int8Array;
  private readonly pageMisses: Uint32Array;
  private readonly pageWrites: Uint32Array;
  /** Per CPU: the L1I / L1D line touched last (it is its set's MRU way), or -1 — a one-compare hit path. */
  private readonly lastI: Int32Array;
  private readonly lastD: Int32Array;
  /** Counters, [cpu × N_STATS + stat]. Float64 so long runs never wrap. */
  private readonly stats: Float64Array;
  /** The hit tests the CPU inlines (read-only views of the state above). */
  readonly fastPath: TimingFastPath;
  /** Some line was ever cached (until then every invalidation is a no-op: the fast model, machine set-up). */
  private cached = false;

  constructor(config: MachineConfig) {
    this.cpus = config.nodes * config.cpusPerNode;
    this.nodes = config.nodes;
    this.cpusPerNode = config.cpusPerNode;
    this.nodeBytes = config.memoryPerNodeMB * 1024 * 1024;
    const ram = this.nodes * this.nodeBytes;
    const cyc = (ns: number) => Math.round((ns * config.clockMHz) / 1000);
    this.distCycles = new Int32Array(this.nodes * this.nodes);
    for (let i = 0; i < this.nodes; i++) for (let j = 0; j < this.nodes; j++) this.distCycles[i * this.nodes + j] = cyc(config.distance[i][j]);
    this.l2HitCycles = cyc(config.caches.l2.hitNs);
    const { l1i, l1d, l2 } = config.caches;
    this.l1i = []; this.l1d = []; this.l2 = [];
    for (let c = 0; c < this.cpus; c++) {
      this.l1i.push(new CacheTags(l1i.sizeKB * 1024, l1i.lineBytes, l1i.assoc));
      this.l1d.push(new CacheTags(l1d.sizeKB * 1024, l1d.lineBytes, l1d.assoc));
      this.l2.push(new CacheTags(l2.sizeKB * 1024, l2.lineBytes, l2.assoc));
    }
    this.l1iShift = this.l1i[0].lineShift;
    this.l1dShift = this.l1d[0].lineShift;
    this.l2Shift = this.l2[0].lineShift;
    this.sharers = new Int32Array(ram >>> this.l2Shift);
    this.owner = new Int8Array(ram >>> this.l2Shift).fill(-1);
    this.clean = new Int8Array(ram >>> this.l2Shift).fill(-1);
    this.pageMisses = new Uint32Array((ram >>> PAGE_SHIFT) * this.nodes);
    this.pageWrites = new Uint32Array(ram >>> PAGE_SHIFT);
    this.stats = new Float64Array(this.cpus * N_STATS);
    this.lastI = new Int32Array(this.cpus).fill(-1);
    this.lastD = new Int32Array(this.cpus).fill(-1);
    this.fastPath = { lastI: this.lastI, lastD: this.lastD, owner: this.owner, l1iShift: this.l1iShift, l1dShift: this.l1dShift, l2Shift: this.l2Shift };
  }

  private homeOf(paddr: number): number {
    const n = Math.floor(paddr / this.nodeBytes);
    return n < this.nodes ? n : this.nodes - 1;
  }

  access(cpu: number, paddr: number, kind: AccessKind): number {
    const a = paddr >>> 0;
    let stall: number;
    if (kind === AccessKind.Fetch) {
      const line = a >>> this.l1iShift;
      if (line === this.lastI[cpu]) return 0;
      this.lastI[cpu] = line;
      if (this.l1i[cpu].lookup(line)) return 0;
      this.stats[cpu * N_STATS + S_L1I]++;
      stall = this.fromL2(cpu, a, false, false);
      this.l1i[cpu].insert(line);
    } else if (kind === AccessKind.Load) {
      const line = a >>> this.l1dShift;
      if (line === this.lastD[cpu]) return 0;
      this.lastD[cpu] = line;
      if (this.l1d[cpu].lookup(line)) return 0;
      this.stats[cpu * N_STATS + S_L1D]++;
      stall = this.fromL2(cpu, a, false, true);
      this.l1d[cpu].insert(line);
    } else {
      const line = a >>> this.l1dShift;
      const l2line = a >>> this.l2Shift;
      let owned = this.owner[l2line] === cpu;
      if (line === this.lastD[cpu] && owned) return 0;
      if (!owned && this.clean[l2line] === cpu) {
        // E → M: the line is ours alone; the store needs no directory request
        this.clean[l2line] = -1;
        this.owner[l2line] = cpu;
        owned = true;
      }
      this.lastD[cpu] = line;
      const hit = this.l1d[cpu].lookup(line);
      if (hit && owned) return 0;
      if (!hit) this.stats[cpu * N_STATS + S_L1D]++;
      stall = this.fromL2(cpu, a, true, false);
      if (!hit) this.l1d[cpu].insert(line);
    }
    this.stats[cpu * N_STATS + S_STALL] += stall;
    return stall;
  }

  /**
   * An uncached reference (kseg1, or TLB C = 2) by `cpu` to RAM: no cache is filled or
   * consulted; it pays distance[node(cpu)][home] and counts as neither a hit nor a miss (FLASH's
   * MAGIC counted cache misses only).
   */
  uncachedAccess(cpu: number, paddr: number): number {
    const a = paddr >>> 0;
    const lat = this.distCycles[((cpu / this.cpusPerNode) | 0) * this.nodes + this.homeOf(a)];
    this.stats[cpu * N_STATS + S_UNC]++;
    this.stats[cpu * N_STATS + S_STALL] += lat;
    return lat;
  }

  /**
   * An L1 miss (or a store needing ownership) by `cpu` for the L2 line holding `a`. `exclusive`:
   * a store; `data`: a data load, which may be granted the line Exclusive (fetches never are).
   */
  private fromL2(cpu: number, a: number, exclusive: boolean, data: boolean): number {
    this.cached = true;
    const line = a >>> this.l2Shift;
    const myNode = (cpu / this.cpusPerNode) | 0;
    const bit = 1 << cpu;
    const base = cpu * N_STATS;
    if (this.l2[cpu].lookup(line)) {
      if (!exclusive || this.owner[line] === cpu) return this.l2HitCycles;
      // Upgrade: we hold it shared and need ownership (held E, the store made it M in `access`).
      const home = this.homeOf(a);
      this.stats[base + S_UPG]++;
      this.pageMisses[(a >>> PAGE_SHIFT) * this.nodes + myNode]++;
      this.pageWrites[a >>> PAGE_SHIFT]++;
      this.invalidateOthers(line, this.sharers[line] & ~bit);
      this.sharers[line] = bit;
      this.owner[line] = cpu;
      return this.distCycles[myNode * this.nodes + home];
    }
    const home = this.homeOf(a);
    this.stats[base + S_L2]++;
    this.stats[base + (home === myNode ? S_LOCAL : S_REMOTE)]++;
    this.pageMisses[(a >>> PAGE_SHIFT) * this.nodes + myNode]++;
    let lat = this.distCycles[myNode * this.nodes + home];
    const o = this.owner[line] >= 0 ? this.owner[line] : this.clean[line];
    if (o >= 0) {
      // Held exclusive (M or E) in another CPU's cache (o !== cpu: we do not hold the line).
      this.stats[base + S_3HOP]++;
      lat += this.distCycles[home * this.nodes + ((o / this.cpusPerNode) | 0)];
      this.owner[line] = -1;
      this.clean[line] = -1;
    }
    if (exclusive) {
      this.pageWrites[a >>> PAGE_SHIFT]++;
      this.invalidateOthers(line, this.sharers[line] & ~bit);
      this.sharers[line] = bit;
      this.owner[line] = cpu;
    } else if (data && (this.sharers[line] & ~bit) === 0) {
      this.stats[base + S_EXCL]++;
      this.sharers[line] = bit;
      this.clean[line] = cpu;
    } else {
      this.sharers[line] |= bit;
    }
    const victim = this.l2[cpu].insert(line);
    if (victim >= 0) this.evict(cpu, victim);
    return lat;
  }

  /** `cpu`'s L2 dropped `line` (capacity): drop its L1 sub-lines and update the directory. */
  private evict(cpu: number, line: number): void {
    this.dropL1(cpu, line);
    this.sharers[line] &= ~(1 << cpu);
    if (this.owner[line] === cpu) this.owner[line] = -1;
    if (this.clean[line] === cpu) this.clean[line] = -1;
  }

  private dropL1(cpu: number, l2line: number): void {
    this.lastI[cpu] = -1;
    this.lastD[cpu] = -1;
    const first = l2line << this.l2Shift;
    const end = first + (1 << this.l2Shift);
    for (let a = first; a < end; a += 1 << this.l1iShift) this.l1i[cpu].remove(a >>> this.l1iShift);
    for (let a = first; a < end; a += 1 << this.l1dShift) this.l1d[cpu].remove(a >>> this.l1dShift);
  }

  private invalidateOthers(line: number, mask: number): void {
    while (mask !== 0) {
      const c = 31 - Math.clz32(mask);
      mask &= ~(1 << c);
      this.l2[c].remove(line);
      this.dropL1(c, line);
      this.stats[c * N_STATS + S_INV]++;
    }
  }

  missCount(page: number, node: number): number {
    return this.pageMisses[page * this.nodes + node];
  }

  /** All nodes' miss counts for one page (a copy). */
  pageMissCounts(page: number): number[] {
    return Array.from(this.pageMisses.subarray(page * this.nodes, (page + 1) * this.nodes));
  }

  /** Requests for ownership (store misses and upgrades) to physical page `page` since the last reset, all nodes. */
  writeMissCount(page: number): number {
    return this.pageWrites[page];
  }

  resetMissCounts(page?: number): void {
    if (page === undefined) { this.pageMisses.fill(0); this.pageWrites.fill(0); }
    else { this.pageMisses.fill(0, page * this.nodes, (page + 1) * this.nodes); this.pageWrites[page] = 0; }
  }

  invalidatePage(page: number): void {
    if (!this.cached) return;   // nothing cached anywhere: directory and caches are already empty
    const first = (page << PAGE_SHIFT) >>> this.l2Shift;
    const end = first + ((1 << PAGE_SHIFT) >>> this.l2Shift || 1);
    for (let line = first; line < end && line < this.sharers.length; line++) {
      this.invalidateOthers(line, this.sharers[line]);
      this.sharers[line] = 0;
      this.owner[line] = -1;
      this.clean[line] = -1;
    }
  }

  /** Invalidates every page touching [paddr, paddr + length) (DMA into memory). */
  invalidateRange(paddr: number, length: number): void {
    if (length <= 0) return;
    const first = (paddr >>> 0) >>> PAGE_SHIFT;
    const last = ((paddr >>> 0) + length - 1) >>> PAGE_SHIFT;
    for (let p = first; p <= last; p++) this.invalidatePage(p);
  }

  /** Whether `cpu` holds the line of `paddr` in its L2 (tests and the UI). */
  holds(cpu: number, paddr: number): boolean { return this.l2[cpu].has((paddr >>> 0) >>> this.l2Shift); }

  /**
   * Directory state of the line holding `paddr` (tests and the UI): the sharers, the CPU holding
   * it exclusively (E or M; -1 when none) and whether that copy is dirty (M).
   */
  directory(paddr: number): { sharers: number[]; owner: number; dirty: boolean } {
    const line = (paddr >>> 0) >>> this.l2Shift;
    const s: number[] = [];
    for (let c = 0; c < this.cpus; c++) if (this.sharers[line] & (1 << c)) s.push(c);
    const m = this.owner[line];
    return { sharers: s, owner: m >= 0 ? m : this.clean[line], dirty: m >= 0 };
  }

  counters(cpu: number): CacheCounters {
    const s = this.stats, b = cpu * N_STATS;
    return {
      l1iMisses: s[b + S_L1I], l1dMisses: s[b + S_L1D], l2Misses: s[b + S_L2], localMisses: s[b + S_LOCAL], remoteMisses: s[b + S_REMOTE],
      upgrades: s[b + S_UPG], exclusiveGrants: s[b + S_EXCL], threeHopMisses: s[b + S_3HOP], invalidationsReceived: s[b + S_INV], stallCycles: s[b + S_STALL],
      uncached: s[b + S_UNC],
    };
  }
}
