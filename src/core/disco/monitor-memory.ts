/**
 * The monitor's own memory references, through the machine's cache model (docs/monitor-cost-model.md
 * "The monitor's memory references"). The cost model (cost-model.ts) prices each monitor action
 * as a path length at 1 CPI; on FLASH that path also fetched Disco's code and loaded and stored
 * its data structures, taking cache misses and displacing the guest's lines. This file gives the
 * monitor a machine-memory layout and, per action, touches the lines the real code and data
 * accesses would touch, so monitor time includes real misses (charged to the action's cause and
 * recorded as stall) and the guest finds its cache polluted afterwards.
 *
 * Layout (machine pages taken after the VMs' memory is allocated, top-down from the end of the
 * preferred node, so guest placement is unchanged; the paper: Disco's code is replicated on
 * every node and its data structures are node-local where possible):
 *
 *   per node   code replica: every handler's code, in cost-table order (CODE_BYTES each)
 *   per CPU    CPU page: hardware-TLB shadow (64 × 32 B) at 0, scheduler state at 0x800
 *   per vCPU   vCPU page (node of its first CPU): register save area (0x000, 160 B), virtual
 *              CP0 (0x100, 128 B), run state (0x180, 64 B), virtual TLB (0x200, 64 × 16 B),
 *              virtual-TLB hash index (0x600, 64 × 4 B); then its L2 TLB (entries × 16 B)
 *   per VM     VM page (virtual device state) and the pmap (one 8-byte entry per guest page:
 *              precomputed EntryLo + backmap link), on the VM's node
 *
 * Only the `timing` CPU model has caches; with the `fast` model (1 CPI, no memory timing for
 * the guest either) and with the `monitorMemoryRefs` option at 0 nothing here runs. A reference
 * belongs to an action (a cost-model cause); the references of an action whose cost is 0 are
 * not made (that work is modelled as free), so a cost table of zeros makes none at all.
 */
import { AccessKind } from '../machine/contracts';
import type { Machine } from '../machine/machine';
import type { Cpu } from '../machine/cpu/index';
import { nodeOfCpu, type MachineConfig } from '../machine/config/types';
import { COST_PARAMS, DEFAULT_COSTS, type CostTable } from './cost-model';
import { FREE, MONITOR_VM, type Memmap } from './memmap';
import { PAGE } from './pmap';
import type { Vcpu } from './vcpu';

/**
 * Bytes of code each action executes (fetched once per action; the handler's lines are
 * contiguous). Straight-line paths: 4 bytes per cycle of their default cost (1 CPI), rounded up
 * to 64-byte lines; the loop-dominated ones below: their loop body and set-up.
 */
const LOOP_CODE: Readonly<Record<string, number>> = {
  'emulate.tlbp': 128,          // hash probe loop
  'hypercall.perPage': 128,     // copy / zero loop
  'schedule.tlbFlush': 128,     // 64 × tlbwi of an invalid entry
  shootdown: 256,               // IPI send + wait; the remote handler runs on the other CPU
  'numa.decide': 128,           // a loop over the page's per-node counters
  'numa.migrate': 512,          // list and table updates (the copy is measured separately: numa.copy)
  'numa.replicate': 512,        // as numa.migrate
  'numa.collapse': 256,         // a loop over the replicas
};
const DEFAULT_CODE = 128;
const roundLine = (b: number) => Math.ceil(b / 64) * 64;
export const CODE_BYTES: Readonly<Record<string, number>> = Object.freeze(Object.fromEntries(
  COST_PARAMS.map((p) => [p.name, LOOP_CODE[p.name] ?? roundLine(4 * DEFAULT_COSTS[p.name])]),
));
const CODE_OFFSET: Readonly<Record<string, number>> = (() => {
  const out: Record<string, number> = {};
  let off = 0;
  for (const p of COST_PARAMS) { out[p.name] = off; off += CODE_BYTES[p.name]; }
  out['*'] = off;   // emulate.<x> without an entry of its own: a generic block
  return out;
})();
const CODE_TOTAL = CODE_OFFSET['*'] + DEFAULT_CODE;

