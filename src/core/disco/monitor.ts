/**
 * The Disco monitor: installed as every physical CPU's exception interceptor, it owns the VMs
 * and multiplexes their vCPUs over the CPUs. docs/disco.md is the design. This file wires the
 * parts together and holds the entry and exit of every monitor invocation; each responsibility
 * lives in its own file:
 *
 *   trap.ts        trap dispatch by ExcCode (emulation of privileged instructions, monitor calls,
 *                  kseg0/kseg1 accesses) — emulate/, vdevices/
 *   deliver.ts     exception delivery to the guest (the hardware's own sequence)
 *   vtlb.ts        the virtual TLB, the L2 TLB and the hardware TLB as their cache
 *   memory.ts      machine memory: memmap, per-node allocation, pmap, page reclaim, guest copies
 *   scheduler.ts   the vCPU scheduler
 *   policy.ts      periodic memory-management policies fed with the per-page miss counters
 *   numa-policy.ts the NUMA policy (migration and replication), on when the `numaPolicy` option is 1
 *   monitor-memory.ts  the monitor's own code and data references through the cache model
 *
 * Hardware state while a vCPU runs on a CPU: Status = IE | IM5 (monitor kick) | IM7 (only when a
 * timer is needed) | KSU, with KSU = supervisor while the *virtual* mode is kernel or supervisor
 * and user otherwise; EXL = ERL = BEV = CU0 = 0, so every privileged instruction, kseg0/kseg1
 * access and exception of the guest reaches the monitor. EntryHi.ASID = the guest's virtual ASID.
 *
 * Every entry: count it, run due policies, dispatch (interrupts here, the rest in trap.ts), then
 * `resume`: end the slice if it is over, deliver a pending virtual interrupt, refresh the HAL
 * page's register mirror, restore the hardware ASID/Status, program the physical timer, and
 * return as the monitor's `eret` would (clearing the CPU's LL reservation).
 */
import type { ExceptionInterceptor } from '../machine/contracts';
import type { Machine } from '../machine/machine';
import type { Cpu } from '../machine/cpu/index';
import { C0, EXC_NAMES, Exc, Mode, ST_IE } from '../machine/cpu/cp0';
import { nodeOfCpu, type MachineConfig } from '../machine/config/types';
import type { LoadImage } from '../machine/elf';
import { Accounting } from './accounting';
import { costTableById, type CostTable } from './cost-model';
import { causeId, causeName } from '../machine/cpu/cause-tally';
import { resolveMonitorOptions, type MonitorOptionsInput, type ResolvedMonitorOptions } from './options';
import { reflect } from './deliver';
import type { EmuHost } from './emulate/table';
import { MachineMemory } from './memory';
import { MonitorMemory, monitorMemoryPages, type LayoutInput } from './monitor-memory';
import type { Memmap } from './memmap';
import { PAGE, type Pmap } from './pmap';
import { PolicyRunner, type MonitorPolicy, type PolicyHostContext } from './policy';
import { NumaPolicy } from './numa-policy';
import { KICK_LINE, Scheduler } from './scheduler';
import { dispatch } from './trap';
import { Vcpu } from './vcpu';
import { Vm } from './vm';
import { CLIENTS_ADDR, ServiceClients } from './vdevices/clients';
import { busyCycles, type LoadSpec } from '../load/loadgen';
import { ConsoleOut } from './vdevices/console-out';
import { newDevState, type DevCtx, type MonitorServices } from './vdevices/state';
import { completeVirtualDisk, VDISK_COMPLETE, type VdiskTransfer } from './vdevices/devices';
import { netDeliver, netDrop } from './vdevices/net';
import { KSSEG, VirtualTlb } from './vtlb';
import type { L2Tlb } from './l2tlb';

export { HAL_KSSEG } from './vtlb';
export { HAL_KSEG3 } from './trap';

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
  /** The VM (index into the specs) that serves this one files over the virtual network (sysinfo / `info` tell the guest). */
  fileServer?: number;
  /** A persistent disk: the VM's writes go to its image (its own copy, never shared) rather than to an overlay. */
  diskPersistent?: boolean;
}

