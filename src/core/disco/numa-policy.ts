/**
 * Disco's NUMA policy (the paper's §4.3, after Verghese et al., ASPLOS 1996, whose policy Disco
 * adopted): every interval it reads FLASH's per-page, per-node cache-miss counters and
 *   - a **hot** page (≥ `numaTrigger` misses in the interval, all nodes) used mostly by one node
 *     (no other node reaches `numaSharing` misses) **migrates** to that node;
 *   - a hot page read by several nodes (≥ `numaSharing` misses each) with no write request in the
 *     interval is **replicated** to each of them (read-only copies; the first write collapses them);
 *   - a hot page written and shared by several nodes **stays** — no placement helps it; so does
 *     one whose misses are spread so thin that no node reaches `numaSharing` (no move would pay);
 *   - no page moves more than `numaMaxMoves` times (thrashing between nodes is bounded).
 * The monitor then acts through machine memory (memory.ts): shoot down every TLB entry mapping
 * the page (found through the backmaps), copy it, update the pmap. Each decision about a hot page
 * is charged (`numa.decide`) to the CPU that decides; each move is done — and charged — by a CPU
 * of the node the page (or the replica) goes to, at its next monitor entry (`post` kicks it): the
 * work spreads over the nodes that gain, and each copy pulls remote lines into local memory. A
 * move checks again that it still makes sense when it is done (the page may have been written,
 * moved or freed since). The counters are reset after the
 * policies due at a monitor entry have run (policy.ts); a move resets the two pages' own counters
 * (the copy's misses are the monitor's, not a user's). docs/disco.md "NUMA" has the options and
 * their justification.
 */
import { SHARED } from './memmap';
import type { MonitorPolicy, PolicyContext } from './policy';
import type { Vm } from './vm';

export interface NumaPolicyOptions {
  /** Time between policy runs (the counters' reset interval) [cycles]. */
  intervalCycles: number;
  /** Misses in one interval that make a page hot [misses]. */
  trigger: number;
  /** Misses in one interval that make a node a user of the page [misses]. */
  sharing: number;
  /** Write requests in one interval that make a shared page write-shared (not replicated) [requests]. */
  writes: number;
  /** Moves (migrations or replications) allowed per page in a run [moves]. */
  maxMoves: number;
  migrate: boolean;
  replicate: boolean;
}

/** A page move decided by `run`, to be done by a CPU of `node` (`drain`). */
interface Move { vm: number; gppn: number; node: number; replicate: boolean }

export class NumaPolicy implements MonitorPolicy {
  readonly name = 'numa';
  readonly intervalCycles: number;
  /** Hot pages seen, and why the ones not moved stayed. */
  readonly decisions = { hot: 0, writeShared: 0, atLimit: 0, alreadyPlaced: 0, spread: 0, noMemory: 0 };
  /** After each run: machine pages given to VMs (replicas included) per node. */
  readonly samples: { cycle: number; pagesPerNode: number[] }[] = [];

  /** Moves decided and not done yet, per target node (in decision order). */
  private readonly queued = new Map<number, Move[]>();

  constructor(private readonly o: NumaPolicyOptions) {
    this.intervalCycles = o.intervalCycles;
  }

  /** Does the moves decided for `ctx.cpu`'s node. */
  drain(ctx: PolicyContext): void {
    const node = ctx.nodeOf(ctx.cpu.id), q = this.queued.get(node);
    if (q === undefined) return;
    this.queued.delete(node);
    const mm = ctx.memory;
    for (const m of q) {
      const pmap = ctx.vms[m.vm].pmap, mpn = pmap.mpn[m.gppn];
      if (mpn < 0 || pmap.cow[m.gppn] === 1) continue;   // freed, or shared between VMs since
      const set = pmap.replicas.get(m.gppn);
      // moved enough since (another copy of a page already replicated is not a new move)
      if (set === undefined && pmap.moves[m.gppn] >= this.o.maxMoves) continue;
      if (m.replicate) {
        if (mm.memmap.nodeOf(mpn) === node || (set !== undefined && set[node] >= 0)) continue;
        if (mm.replicate(ctx.cpu, m.vm, pmap, m.gppn, [node]) === 0) this.decisions.noMemory++;
      } else {
        if (set !== undefined || mm.memmap.nodeOf(mpn) === node) continue;   // replicated or placed since
        if (!mm.migrate(ctx.cpu, m.vm, pmap, m.gppn, node)) this.decisions.noMemory++;
      }
    }
  }

  private enqueue(ctx: PolicyContext, m: Move): void {
    let q = this.queued.get(m.node);
    if (q === undefined) { q = []; this.queued.set(m.node, q); ctx.post(m.node); }
    q.push(m);
  }

  run(ctx: PolicyContext): void {
    const mm = ctx.memory, map = mm.memmap, nodes = map.nodes, o = this.o;
    if (nodes < 2) return;
    const counts = new Array<number>(nodes);
    for (let mpn = map.reservedPages; mpn < map.totalPages; mpn++) {
      const vmId = map.owner[mpn];
      // free, the monitor's, a replica, or shared between VMs (copy-on-write: not moved)
      if (vmId < 0 || map.replicaOf[mpn] >= 0) continue;
      const vm = ctx.vms[vmId], gppn = map.gppn[mpn];
      const set = vm.pmap.replicas.get(gppn);
      let total = 0;
      for (let n = 0; n < nodes; n++) {
        let c = ctx.misses.count(mpn, n);
        if (set !== undefined && set[n] >= 0) c += ctx.misses.count(set[n], n);
        counts[n] = c; total += c;
      }
      if (total < o.trigger) continue;
      this.decisions.hot++;
      ctx.charge(ctx.cpu, vmId, 'numa.decide');
      this.decide(ctx, vm, gppn, mpn, counts, ctx.misses.writes(mpn), set !== undefined);
    }
    const perNode = new Array<number>(nodes).fill(0);
    for (let p = map.reservedPages; p < map.totalPages; p++) if (map.owner[p] >= 0 || map.owner[p] === SHARED) perNode[map.nodeOf(p)]++;
    this.samples.push({ cycle: ctx.cycle, pagesPerNode: perNode });
  }

  private decide(ctx: PolicyContext, vm: Vm, gppn: number, mpn: number, counts: number[], writes: number, replicated: boolean): void {
    const o = this.o, pmap = vm.pmap, mm = ctx.memory;
    // at the limit: no new move (more copies of a replicated page are still allowed)
    if (!replicated && pmap.moves[gppn] >= o.maxMoves) { this.decisions.atLimit++; return; }
    const users: number[] = [];
    let top = 0;
    counts.forEach((c, n) => { if (c >= o.sharing) users.push(n); if (c > counts[top]) top = n; });
    if (users.length === 0) { this.decisions.spread++; return; }   // no node takes enough misses for a move to pay
    if (users.length === 1) {
      // used by one node: bring the page there
      if (replicated || mm.memmap.nodeOf(mpn) === top) { this.decisions.alreadyPlaced++; return; }
      if (o.migrate) this.enqueue(ctx, { vm: vm.id, gppn, node: top, replicate: false });
      return;
    }
    if (writes >= o.writes) { this.decisions.writeShared++; return; }
    if (!o.replicate) return;
    const home = mm.memmap.nodeOf(mpn), set = pmap.replicas.get(gppn);
    const missing = users.filter((n) => n !== home && (set === undefined || set[n] < 0));
    if (missing.length === 0) { this.decisions.alreadyPlaced++; return; }
    for (const n of missing) this.enqueue(ctx, { vm: vm.id, gppn, node: n, replicate: true });
  }
}
