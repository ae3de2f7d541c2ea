/**
 * The gatekeeper: Denali's memory manager. Machine memory above the kernel's reserved pages is a
 * pool of 4 KiB pages. VMs are admitted (given all their pages at once) while the pool allows;
 * the rest wait, swapped out, on the simulated swap disk. A swapped-out VM with work to do (an
 * interrupt posted to it) queues for the gatekeeper, which at the next kernel entry evicts idle
 * resident VMs — whole VMs, chosen by a clock (second-chance) sweep over the resident ones, an
 * approximation of least-recently-run — until the VM fits, then reads it back. The swap disk
 * serves one transfer at a time: each costs the machine's disk latency plus bytes / `swapMBps`,
 * and the VM runs when its read completes. What stays resident for a swapped VM is its
 * metadata (vm.ts `metadataBytes`); its pages are kept as the disk's contents (per page, all-zero
 * pages as nothing). The CPU work of an eviction or a swap-in is charged (cost-model.ts
 * `swap.*`); the disk time is not CPU time.
 */
import type { Cpu } from '../machine/cpu/index';
import type { DenaliVm } from './vm';

export interface GatekeeperHost {
  readonly words: Int32Array;
  schedule(cycle: number, fn: () => void): void;
  charge(cpu: Cpu, vm: number, cause: string, times?: number): void;
  /** The VM's initial memory image, per page (null = zeros): the group's loaded program. */
  initialImage(vm: DenaliVm): readonly (Int32Array | null)[];
  /** The VM's swap-in completed: it is resident and may run. */
  swappedIn(vm: DenaliVm, cycle: number): void;
  /** The VM was evicted (its translations must not survive: asid.ts retires its ASIDs). */
  evicted(vm: DenaliVm): void;
}

export class Gatekeeper {
  readonly stats = { admitted: 0, swapIns: 0, swapOuts: 0, pagesIn: 0, pagesOut: 0, diskBusyCycles: 0, waitCycles: 0, residentPeak: 0, noVictim: 0 };
  private readonly free: Int32Array;
  private freeCount = 0;
  /** Resident VMs in clock order (−1: a hole left by an eviction); `hand` = the next to look at. */
  private ring: number[] = [];
  private holes = 0;
  private hand = 0;
  private readonly queue: DenaliVm[] = [];
  private readonly queuedAt = new Map<DenaliVm, number>();
  private diskFree = 0;
  private resident = 0;

  constructor(
    private readonly host: GatekeeperHost,
    private readonly vms: readonly DenaliVm[],
    firstPage: number,
    totalPages: number,
    private readonly diskLatencyCycles: number,
    /** Swap disk transfer [cycles per byte]. */
    private readonly cyclesPerByte: number,
  ) {
    this.free = new Int32Array(Math.max(0, totalPages - firstPage));
    // allocate from the low pages up
    for (let p = totalPages - 1; p >= firstPage; p--) this.free[this.freeCount++] = p;
  }

  get freePages(): number { return this.freeCount; }
  get residentVms(): number { return this.resident; }
  get waiting(): number { return this.queue.length; }

  /** Admits `vm` now if its pages are free (at creation). */
  admit(vm: DenaliVm): boolean {
    if (this.freeCount < vm.pages.length) return false;
    this.mapIn(vm, this.host.initialImage(vm));
    this.stats.admitted++;
    return true;
  }

  /** `vm`, swapped out, has work: queue it for a swap-in (at the next `service`). */
  wantIn(vm: DenaliVm, now: number): void {
    if (vm.resident || vm.swapPending) return;
    vm.swapPending = true;
    this.queue.push(vm);
    this.queuedAt.set(vm, now);
  }

  /** At a kernel entry on `cpu`: starts the swap-ins that can start, evicting idle VMs for them. */
  service(cpu: Cpu): void {
    while (this.queue.length) {
      const w = this.queue[0];
      if (!w.alive) { this.queue.shift(); this.queuedAt.delete(w); w.swapPending = false; continue; }
      while (this.freeCount < w.pages.length) {
        const victim = this.pickVictim();
        if (!victim) { this.stats.noVictim++; return; }
        this.swapOut(cpu, victim);
      }
      this.queue.shift();
      this.swapIn(cpu, w);
    }
  }

