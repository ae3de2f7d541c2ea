/**
 * Memory virtualisation, the TLB half: everything that holds a copy of a guest translation, and
 * the one place that keeps those copies coherent with what the guest believes its TLB holds.
 *
 *   virtual TLB (per vCPU, guest PFNs, `Vcpu.tlb`)   — what the guest wrote, exactly
 *   L2 TLB (per vCPU, guest PFNs, l2tlb.ts)         — translations the guest's TLB lost to capacity
 *   hardware TLB (per CPU, machine PFNs)            — a cache of the two above, plus the monitor's
 *                                                     own kernel-mode mappings (ksseg alias, HAL
 *                                                     page, ERL identity)
 *
 * Together the virtual TLB and the L2 TLB behave as one larger TLB (the paper: "virtual machines
 * appear to have much larger TLBs"): an L2 hit is swapped into the virtual TLB at virtual Random,
 * as the guest's refill handler would have done, so `tlbp`/`tlbr` afterwards see it exactly as
 * on hardware. A larger TLB is only invisible while the guest cannot know what else its TLB
 * holds; it knows exactly once it has written (`tlbwi`) or read (`tlbr`) every index from Wired
 * up since the last time — the way kernels flush (our guest when it reuses ASIDs, IRIX likewise)
 * — and then the L2 TLB and the hardware TLB are flushed too (`guestKnowsAll`).
 *
 * Hardware entries carry the guest's ASID (ASIDs are not virtualised); the hardware TLB holds one
 * vCPU's entries at a time and is flushed when another vCPU runs on the CPU. Every hardware slot
 * has a shadow (VM, vCPU, virtual page pair, machine pages): the backmap from a machine page to
 * the TLB entries that map it, used to shoot a page down on every CPU (`dropMachinePage`).
 */
import type { Cpu } from '../machine/cpu/index';
import { EH_WRITABLE, EL_D, EL_G, EL_V, EL_WRITABLE, Exc, Mode, PM_WRITABLE, ST_ERL } from '../machine/cpu/cp0';
import { EXC_BADVA, EXC_REFILL, EXC_TLB } from '../machine/cpu/exception';
import { emptyEntryHi, TLB_ENTRIES } from '../machine/cpu/tlb';
import { causeId } from '../machine/cpu/cause-tally';
import { GLOBAL_KEY, L2Tlb } from './l2tlb';
import type { MonitorMemory } from './monitor-memory';
import { PAGE, Pmap } from './pmap';
import type { Vcpu } from './vcpu';

export const KSSEG = 0xc0000000;
/** HAL page of a vCPU in the supervisor segment (docs/disco.md "HAL patch"). */
export const HAL_KSSEG = 0xdffff000;
/** Shadow owner of a monitor-made, kernel-mode-only hardware entry (ksseg alias, HAL page, ERL identity). */
export const MONITOR_MADE = -2;
const NONE = -1;
/** Cause ids of the TLB-miss path's charges (`VtlbHost.chargeId`). */
const TLB_KSSEG = causeId('tlb.ksseg'), TLB_FORWARD = causeId('tlb.forward'), TLB_VTLB = causeId('tlb.vtlb'), TLB_FAULT = causeId('tlb.fault'), TLB_L2HIT = causeId('tlb.l2hit');

/** What the virtual TLB needs from the rest of the monitor. */
export interface VtlbHost {
  charge(cpu: Cpu, vm: number, cause: string, times?: number): void;
  /** `charge` of a cause id (`causeId(cause)`). */
  chargeId(cpu: Cpu, vm: number, id: number, times?: number): void;
  /** Delivers exception `code` to the guest (exception.ts flags). */
  reflect(cpu: Cpu, v: Vcpu, code: number, bad: number, flags: number): void;
  /** Machine page of vCPU `v`'s HAL page. */
  halPage(v: Vcpu): number;
  /** Node of physical CPU `cpu` (which replica of a replicated page it maps). */
  nodeOf(cpu: Cpu): number;
  /** A store to read-only guest page `gppn` of `v`'s VM (replicated or shared): collapse the replicas or copy the page (memory.ts `makeWritable`). */
  makeWritable(cpu: Cpu, v: Vcpu, gppn: number): void;
  readonly counts: { tlbFlushes: number };
  /** The monitor's memory references (its lookups in these structures go through the caches), or null. */
  readonly mem: MonitorMemory | null;
}

