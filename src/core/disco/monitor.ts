/**
 * The Disco monitor: installed as every physical CPU's exception interceptor, it owns the VMs
 * and multiplexes their vCPUs over the CPUs. docs/disco.md is the design; this file is the
 * dispatcher. Hardware state while a vCPU runs on a CPU:
 *
 *   Status = IE | IM5 (monitor kick) | IM7 (only when a timer is needed) | KSU, with KSU =
 *   supervisor while the *virtual* Status says kernel mode (EXL, ERL or KSU = 0) and user
 *   otherwise; EXL = ERL = BEV = CU0 = 0, so every privileged instruction, kseg0/kseg1 access and
 *   exception of the guest reaches the monitor. EntryHi.ASID = the guest's virtual ASID (ASIDs are
 *   not virtualised; the hardware TLB is flushed when another vCPU runs on the CPU).
 *
 * A CPU with no runnable vCPU is *parked*: `state = 'waiting'` with the kick and (if some vCPU
 * homed there has a virtual timer armed) timer interrupts unmasked; its idle time is the CPU's
 * own idle accounting.
 *
 * Every entry: charge `trap`; dispatch on ExcCode (interrupt, TLB, CpU = privileged instruction,
 * Sys = system call or monitor call, AdEL/AdES = kseg1 device / kseg0 access, others reflected);
 * then `resume`: deliver a pending virtual interrupt, restore the hardware ASID/Status and
 * program the physical timer for the earliest virtual-timer or time-slice event.
 */
import type { ExceptionInterceptor } from '../machine/contracts';
import type { Machine } from '../machine/machine';
import type { Cpu } from '../machine/cpu/index';
import { C0, CA_BD, CA_IV, EH_WRITABLE, EL_D, EL_G, EL_V, EL_WRITABLE, Exc, PM_WRITABLE, ST_BEV, ST_CU0, ST_ERL, ST_EXL, ST_IE } from '../machine/cpu/cp0';
import { nodeOfCpu } from '../machine/config/types';
import type { LoadImage } from '../machine/elf';
import { decode } from '../isa/decode';
import { Accounting } from './accounting';
import { resolveCosts, type CostTable } from './cost-model';
import { EMULATIONS, type EmuHost } from './emulate/table';
import { L2Tlb } from './l2tlb';
import { Memmap } from './memmap';
import { PAGE, Pmap } from './pmap';
import { Scheduler } from './scheduler';
import { Vcpu } from './vcpu';
import { Vm } from './vm';
import { deviceAt, VDEV_BASE } from './vdevices/devices';
import { HYPERCALL_BY_NR, HYPERCALL_CODE } from './vdevices/hypercall';
import { decodeMemAccess } from './vdevices/mmio';
import { newDevState, type DevCtx, type MonitorServices } from './vdevices/state';

/** One VM to create. `image` is linked at its final virtual addresses (see `gpaOfLoadAddress`). */
export interface VmSpec {
  name: string;
  vcpus: number;
  memoryMB: number;
  image: LoadImage;
  /** KERNBASE of the guest kernel: exception vectors at +0x000/+0x180; 0xC0000000 also means "map ksseg → guest-physical". */
  kernbase: number;
  consoleInput?: Uint8Array;
  diskImage?: Uint8Array;
}

export interface MonitorOptions {
  /** Second-level software TLB entries per vCPU (0 = off). Default 1024. */
  l2tlbEntries?: number;
  /** Cost-model overrides by name (cost-model.ts). */
  costs?: Record<string, number>;
  /** Time slice when several vCPUs share a CPU [cycles]. Default 100,000 (0.5 ms at 200 MHz). */
  sliceCycles?: number;
  /** Machine memory reserved for the monitor, never given to a guest [pages]. Default 256 (1 MiB). */
  reservedPages?: number;
  /** Prefix VM console lines with `[name] ` on the machine console (default: when more than one VM). */
  prefixConsole?: boolean;
}

export const DEFAULT_L2TLB_ENTRIES = 1024;
export const DEFAULT_SLICE_CYCLES = 100_000;
export const MONITOR_RESERVED_PAGES = 256;
const KSSEG = 0xc0000000;
/**
 * HAL page (the paper's HAL patch: side-effect-free privileged state as ordinary memory). One
 * machine page per vCPU in the monitor's reserved memory (page 1 + vCPU gid), word 0 = the vCPU
 * number. The guest reaches it at HAL_KSSEG (top page of the supervisor segment) through a
 * monitor-made TLB entry — no trap; or at HAL_KSEG3 (0xFFFFF000, where the `hal` kernel build
 * puts it today), which supervisor mode cannot address, so each access traps and is emulated.
 */
export const HAL_KSSEG = 0xdffff000;
export const HAL_KSEG3 = 0xfffff000;
const IM_KICK = 0x2000, IM_TIMER = 0x8000, KICK_LINE = 5;
const F_BADVA = 1, F_TLB = 2, F_REFILL = 4;
/** Primary opcode → coprocessor number for CpU.CE (cache = COP0). */
const CE_OF_OPCODE: Readonly<Record<number, number>> = { 0x10: 0, 0x2f: 0, 0x11: 1, 0x13: 1, 0x31: 1, 0x35: 1, 0x39: 1, 0x3d: 1, 0x12: 2, 0x32: 2, 0x36: 2, 0x3a: 2, 0x3e: 2 };