/** The user-settable options (options.ts: one table with units, defaults and ranges) and the programmatic ones below. */
export interface MonitorOptions extends MonitorOptionsInput {
  /** Machine memory reserved for the monitor, never given to a guest [pages]. Default 256 (1 MiB). */
  reservedPages?: number;
  /** Prefix VM console lines with `[name] ` on the machine console (default: when more than one VM). */
  prefixConsole?: boolean;
  /** Memory-management policies run periodically with the miss counters (policy.ts). */
  policies?: readonly MonitorPolicy[];
  /**
   * The caller guarantees that the machine's memory is all zeros (a machine just constructed,
   * nothing run or loaded): the VMs' pages are then not zeroed again. Writing 4 KB into each
   * page of fresh memory made the host commit every page of every VM at once (~0.1 s for 24 MiB
   * on a busy host); left alone, a page is committed when the guest first touches it.
   */
  memoryZeroed?: boolean;
  /**
   * The load generator's clients on the virtual network (vdevices/clients.ts): `clientsPerVm`
   * clients for each VM, sending requests its guest answers. When every client is done the
   * machine powers off. Absent: no clients.
   */
  load?: LoadSpec;
}

export const MONITOR_RESERVED_PAGES = 256;
/**
 * The HAL page of a vCPU (machine page `halPage(v)`, mapped at 0xDFFFF000 for its kernel), by
 * word: the vCPU number, written once, and a read-only mirror of its virtual Status, Cause
 * (interrupt lines folded in), EPC and BadVAddr, rewritten at every return to the guest
 * (`resume`), so a HAL-patched kernel reads them with ordinary loads instead of trapped `mfc0`s
 * (the guest side: src/core/guest/kernel.ts `HAL_OFFSETS`). A few stores on the exit path the
 * monitor takes anyway: not charged separately.
 */
export const HAL_WORD = { cpuId: 0, status: 1, cause: 2, epc: 3, badVAddr: 4 } as const;
/** vCPUs the monitor can host: page 0 of its reserved memory is its own, each vCPU has one HAL page. */
export const MAX_VCPUS = MONITOR_RESERVED_PAGES - 1;
const IM_KICK = 1 << (8 + KICK_LINE), IM_TIMER = 0x8000;

/** Guest-physical address of a load address: ksseg − 0xC0000000, kseg0/kseg1 − their base, kuseg as is. */
export function gpaOfLoadAddress(va: number): number | undefined {
  const u = va >>> 0;
  if (u >= 0xe0000000) return undefined;
  if (u >= KSSEG) return u - KSSEG;
  if (u >= 0x80000000) return u & 0x1fffffff;
  return u;
}

/**
 * Where the monitor's data for `specs` lives (monitor-memory.ts): VM i on the node of the CPU its
 * first vCPU starts on (as its memory), each vCPU on the node of its first CPU.
 */
function layoutInput(cfg: MachineConfig, specs: readonly VmSpec[], l2Entries: number): LayoutInput {
  const n = cfg.nodes * cfg.cpusPerNode;
  const vms: { pages: number; node: number }[] = [], vcpus: { vm: number; node: number }[] = [];
  let k = 0;
  specs.forEach((s, id) => {
    vms.push({ pages: s.memoryMB * 256, node: nodeOfCpu(cfg, k % n) });
    for (let j = 0; j < s.vcpus; j++, k++) vcpus.push({ vm: id, node: nodeOfCpu(cfg, k % n) });
  });
  return { vms, vcpus, l2Entries };
}

/** The monitor's references go through the cache model: the option is on and the CPU model has caches. */
function memoryRefsOn(cfg: MachineConfig, o: ResolvedMonitorOptions): boolean {
  return o.monitorMemoryRefs !== 0 && cfg.cpuModel === 'timing';
}

export type MonitorResult = { ok: true; monitor: Monitor } | { ok: false; errors: { path: string; message: string }[] };

