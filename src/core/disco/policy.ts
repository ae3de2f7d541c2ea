/**
 * Memory-management policies (the paper's §4.3 NUMA migration and replication; later, sharing):
 * code the monitor runs every `intervalCycles` of simulated time with FLASH's per-page, per-node
 * cache-miss counters. A policy decides; the monitor's memory and virtual-TLB services act
 * (invalidate every TLB entry that maps a page through the backmaps, copy, update the pmap).
 *
 * When a policy runs: at the first monitor entry (on any CPU) at or after the interval's end —
 * deterministic, since monitor entries happen at deterministic points of simulated time; the work
 * is charged to that CPU. The monitor programs every CPU's timer for the next due time
 * (`nextDue`), so a policy runs on time even when no guest traps. The counters are reset after
 * the policies due at an entry have run (so each sees the misses since the last reset).
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
}

export interface MonitorPolicy {
  /** Short name (shown in run records). */
  readonly name: string;
  /** Time between calls [cycles]. */
  readonly intervalCycles: number;
  run(ctx: PolicyContext): void;
}

/** Runs registered policies when their interval has passed. */
export class PolicyRunner {
  private readonly next: number[];
  private due: number;
  /** Calls made, per policy. */
  readonly calls: number[];

  constructor(readonly policies: readonly MonitorPolicy[], private readonly timing: MemoryTiming, private readonly pages: number, private readonly nodes: number) {
    this.next = policies.map((p) => p.intervalCycles);
    this.calls = policies.map(() => 0);
    this.due = policies.length ? Math.min(...this.next) : Infinity;
  }

  /** Called at every monitor entry: runs each policy whose interval has passed. */
  maybeRun(cpu: Cpu, ctx: Omit<PolicyContext, 'cycle' | 'cpu' | 'misses'>): void {
    if (this.policies.length === 0) return;
    const now = cpu.now();
    if (now < this.due) return;
    const t = this.timing;
    const misses: MissCounters = { pages: this.pages, nodes: this.nodes, count: (pg, n) => t.missCount(pg, n), writes: (pg) => t.writeMissCount?.(pg) ?? 0 };
    this.policies.forEach((p, i) => {
      if (now < this.next[i]) return;
      this.next[i] = (Math.floor(now / p.intervalCycles) + 1) * p.intervalCycles;
      p.run({ ...ctx, cycle: now, cpu, misses });
      this.calls[i]++;
    });
    t.resetMissCounts();
    this.due = Math.min(...this.next);
  }

  /** The next time a policy is due [cycles] (Infinity without policies). */
  get nextDue(): number { return this.due; }
}