// vCPU page
export const V_SAVE = 0x000, V_SAVE_BYTES = 160;
export const V_CP0 = 0x100, V_CP0_BYTES = 128;
export const V_STATE = 0x180, V_STATE_BYTES = 64;
export const V_VTLB = 0x200, VTLB_ENTRY = 16;
export const V_VTLB_HASH = 0x600;
// CPU page
export const C_SHADOW = 0x000, SHADOW_ENTRY = 32;
export const C_SCHED = 0x800;
// per-entry sizes
export const L2TLB_ENTRY = 16;
export const PMAP_ENTRY = 8;

const pagesFor = (bytes: number) => Math.max(1, Math.ceil(bytes / PAGE));

/** What the layout needs to know about the VMs and vCPUs. */
export interface LayoutInput {
  vms: readonly { pages: number; node: number }[];
  /** Per vCPU (by gid): its VM and the node of the CPU it starts on. */
  vcpus: readonly { vm: number; node: number }[];
  l2Entries: number;
}

/** Machine pages the layout takes (createMonitor checks that they are free). */
export function monitorMemoryPages(cfg: MachineConfig, input: LayoutInput): number {
  const cpus = cfg.nodes * cfg.cpusPerNode;
  return cfg.nodes * pagesFor(CODE_TOTAL) + cpus
    + input.vcpus.length * (1 + (input.l2Entries > 0 ? pagesFor(input.l2Entries * L2TLB_ENTRY) : 0))
    + input.vms.reduce((s, v) => s + 1 + pagesFor(v.pages * PMAP_ENTRY), 0);
}

/** A region of monitor memory: machine pages (not necessarily contiguous) holding `bytes`. */
class Region {
  constructor(readonly pages: Int32Array) {}
  addr(off: number): number { return this.pages[(off / PAGE) | 0] * PAGE + (off % PAGE); }
}

export interface MonitorMemoryCounts {
  /** References the monitor made through the cache model. */
  references: number;
  /** Of those, the ones that stalled (missed in the L1). */
  misses: number;
  /** Their stall cycles (in the monitor bucket, and in `stall`). */
  stallCycles: number;
}

export class MonitorMemory {
  readonly counts: MonitorMemoryCounts = { references: 0, misses: 0, stallCycles: 0 };
  private readonly code: Region[] = [];
  private readonly cpuPage: Region[] = [];
  private readonly vcpuPage: Region[] = [];
  private readonly l2tlb: (Region | null)[] = [];
  private readonly vmPage: Region[] = [];
  private readonly pmap: Region[] = [];
  private readonly cfg: MachineConfig;
  private readonly iLine: number;
  private readonly dLine: number;

  constructor(
    private readonly machine: Machine,
    memmap: Memmap,
    input: LayoutInput,
    private readonly costs: CostTable,
    private readonly charge: (cpu: Cpu, vm: number, cause: string, cycles: number) => void,
  ) {
    const cfg = this.cfg = machine.config;
    this.iLine = cfg.caches.l1i.lineBytes;
    this.dLine = cfg.caches.l1d.lineBytes;
    const take = (bytes: number, node: number) => new Region(takePages(memmap, pagesFor(bytes), node));
    for (let n = 0; n < cfg.nodes; n++) this.code.push(take(CODE_TOTAL, n));
    for (let c = 0; c < machine.cpus.length; c++) this.cpuPage.push(take(PAGE, nodeOfCpu(cfg, c)));
    for (const v of input.vms) { this.vmPage.push(take(PAGE, v.node)); this.pmap.push(take(v.pages * PMAP_ENTRY, v.node)); }
    for (const v of input.vcpus) {
      this.vcpuPage.push(take(PAGE, v.node));
      this.l2tlb.push(input.l2Entries > 0 ? take(input.l2Entries * L2TLB_ENTRY, v.node) : null);
    }
  }

  /** One reference by `cpu` for `cause`; a stall is charged to that cause (VM `vm`) and recorded as stall. */
  private ref(cpu: Cpu, vm: number, cause: string, addr: number, kind: AccessKind): void {
    const s = this.machine.timing.access(cpu.id, addr, kind);
    this.counts.references++;
    if (s > 0) {
      this.counts.misses++;
      this.counts.stallCycles += s;
      cpu.buckets.stall += s;
      this.charge(cpu, vm, cause, s);
    }
  }

