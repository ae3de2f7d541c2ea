/**
 * The Denali isolation kernel (Whitaker, Shaw, Gribble, OSDI 2002) on the workbench's MIPS
 * machine: thousands of small paravirtual VMs, each one virtual CPU in user mode with a flat
 * address space and no privileged instructions. It is installed as every physical CPU's
 * exception interceptor, like Disco's monitor, and shares Disco's infrastructure rather than
 * copying it: the vCPU scheduler (../disco/scheduler.ts — round-robin run queues, here with a
 * boost for VMs woken from idle), the accounting (../disco/accounting.ts: per-VM buckets, monitor
 * time by cause), the cost-model shape (cost-model.ts) and the console (../disco/vdevices/
 * console-out.ts). docs/denali.md is the design. The parts, one file each:
 *
 *   vm.ts          a VM (its one vCPU, page table, pending mask, receive queue, fate)
 *   vregs.ts       the virtual-registers page every VM reads without a trap
 *   calls.ts       the monitor calls (idle-with-timeout, exit, console, network)
 *   asid.ts        TLB address spaces across switches
 *   gatekeeper.ts  admission and whole-VM swapping
 *   vnet.ts        the virtual network device (receive queue, recv/send buffers)
 *   loadgen.ts     the clients on the other side of the virtual network
 *
 * Every entry: count it, handle the exception (a TLB refill from the VM's page table, a monitor
 * call, an interrupt, or a fault that stops the VM), post the virtual interrupts that arrived
 * for this CPU (`inbox`), let the gatekeeper start swaps, then `resume`: the watchdog, an
 * unbatched interrupt's preemption, the time slice, the VM's virtual-registers page, the
 * physical timer, and the return (KSU = user, IE = 1).
 *
 * Virtual interrupts. Packets and idle timeouts are events in simulated time (outside any CPU).
 * Each lands in the inbox of its VM's home CPU and kicks that CPU (a physical interrupt, as a
 * NIC's would), whose next kernel entry posts them: the pending bit is set — in the VM's page
 * too — and an idle VM is woken. With batching the VM sees it when it next runs (boosted to the
 * head of the queue if it was idle); without batching the kernel switches to it at once.
 */
import type { ExceptionInterceptor } from '../machine/contracts';
import type { Machine } from '../machine/machine';
import type { Cpu } from '../machine/cpu/index';
import { C0, EXC_NAMES, Exc, ST_IE } from '../machine/cpu/cp0';
import { Accounting } from '../disco/accounting';
import type { CostTable } from '../disco/cost-model';
import { KICK_LINE, Scheduler, type SchedulerHost } from '../disco/scheduler';
import { ConsoleOut } from '../disco/vdevices/console-out';
import { MONITOR_RESERVED_PAGES } from '../disco/monitor';
import type { LoadImage } from '../machine/elf';
import { resolveDenaliOptions, type DenaliOptionsInput, type ResolvedDenaliOptions } from './options';
import { DenaliVm, type Request } from './vm';
import { FEATURE, IRQ, VR } from './vregs';
import { DENALI_CALL_BY_NR, type CallHost } from './calls';
import { AsidAllocator } from './asid';
import { Gatekeeper } from './gatekeeper';
import { busyCycles, LoadGenerator, type LoadSpec } from '../load/loadgen';
import { netRecv, netSend } from './vnet';

/** One group of identical VMs. */
export interface DenaliGroupSpec {
  name: string;
  count: number;
  memoryKB: number;
  /** The guest, linked at its VM addresses (text from 0x1000; page 0 is the virtual-registers page). */
  image: LoadImage;
}

export const DENALI_TEXT_BASE = 0x1000;
export const DENALI_DATA_BASE = 0x2000;

const IM_KICK = 1 << (8 + KICK_LINE), IM_TIMER = 0x8000, KSU_USER = 0x10;
const EL_V = 2, EL_D = 4, EL_CACHED = 3 << 3;

export type DenaliResult = { ok: true; monitor: DenaliMonitor } | { ok: false; errors: { path: string; message: string }[] };

