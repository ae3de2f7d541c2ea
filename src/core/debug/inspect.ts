/**
 * Read-only views of a (paused) machine for debuggers and inspectors: threads (physical CPUs, or
 * vCPUs under Disco), registers, CP0 (a vCPU's virtual CP0 beside the hardware CP0 of the CPU it
 * runs on), memory in each address space (machine-physical, a VM's guest-physical, virtual
 * through the right TLB and pmap), the hardware TLB of each CPU, each vCPU's virtual TLB and L2
 * TLB (with their hit/miss counts), each VM's pmap, the memmap and the per-page per-node miss
 * counters. Nothing here changes the machine (no TLB fills, no page backing, no counters).
 * Bad input is a `DebugError`.
 */
import type { Machine } from '../machine/machine';
import type { Cpu } from '../machine/cpu/index';
import { C0, EL_V, MODE_NAMES } from '../machine/cpu/cp0';
import { readCp0Reg, type Cp0File } from '../machine/cpu/cp0-regs';
import type { Tlb } from '../machine/cpu/tlb';
import { TLB_ENTRIES } from '../machine/cpu/tlb';
import type { Monitor } from '../disco/monitor';
import type { Vcpu } from '../disco/vcpu';
import type { Vm } from '../disco/vm';
import { GPR_NAMES as REGISTER_NAMES } from '../isa/registers';
import { DebugError, hex } from './errors';
import { cacheSummaries, hardwareTlbOwners, missHeat, ownerName, type CacheSummary, type MissHeatRow, type TlbOwner } from './inspect-hw';

export type { CacheSummary, MissHeatRow, TlbOwner } from './inspect-hw';

/** A thread of the debugger: a physical CPU (native runs; also under Disco) or a vCPU (by global id). */
export type ThreadRef = { cpu: number } | { vcpu: number };

export interface ThreadInfo {
  ref: ThreadRef;
  name: string;
  /** CPU: running / waiting / halted; vCPU: runnable / running / waiting / halted. */
  state: string;
  pc: number;
  /** vCPU: the CPU it runs on now, or null. */
  onCpu?: number | null;
  vm?: number;
}

export interface RegisterFile {
  /** $0..$31 by conventional name (`zero`, `at`, `v0`, …), then hi, lo, pc. */
  names: string[];
  values: number[];
  pc: number;
  /** The instruction after `pc` (a branch target when `pc` is a delay slot). */
  npc: number;
  inDelaySlot: boolean;
  /** Privilege mode (kernel / supervisor / user). For a vCPU its virtual mode. */
  mode: string;
}

export interface Cp0View {
  /** CP0 by register name (Index, Random, EntryLo0, …, ErrorEPC). */
  regs: Record<string, number>;
}

export interface TlbEntryView {
  index: number; entryHi: number; pageMask: number; entryLo0: number; entryLo1: number; global: boolean; asid: number; vpn2: number; valid0: boolean; valid1: boolean;
  /** Hardware TLB under Disco: whose entry it is (the monitor's shadow of the slot); null when invalid or unknown. */
  owner?: TlbOwner | null;
}

/** One machine page of the memmap: owner code (VM id ≥ 0, −1 monitor, −2 free, −3 shared) and name, guest page, replica-of, node. */
export interface MemmapEntry { mpn: number; owner: number; ownerName: string; gppn: number; replicaOf: number; node: number }

export type MemorySpace = 'machine' | 'guest' | 'virtual';

export interface MemoryRequest {
  space: MemorySpace;
  addr: number;
  length: number;
  /** `guest`: the VM. */
  vm?: number;
  /** `virtual`: whose translation (a CPU: its hardware TLB and mode; a vCPU: its virtual TLB, kseg0/ksseg, then pmap). */
  thread?: ThreadRef;
}

const CP0_NAMES = Object.keys(C0) as (keyof typeof C0)[];
/** Reads at most this many bytes at once. */
export const MAX_READ = 1 << 20;

export class Inspector {
  constructor(readonly machine: Machine, readonly monitor?: Monitor) {}

  get disco(): boolean { return this.monitor !== undefined; }

  // ---- threads ----

  cpu(id: number): Cpu {
    const c = Number.isInteger(id) ? this.machine.cpus[id] : undefined;
    if (!c) throw new DebugError('E_NO_THREAD', `no CPU ${id} (the machine has ${this.machine.cpus.length})`);
    return c;
  }