/** One hardware TLB slot that maps a machine page (a backmap entry). */
export interface HwMapping { cpu: number; slot: number; vm: number; vcpu: number; va: number }

export class VirtualTlb {
  readonly l2: L2Tlb[] = [];
  /** Per CPU × slot: VM id (−1 empty, MONITOR_MADE), vCPU gid, VPN2 address, machine page of each half (−1 none). */
  private readonly shVm: Int32Array;
  /** Per CPU × slot: the VM whose vCPU the entry was made for (monitor-made entries included), −1 empty. */
  private readonly shVmId: Int32Array;
  private readonly shVcpu: Int32Array;
  private readonly shVa: Int32Array;
  private readonly shM0: Int32Array;
  private readonly shM1: Int32Array;
  private readonly hwNext: number[];
  /** Per CPU: monitor-made entries may be present (flushed before virtual supervisor mode runs). */
  private readonly monitorMade: boolean[];
  /** Per vCPU: indices whose content the guest knows (tlbwi / tlbr since the last full knowledge), 2 × 32 bits. */
  private readonly known: Uint32Array;

  constructor(private readonly host: VtlbHost, private readonly cpus: readonly Cpu[], vcpus: number, readonly l2Entries: number) {
    const n = cpus.length * TLB_ENTRIES;
    this.shVm = new Int32Array(n).fill(NONE); this.shVmId = new Int32Array(n).fill(NONE); this.shVcpu = new Int32Array(n).fill(NONE); this.shVa = new Int32Array(n);
    this.shM0 = new Int32Array(n).fill(NONE); this.shM1 = new Int32Array(n).fill(NONE);
    this.hwNext = cpus.map(() => 0);
    this.monitorMade = cpus.map(() => false);
    this.known = new Uint32Array(2 * vcpus);
    for (let i = 0; i < vcpus; i++) this.l2.push(new L2Tlb(l2Entries));
  }

  // ===========================================================================================
  // Hardware TLB misses and faults (the TLB-miss path of docs/disco.md)
  // ===========================================================================================

