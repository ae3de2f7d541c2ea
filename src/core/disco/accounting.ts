/**
 * Monitor accounting. Every monitor action is charged with `Accounting.charge`: the cycles go to
 * the physical CPU (`cpu.chargeMonitorId(cycles, causeId(cause))`: its clock, its monitor bucket,
 * its `monitorByCause`) and to the VM the action was done for (`VmAccount.byCause`). Causes are
 * tallied by integer id (src/core/machine/cpu/cause-tally.ts) and read as `Record`s only by the
 * record builders.
 *
 * Per-VM time buckets: each physical CPU has an owner VM (the VM of the vCPU it last ran); the
 * growth of its user/kernel/monitor/idle/stall buckets since the last settlement is credited to
 * that owner whenever the owner changes and at the end of a run (`settleAll`). Idle time while a
 * vCPU of the VM is descheduled in `wait` is therefore the VM's idle time; a CPU that has never
 * run a vCPU credits nobody (`unattributed`). The CPU's local and remote L2 misses are credited
 * the same way (the per-VM locality of the NUMA view).
 */
import type { TimeBuckets } from '../machine/contracts';
import type { Cpu } from '../machine/cpu/index';
import { CauseTally, causeId } from '../machine/cpu/cause-tally';

export class VmAccount {
  readonly buckets: TimeBuckets = zero();
  /** Monitor cycles by cause id (see `byCause`). */
  readonly tally = new CauseTally();
  /** L2 misses taken while its vCPUs ran, served by the CPU's own node / another node (timing model). */
  readonly misses = { local: 0, remote: 0 };
  /** Monitor cycles by cause name, causes in first-charge order (a fresh object per read). */
  get byCause(): Record<string, number> { return this.tally.toRecord(); }
}

function zero(): TimeBuckets { return { user: 0, kernel: 0, monitor: 0, idle: 0, stall: 0 }; }

/** A CPU's cumulative local and remote L2 misses (the memory model's counters). */
export type MissSource = (cpu: number) => { localMisses: number; remoteMisses: number };

export class Accounting {
  readonly vms: VmAccount[] = [];
  readonly unattributed: TimeBuckets = zero();
  private readonly owner: number[];
  private readonly snap: TimeBuckets[];
  private readonly missSnap: { local: number; remote: number }[];

  constructor(private readonly cpus: readonly Cpu[], vmCount: number, private readonly missesOf: MissSource = () => ({ localMisses: 0, remoteMisses: 0 })) {
    for (let i = 0; i < vmCount; i++) this.vms.push(new VmAccount());
    this.owner = cpus.map(() => -1);
    this.snap = cpus.map((c) => ({ ...c.buckets }));
    this.missSnap = cpus.map((_, i) => { const m = missesOf(i); return { local: m.localMisses, remote: m.remoteMisses }; });
  }

  /** Charges `cycles` (> 0; nothing is recorded otherwise) of `cause` to `cpu` and to VM `vm` (−1: no VM). */
  charge(cpu: Cpu, vm: number, cause: string, cycles: number): void {
    if (cycles <= 0) return;
    const id = causeId(cause);
    cpu.chargeMonitorId(cycles, id);
    if (vm >= 0) this.vms[vm].tally.add(id, cycles);
  }

  /** `charge` of cause id `id` (from `causeId`: the hot callers look their causes up once). */
  chargeId(cpu: Cpu, vm: number, id: number, cycles: number): void {
    if (cycles <= 0) return;
    cpu.chargeMonitorId(cycles, id);
    if (vm >= 0) this.vms[vm].tally.add(id, cycles);
  }

  /** The VM whose vCPU CPU `cpuId` ran last (−1: none yet). */
  ownerOf(cpuId: number): number { return this.owner[cpuId]; }

  /** Credit the physical CPU's bucket growth to its current owner, then make `vm` the owner. */
  setOwner(cpuId: number, vm: number): void {
    this.settle(cpuId);
    this.owner[cpuId] = vm;
  }

  settle(cpuId: number, extraIdle = 0): void {
    const b = this.cpus[cpuId].buckets, s = this.snap[cpuId], o = this.owner[cpuId];
    const dst = o >= 0 ? this.vms[o].buckets : this.unattributed;
    dst.user += b.user - s.user; dst.kernel += b.kernel - s.kernel; dst.monitor += b.monitor - s.monitor;
    dst.idle += b.idle - s.idle + extraIdle; dst.stall += b.stall - s.stall;
    this.snap[cpuId] = { ...b };
    const m = this.missesOf(cpuId), ms = this.missSnap[cpuId];
    if (o >= 0) { const d = this.vms[o].misses; d.local += m.localMisses - ms.local; d.remote += m.remoteMisses - ms.remote; }
    ms.local = m.localMisses; ms.remote = m.remoteMisses;
  }

  /** End of run: settle every CPU; `padding[i]` = idle the machine adds to CPU i at the end. */
  settleAll(padding: readonly number[] = []): void {
    this.cpus.forEach((_, i) => this.settle(i, padding[i] ?? 0));
  }
}
