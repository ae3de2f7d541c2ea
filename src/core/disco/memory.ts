/**
 * Memory virtualisation, the machine-page half: allocation of machine pages to VMs per node
 * (memmap), the pmap callbacks, the "page is free" reclaim with its TLB shootdown, the NUMA
 * policy's page moves (migration, replication and the collapse of replicas on a write), and the
 * monitor's copies between guest-physical memory and its own buffers (device DMA, monitor calls).
 * Every write the monitor makes to machine memory goes through here, so cached copies (the
 * timing model's caches, LL reservations) are invalidated in one place. Page sharing between VMs
 * (sharing.ts: disk blocks and kernel-image pages mapped read-only, copied on the first write)
 * changes which machine page backs a guest page here too.
 */
import { AccessKind } from '../machine/contracts';
import type { Machine } from '../machine/machine';
import type { Cpu } from '../machine/cpu/index';
import { Memmap } from './memmap';
import { PAGE, Pmap } from './pmap';
import { SharedPages } from './sharing';
import type { Vm } from './vm';
import type { VirtualTlb } from './vtlb';

export interface MemoryHost {
  charge(cpu: Cpu, vm: number, cause: string, times?: number): void;
  /** Charges `cycles` measured rather than taken from the cost table (a page copy through the memory model). */
  chargeCycles(cpu: Cpu, vm: number, cause: string, cycles: number): void;
  readonly counts: { pagesFreed: number; pagesBacked: number };
  /** The pmap of VM `vm` (to reclaim NUMA replicas when a page is needed). */
  pmapOf(vm: number): Pmap;
  /** The node a page VM `vm` needs anew is taken from (near its vCPUs now). */
  homeNode(vm: number): number;
}

/** What the NUMA page moves did (the run record's `monitor.numa`). */
export interface PageMoveCounts {
  migrations: number;
  replications: number;
  /** Replica sets collapsed by a write (the guest's or the monitor's). */
  collapses: number;
  /** Cycles charged for each kind of move, everything included (copy, bookkeeping, shootdowns) [cycles]. */
  migrationCycles: number;
  replicationCycles: number;
  collapseCycles: number;
  /** Replica pages in use now, and the most at any time [pages]. */
  replicaPages: number;
  replicaPagesPeak: number;
}

const WORDS = PAGE / 4;
/** Guest pages per stripe of a VM's initial placement: 512 KiB, the board cache's colour period, so page colours are those of one contiguous allocation. */
const STRIPE_PAGES = 128;

export class MachineMemory {
  readonly memmap: Memmap;
  readonly moves: PageMoveCounts = { migrations: 0, replications: 0, collapses: 0, migrationCycles: 0, replicationCycles: 0, collapseCycles: 0, replicaPages: 0, replicaPagesPeak: 0 };
  /** Pages shared between VMs (the `memorySharing` option), or null when sharing is off. */
  readonly shared: SharedPages | null;
  /** Where a collapse or a copy-on-write forced by the monitor's own write is charged (the CPU in the monitor). */
  private current: Cpu | null = null;

  constructor(private readonly machine: Machine, reservedPages: number, private readonly vtlb: VirtualTlb, private readonly host: MemoryHost, sharing = false) {
    this.memmap = new Memmap(Math.floor(machine.memory.bytes / PAGE), machine.config.nodes, reservedPages);
    this.shared = sharing ? new SharedPages(this.memmap.totalPages) : null;
  }

  /** The CPU now running the monitor (charged for collapses that a monitor write forces). */
  enter(cpu: Cpu): void { this.current = cpu; }