  /** A TLBL/TLBS/Mod exception of vCPU `v` running on `cpu` at virtual address `bad`. */
  onMiss(cpu: Cpu, v: Vcpu, code: number, bad: number): void {
    const u = bad >>> 0, vm = v.vm, host = this.host;
    const store = code !== Exc.TLBL, fetch = code === Exc.TLBL && u === cpu.pc >>> 0;
    const kernel = v.mode === Mode.Kernel;
    const asid = v.entryHi & 0xff;
    if (u < 0x80000000 && (v.status & ST_ERL) !== 0) {   // virtual ERL: kuseg unmapped (va = gpa)
      if (u < vm.memBytes) { host.chargeId(cpu, vm.id, TLB_KSSEG); this.insertDirect(cpu, v, u, u, 'tlb.ksseg', store); }
      else host.reflect(cpu, v, fetch ? Exc.IBE : Exc.DBE, 0, 0);
      return;
    }
    const t = v.tlb;
    let i = t.match(bad, asid), from: string, fromId: number;
    const hit = i < 0 ? this.l2[v.gid].lookup(bad, asid) : undefined;
    const vi = i;
    if (i >= 0) { const refill = cpu.excIsRefill; from = refill ? 'tlb.vtlb' : 'tlb.fault'; fromId = refill ? TLB_VTLB : TLB_FAULT; }
    else if (hit) {
      from = 'tlb.l2hit'; fromId = TLB_L2HIT;
      this.probeRefs(cpu, v, from, u, asid, vi, hit);
      i = this.swapIn(cpu, v, u, hit, from);
    } else if (kernel && u >= HAL_KSSEG && u < 0xe0000000) {
      host.chargeId(cpu, vm.id, TLB_KSSEG);
      this.probeRefs(cpu, v, 'tlb.ksseg', u, asid, vi, hit);
      // the odd page of the pair 0xDFFFE000/0xDFFFF000 (even: invalid, still global)
      this.hwInsert(cpu, v, u, 0, EL_G, (host.halPage(v) << 6) | (3 << 3) | EL_D | EL_V | EL_G, MONITOR_MADE, NONE, host.halPage(v), 'tlb.ksseg');
      return;
    } else if (kernel && u >= vm.directBase && u - vm.directBase < vm.directBytes) {
      host.chargeId(cpu, vm.id, TLB_KSSEG);
      this.probeRefs(cpu, v, 'tlb.ksseg', u, asid, vi, hit);
      this.insertDirect(cpu, v, u, u - vm.directBase, 'tlb.ksseg', store);
      return;
    } else {
      host.chargeId(cpu, vm.id, TLB_FORWARD);
      this.probeRefs(cpu, v, 'tlb.forward', u, asid, vi, hit);
      host.reflect(cpu, v, code === Exc.Mod ? Exc.TLBS : code, bad, EXC_BADVA | EXC_TLB | EXC_REFILL);
      return;
    }
    host.chargeId(cpu, vm.id, fromId);
    if (vi >= 0) this.probeRefs(cpu, v, from, u, asid, vi, hit);
    const half = t.pageBytes(i), g = t.g[i];
    const even = (u & ~0x1fff) >>> 0;
    const lo0 = ((even & half) !== 0 ? t.lo1[i] : t.lo0[i]) | g;
    const lo1 = (((even + PAGE) & half) !== 0 ? t.lo1[i] : t.lo0[i]) | g;
    const off0 = Math.floor((even % half) / PAGE), off1 = Math.floor(((even + PAGE) % half) / PAGE);
    const odd = (u & PAGE) !== 0;
    const lo = odd ? lo1 : lo0, off = odd ? off1 : off0;
    const pm = vm.pmap;
    if ((lo & EL_V) === 0) host.reflect(cpu, v, store ? Exc.TLBS : Exc.TLBL, bad, EXC_BADVA | EXC_TLB);
    else if (!pm.inRange(lo, off)) host.reflect(cpu, v, fetch ? Exc.IBE : Exc.DBE, 0, 0);
    else if (store && (lo & EL_D) === 0) host.reflect(cpu, v, Exc.Mod, bad, EXC_BADVA | EXC_TLB);
    else {
      if (store && (pm.replicas.size !== 0 || pm.cowPages !== 0)) this.writableFor(cpu, v, Pmap.gppnOf(lo, off));
      this.hwInsertGuest(cpu, v, u, lo0, off0, lo1, off1, from);
    }
  }

  /** A store reached a replicated or shared page (read-only in hardware): the replicas collapse, or the VM gets its own copy, first. */
  private writableFor(cpu: Cpu, v: Vcpu, gppn: number): void {
    if (v.vm.pmap.readOnly(gppn)) this.host.makeWritable(cpu, v, gppn);
  }

  /**
   * The monitor's references of a TLB-miss lookup (monitor-memory.ts): the virtual TLB's hash
   * index, then the matching entry (`vi` ≥ 0), or the L2 TLB's ASID slot and — unless that one
   * hit — its global slot.
   */
  private probeRefs(cpu: Cpu, v: Vcpu, cause: string, va: number, asid: number, vi: number, hit: readonly [number, number, number] | undefined): void {
    const mem = this.host.mem;
    if (mem === null) return;
    mem.vtlbLookup(cpu, v, cause, va);
    if (vi >= 0) { mem.vtlbEntry(cpu, v, cause, vi, false); return; }
    const l2 = this.l2[v.gid];
    if (l2.entries === 0) return;
    mem.l2Slot(cpu, v, cause, l2.slot(va >>> 13, asid & 0xff), false);
    if (!hit || hit[2] !== 0) mem.l2Slot(cpu, v, cause, l2.slot(va >>> 13, GLOBAL_KEY), false);
  }

