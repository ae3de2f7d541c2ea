/**
 * Memory virtualisation, the machine-page half: allocation of machine pages to VMs per node
 * (memmap), the pmap callbacks, the "page is free" reclaim with its TLB shootdown, and the
 * monitor's copies between guest-physical memory and its own buffers (device DMA, monitor calls).
 * Every write the monitor makes to machine memory goes through here, so cached copies (the
 * timing model's caches, LL reservations) are invalidated in one place.
 */
import type { Machine } from '../machine/machine';
import type { Cpu } from '../machine/cpu/index';
import { Memmap } from './memmap';
import { PAGE, Pmap } from './pmap';
import type { Vm } from './vm';
import type { VirtualTlb } from './vtlb';

export interface MemoryHost {
  charge(cpu: Cpu, vm: number, cause: string, times?: number): void;
  readonly counts: { pagesFreed: number; pagesBacked: number };
}

export class MachineMemory {
  readonly memmap: Memmap;

  constructor(private readonly machine: Machine, reservedPages: number, private readonly vtlb: VirtualTlb, private readonly host: MemoryHost) {
    this.memmap = new Memmap(Math.floor(machine.memory.bytes / PAGE), machine.config.nodes, reservedPages);
  }

  /**
   * A pmap of `pages` zeroed machine pages for VM `vm`, from `node` first. `homeNode()` says
   * where a page freed by the guest is re-backed (near the VM's vCPUs at that time).
   * `zeroed`: every page never allocated before is known to be zero (fresh machine memory).
   */
  createPmap(vm: number, pages: number, node: number, homeNode: () => number, zeroed = false): Pmap {
    const pmap = new Pmap(pages, (gppn) => this.backPage(vm, pmap, gppn, homeNode()));
    for (let p = 0; p < pages; p++) {
      const mpn = this.memmap.allocate(vm, p, node);
      if (mpn < 0) throw new Error('bug: machine memory exhausted after createMonitor checked it');
      pmap.set(p, mpn);
      if (zeroed) this.machine.timing.invalidateRange(mpn * PAGE, PAGE);
      else this.zero(mpn);
    }
    return pmap;
  }

  private zero(mpn: number): void {
    this.machine.memory.words.fill(0, mpn * 1024, mpn * 1024 + 1024);
    this.machine.timing.invalidateRange(mpn * PAGE, PAGE);
  }

  /** Pmap callback: a fresh zeroed machine page for a freed guest page. */
  private backPage(vm: number, pmap: Pmap, gppn: number, node: number): number {
    const mpn = this.memmap.allocate(vm, gppn, node);
    if (mpn < 0) return -1;
    this.zero(mpn);
    pmap.set(gppn, mpn);
    this.host.counts.pagesBacked++;
    return mpn;
  }

  /**
   * "This page is free" hint: release the machine page behind guest page `gppn` of `vm` (it is
   * zeroed and re-backed on the next use). Every hardware TLB entry mapping it — on any CPU — is
   * shot down through the backmap (`shootdown` charged per other CPU reached). False outside the VM.
   */
  freePage(cpu: Cpu, vm: Vm, gppn: number): boolean {
    if (gppn < 0 || gppn >= vm.pmap.pages) return false;
    const mpn = vm.pmap.mpn[gppn];
    if (mpn < 0) return true;
    this.host.charge(cpu, vm.id, 'shootdown', this.vtlb.dropMachinePage(mpn, cpu));
    vm.pmap.set(gppn, -1);
    this.memmap.free(mpn);
    this.host.counts.pagesFreed++;
    return true;
  }

  /** Guest-physical address of machine address `ma` (for LLAddr), or `ma` itself if no VM owns it. */
  guestAddrOf(ma: number): number {
    const p = Math.floor((ma >>> 0) / PAGE), g = this.memmap.gppn[p];
    return g >= 0 ? g * PAGE + ((ma >>> 0) % PAGE) : ma >>> 0;
  }

  copyToGuest(vm: Vm, gpa: number, src: Uint8Array): boolean {
    if ((gpa >>> 0) + src.length > vm.memBytes) return false;
    const mem = this.machine.memory, res = this.machine.reservations;
    for (let i = 0; i < src.length;) {
      const ma = vm.pmap.machineAddr(gpa + i), n = Math.min(src.length - i, PAGE - ((gpa + i) % PAGE));
      mem.writeBytes(ma, src.subarray(i, i + n));   // (whole words at a time)
      this.machine.timing.invalidateRange(ma, n);
      if (res.active > 0) for (let a = ma & ~3; a < ma + n; a += 4) res.store(a);
      i += n;
    }
    return true;
  }

  copyFromGuest(vm: Vm, gpa: number, dst: Uint8Array): boolean {
    if ((gpa >>> 0) + dst.length > vm.memBytes) return false;
    const u8 = this.machine.memory.u8, words = this.machine.memory.words;
    for (let i = 0; i < dst.length;) {
      const ma = vm.pmap.machineAddr(gpa + i), n = Math.min(dst.length - i, PAGE - ((gpa + i) % PAGE));
      // big-endian bytes of host-order words: byte k of a word is (w >>> 8 * (3 - k)) & 255
      let k = 0;
      for (; k < n && ((ma + k) & 3) !== 0; k++) dst[i + k] = u8[(ma + k) ^ 3];
      for (; k + 4 <= n; k += 4) {
        const w = words[(ma + k) >>> 2], j = i + k;
        dst[j] = w >>> 24; dst[j + 1] = (w >>> 16) & 255; dst[j + 2] = (w >>> 8) & 255; dst[j + 3] = w & 255;
      }
      for (; k < n; k++) dst[i + k] = u8[(ma + k) ^ 3];
      i += n;
    }
    return true;
  }
}