/** Checks the groups against the machine and installs the kernel on `machine`. */
export function createDenali(machine: Machine, groups: readonly DenaliGroupSpec[], load: LoadSpec, opts: DenaliOptionsInput = {}): DenaliResult {
  const errors: { path: string; message: string }[] = [];
  const o = resolveDenaliOptions(opts);
  const pool = Math.floor(machine.memory.bytes / 4096) - MONITOR_RESERVED_PAGES;
  groups.forEach((g, i) => {
    for (const s of g.image.segments) {
      const end = (s.vaddr >>> 0) + s.bytes.length;
      if ((s.vaddr >>> 0) < DENALI_TEXT_BASE || end > g.memoryKB * 1024) {
        errors.push({ path: `denali.vms[${i}]`, message: `the guest's segment at 0x${(s.vaddr >>> 0).toString(16)} (${s.bytes.length} bytes) does not fit in the VM's ${g.memoryKB} KiB above its virtual-registers page` });
      }
    }
    if (g.memoryKB / 4 > pool) errors.push({ path: `denali.vms[${i}].memoryKB`, message: `one VM needs ${g.memoryKB} KiB but the machine has ${pool * 4} KiB after the kernel's ${MONITOR_RESERVED_PAGES / 256} MiB` });
  });
  const want = groups.reduce((s, g) => s + g.count * g.memoryKB / 4, 0);
  if (o.swap === 0 && want > pool) errors.push({ path: 'denali.options.swap', message: `the VMs need ${(want / 256).toFixed(1)} MiB but the machine has ${(pool / 256).toFixed(1)} MiB after the kernel's; turn swap on (1) or give the machine more memory` });
  if (errors.length) return { ok: false, errors };
  return { ok: true, monitor: new DenaliMonitor(machine, groups, load, o) };
}

export class DenaliMonitor implements ExceptionInterceptor, SchedulerHost<DenaliVm>, CallHost {
  readonly vms: DenaliVm[] = [];
  readonly groups: readonly DenaliGroupSpec[];
  readonly options: ResolvedDenaliOptions;
  readonly costs: CostTable;
  readonly acct: Accounting;
  readonly sched: Scheduler<DenaliVm>;
  readonly gate: Gatekeeper;
  readonly asids: AsidAllocator;
  readonly load: LoadGenerator;
  readonly mem = null;
  readonly vtlb = { flushCpu: (cpu: Cpu) => this.flushTlb(cpu) };
  readonly counts = {
    traps: {} as Record<string, number>, calls: {} as Record<string, number>,
    switches: 0, migrations: 0, tlbFlushes: 0, refills: 0, posted: 0, preemptions: 0, kicks: 0,
  };
  /** When the load finished (every client done) [cycles], or null. */
  loadDoneAt: number | null = null;
  private readonly cpus: Cpu[];
  private readonly words: Int32Array;
  private readonly console: ConsoleOut;
  private readonly clockKHz: number;
  private readonly hwNext: Int32Array;
  /** Per CPU: virtual interrupts that arrived for VMs homed there (posted at its next entry). */
  private readonly inbox: { v: DenaliVm; bit: number }[][];
  /** Per CPU: an unbatched interrupt asks for a switch at the end of this entry. */
  private readonly preemptWanted: boolean[];
  /** Initial memory image per group, per page. */
  private readonly images: (Int32Array | null)[][];
  private poweredOff = false;