  /**
   * Translates guest virtual `va` through the guest's own TLB (virtual TLB, then L2 TLB) for an
   * access the hardware cannot make for the guest (a kernel-mode kseg3 load or store, which
   * supervisor mode cannot address). Returns the guest-physical address, or −1 after reflecting
   * what the hardware would raise: a refill, TLBL/TLBS invalid, Mod, or a bus error for a page
   * outside the VM.
   */
  translateForEmulation(cpu: Cpu, v: Vcpu, va: number, store: boolean): number {
    const t = v.tlb, host = this.host, asid = v.entryHi & 0xff;
    let i = t.match(va, asid);
    if (i < 0) {
      const hit = this.l2[v.gid].lookup(va, asid);
      if (!hit) {
        host.chargeId(cpu, v.vm.id, TLB_FORWARD);
        this.probeRefs(cpu, v, 'tlb.forward', va, asid, -1, hit);
        host.reflect(cpu, v, store ? Exc.TLBS : Exc.TLBL, va, EXC_BADVA | EXC_TLB | EXC_REFILL);
        return -1;
      }
      this.probeRefs(cpu, v, 'kseg3', va, asid, -1, hit);
      i = this.swapIn(cpu, v, va, hit, 'kseg3');
    }
    const half = t.pageBytes(i), lo = t.loFor(i, va);
    if ((lo & EL_V) === 0) { host.reflect(cpu, v, store ? Exc.TLBS : Exc.TLBL, va, EXC_BADVA | EXC_TLB); return -1; }
    if (store && (lo & EL_D) === 0) { host.reflect(cpu, v, Exc.Mod, va, EXC_BADVA | EXC_TLB); return -1; }
    const pfnBase = ((lo >>> 6) & 0xfffff) * PAGE;
    const gpa = pfnBase - (pfnBase % half) + ((va >>> 0) % half);
    if (gpa >= v.vm.memBytes) { host.reflect(cpu, v, Exc.DBE, 0, 0); return -1; }
    return gpa;
  }

  // ===========================================================================================
  // Guest TLB instructions
  // ===========================================================================================

  /** Guest `tlbwi` / `tlbwr` (`random`) into virtual entry `idx`, from the virtual EntryHi/EntryLo0/EntryLo1/PageMask. */
  guestWrite(cpu: Cpu, v: Vcpu, idx: number, random: boolean): void {
    const t = v.tlb, l2 = this.l2[v.gid], cause = random ? 'emulate.tlbwr' : 'emulate.tlbwi';
    if (!t.isUnmapped(idx)) {
      const oHi = t.hi[idx], oMask = t.mask[idx];
      this.hwDropRange(cpu, oHi, oMask);
      if (random) this.evictToL2(cpu, v, idx, cause);
      else { l2.invalidate(oHi & 0xffffe000, (oMask | 0x1fff) + 1, oHi & 0xff); this.l2InvalidateRefs(cpu, v, cause, oHi); }
    }
    const mask = v.pageMask & PM_WRITABLE;
    const hi = v.entryHi & EH_WRITABLE & ~mask;
    const mapped = !isUnmappedVa(hi);
    if (mapped) { this.hwDropRange(cpu, hi, mask); l2.invalidate(hi & 0xffffe000, (mask | 0x1fff) + 1, hi & 0xff); this.l2InvalidateRefs(cpu, v, cause, hi); }
    t.write(idx, v.entryHi, v.entryLo0, v.entryLo1, v.pageMask);
    this.host.mem?.vtlbEntry(cpu, v, cause, idx, true);
    if (random) this.forget(v, idx); else this.learn(cpu, v, idx);
    if (mask === 0 && mapped && ((t.lo0[idx] | t.lo1[idx]) & EL_V) !== 0) {
      // eager insert (the guest will use it next), translated through the pmap now
      const g = t.g[idx];
      this.hwInsertGuest(cpu, v, hi, t.lo0[idx] | g, 0, t.lo1[idx] | g, 0, cause);
    }
  }

