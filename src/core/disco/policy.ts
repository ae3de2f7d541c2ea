/**
 * Memory-management policies (the paper's §4.3 NUMA migration and replication; later, sharing):
 * code the monitor runs every `intervalCycles` of simulated time with FLASH's per-page, per-node
 * cache-miss counters. A policy decides; the monitor's memory and virtual-TLB services act
 * (invalidate every TLB entry that maps a page through the backmaps, copy, update the pmap).
 *
 * When a policy runs: at the first monitor entry (on any CPU) at or after the interval's end —
 * deterministic, since monitor entries happen at deterministic points of simulated time; its
 * decisions are charged to that CPU. Work a policy wants done on a particular node (the NUMA
 * policy's page copies, done by a CPU of the node the page goes to) it leaves with
 * `ctx.post(node)`: the runner kicks that node's first CPU, whose next monitor entry calls the
 * policy's `drain` and is charged for it. The monitor programs every CPU's timer for the next due
 * time (`nextDue`), so a policy runs on time even when no guest traps. The counters are reset
 * after the policies due at an entry have run (so each sees the misses since the last reset).
 */
import type { Cpu } from '../machine/cpu/index';
import type { MemoryTiming } from '../machine/contracts';
import type { MachineMemory } from './memory';
import type { Vm } from './vm';
import type { VirtualTlb } from './vtlb';

/** FLASH's per-page, per-node miss counters, as the policy reads them. */
export interface MissCounters {
  readonly pages: number;
  readonly nodes: number;
  /** Cache misses to machine page `page` by CPUs of `node` since the last call. */
  count(page: number, node: number): number;
  /** Of those, requests for ownership (store misses and upgrades), all nodes together. */
  writes(page: number): number;
}

export interface PolicyContext {
  /** Simulated time of the call [cycles]. */
  readonly cycle: number;
  /** The CPU running the policy (charge its work here). */
  readonly cpu: Cpu;
  readonly misses: MissCounters;
  readonly memory: MachineMemory;
  readonly vtlb: VirtualTlb;
  readonly vms: readonly Vm[];
  charge(cpu: Cpu, vm: number, cause: string, times?: number): void;
  /** Node of CPU `cpu` (numbered as the machine's CPUs). */
  nodeOf(cpu: number): number;
  /** Asks for `drain` on a CPU of `node` at its next monitor entry (kicking it). */
  post(node: number): void;
}

export interface MonitorPolicy {
  /** Short name (shown in run records). */
  readonly name: string;
  /** Time between calls [cycles]. */
  readonly intervalCycles: number;
  run(ctx: PolicyContext): void;
  /** Work this policy posted for `ctx.cpu`'s node (see the file comment). */
  drain?(ctx: PolicyContext): void;
}

/** What the monitor gives the runner besides the time, the CPU and the counters. */
export type PolicyHostContext = Omit<PolicyContext, 'cycle' | 'cpu' | 'misses' | 'post'>;

/** Runs registered policies when their interval has passed. */
export class PolicyRunner {
  private readonly next: number[];
  private due: number;
  /** Calls made, per policy. */
  readonly calls: number[];

  /** Per CPU: a policy posted work for it (see `post`). */
  private readonly posted: Uint8Array;
  private readonly misses: MissCounters;

  /**
   * `nodeCpus[n]`: the CPUs of node n (the first does the node's posted work); `kick(cpu)` makes
   * that CPU enter the monitor soon (the monitor's kick IPI).
   */
  constructor(readonly policies: readonly MonitorPolicy[], private readonly timing: MemoryTiming, private readonly pages: number, private readonly nodes: number,
    private readonly nodeCpus: readonly (readonly number[])[] = [], private readonly kick: (cpu: number) => void = () => {}) {
    this.next = policies.map((p) => p.intervalCycles);
    this.calls = policies.map(() => 0);
    this.due = policies.length ? Math.min(...this.next) : Infinity;
    this.posted = new Uint8Array(nodeCpus.reduce((n, c) => n + c.length, 0));
    const t = timing;
    this.misses = { pages, nodes, count: (pg, n) => t.missCount(pg, n), writes: (pg) => t.writeMissCount?.(pg) ?? 0 };
  }

  /** Called at every monitor entry: runs each policy whose interval has passed, then the work posted for this CPU. */
  maybeRun(cpu: Cpu, ctx: PolicyHostContext): void {
    if (this.policies.length === 0) return;
    const now = cpu.now();
    if (now >= this.due) {
      this.policies.forEach((p, i) => {
        if (now < this.next[i]) return;
        this.next[i] = (Math.floor(now / p.intervalCycles) + 1) * p.intervalCycles;
        p.run(this.context(ctx, cpu, now));
        this.calls[i]++;
      });
      this.timing.resetMissCounts();
      this.due = Math.min(...this.next);
    }
    if (this.posted[cpu.id] !== 0) {
      this.posted[cpu.id] = 0;
      const c = this.context(ctx, cpu, now);
      for (const p of this.policies) p.drain?.(c);
    }
  }

  private context(ctx: PolicyHostContext, cpu: Cpu, now: number): PolicyContext {
    return {
      ...ctx, cycle: now, cpu, misses: this.misses,
      post: (node) => {
        const target = this.nodeCpus[node]?.[0];
        if (target === undefined) throw new Error(`bug: work posted for node ${node}, which has no CPU`);
        this.posted[target] = 1;
        if (target !== cpu.id) this.kick(target);
      },
    };
  }

  /** The next time a policy is due [cycles] (Infinity without policies). */
  get nextDue(): number { return this.due; }
}