  constructor(readonly machine: Machine, groups: readonly DenaliGroupSpec[], loadSpec: LoadSpec, options: ResolvedDenaliOptions) {
    const cfg = machine.config;
    this.groups = groups;
    this.options = options;
    this.costs = options.costs;
    this.cpus = machine.cpus;
    this.words = machine.memory.words;
    this.clockKHz = Math.round(cfg.clockMHz * 1000);
    const n = this.cpus.length;
    this.hwNext = new Int32Array(n);
    this.inbox = this.cpus.map(() => []);
    this.preemptWanted = this.cpus.map(() => false);
    this.console = new ConsoleOut(machine.console, true);
    this.images = groups.map((g) => pageImage(g.image, g.memoryKB * 1024));
    let id = 0;
    groups.forEach((g, gi) => {
      for (let k = 0; k < g.count; k++, id++) this.vms.push(new DenaliVm(id, g.count > 1 ? `${g.name}${k}` : g.name, gi, g.memoryKB * 1024, g.image.entry, n));
    });
    this.acct = new Accounting(this.cpus, this.vms.length, (i) => machine.timing.counters(i));
    this.sched = new Scheduler<DenaliVm>(this, this.cpus, options.sliceCycles);
    this.asids = new AsidAllocator(n, options.asids === 1, (cpu, vm) => { this.flushTlb(cpu); this.charge(cpu, vm, 'schedule.tlbFlush'); });
    const totalPages = Math.floor(machine.memory.bytes / 4096);
    const cyclesPerByte = cfg.clockMHz / options.swapMBps;
    this.gate = new Gatekeeper({
      words: this.words,
      schedule: (c, fn) => machine.events.schedule(c, fn),
      charge: (cpu, vm, cause, times) => this.charge(cpu, vm, cause, times),
      initialImage: (v) => this.images[v.group],
      swappedIn: (v) => this.arrive(v, 0),
      evicted: (v) => this.asids.retire(v),
    }, this.vms, MONITOR_RESERVED_PAGES, totalPages, Math.round(cfg.diskLatencyUs * cfg.clockMHz), cyclesPerByte);
    const admitted: DenaliVm[] = [];
    for (const v of this.vms) {
      v.home = v.id % n;
      if (this.gate.admit(v)) { v.state = 'runnable'; admitted.push(v); }
    }
    this.sched.place(admitted);
    this.load = new LoadGenerator(loadSpec, this.vms.length, cfg.seed, cfg.clockMHz, {
      schedule: (c, fn) => machine.events.schedule(c, fn),
      busyCycles: () => busyCycles(machine.cpus),
      deliver: (vm, req) => this.deliver(this.vms[vm], req),
      done: (c) => { this.loadDoneAt = c; this.powerOff(0); },
    });
    this.load.start();
    for (const cpu of this.cpus) {
      cpu.interceptor = this;
      this.flushTlb(cpu);
      cpu.writeCp0(C0.Status, 0, 0);
      this.sched.pickNext(cpu);
      this.resume(cpu);
    }
  }

  // ===========================================================================================
  // Entry and exit
  // ===========================================================================================

  onException(cpuId: number, code: number, bad: number): boolean {
    const cpu = this.cpus[cpuId];
    const v = this.sched.cur[cpuId];
    const name = EXC_NAMES[code] ?? `Exc${code}`;
    this.counts.traps[name] = (this.counts.traps[name] ?? 0) + 1;
    if (v === null || v.state !== 'running' || !v.alive) {
      if (code !== Exc.Int) throw new Error(`bug: exception ${name} on CPU ${cpuId} with no VM running`);
      this.charge(cpu, this.acct.ownerOf(cpuId), 'interrupt');
      cpu.setInterruptLine(KICK_LINE, false);
    } else {
      this.charge(cpu, v.id, 'trap');
      switch (code) {
        case Exc.Int: this.charge(cpu, v.id, 'interrupt'); cpu.setInterruptLine(KICK_LINE, false); break;
        case Exc.TLBL: case Exc.TLBS: case Exc.Mod: this.onTlb(cpu, v, code, bad); break;
        case Exc.Sys: this.onCall(cpu, v); break;
        default: this.stopVm(v, this.faultReason(cpu, code, bad), cpu); break;
      }
    }
    this.drainInbox(cpu);
    this.gate.service(cpu);
    this.resume(cpu);
    return true;
  }

  /** The scheduler's switch hook: ASIDs instead of Disco's flush on every switch (asid.ts). */
  switchAddressSpace(cpu: Cpu, v: DenaliVm, same: boolean): void { this.asids.switchTo(cpu, v, same); }

  charge(cpu: Cpu, vm: number, cause: string, times = 1): void {
    this.acct.charge(cpu, vm, cause, (this.costs[cause] ?? 0) * times);
  }