  /** An L2 TLB invalidation of the VPN2 of `hi` reads its ASID and global slots. */
  private l2InvalidateRefs(cpu: Cpu, v: Vcpu, cause: string, hi: number): void {
    const mem = this.host.mem, l2 = this.l2[v.gid];
    if (mem === null || l2.entries === 0) return;
    mem.l2Slot(cpu, v, cause, l2.slot(hi >>> 13, hi & 0xff), false);
    mem.l2Slot(cpu, v, cause, l2.slot(hi >>> 13, GLOBAL_KEY), false);
  }

  /** Guest `tlbr` of entry `idx`: the guest now knows that entry. */
  guestRead(cpu: Cpu, v: Vcpu, idx: number): void { this.learn(cpu, v, idx); }

  /** A guest `tlbp` found nothing: no copy of that VPN2 may survive anywhere (hardware or L2). */
  guestProbeMiss(cpu: Cpu, v: Vcpu): void {
    this.hwDropRange(cpu, v.entryHi, 0);
    this.l2[v.gid].invalidate(v.entryHi & 0xffffe000, 0x2000, v.entryHi & 0xff);
  }

  /**
   * An L2 hit for `va` moves into the virtual TLB at Random, as the guest's refill handler would
   * have put it there; the entry it displaces was evicted by capacity and moves to the L2 TLB.
   * Returns the virtual TLB index.
   */
  private swapIn(cpu: Cpu, v: Vcpu, va: number, hit: readonly [number, number, number], cause: string): number {
    const i = v.randomValue();
    this.evictToL2(cpu, v, i, cause);
    v.tlb.write(i, (va & 0xffffe000) | (v.entryHi & 0xff), hit[0] | hit[2], hit[1] | hit[2], 0);
    this.host.mem?.vtlbEntry(cpu, v, cause, i, true);
    this.forget(v, i);
    return i;
  }

  /** The entry at `idx` is displaced by capacity: a valid 4 KiB pair moves into the L2 TLB. */
  private evictToL2(cpu: Cpu, v: Vcpu, idx: number, cause: string): void {
    const t = v.tlb;
    if (t.isUnmapped(idx)) return;
    const hi = t.hi[idx], l2 = this.l2[v.gid];
    this.host.mem?.vtlbEntry(cpu, v, cause, idx, false);
    if (t.mask[idx] === 0 && ((t.lo0[idx] | t.lo1[idx]) & EL_V) !== 0) {
      l2.insert(hi, hi & 0xff, t.g[idx] !== 0, t.lo0[idx], t.lo1[idx]);
      if (l2.entries > 0) this.host.mem?.l2Slot(cpu, v, cause, l2.slot(hi >>> 13, t.g[idx] !== 0 ? GLOBAL_KEY : hi & 0xff), true);
    } else {
      l2.invalidate(hi & 0xffffe000, (t.mask[idx] | 0x1fff) + 1, hi & 0xff);
      this.l2InvalidateRefs(cpu, v, cause, hi);
    }
  }

  private learn(cpu: Cpu, v: Vcpu, idx: number): void {
    const k = this.known, w = 2 * v.gid + (idx >>> 5);
    k[w] |= 1 << (idx & 31);
    if (this.guestKnowsAll(v)) {
      // the guest now knows its whole TLB: nothing else may be "in" it (see the file comment)
      this.l2[v.gid].flush();
      this.flushCpu(cpu);
      const wired = v.wired & 63;
      k[2 * v.gid] = wired >= 32 ? 0xffffffff : ((1 << wired) - 1) >>> 0;
      k[2 * v.gid + 1] = wired <= 32 ? 0 : ((1 << (wired - 32)) - 1) >>> 0;
    }
  }

  private forget(v: Vcpu, idx: number): void { this.known[2 * v.gid + (idx >>> 5)] &= ~(1 << (idx & 31)); }