/** Creates the VMs (allocating and loading their memory) and installs the monitor on `machine`. */
export function createMonitor(machine: Machine, specs: readonly VmSpec[], opts: MonitorOptions = {}): MonitorResult {
  const errors: { path: string; message: string }[] = [];
  const reserved = opts.reservedPages ?? MONITOR_RESERVED_PAGES;
  const free = Math.floor(machine.memory.bytes / PAGE) - reserved;
  const want = specs.reduce((s, v) => s + v.memoryMB * 256, 0);
  const o = resolveMonitorOptions(opts);
  const data = memoryRefsOn(machine.config, o) ? monitorMemoryPages(machine.config, layoutInput(machine.config, specs, o.l2tlbEntries)) : 0;
  if (want > free) errors.push({ path: 'vms', message: `the VMs need ${want / 256} MiB but the machine has ${(free / 256).toFixed(2)} MiB after the monitor's ${reserved / 256} MiB` });
  else if (want + data > free) errors.push({ path: 'monitor.monitorMemoryRefs', message: `the VMs need ${want / 256} MiB and the monitor's data and code ${(data / 256).toFixed(2)} MiB more, but the machine has ${(free / 256).toFixed(2)} MiB after the monitor's reserved ${reserved / 256} MiB (give the VMs less memory, or set monitorMemoryRefs to 0)` });
  const vcpus = specs.reduce((s, v) => s + v.vcpus, 0);
  if (vcpus > reserved - 1) errors.push({ path: 'vms', message: `${vcpus} vCPUs in total, but the monitor hosts at most ${reserved - 1} (one HAL page each in its ${reserved} reserved pages)` });
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

/** Cause ids of the charges every trap makes (`Monitor.chargeId`). */
const CAUSE_TRAP = causeId('trap'), CAUSE_INTERRUPT = causeId('interrupt');

export class Monitor implements ExceptionInterceptor, EmuHost, MonitorServices {
  readonly vms: Vm[] = [];
  readonly vcpus: Vcpu[] = [];
  readonly costs: CostTable;
  readonly acct: Accounting;
  readonly vtlb: VirtualTlb;
  readonly memory: MachineMemory;
  readonly sched: Scheduler;
  readonly policies: PolicyRunner;
  /** The NUMA policy when the `numaPolicy` option is 1. */
  readonly numa: NumaPolicy | null;
  readonly clockKHz: number;
  readonly diskLatencyCycles: number;
  /** The user-settable options as resolved (every option present; the run record carries them). */
  readonly options: ResolvedMonitorOptions;
  /** The monitor's own memory references through the caches (null: option off or no caches in this CPU model). */
  readonly mem: MonitorMemory | null = null;
  /** Monitor entries by ExcCode name, emulated privileged instructions by mnemonic, monitor calls by name, and events. */
  readonly counts = {
    traps: {} as Record<string, number>, emulated: {} as Record<string, number>, hypercalls: {} as Record<string, number>,
    switches: 0, migrations: 0, tlbFlushes: 0, pagesFreed: 0, pagesBacked: 0,
  };
  private readonly cpus: Cpu[];
  private readonly console: ConsoleOut;
  /** What policies get besides the time, the CPU and the counters. */
  private readonly policyCtx: { -readonly [K in keyof PolicyHostContext]: PolicyHostContext[K] } = {
    memory: null as unknown as MachineMemory, vtlb: null as unknown as VirtualTlb, vms: this.vms,
    charge: (c: Cpu, vm: number, cause: string, times?: number) => this.charge(c, vm, cause, times),
    nodeOf: (c: number) => nodeOfCpu(this.machine.config, c),
  };
  /** The trapped instruction was an emulated `ll`: this return keeps the reservation it made. */
  private keepReservation = false;
  private poweredOff = false;
  /** The load generator's clients, or null (no `load`). */
  readonly clients: ServiceClients | null = null;

  constructor(readonly machine: Machine, specs: readonly VmSpec[], opts: MonitorOptions = {}) {
    const cfg = machine.config;
    this.cpus = machine.cpus;
    const n = this.cpus.length;
    const reserved = opts.reservedPages ?? MONITOR_RESERVED_PAGES;
    const totalVcpus = specs.reduce((s, v) => s + v.vcpus, 0);
    if (totalVcpus > reserved - 1) throw new Error('bug: too many vCPUs for the monitor\'s HAL pages (createMonitor checks this)');
    this.options = resolveMonitorOptions(opts);
    this.costs = this.options.costs;
    this.costById = costTableById(this.costs);
    this.clockKHz = Math.round(cfg.clockMHz * 1000);
    this.diskLatencyCycles = Math.round(cfg.diskLatencyUs * cfg.clockMHz);
    this.vtlb = new VirtualTlb(this, this.cpus, totalVcpus, this.options.l2tlbEntries);
    this.memory = new MachineMemory(machine, reserved, this.vtlb, this, this.options.memorySharing === 1);
    this.policyCtx.memory = this.memory; this.policyCtx.vtlb = this.vtlb;
    this.acct = new Accounting(this.cpus, specs.length, (i) => machine.timing.counters(i));
    this.sched = new Scheduler(this, this.cpus, this.options.sliceCycles);
    const o = this.options;
    this.numa = o.numaPolicy === 1 ? new NumaPolicy({
      intervalCycles: o.numaIntervalCycles, trigger: o.numaTrigger, sharing: o.numaSharing, writes: o.numaWriteThreshold,
      maxMoves: o.numaMaxMoves, migrate: o.numaMigrate === 1, replicate: o.numaReplicate === 1,
    }) : null;
    const nodeCpus = Array.from({ length: cfg.nodes }, (_, nd) => this.cpus.map((c) => c.id).filter((c) => nodeOfCpu(cfg, c) === nd));
    this.policies = new PolicyRunner([...(this.numa ? [this.numa] : []), ...(opts.policies ?? [])], machine.timing, this.memory.memmap.totalPages, cfg.nodes,
      nodeCpus, (c) => this.sched.kick(c));
    this.console = new ConsoleOut(machine.console, opts.prefixConsole ?? specs.length > 1);
    machine.events.on<VdiskTransfer>(VDISK_COMPLETE, (t) => completeVirtualDisk(this, this.vms[t.vm], this.cpus[t.cpu], t));
    let k = 0;
    // VMs booted from one disk image share it (each writes to its own overlay); likewise kernel images
    const diskBases = new Map<Uint8Array | undefined, { base: Uint8Array; id: number }>();
    let diskIds = 0;
    const images = new Map<LoadImage, number>();
    const imageUsers = new Map<LoadImage, number>();
    for (const s of specs) imageUsers.set(s.image, (imageUsers.get(s.image) ?? 0) + 1);
    specs.forEach((s, id) => {
      // the VM's memory: spread over the nodes its vCPUs start on, or on the first one's (`memorySpread`)
      const nodes = [...new Set(Array.from({ length: this.options.memorySpread === 1 ? s.vcpus : 1 }, (_, j) => nodeOfCpu(cfg, (k + j) % n)))];
      const pmap = this.memory.createPmap(id, s.memoryMB * 256, nodes, () => nodeOfCpu(cfg, this.vms[id].vcpus[0].home), opts.memoryZeroed === true);
      // a persistent disk is the VM's own (a new image number: nothing of it is shared)
      let disk = s.diskPersistent ? undefined : diskBases.get(s.diskImage);
      if (disk === undefined) {
        const base = new Uint8Array(cfg.diskSizeMB * 1024 * 1024);
        if (s.diskImage) base.set(s.diskImage.subarray(0, base.length));
        disk = { base, id: diskIds++ };
        if (!s.diskPersistent) diskBases.set(s.diskImage, disk);
      }
      const vm = new Vm(id, s.name, pmap.pages * PAGE, pmap, s.kernbase | 0, s.kernbase | 0, newDevState(s.vcpus, s.consoleInput, disk.base, disk.id, s.diskPersistent === true));
      vm.fileServer = s.fileServer ?? -1;
      this.vms.push(vm);
      this.loadImage(vm, s.image, images, imageUsers.get(s.image)! > 1);
      for (let j = 0; j < s.vcpus; j++, k++) {
        const v = new Vcpu(vm, j, this.vcpus.length, k % n, s.image.entry);
        v.guestAddrOf = (ma) => this.memory.guestAddrOf(ma);
        vm.vcpus.push(v);
        this.vcpus.push(v);
      }
    });
    for (const v of this.vcpus) machine.memory.words[this.halPage(v) * 1024 + HAL_WORD.cpuId] = v.id;
    if (memoryRefsOn(cfg, this.options)) {
      this.mem = new MonitorMemory(machine, this.memory.memmap, layoutInput(cfg, specs, this.options.l2tlbEntries), this.costs, (c, vm, cause, cycles) => this.acct.charge(c, vm, cause, cycles));
    }
    this.sched.place(this.vcpus);
    if (opts.load) {
      this.clients = new ServiceClients(opts.load, this.vms.length, cfg.seed, cfg.clockMHz, {
        schedule: (c, fn) => machine.events.schedule(c, fn),
        busyCycles: () => busyCycles(machine.cpus),
        deliver: (i, bytes) => netDeliver(this, this.vms[i], CLIENTS_ADDR, bytes),
        done: () => this.powerOff(),
      });
      this.clients.start();
    }
    for (const cpu of this.cpus) {
      cpu.interceptor = this;
      this.vtlb.flushCpu(cpu);
      cpu.writeCp0(C0.Status, 0, 0);
      this.sched.pickNext(cpu);
      this.resume(cpu);
    }
  }

  /**
   * Loads the kernel image into `vm`'s memory. With sharing and `share` (other VMs load the same
   * image), the pages it covers are shared with them (`images`: image → number): the first VM's
   * copies are registered, later VMs map them read-only, and each VM's first write to one copies
   * it. An image only one VM loads stays private (so the NUMA policy may still move its pages).
   */
  private loadImage(vm: Vm, image: LoadImage, images: Map<LoadImage, number>, share: boolean): void {
    const pages = new Set<number>();
    for (const seg of image.segments) {
      const gpa = gpaOfLoadAddress(seg.vaddr)!;
      for (let p = Math.floor(gpa / PAGE); p * PAGE < gpa + seg.bytes.length; p++) pages.add(p);
    }
    const shared = this.memory.shared, seen = images.get(image);
    const key = (p: number) => `image:${images.get(image)}:${p}`;
    if (shared !== null && seen !== undefined) {
      for (const p of pages) if (this.memory.mapShared(null, vm, p, key(p))) shared.counts.imagePagesMapped++;
      return;
    }
    for (const seg of image.segments) this.memory.copyToGuest(vm, gpaOfLoadAddress(seg.vaddr)!, seg.bytes);
    if (shared === null || !share) return;
    images.set(image, images.size);
    for (const p of pages) this.memory.registerShared(null, vm, p, key(p));
  }

  /** Per-vCPU L2 TLBs (by vCPU gid). */
  get l2(): readonly L2Tlb[] { return this.vtlb.l2; }
  get memmap(): Memmap { return this.memory.memmap; }

  // ===========================================================================================
  // Entry and exit
  // ===========================================================================================

  onException(cpuId: number, code: number, bad: number): boolean {
    const cpu = this.cpus[cpuId];
    const v = this.sched.cur[cpuId];
    const name = EXC_NAMES[code] ?? `Exc${code}`;
    this.counts.traps[name] = (this.counts.traps[name] ?? 0) + 1;
    this.memory.enter(cpu);
    if (this.policies.policies.length) this.policies.maybeRun(cpu, this.policyCtx);
    if (v === null || !v.vm.alive || v.state !== 'running') {
      if (code !== Exc.Int && v === null) throw new Error(`bug: exception ${name} on CPU ${cpuId} with no vCPU`);
      this.chargeId(cpu, this.acct.ownerOf(cpuId), CAUSE_INTERRUPT);   // the VM of the vCPU it last ran
      this.onInterrupt(cpu);
    } else {
      v.stats.traps++;
      this.chargeId(cpu, v.vm.id, CAUSE_TRAP);
      if (code === Exc.Int) { this.chargeId(cpu, v.vm.id, CAUSE_INTERRUPT); this.onInterrupt(cpu); }
      else dispatch(this, cpu, v, code, bad);
    }
    this.resume(cpu);
    return true;
  }

  /**
   * A debugger's view of monitor actions (src/core/debug): called with every action charged
   * (`cause` as in causes.ts: `tlb.forward`, `numa.migrate`, …) for VM `vm`. Null when no
   * debugger is attached (one null test per monitor action).
   */
  observer: ((cpu: Cpu, vm: number, cause: string) => void) | null = null;

  charge(cpu: Cpu, vm: number, cause: string, times = 1): void {
    if (this.observer !== null) this.observer(cpu, vm, cause);
    const id = causeId(cause), t = this.costById;
    this.acct.chargeId(cpu, vm, id, (id < t.length ? t[id] : 0) * times);
    if (this.mem !== null && times > 0) this.mem.onCharge(cpu, vm, this.sched.cur[cpu.id], cause);
  }

  /**
   * `charge` (the same body, by name) of cause id `id` (`causeId(cause)`; the hot callers — trap entry, the emulation rows,
   * the TLB-miss path — look theirs up once). The cost comes from `costById`, the cost table by
   * cause id: every name of `costs` gets its id when the monitor is built, so an id past the
   * table's end is a cause without a cost (0), as `costs[cause] ?? 0` was.
   */
  chargeId(cpu: Cpu, vm: number, id: number, times = 1): void {
    if (this.observer !== null) this.observer(cpu, vm, causeName(id));
    const t = this.costById;
    this.acct.chargeId(cpu, vm, id, (id < t.length ? t[id] : 0) * times);
    if (this.mem !== null && times > 0) this.mem.onCharge(cpu, vm, this.sched.cur[cpu.id], causeName(id));
  }

  /** `costs` by cause id (0 for ids that are not in it); see `chargeId`. */
  private readonly costById: readonly number[];

  /** Charges `cycles` measured by the memory model (a page copy), not from the cost table. */
  chargeCycles(cpu: Cpu, vm: number, cause: string, cycles: number): void { this.acct.charge(cpu, vm, cause, cycles); }

  now(cpu: Cpu): number { return cpu.now(); }

  /** Physical interrupt: a kick or a timer (virtual timers and slices are handled in `resume`, after every entry). */
  private onInterrupt(cpu: Cpu): void {
    if ((cpu.cause & IM_KICK) !== 0) cpu.setInterruptLine(KICK_LINE, false);
    const v = this.sched.cur[cpu.id];
    if (v === null || !v.vm.alive || v.state !== 'running') {
      this.wakeDue(cpu);
      this.sched.drop(cpu);
    }
  }

  /**
   * Wakes the vCPUs homed on `cpu` waiting for a virtual interrupt that is now pending (their
   * virtual timers are checked here). Runs at every monitor entry, so a guest that traps all the
   * time — each entry re-arming the physical timer — cannot keep the others asleep.
   */
  private wakeDue(cpu: Cpu): void {
    const now = cpu.now(), vcpus = this.vcpus;
    for (let i = 0; i < vcpus.length; i++) {
      const w = vcpus[i];
      if (w.home !== cpu.id || w.state !== 'waiting') continue;
      w.tickTimer(now);
      if (w.pending() !== 0) { w.state = 'runnable'; this.sched.enqueue(w); }
    }
  }

  /** After every entry: see the file comment. */
  private resume(cpu: Cpu): void {
    const sched = this.sched;
    this.wakeDue(cpu);
    let v = sched.cur[cpu.id];
    if (v !== null && !v.vm.alive) { sched.drop(cpu); v = sched.cur[cpu.id]; }
    if (v !== null && sched.sliceExpired(cpu)) { sched.deschedule(cpu, v, 'runnable'); v = sched.cur[cpu.id]; }
    const now = cpu.now();
    if (v !== null) {
      v.tickTimer(now);
      if (v.interruptible()) this.reflect(cpu, v, Exc.Int, 0, 0);
      v = sched.cur[cpu.id];
    }
    if (v !== null) {
      const hal = this.halPage(v) * 1024, words = this.machine.memory.words;
      words[hal + HAL_WORD.status] = v.status; words[hal + HAL_WORD.cause] = v.causeBits();
      words[hal + HAL_WORD.epc] = v.epc; words[hal + HAL_WORD.badVAddr] = v.badVAddr;
      if (v.mode === Mode.Supervisor) this.vtlb.enterSupervisor(cpu);
      if (((cpu.entryHi ^ v.entryHi) & 0xff) !== 0) cpu.writeCp0(C0.EntryHi, 0, v.entryHi);
    }
    let t = Infinity;
    const vcpus = this.vcpus;
    for (let i = 0; i < vcpus.length; i++) {
      const w = vcpus[i];
      if (w.home === cpu.id && w.state !== 'halted' && w.state !== 'runnable' && (w.status & IM_TIMER) !== 0 && w.timerCycle < t) t = w.timerCycle;
    }
    if (v !== null && sched.hasWaiting(cpu.id)) t = Math.min(t, sched.sliceEnd[cpu.id]);
    t = Math.min(t, this.policies.nextDue);   // policies run on time even when no guest traps
    const timer = t !== Infinity;
    const count = Math.floor(now / 2);
    cpu.writeCp0(C0.Compare, 0, timer ? Math.max(Math.floor(t / 2), count + 1) | 0 : (count - 1) | 0);
    cpu.writeCp0(C0.Status, 0, ST_IE | IM_KICK | (timer ? IM_TIMER : 0) | (v !== null ? v.hwKsu() : 0));
    if (!this.keepReservation) cpu.reservations.clear(cpu.id);
    this.keepReservation = false;
  }

  // ===========================================================================================
  // Services for the parts (trap.ts, vtlb.ts, emulate/, vdevices/)
  // ===========================================================================================

  reflect(cpu: Cpu, v: Vcpu, code: number, bad: number, flags: number, ce = 0): void { reflect(this, cpu, v, code, bad, flags, ce); }

  nodeOf(cpu: Cpu): number { return nodeOfCpu(this.machine.config, cpu.id); }
  makeWritable(cpu: Cpu, v: Vcpu, gppn: number): void { this.memory.makeWritable(cpu, v.vm.id, v.vm.pmap, gppn); }

  diskPage(cpu: Cpu, vm: Vm, gppn: number, key: string | null, data: () => Uint8Array): void {
    this.memory.enter(cpu);
    if (key !== null && this.memory.mapShared(cpu, vm, gppn, key)) {
      this.charge(cpu, vm.id, 'share.map');
      this.memory.shared!.counts.diskPagesMapped++;
      return;
    }
    this.memory.writeWholePage(cpu, vm, gppn, data());
    if (key !== null && this.memory.shared !== null) {
      this.memory.registerShared(cpu, vm, gppn, key);
      this.memory.shared.counts.diskPagesRegistered++;
    }
  }

  pmapOf(vm: number): Pmap { return this.vms[vm].pmap; }
  homeNode(vm: number): number { return nodeOfCpu(this.machine.config, this.vms[vm].vcpus[0].home); }

  vmById(id: number): Vm | undefined { return this.vms[id]; }
  sharePage(cpu: Cpu, vm: Vm, gppn: number): number { this.memory.enter(cpu); return this.memory.sharePage(cpu, vm, gppn); }
  mapPage(cpu: Cpu, vm: Vm, gppn: number, mpn: number): void { this.memory.enter(cpu); this.memory.mapPage(cpu, vm, gppn, mpn); }
  dropPage(mpn: number): void { this.memory.dropPage(mpn); }
  readPage(mpn: number, dst: Uint8Array, off: number): void { this.memory.readPage(mpn, dst, off); }

  diskPageResident(key: string): boolean { return this.memory.shared !== null && this.memory.shared.lookup(key) >= 0; }

  /** Machine page of vCPU `v`'s HAL page (monitor memory: page 1 + vCPU gid). */
  halPage(v: Vcpu): number { return 1 + v.gid; }

  /** The instruction word at guest virtual `va` (just fetched by the CPU, so the hardware TLB maps it). */
  fetchWord(cpu: Cpu, v: Vcpu, va: number): number {
    let pa = cpu.translateForDebug(va, 0);
    const u = va >>> 0, vm = v.vm;
    if (pa < 0 && u >= vm.directBase && u - vm.directBase < vm.directBytes) pa = vm.pmap.machineAddr(u - vm.directBase);
    if (pa < 0 || pa >= this.machine.memory.bytes) throw new Error(`bug: cannot read the guest instruction at 0x${(va >>> 0).toString(16)}`);
    return this.machine.memory.words[pa >>> 2];
  }

  devCtx(cpu: Cpu, v: Vcpu): DevCtx { return { svc: this, vm: v.vm, vcpu: v, cpu }; }

  /** An emulated `ll` made a reservation that this monitor return must keep. */
  keepLLReservation(): void { this.keepReservation = true; }

  tlbWrite(cpu: Cpu, v: Vcpu, idx: number, random: boolean): void { this.vtlb.guestWrite(cpu, v, idx, random); }
  tlbRead(cpu: Cpu, v: Vcpu, idx: number): void { this.vtlb.guestRead(cpu, v, idx); }
  tlbProbeMiss(cpu: Cpu, v: Vcpu): void { this.vtlb.guestProbeMiss(cpu, v); }

  // ---- MonitorServices (virtual devices) ----

  setVirtualLine(vm: Vm, vcpu: number, line: number, level: boolean): void {
    const w = vm.vcpus[vcpu];
    if (!w || w.state === 'halted') return;
    const bit = 1 << (8 + line);
    const before = w.lines;
    w.lines = level ? w.lines | bit : w.lines & ~bit;
    if (!level || before === w.lines) return;
    if (w.state === 'waiting' && w.pending() !== 0) { w.state = 'runnable'; this.sched.enqueue(w); }
    if (w.state === 'runnable' || w.state === 'running') {
      this.sched.kick(w.home);
      if (w.state === 'runnable' && this.sched.cur[w.home] !== null) this.sched.kickIdle();
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
    netDrop(this, vm);
    this.clients?.abandonVm(vm.id, cpu.now());
    this.console.flush(vm);
    for (const w of vm.vcpus) {
      if (w.state === 'runnable') this.sched.remove(w);
      const onCpu = this.sched.cur.indexOf(w);
      w.state = 'halted';
      if (onCpu >= 0 && onCpu !== cpu.id) this.sched.kick(onCpu);
    }
    if (this.vms.every((m) => !m.alive)) this.powerOff(cpu.id);
  }

  /**
   * Every VM ended, or every client of the load is done (the service's VMs run on): the machine
   * powers off with the first failing VM's exit code, 1 when a VM was stopped, else 0.
   */
  private powerOff(cpuId = 0): void {
    if (this.poweredOff) return;
    this.poweredOff = true;
    const failed = this.vms.find((m) => m.exitCode !== null && m.exitCode !== 0);
    const code = failed ? failed.exitCode! : this.vms.some((m) => m.status === 'stopped') ? 1 : 0;
    this.machine.power.write32(0, code, cpuId);
  }

  post(cycle: number, kind: string, data: unknown): void { this.machine.events.post(cycle, kind, data); }
  copyToGuest(vm: Vm, gpa: number, src: Uint8Array, cpu?: Cpu): boolean { return this.memory.copyToGuest(vm, gpa, src, cpu); }
  copyFromGuest(vm: Vm, gpa: number, dst: Uint8Array): boolean { return this.memory.copyFromGuest(vm, gpa, dst); }
  zeroPage(cpu: Cpu, vm: Vm, gppn: number): boolean { return this.memory.zeroPage(cpu, vm, gppn); }
  freePage(cpu: Cpu, vm: Vm, gppn: number): boolean { return this.memory.freePage(cpu, vm, gppn); }
  consoleByte(vm: Vm, byte: number): void { this.console.byte(vm, byte); }

  /** End of a run: flush partial console lines and settle per-VM accounting (`padding` = machine end-of-run idle per CPU). */
  finish(padding: readonly number[]): void {
    for (const vm of this.vms) this.console.flush(vm);
    this.acct.settleAll(padding);
  }
}