  vcpu(gid: number): Vcpu {
    if (!this.monitor) throw new DebugError('E_NO_THREAD', 'not a Disco run: there are no vCPUs');
    const v = Number.isInteger(gid) ? this.monitor.vcpus[gid] : undefined;
    if (!v) throw new DebugError('E_NO_THREAD', `no vCPU ${gid} (the monitor has ${this.monitor.vcpus.length})`);
    return v;
  }

  vm(id: number): Vm {
    if (!this.monitor) throw new DebugError('E_NO_VM', 'not a Disco run: there are no VMs');
    const m = Number.isInteger(id) ? this.monitor.vms[id] : undefined;
    if (!m) throw new DebugError('E_NO_VM', `no VM ${id} (the monitor has ${this.monitor.vms.length})`);
    return m;
  }

  /** Checks a thread reference (typed error if it names nothing). */
  check(t: ThreadRef): ThreadRef {
    if (t === null || typeof t !== 'object') throw new DebugError('E_BAD_ARGUMENT', 'a thread is { cpu } or { vcpu }');
    if ('cpu' in t) this.cpu(t.cpu); else if ('vcpu' in t) this.vcpu(t.vcpu);
    else throw new DebugError('E_BAD_ARGUMENT', 'a thread is { cpu } or { vcpu }');
    return t;
  }

  /** The default threads: vCPUs under Disco, else CPUs. */
  threads(): ThreadInfo[] {
    if (this.monitor) return this.monitor.vcpus.map((v) => this.threadInfo({ vcpu: v.gid }));
    return this.machine.cpus.map((c) => this.threadInfo({ cpu: c.id }));
  }

  threadInfo(t: ThreadRef): ThreadInfo {
    if ('cpu' in t) { const c = this.cpu(t.cpu); return { ref: t, name: `CPU ${c.id}`, state: c.state, pc: c.pc >>> 0 }; }
    const v = this.vcpu(t.vcpu);
    return { ref: t, name: `${v.vm.name} vCPU ${v.id}`, state: v.state, pc: this.pcOf(t), onCpu: v.onCpu?.id ?? null, vm: v.vm.id };
  }

  /** The CPU executing thread `t` now (a vCPU that is not on a CPU: null). */
  cpuOf(t: ThreadRef): Cpu | null {
    if ('cpu' in t) return this.cpu(t.cpu);
    return this.vcpu(t.vcpu).onCpu;
  }

  pcOf(t: ThreadRef): number {
    if ('cpu' in t) return this.cpu(t.cpu).pc >>> 0;
    const v = this.vcpu(t.vcpu);
    return (v.onCpu ? v.onCpu.pc : v.pc) >>> 0;
  }

  /** Instructions thread `t` has executed (a vCPU: only its own, across CPUs). */
  instructionsOf(t: ThreadRef): number {
    if ('cpu' in t) return this.cpu(t.cpu).instructionsNow();
    return this.vcpu(t.vcpu).instructions();
  }

  // ---- registers ----

  registers(t: ThreadRef): RegisterFile {
    const names = [...REGISTER_NAMES, 'hi', 'lo', 'pc'];
    if ('cpu' in t) {
      const c = this.cpu(t.cpu);
      return { names, values: [...c.r, c.hi, c.lo, c.pc].map((x) => x >>> 0), pc: c.pc >>> 0, npc: c.npc >>> 0, inDelaySlot: c.slot !== 0, mode: MODE_NAMES[c.mode] };
    }
    const v = this.vcpu(t.vcpu), on = v.onCpu;
    // a running vCPU's registers are in the CPU it runs on (the guest runs directly)
    const src = on ?? v;
    return { names, values: [...src.r, src.hi, src.lo, src.pc].map((x) => x >>> 0), pc: src.pc >>> 0, npc: src.npc >>> 0, inDelaySlot: src.slot !== 0, mode: MODE_NAMES[v.mode] };
  }

  /** Hardware CP0 of a CPU; for a vCPU its virtual CP0, and `hardware` the CP0 of the CPU it runs on (null when not on one). */
  cp0(t: ThreadRef): Cp0View & { hardware?: Cp0View | null } {
    if ('cpu' in t) return { regs: cp0Of(this.cpu(t.cpu)) };
    const v = this.vcpu(t.vcpu);
    return { regs: cp0Of(v), hardware: v.onCpu ? { regs: cp0Of(v.onCpu) } : null };
  }

  // ---- TLBs ----

  /** The hardware TLB of CPU `cpu` (machine PFNs); under Disco each entry with its owner (VM, vCPU, monitor-made). */
  hardwareTlb(cpu: number): TlbEntryView[] {
    const view = tlbView(this.cpu(cpu).tlb);
    if (this.monitor) hardwareTlbOwners(this.machine, this.monitor, cpu).forEach((o, i) => { view[i].owner = o; });
    return view;
  }

