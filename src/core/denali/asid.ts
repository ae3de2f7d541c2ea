/**
 * Address spaces on a VM switch. Denali VMs have one flat address space each, so on MIPS a VM
 * can simply own a TLB ASID: its entries stay in the TLB across switches and a switch needs no
 * flush. 255 ASIDs (1..255) are handed out per CPU in order; when they run out the TLB is flushed
 * and a new generation starts (every VM gets a fresh ASID when it next runs) — the scheme of
 * MIPS Linux's `asid_cache`. With the `asids` option off the TLB is flushed on every switch
 * between VMs (Denali on x86, where loading the page-table base flushed the TLB).
 */
import type { Cpu } from '../machine/cpu/index';
import type { DenaliVm } from './vm';

export class AsidAllocator {
  private readonly next: Int32Array;
  private readonly gen: Int32Array;
  readonly stats = { rollovers: 0, flushes: 0 };

  constructor(cpus: number, private readonly enabled: boolean, private readonly flush: (cpu: Cpu, vm: number) => void) {
    this.next = new Int32Array(cpus).fill(1);
    this.gen = new Int32Array(cpus).fill(1);
  }

  /** `v` is being switched in on `cpu` (`same`: it ran last there): its ASID, flushing if needed. */
  switchTo(cpu: Cpu, v: DenaliVm, same: boolean): void {
    const c = cpu.id;
    if (!this.enabled) {
      if (!same) { this.flush(cpu, v.id); this.stats.flushes++; }
      v.entryHi = 0;
      return;
    }
    if (v.asidGen[c] !== this.gen[c]) {
      if (this.next[c] > 255) {
        this.flush(cpu, v.id); this.stats.flushes++; this.stats.rollovers++;
        this.gen[c]++; this.next[c] = 1;
      }
      v.asid[c] = this.next[c]++;
      v.asidGen[c] = this.gen[c];
    }
    v.entryHi = v.asid[c];
  }

  /** `v`'s translations are void (swapped out): it gets a new ASID on every CPU when it next runs. */
  retire(v: DenaliVm): void { v.asidGen.fill(0); v.lastCpu = -1; }
}