/** Guest-physical address of a load address: ksseg − 0xC0000000, kseg0/kseg1 − their base, kuseg as is. */
export function gpaOfLoadAddress(va: number): number | undefined {
  const u = va >>> 0;
  if (u >= 0xe0000000) return undefined;
  if (u >= KSSEG) return u - KSSEG;
  if (u >= 0x80000000) return u & 0x1fffffff;
  return u;
}

export type MonitorResult = { ok: true; monitor: Monitor } | { ok: false; errors: { path: string; message: string }[] };

/** Creates the VMs (allocating and loading their memory) and installs the monitor on `machine`. */
export function createMonitor(machine: Machine, specs: readonly VmSpec[], opts: MonitorOptions = {}): MonitorResult {
  const errors: { path: string; message: string }[] = [];
  const reserved = opts.reservedPages ?? MONITOR_RESERVED_PAGES;
  const free = Math.floor(machine.memory.bytes / PAGE) - reserved;
  const want = specs.reduce((s, v) => s + v.memoryMB * 256, 0);
  if (want > free) errors.push({ path: 'vms', message: `the VMs need ${want / 256} MiB but the machine has ${(free / 256).toFixed(2)} MiB after the monitor's ${reserved / 256} MiB` });
  specs.forEach((s, i) => {
    for (const seg of s.image.segments) {
      const gpa = gpaOfLoadAddress(seg.vaddr);
      if (gpa === undefined || gpa + seg.bytes.length > s.memoryMB * 1024 * 1024) {
        errors.push({ path: `vms[${i}]`, message: `segment at 0x${(seg.vaddr >>> 0).toString(16)} (${seg.bytes.length} bytes) does not fit in the VM's ${s.memoryMB} MiB of guest-physical memory` });
      }
    }
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, monitor: new Monitor(machine, specs, opts) };
}

export class Monitor implements ExceptionInterceptor, EmuHost, MonitorServices {
  readonly vms: Vm[] = [];
  readonly vcpus: Vcpu[] = [];
  readonly costs: CostTable;
  readonly memmap: Memmap;
  readonly acct: Accounting;
  readonly sched: Scheduler;
  readonly l2: L2Tlb[] = [];
  readonly clockKHz: number;
  readonly diskLatencyCycles: number;
  readonly l2tlbEntries: number;
  /** Monitor entries by ExcCode name, and emulated privileged instructions by mnemonic. */
  readonly counts = { traps: {} as Record<string, number>, emulated: {} as Record<string, number>, hypercalls: {} as Record<string, number>, switches: 0, tlbFlushes: 0, pagesFreed: 0, pagesBacked: 0 };
  private readonly cpus: Cpu[];
  private readonly cur: (Vcpu | null)[];
  private readonly lastRan: (Vcpu | null)[];
  private readonly hwNext: number[];
  private readonly sliceEnd: number[];
  private readonly prefix: boolean;
  private readonly lineBuf: number[][];
  private poweredOff = false;

  constructor(readonly machine: Machine, specs: readonly VmSpec[], opts: MonitorOptions = {}) {
    const cfg = machine.config;
    this.cpus = machine.cpus;
    const n = this.cpus.length;
    this.costs = resolveCosts(opts.costs);
    this.l2tlbEntries = opts.l2tlbEntries ?? DEFAULT_L2TLB_ENTRIES;
    this.clockKHz = Math.round(cfg.clockMHz * 1000);
    this.diskLatencyCycles = Math.round(cfg.diskLatencyUs * cfg.clockMHz);
    this.memmap = new Memmap(Math.floor(machine.memory.bytes / PAGE), cfg.nodes, opts.reservedPages ?? MONITOR_RESERVED_PAGES);
    this.sched = new Scheduler(n, opts.sliceCycles ?? DEFAULT_SLICE_CYCLES);
    this.cur = new Array(n).fill(null);
    this.lastRan = new Array(n).fill(null);
    this.hwNext = new Array(n).fill(0);
    this.sliceEnd = new Array(n).fill(0);
    this.prefix = opts.prefixConsole ?? specs.length > 1;
    this.lineBuf = specs.map(() => []);
    let k = 0;
    specs.forEach((s, id) => {
      const pages = s.memoryMB * 256;
      const pmap = new Pmap(pages, (gppn) => this.backPage(id, gppn));
      const node = nodeOfCpu(cfg, k % n);
      for (let p = 0; p < pages; p++) {
        const mpn = this.memmap.allocate(id, p, node);
        if (mpn < 0) throw new Error('bug: machine memory exhausted after createMonitor checked it');
        pmap.set(p, mpn);
        machine.memory.words.fill(0, mpn * 1024, mpn * 1024 + 1024);
      }
      const disk = new Uint8Array(cfg.diskSizeMB * 1024 * 1024);
      if (s.diskImage) disk.set(s.diskImage.subarray(0, disk.length));
      const vm = new Vm(id, s.name, pages * PAGE, pmap, s.kernbase | 0, s.kernbase | 0, newDevState(s.vcpus, s.consoleInput, disk));
      this.vms.push(vm);
      for (const seg of s.image.segments) this.copyToGuest(vm, gpaOfLoadAddress(seg.vaddr)!, seg.bytes);
      for (let j = 0; j < s.vcpus; j++, k++) {
        const v = new Vcpu(vm, j, this.vcpus.length, k % n, s.image.entry);
        vm.vcpus.push(v);
        this.vcpus.push(v);
        this.l2.push(new L2Tlb(this.l2tlbEntries));
      }
    });
    if (1 + this.vcpus.length > this.memmap.reservedPages) throw new Error('bug: too many vCPUs for the monitor\'s HAL pages');
    for (const v of this.vcpus) machine.memory.words[this.halPage(v) * 1024] = v.id;
    this.acct = new Accounting(this.cpus, this.vms.length);
    this.sched.place(this.vcpus);
    for (const cpu of this.cpus) {
      cpu.interceptor = this;
      cpu.flushTlbAll();
      cpu.writeCp0(C0.Status, 0, 0);
      const v = this.sched.pick(cpu.id);
      if (v) this.switchIn(cpu, v); else this.park(cpu);
      this.resume(cpu);
    }
  }

  // ===========================================================================================
  // Entry
  // ===========================================================================================

  onException(cpuId: number, code: number, bad: number): boolean {
    const cpu = this.cpus[cpuId];
    const v = this.cur[cpuId];
    const name = EXC_NAME[code] ?? `Exc${code}`;
    this.counts.traps[name] = (this.counts.traps[name] ?? 0) + 1;
    if (v === null || !v.vm.alive || v.state !== 'running') {
      if (code !== Exc.Int && v === null) throw new Error(`bug: exception ${name} on CPU ${cpuId} with no vCPU`);
      this.charge(cpu, this.lastRan[cpuId]?.vm.id ?? -1, 'interrupt');
      this.onInterrupt(cpu);
    } else {
      v.stats.traps++;
      this.charge(cpu, v.vm.id, 'trap');
      switch (code) {
        case Exc.Int: this.charge(cpu, v.vm.id, 'interrupt'); this.onInterrupt(cpu); break;
        case Exc.TLBL: case Exc.TLBS: case Exc.Mod: this.onTlb(cpu, v, code, bad); break;
        case Exc.CpU: this.onCpU(cpu, v); break;
        case Exc.Sys: this.onSyscall(cpu, v); break;
        case Exc.AdEL: case Exc.AdES: this.onAddressError(cpu, v, code, bad); break;
        default: this.reflect(cpu, v, code, 0, 0); break;
      }
    }
    this.resume(cpu);
    return true;
  }

  private charge(cpu: Cpu, vm: number, cause: string, times = 1): void {
    this.acct.charge(cpu, vm, cause, (this.costs[cause] ?? 0) * times);
  }

  now(cpu: Cpu): number { return cpu.now(); }

  /** Pmap callback: a fresh zeroed machine page for a freed guest page of VM `vm`, near its vCPUs. */
  private backPage(vm: number, gppn: number): number {
    const v = this.vms[vm].vcpus[0];
    const mpn = this.memmap.allocate(vm, gppn, nodeOfCpu(this.machine.config, v.home));
    if (mpn < 0) return -1;
    this.machine.memory.words.fill(0, mpn * 1024, mpn * 1024 + 1024);
    this.machine.timing.invalidateRange(mpn * PAGE, PAGE);
    this.vms[vm].pmap.set(gppn, mpn);
    this.counts.pagesBacked++;
    return mpn;
  }

  /**
   * "This page is free" hint: release the machine page behind guest page `gppn` of `vm` (it is
   * zeroed and re-backed on the next use). Every hardware TLB entry mapping it — on any CPU — is
   * shot down (the backmap is found by scanning the CPUs' TLBs; the monitor IPI this needs on a
   * real machine is charged as `shootdown` per other CPU touched). Returns false outside the VM.
   */
  freePage(cpu: Cpu, vm: Vm, gppn: number): boolean {
    if (gppn < 0 || gppn >= vm.pmap.pages) return false;
    const mpn = vm.pmap.mpn[gppn];
    if (mpn < 0) return true;
    for (const c of this.cpus) {
      let hit = false;
      for (let i = 0; i < 64; i++) {
        const p0 = (c.tlbLo0[i] >>> 6) & 0xfffff, p1 = (c.tlbLo1[i] >>> 6) & 0xfffff;
        if (((c.tlbLo0[i] & EL_V) !== 0 && p0 === mpn) || ((c.tlbLo1[i] & EL_V) !== 0 && p1 === mpn)) { c.writeTlbEntry(i, (0x80000000 + i * 0x2000) | 0, 0, 0, 0); hit = true; }
      }
      if (hit && c !== cpu) this.charge(cpu, vm.id, 'shootdown');
    }
    vm.pmap.set(gppn, -1);
    this.memmap.free(mpn);
    this.counts.pagesFreed++;
    return true;
  }

  /** Machine page of vCPU `v`'s HAL page (monitor memory). */
  halPage(v: Vcpu): number { return 1 + v.gid; }

  // ===========================================================================================
  // Exceptions reflected to the guest
  // ===========================================================================================

  /** Deliver exception `code` to the guest as the hardware would, at its own vectors. */
  reflect(cpu: Cpu, v: Vcpu, code: number, bad: number, flags: number, ce = 0): void {
    this.charge(cpu, v.vm.id, code === Exc.Int ? 'interrupt.virtual' : 'reflect');
    v.stats.reflected++;
    if ((flags & F_BADVA) !== 0) v.badVAddr = bad | 0;
    if ((flags & F_TLB) !== 0) {
      v.context = (v.context & (0xff800000 | 0)) | ((bad >>> 9) & 0x7ffff0);
      v.entryHi = (bad & 0xffffe000) | (v.entryHi & 0xff);
    }
    const exl = (v.status & ST_EXL) !== 0;
    if (!exl) {
      v.epc = cpu.slot !== 0 ? (cpu.pc - 4) | 0 : cpu.pc;
      // a kseg0 kernel running through the ksseg alias sees its own (kseg0) addresses
      if (v.vm.kernbase === (0x80000000 | 0) && (v.epc >>> 0) >= KSSEG && (v.epc >>> 0) < 0xe0000000) v.epc = (v.epc - 0x40000000) | 0;
      v.cause = cpu.slot !== 0 ? v.cause | CA_BD : v.cause & ~CA_BD;
    }
    v.cause = (v.cause & ~(0x7c | (3 << 28))) | (code << 2) | ((ce & 3) << 28);
    v.status |= ST_EXL;
    if ((v.status & ST_BEV) !== 0) {
      this.stopVm(v.vm, `exception ${EXC_NAME[code]} at 0x${(v.epc >>> 0).toString(16)} with Status.BEV = 1 (no boot ROM: the guest must set up its vectors and clear BEV first)`, cpu);
      return;
    }
    const off = (flags & F_REFILL) !== 0 && !exl ? 0 : code === Exc.Int && (v.cause & CA_IV) !== 0 ? 0x200 : 0x180;
    cpu.setPc((v.vm.vectorBase + off) | 0);
  }

  // ===========================================================================================
  // Privileged instructions, system calls, monitor calls
  // ===========================================================================================

  private onCpU(cpu: Cpu, v: Vcpu): void {
    const word = this.fetchWord(cpu, v, cpu.pc);
    const ce = CE_OF_OPCODE[word >>> 26] ?? 0;
    if (ce !== 0 || !(v.kernelMode || (v.status & ST_CU0) !== 0)) { this.reflect(cpu, v, Exc.CpU, 0, 0, ce); return; }
    const spec = decode(word);
    const emu = spec ? EMULATIONS[spec.mnemonic] : undefined;
    if (!emu) { this.reflect(cpu, v, Exc.RI, 0, 0); return; }
    this.charge(cpu, v.vm.id, emu.cause);
    v.stats.emulated++;
    this.counts.emulated[spec!.mnemonic] = (this.counts.emulated[spec!.mnemonic] ?? 0) + 1;
    const erl = v.status & ST_ERL;
    const out = emu.run({ host: this, cpu, v, word });
    // kuseg stops being unmapped when ERL clears: drop the monitor's ERL identity mappings
    if ((v.status & ST_ERL) !== erl) { cpu.flushTlbAll(); this.counts.tlbFlushes++; }
    if (out === 'jump') return;
    cpu.skipInstruction();
    if (out === 'wait') {
      v.tickTimer(cpu.now());
      if (v.pending() === 0) this.deschedule(cpu, v, 'waiting');
    }
  }

  private onSyscall(cpu: Cpu, v: Vcpu): void {
    const word = this.fetchWord(cpu, v, cpu.pc);
    if (!v.kernelMode || ((word >>> 6) & 0xfffff) !== HYPERCALL_CODE) { this.reflect(cpu, v, Exc.Sys, 0, 0); return; }
    const h = HYPERCALL_BY_NR.get(cpu.r[2]);
    this.charge(cpu, v.vm.id, 'hypercall');
    const key = h?.name ?? `unknown ${cpu.r[2]}`;
    this.counts.hypercalls[key] = (this.counts.hypercalls[key] ?? 0) + 1;
    cpu.skipInstruction();
    if (!h) { cpu.r[2] = -1; return; }
    const r = h.run(this.devCtx(cpu, v), [cpu.r[4], cpu.r[5], cpu.r[6], cpu.r[7]]);
    this.charge(cpu, v.vm.id, 'hypercall.perPage', r.pages);
    if (v.vm.alive) cpu.r[2] = r.v0;
  }

  private devCtx(cpu: Cpu, v: Vcpu): DevCtx { return { svc: this, vm: v.vm, vcpu: v, cpu }; }

  // ===========================================================================================
  // kseg1 devices / kseg0 (trap-and-emulate of loads and stores)
  // ===========================================================================================

  private onAddressError(cpu: Cpu, v: Vcpu, code: number, bad: number): void {
    const u = bad >>> 0;
    const fetch = code === Exc.AdEL && u === cpu.pc >>> 0;
    if (v.kernelMode && !fetch && u >= 0x80000000 && u < KSSEG) {
      if (this.emulateAccess(cpu, v, u & 0x1fffffff, u < 0xa0000000 ? 'kseg0' : 'mmio')) return;
    }
    if (v.kernelMode && !fetch && u >= HAL_KSEG3) {
      if (this.emulateAccess(cpu, v, -1, 'hal.trap', this.halPage(v) * PAGE + (u - HAL_KSEG3))) return;
    }
    if (v.kernelMode && fetch && u >= 0x80000000 && u < 0xa0000000 && u - 0x80000000 < v.vm.memBytes) {
      // a kseg0-linked kernel: execute the same guest-physical code through the monitor's
      // ksseg alias (0xC0000000 + gpa); j/jal stay in the alias (they keep pc[31:28]); every
      // kseg0 data reference and every jump through a register back into kseg0 traps again
      this.charge(cpu, v.vm.id, 'kseg0');
      cpu.setPc((u + 0x40000000) | 0);
      return;
    }
    this.reflect(cpu, v, code, bad, F_BADVA);
  }

  /** Emulates the load/store (or ll/sc) at pc against guest-physical `gpa`; false if it is not one the monitor decodes. */
  private emulateAccess(cpu: Cpu, v: Vcpu, gpa: number, cause: string, machineAddr = -1): boolean {
    const acc = decodeMemAccess(this.fetchWord(cpu, v, cpu.pc), cpu.r);
    if (!acc) return false;
    this.charge(cpu, v.vm.id, cause);
    if ((acc.ea & (acc.size - 1)) !== 0) { this.reflect(cpu, v, acc.store ? Exc.AdES : Exc.AdEL, acc.ea, F_BADVA); return true; }
    const vm = v.vm, mem = this.machine.memory, res = cpu.reservations;
    let value = 0;
    if (machineAddr >= 0 || gpa + acc.size <= vm.memBytes) {
      const ma = machineAddr >= 0 ? machineAddr : vm.pmap.machineAddr(gpa);
      if (acc.sc) {
        const ok = res.holds(cpu.id, ma);
        if (ok) { mem.words[ma >>> 2] = cpu.r[acc.rt]; res.store(ma); }
        res.clear(cpu.id);
        if (acc.rt !== 0) cpu.r[acc.rt] = ok ? 1 : 0;
        cpu.skipInstruction();
        return true;
      }
      if (acc.store) {
        const x = cpu.r[acc.rt];
        if (acc.size === 4) mem.words[ma >>> 2] = x; else if (acc.size === 2) mem.u16[(ma ^ 2) >>> 1] = x; else mem.u8[ma ^ 3] = x;
        if (res.active !== 0) res.store(ma & ~3);
      } else {
        value = acc.size === 4 ? mem.words[ma >>> 2] : acc.size === 2 ? mem.u16[(ma ^ 2) >>> 1] : mem.u8[ma ^ 3];
        if (acc.ll) res.set(cpu.id, ma);
      }
    } else {
      const dev = deviceAt(gpa);
      if (!dev || acc.size !== 4 || acc.ll || acc.sc) { this.reflect(cpu, v, Exc.DBE, 0, 0); return true; }
      const off = gpa - VDEV_BASE - dev.base;
      if (acc.store) dev.write(this.devCtx(cpu, v), off, cpu.r[acc.rt]);
      else value = dev.read(this.devCtx(cpu, v), off);
      if (!v.vm.alive) return true;
    }
    if (!acc.store && acc.rt !== 0) {
      cpu.r[acc.rt] = acc.signed ? (acc.size === 1 ? (value << 24) >> 24 : acc.size === 2 ? (value << 16) >> 16 : value | 0) : acc.size === 4 ? value | 0 : value;
    }
    cpu.skipInstruction();
    return true;
  }

  /** The instruction word at guest virtual `va` (just fetched by the CPU, so the hardware TLB maps it). */
  private fetchWord(cpu: Cpu, v: Vcpu, va: number): number {
    let pa = cpu.translateForDebug(va, 0);
    if (pa < 0 && (va >>> 0) >= KSSEG && (va >>> 0) < 0xe0000000) pa = v.vm.pmap.machineAddr((va >>> 0) - KSSEG);
    if (pa < 0 || pa >= this.machine.memory.bytes) throw new Error(`bug: cannot read the guest instruction at 0x${(va >>> 0).toString(16)}`);
    return this.machine.memory.words[pa >>> 2];
  }

  // ===========================================================================================
  // Memory virtualisation: hardware TLB misses, guest TLB writes
  // ===========================================================================================

  private onTlb(cpu: Cpu, v: Vcpu, code: number, bad: number): void {
    const u = bad >>> 0, vm = v.vm;
    const store = code !== Exc.TLBL, fetch = code === Exc.TLBL && u === cpu.pc >>> 0;
    const asid = v.entryHi & 0xff;
    if (u < 0x80000000 && (v.status & ST_ERL) !== 0) {   // virtual ERL: kuseg unmapped (va = gpa)
      if (u < vm.memBytes) { this.charge(cpu, vm.id, 'tlb.ksseg'); this.hwInsertDirect(cpu, v, u, u); }
      else this.reflect(cpu, v, fetch ? Exc.IBE : Exc.DBE, 0, 0);
      return;
    }
    const i = v.lookup(bad);
    let lo0: number, lo1: number, off0 = 0, off1 = 0, from: string;
    if (i >= 0) {
      const half = ((v.tlbMask[i] | 0x1fff) + 1) >>> 1, g = v.tlbG[i] ? EL_G : 0;
      const even = (u & ~0x1fff) >>> 0;
      lo0 = ((even & half) !== 0 ? v.tlbLo1[i] : v.tlbLo0[i]) | g;
      lo1 = (((even + PAGE) & half) !== 0 ? v.tlbLo1[i] : v.tlbLo0[i]) | g;
      off0 = Math.floor((even % half) / PAGE); off1 = Math.floor(((even + PAGE) % half) / PAGE);
      from = cpu.excIsRefill ? 'tlb.vtlb' : 'tlb.fault';
    } else {
      const hit = this.l2[v.gid].lookup(bad, asid);
      if (hit) { [lo0, lo1] = hit; from = 'tlb.l2hit'; }
      else if (u >= HAL_KSSEG && u < 0xe0000000) {
        this.charge(cpu, vm.id, 'tlb.ksseg');
        const lo = (this.halPage(v) << 6) | (3 << 3) | EL_D | EL_V | EL_G;
        this.hwInsert(cpu, u, 0, EL_G, lo);   // the odd page of the pair 0xDFFFE000/0xDFFFF000 (even: invalid, global)
        return;
      } else if (u >= KSSEG && u < 0xe0000000 && u - KSSEG < vm.memBytes) {
        this.charge(cpu, vm.id, 'tlb.ksseg');
        this.hwInsertDirect(cpu, v, u, u - KSSEG);
        return;
      } else {
        this.charge(cpu, vm.id, 'tlb.forward');
        this.reflect(cpu, v, code === Exc.Mod ? Exc.TLBS : code, bad, F_BADVA | F_TLB | F_REFILL);
        return;
      }
    }
    this.charge(cpu, vm.id, from);
    const odd = (u & PAGE) !== 0;
    const lo = odd ? lo1 : lo0, off = odd ? off1 : off0;
    if ((lo & EL_V) === 0) this.reflect(cpu, v, store ? Exc.TLBS : Exc.TLBL, bad, F_BADVA | F_TLB);
    else if (!vm.pmap.inRange(lo, off)) this.reflect(cpu, v, fetch ? Exc.IBE : Exc.DBE, 0, 0);
    else if (store && (lo & EL_D) === 0) this.reflect(cpu, v, Exc.Mod, bad, F_BADVA | F_TLB);
    else {
      const g = lo0 & lo1 & EL_G;
      this.hwInsert(cpu, u, asid, vm.pmap.translateLo(lo0, off0) | g, vm.pmap.translateLo(lo1, off1) | g);
    }
  }

  /** Monitor-made mapping of the 4 KiB pair containing `va` onto guest-physical `gpa` (global, writable). */
  private hwInsertDirect(cpu: Cpu, v: Vcpu, va: number, gpa: number): void {
    const p = Math.floor(gpa / PAGE) & ~1, pm = v.vm.pmap, flags = EL_D | EL_V | EL_G;
    const lo = (q: number) => (q < pm.pages ? pm.loOf(q) | flags : EL_G);   // beyond the VM: invalid (still global: G = Lo0.G AND Lo1.G)
    this.hwInsert(cpu, va, 0, lo(p), lo(p + 1));
  }

  /** Writes a 4 KiB-pair hardware entry for `va`, replacing an entry for the same VPN2 if any, else round-robin. */
  private hwInsert(cpu: Cpu, va: number, asid: number, lo0: number, lo1: number): void {
    const vpn = va & 0xffffe000;
    let idx = -1;
    for (let i = 0; i < 64; i++) if ((cpu.tlbHi[i] & 0xffffe000) === vpn && cpu.tlbMask[i] === 0) { idx = i; break; }
    if (idx < 0) { idx = this.hwNext[cpu.id]; this.hwNext[cpu.id] = (idx + 1) & 63; }
    cpu.writeTlbEntry(idx, vpn | (asid & 0xff), lo0 & EL_WRITABLE, lo1 & EL_WRITABLE, 0);
  }

  /** Drops hardware entries whose VPN2 lies in [hi, hi + size of mask). */
  private hwDrop(cpu: Cpu, hi: number, mask: number): void {
    const m = ~(mask | 0x1fff);
    for (let i = 0; i < 64; i++) {
      if (((cpu.tlbHi[i] ^ hi) & m) === 0) {
        cpu.writeTlbEntry(i, (0x80000000 + i * 0x2000) | 0, 0, 0, 0);
      }
    }
  }

  /** EmuHost: guest tlbwi/tlbwr into virtual entry `idx` (see l2tlb.ts for the L2 rules). */
  tlbWrite(cpu: Cpu, v: Vcpu, idx: number, random: boolean): void {
    const l2 = this.l2[v.gid];
    const oHi = v.tlbHi[idx], oMask = v.tlbMask[idx], oLo0 = v.tlbLo0[idx], oLo1 = v.tlbLo1[idx], oG = v.tlbG[idx];
    const mask = v.pageMask & PM_WRITABLE;
    const hi = v.entryHi & EH_WRITABLE & ~mask;
    const g = v.entryLo0 & v.entryLo1 & EL_G;
    const mapped = (h: number) => (h >>> 0) < 0x80000000 || (h >>> 0) >= KSSEG;
    if (mapped(oHi)) {
      this.hwDrop(cpu, oHi, oMask);
      if (random && oMask === 0 && ((oLo0 | oLo1) & EL_V) !== 0) l2.insert(oHi, oHi & 0xff, oG !== 0, oLo0, oLo1);
      else l2.invalidate(oHi & 0xffffe000, (oMask | 0x1fff) + 1, oHi & 0xff);
    }
    if (mapped(hi)) { this.hwDrop(cpu, hi, mask); l2.invalidate(hi & 0xffffe000, (mask | 0x1fff) + 1, hi & 0xff); }
    v.tlbMask[idx] = mask; v.tlbHi[idx] = hi; v.tlbG[idx] = g;
    v.tlbLo0[idx] = v.entryLo0 & EL_WRITABLE & ~EL_G; v.tlbLo1[idx] = v.entryLo1 & EL_WRITABLE & ~EL_G;
    if (mask === 0 && mapped(hi) && ((v.entryLo0 | v.entryLo1) & EL_V) !== 0) {
      const pm = v.vm.pmap;
      this.hwInsert(cpu, hi, hi & 0xff, pm.translateLo(v.tlbLo0[idx]) | g, pm.translateLo(v.tlbLo1[idx]) | g);
    }
  }

  /** EmuHost: a guest tlbp missed — drop any monitor-held translation of that VPN2. */
  tlbProbeMiss(cpu: Cpu, v: Vcpu): void {
    this.hwDrop(cpu, v.entryHi, 0);
    this.l2[v.gid].invalidate(v.entryHi & 0xffffe000, 0x2000, v.entryHi & 0xff);
  }

  // ===========================================================================================
  // Interrupts and scheduling
  // ===========================================================================================

  private onInterrupt(cpu: Cpu): void {
    if ((cpu.cause & IM_KICK) !== 0) cpu.setInterruptLine(KICK_LINE, false);
    const now = cpu.now();
    for (const w of this.vcpus) {
      if (w.home !== cpu.id || w.state === 'halted') continue;
      w.tickTimer(now);
      if (w.state === 'waiting' && w.pending() !== 0) { w.state = 'runnable'; this.sched.enqueue(w); }
    }
    const v = this.cur[cpu.id];
    if (v !== null && (!v.vm.alive || v.state !== 'running')) { this.cur[cpu.id] = null; this.pickNext(cpu); return; }
    if (v === null) { this.pickNext(cpu); return; }
    if (now >= this.sliceEnd[cpu.id] && this.sched.hasWaiting(cpu.id)) {
      this.deschedule(cpu, v, 'runnable');
    }
  }

  /** Takes `v` off the CPU (state `runnable` → back in its queue) and runs the next vCPU, or parks. */
  private deschedule(cpu: Cpu, v: Vcpu, state: 'runnable' | 'waiting'): void {
    v.r.set(cpu.r); v.hi = cpu.hi; v.lo = cpu.lo; v.pc = cpu.pc; v.npc = cpu.npc; v.slot = cpu.slot;
    v.state = state;
    this.cur[cpu.id] = null;
    if (state === 'runnable') this.sched.enqueue(v);
    this.pickNext(cpu);
  }

  private pickNext(cpu: Cpu): void {
    const n = this.sched.pick(cpu.id);
    if (n) this.switchIn(cpu, n); else this.park(cpu);
  }

  private switchIn(cpu: Cpu, v: Vcpu): void {
    const vm = v.vm.id;
    this.acct.setOwner(cpu.id, vm);
    this.charge(cpu, vm, 'schedule');
    this.counts.switches++;
    if (this.lastRan[cpu.id] !== v || v.lastCpu !== cpu.id) {
      cpu.flushTlbAll();
      this.counts.tlbFlushes++;
      this.charge(cpu, vm, 'schedule.tlbFlush');
    }
    cpu.r.set(v.r); cpu.hi = v.hi; cpu.lo = v.lo; cpu.pc = v.pc; cpu.npc = v.npc; cpu.slot = v.slot;
    v.state = 'running'; v.home = cpu.id; v.lastCpu = cpu.id; v.stats.switchesIn++;
    this.cur[cpu.id] = v; this.lastRan[cpu.id] = v;
    this.sliceEnd[cpu.id] = cpu.now() + this.sched.sliceCycles;
    cpu.state = 'running';
    cpu.writeCp0(C0.EntryHi, 0, v.entryHi);
  }

  private park(cpu: Cpu): void {
    this.cur[cpu.id] = null;
    cpu.setPc(0x80000000 | 0);
    cpu.state = 'waiting';
  }

  /** Makes the physical CPU `id` enter the monitor soon (monitor IPI on line 5). */
  private kick(id: number): void { this.cpus[id].setInterruptLine(KICK_LINE, true); }

  /** After every entry: deliver a pending virtual interrupt, then set hardware Status/ASID/timer. */
  private resume(cpu: Cpu): void {
    let v = this.cur[cpu.id];
    if (v !== null && !v.vm.alive) { this.cur[cpu.id] = null; this.pickNext(cpu); v = this.cur[cpu.id]; }
    const now = cpu.now();
    if (v !== null) {
      v.tickTimer(now);
      if (v.interruptible()) this.reflect(cpu, v, Exc.Int, 0, 0);
      v = this.cur[cpu.id];
    }
    if (v !== null && ((cpu.entryHi ^ v.entryHi) & 0xff) !== 0) cpu.writeCp0(C0.EntryHi, 0, v.entryHi);
    let t = Infinity;
    for (const w of this.vcpus) {
      if (w.home === cpu.id && w.state !== 'halted' && w.state !== 'runnable' && (w.status & IM_TIMER) !== 0 && w.timerCycle < t) t = w.timerCycle;
    }
    if (v !== null && this.sched.hasWaiting(cpu.id)) t = Math.min(t, this.sliceEnd[cpu.id]);
    const timer = t !== Infinity;
    const count = Math.floor(now / 2);
    cpu.writeCp0(C0.Compare, 0, timer ? Math.max(Math.floor(t / 2), count + 1) | 0 : (count - 1) | 0);
    cpu.writeCp0(C0.Status, 0, ST_IE | IM_KICK | (timer ? IM_TIMER : 0) | (v !== null ? v.hwKsu() : 0));
  }

  // ===========================================================================================
  // MonitorServices (virtual devices)
  // ===========================================================================================

  setVirtualLine(vm: Vm, vcpu: number, line: number, level: boolean): void {
    const w = vm.vcpus[vcpu];
    if (!w || w.state === 'halted') return;
    const bit = 1 << (8 + line);
    const before = w.lines;
    w.lines = level ? w.lines | bit : w.lines & ~bit;
    if (!level || before === w.lines) return;
    if (w.state === 'waiting' && w.pending() !== 0) { w.state = 'runnable'; this.sched.enqueue(w); }
    if (w.state === 'runnable' || w.state === 'running') {
      this.kick(w.home);
      if (w.state === 'runnable' && this.cur[w.home] !== null) {
        const idle = this.cur.findIndex((c, i) => c === null && this.cpus[i].state === 'waiting');
        if (idle >= 0) this.kick(idle);
      }
    }
  }

  vmExit(vm: Vm, code: number, cpu: Cpu): void {
    if (!vm.alive) return;
    vm.status = 'exited'; vm.exitCode = code | 0;
    this.endVm(vm, cpu);
  }

  /** The monitor stops a VM it cannot continue (a guest error); other VMs are unaffected. */
  stopVm(vm: Vm, reason: string, cpu: Cpu): void {
    if (!vm.alive) return;
    vm.status = 'stopped'; vm.stopReason = reason;
    this.endVm(vm, cpu);
  }

  private endVm(vm: Vm, cpu: Cpu): void {
    vm.endCycle = cpu.now();
    this.flushConsole(vm);
    for (const w of vm.vcpus) {
      if (w.state === 'runnable') this.sched.remove(w);
      const onCpu = this.cur.indexOf(w);
      w.state = 'halted';
      if (onCpu >= 0 && onCpu !== cpu.id) this.kick(onCpu);
    }
    if (this.vms.every((m) => !m.alive) && !this.poweredOff) {
      this.poweredOff = true;
      const failed = this.vms.find((m) => m.exitCode !== null && m.exitCode !== 0);
      const code = failed ? failed.exitCode! : this.vms.some((m) => m.status === 'stopped') ? 1 : 0;
      this.machine.power.write32(0, code, cpu.id);
    }
  }

  schedule(cycle: number, fn: () => void): void { this.machine.events.schedule(cycle, fn); }

  copyToGuest(vm: Vm, gpa: number, src: Uint8Array): boolean {
    if ((gpa >>> 0) + src.length > vm.memBytes) return false;
    const mem = this.machine.memory;
    for (let i = 0; i < src.length;) {
      const ma = vm.pmap.machineAddr(gpa + i), n = Math.min(src.length - i, PAGE - ((gpa + i) % PAGE));
      for (let k = 0; k < n; k++) mem.u8[(ma + k) ^ 3] = src[i + k];
      this.machine.timing.invalidateRange(ma, n);
      if (this.machine.reservations.active > 0) for (let a = ma & ~3; a < ma + n; a += 4) this.machine.reservations.store(a);
      i += n;
    }
    return true;
  }

  copyFromGuest(vm: Vm, gpa: number, dst: Uint8Array): boolean {
    if ((gpa >>> 0) + dst.length > vm.memBytes) return false;
    const mem = this.machine.memory;
    for (let i = 0; i < dst.length;) {
      const ma = vm.pmap.machineAddr(gpa + i), n = Math.min(dst.length - i, PAGE - ((gpa + i) % PAGE));
      for (let k = 0; k < n; k++) dst[i + k] = mem.u8[(ma + k) ^ 3];
      i += n;
    }
    return true;
  }

  consoleByte(vm: Vm, byte: number): void {
    if (vm.consoleOut.length < 1 << 20) vm.consoleOut.push(byte);
    if (!this.prefix) { this.machine.console.write32(0, byte); return; }
    const buf = this.lineBuf[vm.id];
    buf.push(byte);
    if (byte === 10) this.flushConsole(vm);
  }

  private flushConsole(vm: Vm): void {
    const buf = this.lineBuf[vm.id];
    if (!this.prefix || !buf.length) return;
    for (const ch of `[${vm.name}] `) this.machine.console.write32(0, ch.charCodeAt(0));
    for (const b of buf) this.machine.console.write32(0, b);
    if (buf[buf.length - 1] !== 10) this.machine.console.write32(0, 10);
    buf.length = 0;
  }

  /** End of a run: flush partial console lines and settle per-VM accounting (`padding` = machine end-of-run idle per CPU). */
  finish(padding: readonly number[]): void {
    for (const vm of this.vms) this.flushConsole(vm);
    this.acct.settleAll(padding);
  }
}

const EXC_NAME: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(Exc).map(([k, v]) => [v, k]));