  /** Has the guest written or read every index from Wired to 63 since the last flush? */
  private guestKnowsAll(v: Vcpu): boolean {
    const wired = v.wired & 63, lo = this.known[2 * v.gid], hi = this.known[2 * v.gid + 1];
    const needLo = wired >= 32 ? 0 : (0xffffffff << wired) >>> 0;
    const needHi = wired <= 32 ? 0xffffffff : (0xffffffff << (wired - 32)) >>> 0;
    return ((lo & needLo) >>> 0) === needLo && ((hi & needHi) >>> 0) === needHi;
  }

  // ===========================================================================================
  // The hardware TLB as the monitor's cache
  // ===========================================================================================

  /** Inserts a guest pair (guest EntryLo + 4 KiB offsets into large pages), translated through the pmap. */
  private hwInsertGuest(cpu: Cpu, v: Vcpu, va: number, lo0: number, off0: number, lo1: number, off1: number, cause: string): void {
    const pm = v.vm.pmap, g = lo0 & lo1 & EL_G, node = this.host.nodeOf(cpu);
    const h0 = pm.translateLo(lo0, off0, node) | g, h1 = pm.translateLo(lo1, off1, node) | g;
    const mem = this.host.mem;
    if (mem !== null) {
      if ((lo0 & EL_V) !== 0) mem.pmapEntry(cpu, v, cause, ((lo0 >>> 6) & 0xfffff) + off0);
      if ((lo1 & EL_V) !== 0) mem.pmapEntry(cpu, v, cause, ((lo1 >>> 6) & 0xfffff) + off1);
    }
    this.hwInsert(cpu, v, va, v.entryHi & 0xff, h0, h1, v.vm.id, machinePage(h0), machinePage(h1), cause);
  }

  /**
   * Monitor-made mapping of the 4 KiB pair containing `va` onto guest-physical `gpa` (global,
   * writable — except a replicated or shared page, read-only until a `store` makes it writable — kernel mode only).
   */
  private insertDirect(cpu: Cpu, v: Vcpu, va: number, gpa: number, cause: string, store: boolean): void {
    const p = Math.floor(gpa / PAGE) & ~1, pm = v.vm.pmap, flags = (3 << 3) | EL_D | EL_V | EL_G, node = this.host.nodeOf(cpu);
    if (store && (pm.replicas.size !== 0 || pm.cowPages !== 0)) this.writableFor(cpu, v, Math.floor(gpa / PAGE));
    const lo = (q: number) => (q < pm.pages ? pm.loOn(q, node, flags) : EL_G);   // beyond the VM: invalid (still global: G = Lo0.G AND Lo1.G)
    const l0 = lo(p), l1 = lo(p + 1);
    this.host.mem?.pmapEntry(cpu, v, cause, p);
    this.host.mem?.pmapEntry(cpu, v, cause, p + 1);
    this.hwInsert(cpu, v, va, 0, l0, l1, MONITOR_MADE, machinePage(l0), machinePage(l1), cause);
  }

  /** Writes a 4 KiB-pair hardware entry for `va`, replacing an entry for the same VPN2 if any, else round-robin; records its shadow. */
  private hwInsert(cpu: Cpu, v: Vcpu, va: number, asid: number, lo0: number, lo1: number, owner: number, m0: number, m1: number, cause: string): void {
    const vpn = va & 0xffffe000, hi = cpu.tlb.hi, mask = cpu.tlb.mask;
    let idx = -1;
    // the same VPN2 with a 4 KiB PageMask (both read every time: a load first made at the first
    // match would deoptimise this)
    for (let i = 0; i < TLB_ENTRIES; i++) if ((((hi[i] & 0xffffe000) ^ vpn) | mask[i]) === 0) { idx = i; break; }
    if (idx < 0) { idx = this.hwNext[cpu.id]; this.hwNext[cpu.id] = (idx + 1) & (TLB_ENTRIES - 1); }
    cpu.writeTlbEntry(idx, vpn | (asid & 0xff), lo0 & EL_WRITABLE, lo1 & EL_WRITABLE, 0);
    const s = cpu.id * TLB_ENTRIES + idx;
    this.shVm[s] = owner; this.shVmId[s] = v.vm.id; this.shVcpu[s] = v.gid; this.shVa[s] = vpn; this.shM0[s] = m0; this.shM1[s] = m1;
    this.host.mem?.shadowSlot(cpu, v.vm.id, cause, idx);
    if (owner === MONITOR_MADE) this.monitorMade[cpu.id] = true;
  }