  private resume(cpu: Cpu): void {
    const sched = this.sched, id = cpu.id, now = cpu.now(), wd = this.options.watchdogCycles;
    let v = sched.cur[id];
    if (v !== null && v.alive && wd > 0 && v.cpuSinceCall(now) > wd) {
      this.stopVm(v, `ran ${wd.toLocaleString('en-US')} cycles of CPU time without a monitor call (a runaway loop?): stopped by the watchdog (option watchdogCycles)`, cpu);
    }
    if (v !== null && !v.alive) { sched.drop(cpu); v = sched.cur[id]; }
    if (this.preemptWanted[id]) {
      this.preemptWanted[id] = false;
      if (v !== null && sched.hasWaiting(id)) { sched.preempt(cpu, sched.queues[id][0]); this.counts.preemptions++; }
    }
    v = sched.cur[id];
    if (v === null) sched.pickNext(cpu);   // a VM to run, or park again (the interrupt woke the CPU)
    else if (v !== null && sched.sliceExpired(cpu)) sched.deschedule(cpu, v, 'runnable');
    v = sched.cur[id];
    let t = Infinity;
    if (v !== null) {
      if (now >= sched.sliceEnd[id]) sched.sliceEnd[id] = now + this.options.sliceCycles;   // alone: the slice is a tick
      t = sched.sliceEnd[id];
      if (wd > 0) t = Math.min(t, now + (wd - v.cpuSinceCall(now)) + 1);
      this.writeVregs(v, now);
      if ((cpu.entryHi & 0xff) !== (v.entryHi & 0xff)) cpu.writeCp0(C0.EntryHi, 0, v.entryHi);
    }
    const timer = t !== Infinity;
    const count = Math.floor(now / 2);
    cpu.writeCp0(C0.Compare, 0, timer ? Math.max(Math.floor(t / 2), count + 1) | 0 : (count - 1) | 0);
    cpu.writeCp0(C0.Status, 0, ST_IE | IM_KICK | (timer ? IM_TIMER : 0) | (v !== null ? KSU_USER : 0));
    cpu.reservations.clear(id);
  }

  // ===========================================================================================
  // Exceptions
  // ===========================================================================================

  /** A TLB miss: inside the VM's memory, the pair from its page table (page 0 read-only); outside, the VM stops. */
  private onTlb(cpu: Cpu, v: DenaliVm, code: number, bad: number): void {
    const va = bad >>> 0;
    if (code === Exc.Mod) {
      this.stopVm(v, `wrote to its read-only virtual-registers page (0x${va.toString(16)}) at pc 0x${(cpu.pc >>> 0).toString(16)}`, cpu);
      return;
    }
    if (va >= v.memBytes) {
      this.stopVm(v, `touched 0x${va.toString(16)}, outside its memory (0x0–0x${(v.memBytes - 1).toString(16)}), at pc 0x${(cpu.pc >>> 0).toString(16)}`, cpu);
      return;
    }
    const p0 = (va >>> 12) & ~1, tlb = cpu.tlb, vpn = (va & 0xffffe000) | 0, asid = v.entryHi & 0xff;
    const lo = (p: number) => (p < v.pages.length ? (v.pages[p] << 6) | EL_CACHED | EL_V | (p === 0 ? 0 : EL_D) : 0);
    let idx = -1;
    for (let i = 0; i < 64; i++) if (tlb.hi[i] === (vpn | asid) && tlb.mask[i] === 0) { idx = i; break; }
    if (idx < 0) { idx = this.hwNext[cpu.id]; this.hwNext[cpu.id] = (idx + 1) & 63; }
    cpu.writeTlbEntry(idx, vpn | asid, lo(p0), lo(p0 + 1), 0);
    this.counts.refills++; v.stats.refills++;
    this.charge(cpu, v.id, 'tlb.refill');
  }

  private faultReason(cpu: Cpu, code: number, bad: number): string {
    const pc = `pc 0x${(cpu.pc >>> 0).toString(16)}`;
    switch (code) {
      case Exc.CpU: return `executed a privileged instruction at ${pc} (coprocessor unusable: Denali VMs have no privileged instructions)`;
      case Exc.AdEL: case Exc.AdES: return `address error at ${pc}: ${code === Exc.AdES ? 'store to' : 'load from'} 0x${(bad >>> 0).toString(16)} (outside its address space, or unaligned)`;
      case Exc.RI: return `reserved instruction at ${pc}`;
      case Exc.Ov: return `integer overflow at ${pc}`;
      case Exc.Tr: return `trap instruction at ${pc}`;
      case Exc.Bp: return `breakpoint at ${pc}`;
      case Exc.IBE: case Exc.DBE: return `bus error at ${pc}`;
      default: return `exception ${EXC_NAMES[code] ?? code} at ${pc}`;
    }
  }