  /** The virtual TLB of vCPU `gid` (guest PFNs), as the guest wrote it. */
  virtualTlb(gid: number): TlbEntryView[] { return tlbView(this.vcpu(gid).tlb); }

  /** The L2 TLB of vCPU `gid`: its valid entries and its counters (hits, misses, inserts, invalidations). */
  l2Tlb(gid: number): { entries: number; valid: ReturnType<Monitor['l2'][number]['dump']>; stats: { hits: number; misses: number; inserts: number; invalidations: number } } {
    this.vcpu(gid);
    const l2 = this.monitor!.l2[gid];
    return { entries: l2.entries, valid: l2.dump(), stats: { ...l2.stats } };
  }

  // ---- Disco memory structures ----

  /** VM `vm`'s pmap from guest page `from` (at most `count`): machine page (−1 = not backed), its node, NUMA moves, replicas. */
  pmap(vm: number, from = 0, count = 256): { pages: number; entries: { gppn: number; mpn: number; node: number; moves: number; replicas?: number[] }[] } {
    const p = this.vm(vm).pmap;
    const mm = this.monitor!.memmap;
    checkRange(from, count, p.pages, 'guest page');
    const entries = [];
    for (let g = from; g < Math.min(p.pages, from + count); g++) {
      const mpn = p.mpn[g], rep = p.replicas.get(g);
      entries.push({ gppn: g, mpn, node: mpn >= 0 ? mm.nodeOf(mpn) : -1, moves: p.moves[g], ...(rep && { replicas: [...rep] }) });
    }
    return { pages: p.pages, entries };
  }

  /** The memmap from machine page `from` (at most `count`): owner (VM id, −1 monitor, −2 free, −3 shared; and by name), guest page, replica-of, node. */
  memmap(from = 0, count = 256): { pages: number; used: number; entries: MemmapEntry[] } {
    if (!this.monitor) throw new DebugError('E_NO_VM', 'not a Disco run: there is no memmap');
    const m = this.monitor.memmap, vms = this.monitor.vms;
    checkRange(from, count, m.totalPages, 'machine page');
    const name = (id: number) => vms[id]?.name;
    const entries: MemmapEntry[] = [];
    for (let p = from; p < Math.min(m.totalPages, from + count); p++) {
      entries.push({ mpn: p, owner: m.owner[p], ownerName: ownerName(m.owner[p], name), gppn: m.gppn[p], replicaOf: m.replicaOf[p], node: m.nodeOf(p) });
    }
    return { pages: m.totalPages, used: m.usedPages, entries };
  }

  /** FLASH's per-page per-node cache-miss counters of machine page `page` (since their last reset), and its write misses. */
  missCounters(page: number): { page: number; byNode: number[]; writes: number } {
    const pages = this.machine.memory.pages;
    if (!Number.isInteger(page) || page < 0 || page >= pages) throw new DebugError('E_BAD_ADDRESS', `no machine page ${page} (the machine has ${pages})`);
    const t = this.machine.timing;
    return { page, byNode: Array.from({ length: this.machine.config.nodes }, (_, n) => t.missCount(page, n)), writes: t.writeMissCount?.(page) ?? 0 };
  }

  /** The miss counters of machine pages [from, from + count) as a heat map: rows = pages, columns = nodes (`onlyMissed`: pages with misses only). */
  missHeat(from = 0, count = 256, onlyMissed = false): { pages: number; nodes: number; from: number; max: number; next: number | null; rows: MissHeatRow[] } {
    return missHeat(this.machine, from, count, onlyMissed);
  }

  /** Every CPU's cache counters (L1 / L2 hits and misses, local / remote, stall). */
  caches(): CacheSummary[] { return cacheSummaries(this.machine); }

  // ---- memory ----

  /** Bytes (big-endian, as the program sees them) of `req`; unmapped or outside memory: E_BAD_ADDRESS. */
  readMemory(req: MemoryRequest): Uint8Array {
    const { addr, length } = req;
    if (!Number.isInteger(addr) || addr < 0 || addr > 0xffffffff) throw new DebugError('E_BAD_ADDRESS', `bad address ${addr}`);
    if (!Number.isInteger(length) || length < 0 || length > MAX_READ) throw new DebugError('E_BAD_ARGUMENT', `length must be 0..${MAX_READ}`);
    const out = new Uint8Array(length);
    for (let done = 0; done < length;) {
      const a = (addr + done) >>> 0, n = Math.min(length - done, 4096 - (a & 4095));
      const ma = this.machineAddress(req, a);
      if (ma < 0) {
        if (ma === -2) { done += n; continue; }   // guest page not backed: reads as zeros
        throw new DebugError('E_BAD_ADDRESS', `${hex(a)} is not mapped in the ${req.space} space${req.thread ? ` of ${'cpu' in req.thread ? `CPU ${req.thread.cpu}` : `vCPU ${req.thread.vcpu}`}` : ''}`);
      }
      out.set(this.machine.memory.readBytes(ma, n), done);
      done += n;
    }
    return out;
  }