  private hwDropSlot(cpu: Cpu, i: number): void {
    cpu.writeTlbEntry(i, emptyEntryHi(i), 0, 0, 0);
    const s = cpu.id * TLB_ENTRIES + i;
    this.shVm[s] = NONE; this.shVmId[s] = NONE; this.shVcpu[s] = NONE; this.shM0[s] = NONE; this.shM1[s] = NONE;
  }

  /** Drops `cpu`'s hardware entries whose VPN2 lies in [hi, hi + size of mask). */
  private hwDropRange(cpu: Cpu, hi: number, mask: number): void {
    const m = ~(mask | 0x1fff), tlb = cpu.tlb;
    for (let i = 0; i < TLB_ENTRIES; i++) if (((tlb.hi[i] ^ hi) & m) === 0 && !tlb.isUnmapped(i)) this.hwDropSlot(cpu, i);
  }

  /** Flushes `cpu`'s hardware TLB (vCPU switch, virtual ERL change, full guest flush). */
  flushCpu(cpu: Cpu): void {
    cpu.flushTlbAll();
    const b = cpu.id * TLB_ENTRIES;
    this.shVm.fill(NONE, b, b + TLB_ENTRIES); this.shVmId.fill(NONE, b, b + TLB_ENTRIES); this.shVcpu.fill(NONE, b, b + TLB_ENTRIES);
    this.shM0.fill(NONE, b, b + TLB_ENTRIES); this.shM1.fill(NONE, b, b + TLB_ENTRIES);
    this.monitorMade[cpu.id] = false;
    this.host.counts.tlbFlushes++;
  }

  /** Before vCPU `v` runs in virtual supervisor mode: the monitor's kernel-mode mappings must not be visible. */
  enterSupervisor(cpu: Cpu): void { if (this.monitorMade[cpu.id]) this.flushCpu(cpu); }

  /** Backmap: every hardware TLB slot (on any CPU) that maps machine page `mpn`. */
  mappersOf(mpn: number): HwMapping[] {
    const out: HwMapping[] = [];
    for (let s = 0; s < this.shVm.length; s++) {
      if (this.shVm[s] !== NONE && (this.shM0[s] === mpn || this.shM1[s] === mpn)) {
        out.push({ cpu: Math.floor(s / TLB_ENTRIES), slot: s % TLB_ENTRIES, vm: this.shVm[s], vcpu: this.shVcpu[s], va: this.shVa[s] >>> 0 });
      }
    }
    return out;
  }

  /**
   * Drops every hardware TLB entry mapping machine page `mpn`, on every CPU (a TLB shootdown:
   * the other CPUs are reached by monitor IPI) — only those made for VM `vm` when it is ≥ 0 (a
   * shared page that VM stops mapping). Returns the CPUs other than `by` it touched.
   */
  dropMachinePage(mpn: number, by: Cpu, vm = -1): number {
    const touched = new Set<number>();
    for (const m of this.mappersOf(mpn)) {
      if (vm >= 0 && this.shVmId[m.cpu * TLB_ENTRIES + m.slot] !== vm) continue;
      this.hwDropSlot(this.cpus[m.cpu], m.slot);
      if (m.cpu !== by.id) touched.add(m.cpu);
    }
    return touched.size;
  }
}

/** kseg0/kseg1 VPN2s are never looked up (the empty-entry convention of tlb.ts). */
function isUnmappedVa(hi: number): boolean { const u = hi >>> 0; return u >= 0x80000000 && u < KSSEG; }

/** Machine page of a hardware EntryLo, or −1 when it is invalid. */
function machinePage(lo: number): number { return (lo & EL_V) !== 0 ? (lo >>> 6) & 0xfffff : NONE; }