  private onCall(cpu: Cpu, v: DenaliVm): void {
    const c = DENALI_CALL_BY_NR.get(cpu.r[2]);
    this.charge(cpu, v.id, 'call');
    const key = c?.name ?? `unknown ${cpu.r[2]}`;
    this.counts.calls[key] = (this.counts.calls[key] ?? 0) + 1;
    v.stats.calls++;
    v.called(cpu.now());
    cpu.skipInstruction();
    if (!c) { cpu.r[2] = -1; return; }
    const r = c.run(this, cpu, v, cpu.r);
    if (r === 'blocked' || r === 'ended') return;
    this.charge(cpu, v.id, 'call.perPage', r.pages);
    cpu.r[2] = r.v0;
  }

  // ===========================================================================================
  // Monitor calls (CallHost)
  // ===========================================================================================

  idle(cpu: Cpu, v: DenaliVm, timeout: number): boolean {
    if (this.options.idleWithTimeout !== 1) return false;
    v.stats.idles++;
    v.inIdle = true;
    const seq = ++v.idleSeq;
    v.idleDeadline = timeout > 0 ? cpu.now() + timeout : -1;
    if (timeout > 0) this.machine.events.schedule(v.idleDeadline, () => { if (v.idleSeq === seq && v.state === 'waiting') this.arrive(v, IRQ.timer); });
    this.sched.deschedule(cpu, v, 'waiting');
    return true;
  }

  exit(cpu: Cpu, v: DenaliVm, code: number): void {
    if (!v.alive) return;
    v.status = 'exited'; v.exitCode = code | 0;
    this.endVm(v, cpu);
  }

  consoleWrite(v: DenaliVm, va: number, len: number): number {
    if (len > 4096 || va + len > v.memBytes) return -1;
    const u8 = this.machine.memory.u8;
    for (let i = 0; i < len; i++) {
      const a = va + i;
      this.console.byte(v, u8[((v.pages[a >>> 12] << 12) | (a & 0xfff)) ^ 3]);
    }
    return len;
  }

  netRecv(_cpu: Cpu, v: DenaliVm, va: number, max: number): number { return netRecv(this.words, v, va, max); }

  netSend(cpu: Cpu, v: DenaliVm, va: number, len: number): number {
    const r = netSend(this.words, v, va, len);
    if (!r) return -1;
    v.stats.requests++;
    this.load.respond(r.req, r.ok, cpu.now());
    return len;
  }

  // ===========================================================================================
  // Virtual interrupts
  // ===========================================================================================

  /** A packet reaches `v` (an event, outside any CPU). */
  private deliver(v: DenaliVm, req: Request): void {
    if (!v.alive) { this.load.abandon(req, this.machine.events.now()); return; }
    v.rx.push(req);
    this.arrive(v, IRQ.net);
  }

  /** An interrupt for `v` arrives (bit 0: its swap-in completed): into its home CPU's inbox, and a kick. */
  private arrive(v: DenaliVm, bit: number): void {
    if (!v.alive) return;
    this.inbox[v.home].push({ v, bit });
    this.counts.kicks++;
    this.sched.kick(v.home);
  }

  private drainInbox(cpu: Cpu): void {
    const box = this.inbox[cpu.id];
    if (box.length === 0) return;
    for (let i = 0; i < box.length; i++) {
      const { v, bit } = box[i];
      if (!v.alive) continue;
      if (bit !== 0) { this.charge(cpu, v.id, 'interrupt.post'); this.counts.posted++; }
      this.post(cpu, v, bit);
    }
    box.length = 0;
  }