  /** Every L1 line of [addr, addr + bytes) in region `r` at offset `off`. */
  private range(cpu: Cpu, vm: number, cause: string, r: Region, off: number, bytes: number, kind: AccessKind): void {
    const step = kind === AccessKind.Fetch ? this.iLine : this.dLine;
    const end = off + bytes;
    for (let o = off - (off % step); o < end; o += step) this.ref(cpu, vm, cause, r.addr(o), kind);
  }

  private on(cause: string): boolean { return (this.costs[cause] ?? 0) > 0; }

  /**
   * An action of `cause` charged on `cpu` for VM `vm`, working for vCPU `v` (the one on the CPU,
   * or null): its code, fetched from this node's replica, and the vCPU fields every such action
   * reads or writes. Actions with data of their own (TLB paths, switches) add it at their site.
   */
  onCharge(cpu: Cpu, vm: number, v: Vcpu | null, cause: string): void {
    if (!this.on(cause)) return;
    const node = nodeOfCpu(this.cfg, cpu.id);
    const off = CODE_OFFSET[cause] ?? CODE_OFFSET['*'];
    this.range(cpu, vm, cause, this.code[node], off, CODE_BYTES[cause] ?? DEFAULT_CODE, AccessKind.Fetch);
    if (v === null) {
      if (cause === 'interrupt') this.range(cpu, vm, cause, this.cpuPage[cpu.id], C_SCHED, 64, AccessKind.Load);
      return;
    }
    const p = this.vcpuPage[v.gid];
    switch (cause) {
      case 'trap':
        // exception entry saves the registers the C handler uses; the run state says what to do
        this.range(cpu, vm, cause, p, V_SAVE, V_SAVE_BYTES, AccessKind.Store);
        this.range(cpu, vm, cause, p, V_STATE, V_STATE_BYTES, AccessKind.Load);
        break;
      case 'reflect': case 'interrupt.virtual':
        // virtual EPC / Cause / BadVAddr / Context / EntryHi / Status written, the vector read
        this.range(cpu, vm, cause, p, V_CP0, V_CP0_BYTES, AccessKind.Store);
        break;
      case 'emulate.mtc0': case 'emulate.eret':
        this.range(cpu, vm, cause, p, V_CP0, V_CP0_BYTES, AccessKind.Store);
        break;
      case 'interrupt':
        this.range(cpu, vm, cause, this.cpuPage[cpu.id], C_SCHED, 64, AccessKind.Load);
        this.range(cpu, vm, cause, p, V_STATE, V_STATE_BYTES, AccessKind.Store);
        break;
      case 'mmio': case 'hypercall': case 'kseg0': case 'kseg3': case 'hal.trap':
        // the operands in the saved registers, the virtual device's state
        this.range(cpu, vm, cause, p, V_SAVE, V_SAVE_BYTES, AccessKind.Load);
        this.range(cpu, vm, cause, this.vmPage[v.vm.id], 0, 128, AccessKind.Store);
        break;
      case 'hypercall.perPage': case 'shootdown': case 'schedule': case 'schedule.tlbFlush':
        break;   // code only here; data at the site (switches) or not modelled (see the doc)
      default:
        // emulate.* (mfc0, tlbr, tlbp, tlbwi, tlbwr, wait, cache) and the TLB paths read the virtual CP0
        this.range(cpu, vm, cause, p, V_CP0, V_CP0_BYTES, AccessKind.Load);
        if (cause === 'emulate.wait') this.range(cpu, vm, cause, p, V_STATE, V_STATE_BYTES, AccessKind.Store);
    }
  }

  // ---- data of particular actions (called at their sites) ----

  /** The pmap entry of guest page `gppn` of `v`'s VM (a pmap lookup). */
  pmapEntry(cpu: Cpu, v: Vcpu, cause: string, gppn: number): void {
    if (!this.on(cause) || gppn < 0 || gppn >= v.vm.pmap.pages) return;
    this.ref(cpu, v.vm.id, cause, this.pmap[v.vm.id].addr(gppn * PMAP_ENTRY), AccessKind.Load);
  }

