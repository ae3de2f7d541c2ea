/**
 * Read-only views for the Debug view's inspector panes that go beyond one structure of one
 * thread: who owns each hardware TLB entry (the monitor's shadow of every hardware slot), each
 * CPU's cache counters (the ccNUMA timing model's, src/core/machine/memory/numa.ts), the
 * per-page per-node miss counters of a range of machine pages (FLASH's, what the NUMA policy
 * reads) and the memmap with its owners named. Nothing here changes the machine or the monitor:
 * no counter is reset, no cache line touched, no TLB slot written. The Inspector (inspect.ts)
 * exposes them; bad input is a `DebugError`.
 */
import type { Machine } from '../machine/machine';
import type { Monitor } from '../disco/monitor';
import { FREE, MONITOR_VM, SHARED } from '../disco/memmap';
import { MONITOR_MADE } from '../disco/vtlb';
import { EL_V } from '../machine/cpu/cp0';
import { TLB_ENTRIES } from '../machine/cpu/tlb';
import { nodeOfCpu } from '../machine/config/types';
import { DebugError } from './errors';

/**
 * Whose translation a hardware TLB entry is (Disco): the vCPU (global id) and VM it was written
 * for, and whether the monitor made it for its own kernel-mode use (the ksseg alias of kseg0, the
 * HAL page, the ERL identity map) rather than from the guest's virtual TLB.
 */
export interface TlbOwner { vm: number; vcpu: number; monitorMade: boolean }

/**
 * Per slot of CPU `cpu`'s hardware TLB: its owner, or null for an invalid slot or one the monitor
 * has no shadow of. Read from the virtual TLB's backmap (`VirtualTlb.mappersOf`: every hardware
 * slot mapping a machine page), looked up by the slot's own machine pages.
 */
export function hardwareTlbOwners(machine: Machine, monitor: Monitor, cpu: number): (TlbOwner | null)[] {
  const tlb = machine.cpus[cpu].tlb;
  const out: (TlbOwner | null)[] = new Array(TLB_ENTRIES).fill(null);
  const seen = new Set<number>();
  for (let i = 0; i < TLB_ENTRIES; i++) {
    for (const lo of [tlb.lo0[i], tlb.lo1[i]]) {
      if ((lo & EL_V) === 0) continue;
      const mpn = (lo >>> 6) & 0xfffff;   // EntryLo PFN[25:6]
      if (seen.has(mpn)) continue;
      seen.add(mpn);
      for (const m of monitor.vtlb.mappersOf(mpn)) {
        if (m.cpu !== cpu || out[m.slot] !== null) continue;
        const v = monitor.vcpus[m.vcpu];
        out[m.slot] = { vm: v ? v.vm.id : m.vm, vcpu: m.vcpu, monitorMade: m.vm === MONITOR_MADE };
      }
    }
  }
  return out;
}

/**
 * One CPU's memory-system counters since the run began (the timing model's; all zero with the
 * fast CPU model, which has no caches). The model counts misses, not accesses — its hit path is
 * inlined in the CPU — so hits are derived where they can be: `l1iHits` = instructions − L1I
 * misses (every instruction is one fetch), `l2Hits` = L1 misses that the L2 served (L1 misses −
 * L2 misses). L1D hits are not known (loads and stores are not counted).
 */
export interface CacheSummary {
  cpu: number;
  /** The machine's CPU model: `timing` has caches, `fast` none (every counter 0). */
  model: string;
  /** The CPU's node (misses served there are local). */
  node: number;
  instructions: number;
  l1iHits: number;
  l1iMisses: number;
  l1dMisses: number;
  l2Hits: number;
  l2Misses: number;
  localMisses: number;
  remoteMisses: number;
  upgrades: number;
  threeHopMisses: number;
  invalidationsReceived: number;
  stallCycles: number;
  uncached: number;
}

/** Every CPU's cache summary, in CPU order. */
export function cacheSummaries(machine: Machine): CacheSummary[] {
  const cfg = machine.config;
  return machine.cpus.map((c) => {
    const k = machine.timing.counters(c.id), instructions = c.instructionsNow();
    const timing = cfg.cpuModel === 'timing';
    return {
      cpu: c.id, model: cfg.cpuModel, node: nodeOfCpu(cfg, c.id), instructions,
      l1iHits: timing ? Math.max(0, instructions - k.l1iMisses) : 0, l1iMisses: k.l1iMisses, l1dMisses: k.l1dMisses,
      l2Hits: Math.max(0, k.l1iMisses + k.l1dMisses - k.l2Misses), l2Misses: k.l2Misses,
      localMisses: k.localMisses, remoteMisses: k.remoteMisses, upgrades: k.upgrades, threeHopMisses: k.threeHopMisses,
      invalidationsReceived: k.invalidationsReceived, stallCycles: k.stallCycles, uncached: k.uncached,
    };
  });
}

/** One row of the miss-counter heat map: a machine page and its misses by requesting node. */
export interface MissHeatRow { page: number; byNode: number[]; writes: number; total: number }

/**
 * FLASH's per-page per-node cache-miss counters of machine pages [from, from + count) (since
 * the NUMA policy last reset them): rows = pages, columns = nodes; `max` is the largest cell (the
 * colour scale); `onlyMissed` leaves out pages without misses (then up to `count` rows from `from` on).
 */
export function missHeat(machine: Machine, from: number, count: number, onlyMissed = false): { pages: number; nodes: number; from: number; max: number; next: number | null; rows: MissHeatRow[] } {
  const pages = machine.memory.pages, nodes = machine.config.nodes, t = machine.timing;
  if (!Number.isInteger(from) || from < 0 || from >= pages) throw new DebugError('E_BAD_ADDRESS', `no machine page ${from} (the machine has ${pages})`);
  if (!Number.isInteger(count) || count < 1 || count > 4096) throw new DebugError('E_BAD_ARGUMENT', 'count must be 1..4096 pages');
  const rows: MissHeatRow[] = [];
  let max = 0, p = from;
  for (; p < pages && rows.length < count; p++) {
    const byNode = t.pageMissCounts(p);
    let total = 0;
    for (const n of byNode) { total += n; if (n > max) max = n; }
    if (onlyMissed && total === 0) continue;
    rows.push({ page: p, byNode, writes: t.writeMissCount(p), total });
  }
  return { pages, nodes, from, max, next: p < pages ? p : null, rows };
}

/** The memmap's owner codes as the Debug view names them: `vm<N>`, `free`, `monitor`, `shared`. */
export function ownerName(owner: number, vmName?: (id: number) => string | undefined): string {
  if (owner >= 0) return vmName?.(owner) ?? `vm${owner}`;
  if (owner === FREE) return 'free';
  if (owner === MONITOR_VM) return 'monitor';
  if (owner === SHARED) return 'shared';
  return `owner ${owner}`;
}