  private post(cpu: Cpu, v: DenaliVm, bit: number): void {
    if (bit === IRQ.net && v.rx.length === 0) bit = 0;   // already taken by a net.recv
    v.pending |= bit;
    if (v.resident) this.words[(v.pages[0] << 10) + VR.pending] = v.pending;
    const batching = this.options.batching === 1;
    if (v.state === 'waiting') {
      if (v.pending === 0) return;   // nothing to wake it for (a packet a net.recv already took)
      if (!v.resident) { this.gate.wantIn(v, cpu.now()); return; }
      if (v.inIdle) this.wakeFromIdle(v);
      v.state = 'runnable';
      this.sched.enqueue(v, this.options.idleBoost === 1 || !batching);
      if (v.home !== cpu.id && this.sched.cur[v.home] === null) this.sched.kick(v.home);
    } else if (!batching && v.state === 'runnable' && v.home === cpu.id) {
      this.sched.remove(v);
      this.sched.enqueue(v, true);
    } else return;
    if (!batching && v.home === cpu.id && this.sched.cur[cpu.id] !== v) this.preemptWanted[cpu.id] = true;
  }

  /** The idle call returns: $v0 = the pending mask; the timer bit is consumed. */
  private wakeFromIdle(v: DenaliVm): void {
    v.inIdle = false;
    v.idleSeq++;   // voids its timeout event
    v.idleDeadline = -1;
    v.r[2] = v.pending;
    v.pending &= ~IRQ.timer;
  }

  private writeVregs(v: DenaliVm, now: number): void {
    const b = v.pages[0] << 10, w = this.words;
    w[b + VR.pending] = v.pending;
    w[b + VR.timeLo] = now | 0;
    w[b + VR.timeHi] = Math.floor(now / 0x100000000) | 0;
    w[b + VR.memBytes] = v.memBytes;
    w[b + VR.vmId] = v.id;
    w[b + VR.features] = this.options.idleWithTimeout === 1 ? FEATURE.idleWithTimeout : 0;
    w[b + VR.clockKHz] = this.clockKHz;
    w[b + VR.rxCount] = v.rx.length;
  }

  // ===========================================================================================
  // VM lifecycle
  // ===========================================================================================

  /** The kernel stops a VM it cannot continue (a fault, a wild access, the watchdog); the others go on. */
  stopVm(v: DenaliVm, reason: string, cpu: Cpu): void {
    if (!v.alive) return;
    v.status = 'stopped'; v.stopReason = reason;
    this.endVm(v, cpu);
  }

  private endVm(v: DenaliVm, cpu: Cpu): void {
    v.endCycle = cpu.now();
    this.console.flush(v);
    if (v.state === 'runnable') this.sched.remove(v);
    const onCpu = this.sched.cur.indexOf(v);
    v.state = 'halted';
    if (onCpu >= 0 && onCpu !== cpu.id) this.sched.kick(onCpu);
    for (const r of [...v.rx, ...v.inflight]) this.load.abandon(r, cpu.now());
    v.rx.length = 0; v.inflight.length = 0;
    // its pages go back now: the CPU it ran on drops it at this entry's return, and its TLB
    // entries carry an ASID no other VM gets before the next flush (asid.ts)
    this.asids.retire(v);
    this.gate.release(v);
    if (this.vms.every((m) => !m.alive)) this.powerOff(this.vms.some((m) => m.status === 'stopped') ? 1 : 0);
  }

  private powerOff(code: number): void {
    if (this.poweredOff) return;
    this.poweredOff = true;
    this.machine.power.write32(0, code, 0);
  }

  private flushTlb(cpu: Cpu): void {
    cpu.flushTlbAll();
    this.counts.tlbFlushes++;
  }

  /** `finish` at the end of a run: flush partial console lines, settle the accounting. */
  finish(padding: readonly number[]): void {
    for (const v of this.vms) this.console.flush(v);
    this.acct.settleAll(padding);
  }
}

/** A group's initial memory, per 4 KiB page (null = zeros), from its load image. */
function pageImage(image: LoadImage, memBytes: number): (Int32Array | null)[] {
  const pages: (Int32Array | null)[] = new Array(memBytes >>> 12).fill(null);
  for (const s of image.segments) {
    for (let i = 0; i < s.bytes.length; i++) {
      const a = (s.vaddr >>> 0) + i, p = a >>> 12;
      if (p >= pages.length) break;
      const page = pages[p] ?? (pages[p] = new Int32Array(1024));
      const w = (a & 0xfff) >>> 2, sh = (3 - (a & 3)) * 8;
      page[w] |= s.bytes[i] << sh;
    }
  }
  return pages;
}