  /**
   * A pmap of `pages` zeroed machine pages for VM `vm`, spread over `nodes` (those its vCPUs
   * start on) in stripes of STRIPE_PAGES guest pages, round robin — a VM on one node gets all
   * its memory there; one spanning the machine starts with as little locality as a NUMA-oblivious
   * OS, for the NUMA policy to improve. A full node spills to the next. `homeNode()` says where a
   * page freed by the guest is re-backed (near the VM's vCPUs at that time).
   * `zeroed`: every page never allocated before is known to be zero (fresh machine memory).
   */
  createPmap(vm: number, pages: number, nodes: readonly number[], homeNode: () => number, zeroed = false): Pmap {
    const pmap = new Pmap(pages, (gppn) => this.backPage(vm, pmap, gppn, homeNode()));
    pmap.onWrite = (gppn) => {
      if (this.current !== null) this.makeWritable(this.current, vm, pmap, gppn);
      else if (pmap.cow[gppn] === 1) this.copyOnWrite(null, vm, pmap, gppn);   // a loader's write before the run
      else throw new Error('bug: a monitor write to a replicated page outside the monitor');
    };
    for (let p = 0; p < pages; p++) {
      const mpn = this.memmap.allocate(vm, p, nodes[Math.floor(p / STRIPE_PAGES) % nodes.length]);
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
    if (vm.pmap.mpn[gppn] < 0) return true;
    this.releaseGuestPage(cpu, vm.id, vm.pmap, gppn);
    this.host.counts.pagesFreed++;
    return true;
  }

  /**
   * Guest page `gppn` of VM `vm` stops mapping its machine page: the VM's hardware TLB entries
   * for it are shot down (other CPUs charged `shootdown` to `cpu`), replicas collapse, and the page
   * is freed — or, when shared, loses one user (freed with its last). The guest page is left
   * unbacked (−1); the caller maps another page or leaves it to be re-backed zeroed on next use.
   * `cpu` null: at VM creation, before anything maps or replicates the page (nothing to shoot down).
   */
  private releaseGuestPage(cpu: Cpu | null, vm: number, pmap: Pmap, gppn: number): void {
    const mpn = pmap.mpn[gppn];
    if (mpn < 0) return;
    const shared = pmap.cow[gppn] === 1;
    if (cpu !== null) {
      if (pmap.replicas.has(gppn)) this.collapse(cpu, vm, pmap, gppn);
      this.host.charge(cpu, vm, 'shootdown', this.vtlb.dropMachinePage(mpn, cpu, shared ? vm : -1));
    }
    pmap.set(gppn, -1);
    pmap.setCow(gppn, false);
    if (!shared || this.shared!.dropUser(mpn) === 0) this.memmap.free(mpn);
  }

  /**
   * Memory footprint now (the paper's Figure 6): per VM, the guest pages it has used and that
   * are backed — V, each VM's own view — and how many of them map a shared page; for the machine,
   * the distinct machine pages behind all of them, replicas included — M, each shared page
   * counted once.
   */
  footprint(vms: readonly Vm[]): { vms: { pages: number; sharedPages: number }[]; machinePages: number } {
    const seen = new Uint8Array(this.memmap.totalPages);
    let machinePages = 0;
    const mark = (m: number) => { if (m >= 0 && seen[m] === 0) { seen[m] = 1; machinePages++; } };
    const out = vms.map((vm) => {
      const pm = vm.pmap;
      let pages = 0, sharedPages = 0;
      for (let p = 0; p < pm.pages; p++) {
        if (pm.used[p] === 0 || pm.mpn[p] < 0) continue;
        pages++;
        if (pm.cow[p] === 1) sharedPages++;
        mark(pm.mpn[p]);
        const r = pm.replicas.size !== 0 ? pm.replicas.get(p) : undefined;
        if (r !== undefined) for (const m of r) mark(m);
      }
      return { pages, sharedPages };
    });
    return { vms: out, machinePages };
  }

  // ===========================================================================================
  // Sharing between VMs (sharing.ts; the paper's copy-on-write disks)
  // ===========================================================================================

  /**
   * Maps guest page `gppn` of `vm` onto the shared machine page holding `key`, if any (the VM's
   * own page is released): true when mapped. Read-only for the VM until it writes (`copyOnWrite`).
   * `cpu`: where shootdowns of the old page are charged (null at VM creation: nothing maps it yet).
   */
  mapShared(cpu: Cpu | null, vm: Vm, gppn: number, key: string): boolean {
    const sp = this.shared;
    if (sp === null) return false;
    const m = sp.lookup(key), pmap = vm.pmap;
    if (m < 0) return false;
    if (pmap.mpn[gppn] !== m) {
      this.releaseGuestPage(cpu, vm.id, pmap, gppn);
      sp.addUser(m);
      pmap.set(gppn, m);
      pmap.setCow(gppn, true);
    }
    pmap.used[gppn] = 1;
    return true;
  }

  /**
   * Guest page `gppn` of `vm` (just filled with `key`'s contents by the monitor) becomes the
   * shared copy of `key`, read-only for this VM too (its writable mappings are shot down), so
   * other VMs can map it. Nothing happens if the key has a page already or the page is shared.
   */
  registerShared(cpu: Cpu | null, vm: Vm, gppn: number, key: string): void {
    const sp = this.shared, pmap = vm.pmap;
    if (sp === null || sp.lookup(key) >= 0 || pmap.readOnly(gppn)) return;
    const m = pmap.page(gppn);
    if (cpu !== null) this.host.charge(cpu, vm.id, 'shootdown', this.vtlb.dropMachinePage(m, cpu));
    this.memmap.setShared(m);
    sp.register(key, m);
    pmap.setCow(gppn, true);
  }

  /**
   * For a message carrying guest page `gppn` of `vm` (the virtual network's page remapping): the
   * page becomes shared — read-only for the VM from now on, copy-on-write — and the message takes
   * one more user of it. Returns its machine page, or −1 when sharing is off (then it is copied).
   */
  sharePage(cpu: Cpu, vm: Vm, gppn: number): number {
    const sp = this.shared, pmap = vm.pmap;
    if (sp === null) return -1;
    if (pmap.replicas.has(gppn)) this.collapse(cpu, vm.id, pmap, gppn);
    const m = pmap.page(gppn);
    if (pmap.cow[gppn] === 0) {
      this.host.charge(cpu, vm.id, 'shootdown', this.vtlb.dropMachinePage(m, cpu));
      this.memmap.setShared(m);
      sp.register(null, m);
      pmap.setCow(gppn, true);
    }
    sp.addUser(m);
    return m;
  }

  /** Maps guest page `gppn` of `vm` onto shared page `mpn`, taking over a reference a message held (its own page released). */
  mapPage(cpu: Cpu, vm: Vm, gppn: number, mpn: number): void {
    const pmap = vm.pmap;
    if (pmap.mpn[gppn] === mpn) { this.dropPage(mpn); pmap.used[gppn] = 1; return; }
    this.releaseGuestPage(cpu, vm.id, pmap, gppn);
    pmap.set(gppn, mpn);
    pmap.setCow(gppn, true);
    pmap.used[gppn] = 1;
  }

  /** A message's reference to shared page `mpn` goes (freed with its last user). */
  dropPage(mpn: number): void { if (this.shared!.dropUser(mpn) === 0) this.memmap.free(mpn); }

  /** Copies machine page `mpn` into `dst` at `off` (big-endian bytes). */
  readPage(mpn: number, dst: Uint8Array, off: number): void { dst.set(this.machine.memory.readBytes(mpn * PAGE, PAGE), off); }

  /**
   * A write reached shared guest page `gppn` of `vm` (a guest store that took a TLB Mod trap, or
   * the monitor's own write): the VM's read-only mappings are shot down and it gets a private
   * copy — through the memory model, charged `cow.copy` — or, if no other VM maps the page any
   * more, the page itself (no copy). Either way the page is the VM's own and writable afterwards.
   */
  copyOnWrite(cpu: Cpu | null, vm: number, pmap: Pmap, gppn: number): void {
    const sp = this.shared!, m = pmap.mpn[gppn], c = sp.counts;
    if (cpu === null) {   // before the run (a loader writing into a VM): nothing maps the page, nothing is charged
      if (sp.dropUser(m) === 0) this.memmap.setPrivate(m, vm, gppn);
      else { const to = this.allocateOwn(null, vm, gppn); this.machine.memory.words.copyWithin(to * WORDS, m * WORDS, m * WORDS + WORDS); pmap.set(gppn, to); }
      pmap.setCow(gppn, false);
      return;
    }
    const c0 = this.chargedSoFar(cpu);
    this.host.charge(cpu, vm, 'cow.fault');
    this.host.charge(cpu, vm, 'shootdown', this.vtlb.dropMachinePage(m, cpu, vm));
    if (sp.users[m] === 1) {
      sp.dropUser(m);
      this.memmap.setPrivate(m, vm, gppn);
      c.cowHandovers++;
    } else {
      const to = this.allocateOwn(cpu, vm, gppn);
      this.copyPage(cpu, vm, m, to, 'cow.copy');
      sp.dropUser(m);
      pmap.set(gppn, to);
      c.cowCopies++;
    }
    pmap.setCow(gppn, false);
    c.cowCycles += this.chargedSoFar(cpu) - c0;
  }

  /**
   * The monitor writes all of guest page `gppn` of `vm` (a page-sized disk read): a shared page
   * is not copied first — the VM lets go of it and gets a fresh page to write.
   */
  writeWholePage(cpu: Cpu, vm: Vm, gppn: number, data: Uint8Array): void {
    const pmap = vm.pmap;
    if (pmap.cowPages !== 0 && pmap.cow[gppn] === 1) {
      this.releaseGuestPage(cpu, vm.id, pmap, gppn);
      pmap.set(gppn, this.allocateOwn(cpu, vm.id, gppn));
    }
    this.copyToGuest(vm, gppn * PAGE, data, cpu);
  }

  /**
   * A machine page for guest page `gppn` of `vm` that stops sharing, near the VM. There is always
   * one unless NUMA replicas took the pages sharing freed (a VM never maps more guest pages than
   * it was given): then replicas are collapsed, oldest page first, until one is free.
   */
  private allocateOwn(cpu: Cpu | null, vm: number, gppn: number): number {
    for (;;) {
      const m = this.memmap.allocate(vm, gppn, this.host.homeNode(vm));
      if (m >= 0) return m;
      const copy = this.memmap.replicaOf.findIndex((master) => master >= 0);
      if (copy < 0 || cpu === null) throw new Error('bug: machine memory exhausted with no replica to reclaim (a VM maps at most the pages it was given)');
      this.collapse(cpu, this.memmap.owner[copy], this.host.pmapOf(this.memmap.owner[copy]), this.memmap.gppn[copy]);
    }
  }

  /** Makes guest page `gppn` writable before a write: replicas collapse, a shared page is copied. */
  makeWritable(cpu: Cpu, vm: number, pmap: Pmap, gppn: number): void {
    if (pmap.replicas.size !== 0 && pmap.replicas.has(gppn)) this.collapse(cpu, vm, pmap, gppn);
    if (pmap.cowPages !== 0 && pmap.cow[gppn] === 1) this.copyOnWrite(cpu, vm, pmap, gppn);
  }

  /** Guest-physical address of machine address `ma` (for LLAddr), or `ma` itself if no VM owns it. */
  guestAddrOf(ma: number): number {
    const p = Math.floor((ma >>> 0) / PAGE), g = this.memmap.gppn[p];
    return g >= 0 ? g * PAGE + ((ma >>> 0) % PAGE) : ma >>> 0;
  }

  /** Writes `src` at guest-physical `gpa` (collapsing replicated pages, charged to `cpu` or the CPU in the monitor). */
  copyToGuest(vm: Vm, gpa: number, src: Uint8Array, cpu?: Cpu): boolean {
    if ((gpa >>> 0) + src.length > vm.memBytes) return false;
    if (cpu !== undefined) this.current = cpu;
    const mem = this.machine.memory, res = this.machine.reservations;
    for (let i = 0; i < src.length;) {
      const ma = vm.pmap.writableAddr(gpa + i), n = Math.min(src.length - i, PAGE - ((gpa + i) % PAGE));
      mem.writeBytes(ma, src.subarray(i, i + n));   // (whole words at a time)
      this.machine.timing.invalidateRange(ma, n);
      if (res.active > 0) for (let a = ma & ~3; a < ma + n; a += 4) res.store(a);
      i += n;
    }
    return true;
  }

  /**
   * The "give me a zeroed page" hint: zeroes guest page `gppn` of `vm` as the monitor's bzero
   * would — a store per word through the memory model (1 cycle each plus the stalls the memory
   * system returns for the page's lines), charged to `cpu` as `page.zero`. The lines stay in this
   * CPU's caches, where the guest is about to use them. False outside the VM.
   */
  zeroPage(cpu: Cpu, vm: Vm, gppn: number): boolean {
    if (gppn < 0 || gppn >= vm.pmap.pages) return false;
    this.current = cpu;
    const ma = vm.pmap.writableAddr(gppn * PAGE), t = this.machine.timing, res = this.machine.reservations;
    this.machine.memory.words.fill(0, ma >>> 2, (ma >>> 2) + WORDS);
    if (res.active > 0) for (let a = ma; a < ma + PAGE; a += 4) res.store(a);
    let cycles = WORDS;
    for (let k = 0; k < PAGE; k += 4) cycles += t.access(cpu.id, ma + k, AccessKind.Store);
    this.host.chargeCycles(cpu, vm.id, 'page.zero', cycles);
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

  // ===========================================================================================
  // NUMA page moves (the paper's §4.3; the policy that decides is numa-policy.ts)
  // ===========================================================================================

  /**
   * Migrates guest page `gppn` of `vm` to a fresh machine page on `node`: every hardware TLB
   * entry mapping the old page is shot down (other CPUs by IPI), the page is copied, the pmap
   * updated and the old page freed. False when `node` has no free page (nothing changes).
   */
  migrate(cpu: Cpu, vm: number, pmap: Pmap, gppn: number, node: number): boolean {
    const from = pmap.mpn[gppn];
    if (from < 0 || pmap.replicas.has(gppn) || pmap.cow[gppn] === 1) throw new Error('bug: migrating an unbacked, replicated or shared page');
    const to = this.memmap.allocateOn(vm, gppn, node);
    if (to < 0) return false;
    const c0 = this.chargedSoFar(cpu);
    this.host.charge(cpu, vm, 'numa.migrate');
    this.host.charge(cpu, vm, 'shootdown', this.vtlb.dropMachinePage(from, cpu));
    this.copyPage(cpu, vm, from, to, 'numa.copy');
    pmap.set(gppn, to);
    this.release(from);
    pmap.moves[gppn] = Math.min(255, pmap.moves[gppn] + 1);
    this.moves.migrations++;
    this.moves.migrationCycles += this.chargedSoFar(cpu) - c0;
    return true;
  }

  /**
   * Replicates guest page `gppn` of `vm` onto each of `nodes` that holds no copy yet: the page
   * becomes read-only everywhere (its writable hardware mappings are shot down), each copy is
   * made, and CPUs of those nodes map their copy from then on. Returns the copies made (fewer
   * when a node's memory is full).
   */
  replicate(cpu: Cpu, vm: number, pmap: Pmap, gppn: number, nodes: readonly number[]): number {
    const master = pmap.mpn[gppn];
    if (master < 0 || pmap.cow[gppn] === 1) throw new Error('bug: replicating an unbacked or shared page');
    const home = this.memmap.nodeOf(master);
    let set = pmap.replicas.get(gppn);
    const c0 = this.chargedSoFar(cpu);
    let made = 0;
    for (const n of nodes) {
      if (n === home || (set !== undefined && set[n] >= 0)) continue;
      const copy = this.memmap.allocateOn(vm, gppn, n);
      if (copy < 0) continue;
      if (set === undefined) {
        // the first copy: the master becomes read-only (mappings with D are dropped; they come back
        // without it). Replicating a page counts as one move, however many nodes get a copy.
        set = new Int32Array(this.memmap.nodes).fill(-1);
        pmap.replicas.set(gppn, set);
        pmap.moves[gppn] = Math.min(255, pmap.moves[gppn] + 1);
        this.host.charge(cpu, vm, 'shootdown', this.vtlb.dropMachinePage(master, cpu));
      }
      this.host.charge(cpu, vm, 'numa.replicate');
      this.copyPage(cpu, vm, master, copy, 'numa.copy');
      this.memmap.markReplica(copy, master);
      set[n] = copy;
      made++;
      this.moves.replicaPages++;
    }
    if (made === 0) return 0;
    this.moves.replicaPagesPeak = Math.max(this.moves.replicaPagesPeak, this.moves.replicaPages);
    this.moves.replications += made;
    this.moves.replicationCycles += this.chargedSoFar(cpu) - c0;
    return made;
  }

  /**
   * A write to a replicated page (a guest store that took a TLB Mod trap, or the monitor's own
   * write): every mapping of the master and of the copies is shot down and the copies freed, so
   * the page is one writable machine page again and every reader sees the write.
   */
  collapse(cpu: Cpu, vm: number, pmap: Pmap, gppn: number): void {
    const set = pmap.replicas.get(gppn);
    if (set === undefined) return;
    const c0 = this.chargedSoFar(cpu);
    this.host.charge(cpu, vm, 'numa.collapse');
    let others = this.vtlb.dropMachinePage(pmap.mpn[gppn], cpu);
    for (const copy of set) {
      if (copy < 0) continue;
      others += this.vtlb.dropMachinePage(copy, cpu);
      this.release(copy);
      this.moves.replicaPages--;
    }
    this.host.charge(cpu, vm, 'shootdown', others);
    pmap.replicas.delete(gppn);
    this.moves.collapses++;
    this.moves.collapseCycles += this.chargedSoFar(cpu) - c0;
  }

  /** Monitor cycles charged to `cpu` so far (a move's cost is the difference across it). */
  private chargedSoFar(cpu: Cpu): number { return cpu.buckets.monitor; }

  /**
   * The monitor's copy of one page, word by word through the memory model: a load from the
   * source and a store to the destination per word (2 cycles) plus the stalls the memory
   * system returns — the source's home and the destination's home decide them, and the copy
   * leaves its lines in this CPU's caches as a real bcopy would. Charged as `cause`.
   */
  private copyPage(cpu: Cpu, vm: number, from: number, to: number, cause: string): void {
    const w = this.machine.memory.words, t = this.machine.timing;
    w.copyWithin(to * WORDS, from * WORDS, from * WORDS + WORDS);
    let cycles = 2 * WORDS;
    for (let k = 0; k < PAGE; k += 4) {
      cycles += t.access(cpu.id, from * PAGE + k, AccessKind.Load);
      cycles += t.access(cpu.id, to * PAGE + k, AccessKind.Store);
    }
    this.host.chargeCycles(cpu, vm, cause, cycles);
    // the copy's own misses say nothing about who uses the page: they are not left for the policy
    t.resetMissCounts(from);
    t.resetMissCounts(to);
  }

  /** Frees a machine page no mapping reaches any more (its cached lines are dropped; LL reservations on it end). */
  private release(mpn: number): void {
    this.machine.timing.invalidatePage(mpn);
    const res = this.machine.reservations;
    if (res.active > 0) for (let a = mpn * PAGE; a < (mpn + 1) * PAGE; a += 4) res.store(a);
    this.memmap.free(mpn);
  }
}