  /** One 32-bit word of `req.space` at `addr` (aligned). */
  readWord(req: Omit<MemoryRequest, 'length' | 'addr'>, addr: number): number {
    if ((addr & 3) !== 0) throw new DebugError('E_BAD_ADDRESS', `${hex(addr)} is not word-aligned`);
    const b = this.readMemory({ ...req, addr, length: 4 });
    return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  }

  /**
   * Machine address of `a` in `req`'s space: ≥ 0, −1 not mapped / outside, −2 a guest page that
   * is not backed (reads as zeros).
   */
  machineAddress(req: Omit<MemoryRequest, 'addr' | 'length'>, a: number): number {
    const mem = this.machine.memory;
    switch (req.space) {
      case 'machine': return a < mem.bytes ? a : -1;
      case 'guest': return this.guestToMachine(this.vm(req.vm ?? -1), a);
      case 'virtual': {
        const t = req.thread;
        if (!t) throw new DebugError('E_BAD_ARGUMENT', 'a virtual address needs a thread');
        this.check(t);
        if ('cpu' in t) {
          const pa = this.cpu(t.cpu).translateForDebug(a, 1);
          return pa >= 0 && pa < mem.bytes ? pa : -1;
        }
        const v = this.vcpu(t.vcpu), gpa = guestPhysical(v, a);
        if (gpa >= 0) return this.guestToMachine(v.vm, gpa);
        // not in its virtual TLB: the hardware TLB may still hold it (it runs)
        if (v.onCpu) { const pa = v.onCpu.translateForDebug(a, 1); if (pa >= 0 && pa < mem.bytes) return pa; }
        return -1;
      }
      default: throw new DebugError('E_BAD_ARGUMENT', `unknown memory space ${String(req.space)} (machine, guest or virtual)`);
    }
  }

  private guestToMachine(vm: Vm, gpa: number): number {
    if (gpa >= vm.memBytes) return -1;
    const mpn = vm.pmap.mpn[gpa >>> 12];
    return mpn < 0 ? -2 : mpn * 4096 + (gpa & 4095);
  }
}

/** Guest-physical address of guest virtual `va` as vCPU `v` would translate it, without side effects; −1 if its TLB has no valid entry. */
export function guestPhysical(v: Vcpu, va: number): number {
  const u = va >>> 0, vm = v.vm;
  if (u >= 0x80000000 && u < 0xc0000000) return u & 0x1fffffff;
  if (u >= vm.directBase && u - vm.directBase < vm.directBytes) return u - vm.directBase;
  const i = v.tlb.match(u, v.entryHi & 0xff);
  if (i < 0) return -1;
  const lo = v.tlb.loFor(i, u);
  if ((lo & EL_V) === 0) return -1;
  const half = v.tlb.pageBytes(i);
  return ((lo >>> 6) & 0xfffff) * 4096 + (u & (half - 1));
}

function cp0Of(f: Cp0File): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of CP0_NAMES) out[n] = readCp0Reg(f, C0[n], 0) >>> 0;
  return out;
}

function tlbView(t: Tlb): TlbEntryView[] {
  const out: TlbEntryView[] = [];
  for (let i = 0; i < TLB_ENTRIES; i++) {
    out.push({
      index: i, entryHi: t.hi[i] >>> 0, pageMask: t.mask[i] >>> 0, entryLo0: t.lo0[i] >>> 0, entryLo1: t.lo1[i] >>> 0,
      global: t.g[i] !== 0, asid: t.hi[i] & 0xff, vpn2: (t.hi[i] >>> 13), valid0: (t.lo0[i] & EL_V) !== 0, valid1: (t.lo1[i] & EL_V) !== 0,
    });
  }
  return out;
}

function checkRange(from: number, count: number, total: number, what: string): void {
  if (!Number.isInteger(from) || from < 0 || from >= total) throw new DebugError('E_BAD_ADDRESS', `no ${what} ${from} (there are ${total})`);
  if (!Number.isInteger(count) || count < 1 || count > 65536) throw new DebugError('E_BAD_ARGUMENT', 'count must be 1..65536');
}