  /** `vm` ended: its pages go back to the pool. */
  release(vm: DenaliVm): void {
    if (!vm.resident) return;
    this.unmap(vm);
  }

  private pickVictim(): DenaliVm | undefined {
    const n = this.ring.length;
    for (let k = 0; k < 2 * n; k++) {
      if (this.hand >= this.ring.length) this.hand = 0;
      const id = this.ring[this.hand];
      if (id >= 0) {
        const v = this.vms[id];
        if (v.state === 'waiting' && !v.swapPending && v.alive) {
          if (!v.referenced) return v;
          v.referenced = false;
        }
      }
      this.hand++;
    }
    return undefined;
  }

  private transfer(now: number, bytes: number): number {
    const start = Math.max(now, this.diskFree);
    const dur = this.diskLatencyCycles + Math.ceil(bytes * this.cyclesPerByte);
    this.diskFree = start + dur;
    this.stats.diskBusyCycles += dur;
    return this.diskFree;
  }

  private swapOut(cpu: Cpu, v: DenaliVm): void {
    const words = this.host.words, n = v.pages.length;
    const image: (Int32Array | null)[] = [];
    for (let p = 0; p < n; p++) {
      const base = v.pages[p] * 1024;
      let zero = true;
      for (let i = 0; i < 1024; i++) if (words[base + i] !== 0) { zero = false; break; }
      image.push(zero ? null : words.slice(base, base + 1024));
    }
    v.swapImage = image;
    this.unmap(v);
    this.host.evicted(v);
    this.transfer(cpu.now(), n * 4096);
    v.stats.swapOuts++;
    this.stats.swapOuts++; this.stats.pagesOut += n;
    this.host.charge(cpu, v.id, 'swap.out');
    this.host.charge(cpu, v.id, 'swap.perPage', n);
  }

  private swapIn(cpu: Cpu, w: DenaliVm): void {
    const image = w.swapImage ?? this.host.initialImage(w);
    this.mapIn(w, image);
    w.swapImage = null;
    w.resident = false;   // not runnable before the read completes
    const done = this.transfer(cpu.now(), w.pages.length * 4096);
    w.stats.swapIns++;
    this.stats.swapIns++; this.stats.pagesIn += w.pages.length;
    this.stats.waitCycles += done - (this.queuedAt.get(w) ?? done);
    this.queuedAt.delete(w);
    this.host.charge(cpu, w.id, 'swap.in');
    this.host.charge(cpu, w.id, 'swap.perPage', w.pages.length);
    this.host.schedule(done, () => {
      w.swapPending = false;
      if (!w.alive) return;
      w.resident = true;
      this.host.swappedIn(w, done);
    });
  }

  /** Gives `v` its pages and copies `image` in (pages were zeroed when freed, or never used). */
  private mapIn(v: DenaliVm, image: readonly (Int32Array | null)[]): void {
    const words = this.host.words;
    for (let p = 0; p < v.pages.length; p++) {
      const m = this.free[--this.freeCount];
      v.pages[p] = m;
      const src = image[p];
      if (src) words.set(src, m * 1024);
    }
    v.resident = true;
    v.referenced = true;
    this.ring.push(v.id);
    this.resident++;
    if (this.resident > this.stats.residentPeak) this.stats.residentPeak = this.resident;
  }

  private unmap(v: DenaliVm): void {
    const words = this.host.words;
    for (let p = 0; p < v.pages.length; p++) {
      const m = v.pages[p];
      if (m < 0) continue;
      words.fill(0, m * 1024, m * 1024 + 1024);   // the next owner gets zeros
      this.free[this.freeCount++] = m;
      v.pages[p] = -1;
    }
    v.resident = false;
    const i = this.ring.indexOf(v.id);
    if (i >= 0) { this.ring[i] = -1; this.holes++; }
    this.resident--;
    if (this.holes > 64 && this.holes * 2 > this.ring.length) {
      const cur = this.ring[this.hand] ?? -1;
      this.ring = this.ring.filter((x) => x >= 0);
      this.holes = 0;
      this.hand = Math.max(0, this.ring.indexOf(cur));
    }
  }
}