  /** L2 TLB slot `slot` of vCPU `v` (a probe: load; an insert or invalidation: store). */
  l2Slot(cpu: Cpu, v: Vcpu, cause: string, slot: number, store: boolean): void {
    const r = this.l2tlb[v.gid];
    if (r === null || !this.on(cause)) return;
    this.ref(cpu, v.vm.id, cause, r.addr(slot * L2TLB_ENTRY), store ? AccessKind.Store : AccessKind.Load);
  }

  /** Virtual TLB entry `idx` of `v` (read on a hit, written by a guest TLB write or an L2 swap-in). */
  vtlbEntry(cpu: Cpu, v: Vcpu, cause: string, idx: number, store: boolean): void {
    if (!this.on(cause) || idx < 0) return;
    this.ref(cpu, v.vm.id, cause, this.vcpuPage[v.gid].addr(V_VTLB + (idx & 63) * VTLB_ENTRY), store ? AccessKind.Store : AccessKind.Load);
  }

  /** The virtual TLB's hash index word for `va` (every virtual TLB lookup reads it). */
  vtlbLookup(cpu: Cpu, v: Vcpu, cause: string, va: number): void {
    if (!this.on(cause)) return;
    this.ref(cpu, v.vm.id, cause, this.vcpuPage[v.gid].addr(V_VTLB_HASH + (((va >>> 13) ^ (va >>> 19)) & 63) * 4), AccessKind.Load);
  }

  /** The hardware-TLB shadow (backmap) entry of `cpu`'s slot `slot`, written on every insert. */
  shadowSlot(cpu: Cpu, vm: number, cause: string, slot: number): void {
    if (!this.on(cause)) return;
    this.ref(cpu, vm, cause, this.cpuPage[cpu.id].addr(C_SHADOW + (slot & 63) * SHADOW_ENTRY), AccessKind.Store);
  }

  /** A hardware TLB flush clears `cpu`'s whole shadow. */
  shadowFlush(cpu: Cpu, vm: number, cause: string): void {
    if (!this.on(cause)) return;
    this.range(cpu, vm, cause, this.cpuPage[cpu.id], C_SHADOW, 64 * SHADOW_ENTRY, AccessKind.Store);
  }

  /** A vCPU switch: the outgoing vCPU's registers saved (`out`), the incoming one's restored. */
  switchOut(cpu: Cpu, v: Vcpu): void {
    if (!this.on('schedule')) return;
    const p = this.vcpuPage[v.gid];
    this.range(cpu, v.vm.id, 'schedule', p, V_SAVE, V_SAVE_BYTES, AccessKind.Store);
    this.range(cpu, v.vm.id, 'schedule', p, V_STATE, V_STATE_BYTES, AccessKind.Store);
  }

  switchIn(cpu: Cpu, v: Vcpu): void {
    if (!this.on('schedule')) return;
    const p = this.vcpuPage[v.gid];
    this.range(cpu, v.vm.id, 'schedule', this.cpuPage[cpu.id], C_SCHED, 64, AccessKind.Store);
    this.range(cpu, v.vm.id, 'schedule', p, V_SAVE, V_SAVE_BYTES, AccessKind.Load);
    this.range(cpu, v.vm.id, 'schedule', p, V_CP0, V_CP0_BYTES + V_STATE_BYTES, AccessKind.Load);
  }
}

/**
 * `count` free machine pages for the monitor, from the top of `node` down, then the other nodes
 * in order (deterministic); marked as the monitor's in the memmap.
 */
function takePages(memmap: Memmap, count: number, node: number): Int32Array {
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < memmap.nodes && k < count; i++) {
    const n = (node + i) % memmap.nodes;
    const lo = n * memmap.pagesPerNode, hi = n === memmap.nodes - 1 ? memmap.totalPages : lo + memmap.pagesPerNode;
    for (let p = hi - 1; p >= lo && k < count; p--) {
      if (memmap.owner[p] === FREE) { memmap.owner[p] = MONITOR_VM; out[k++] = p; }
    }
  }
  if (k < count) throw new Error('bug: machine memory exhausted for the monitor\'s data (createMonitor checks this)');
  return out;
}
