/**
 * Transparent page sharing between VMs (the paper's §4.2.5, "copy-on-write disks"): the
 * registry of machine pages whose contents are known — a block of a disk image that no VM has
 * written, or a page of a kernel image as loaded — so a VM that needs the same contents maps the
 * page read-only instead of reading or copying it again.
 *
 * A shared page is owned by no single VM (memmap owner SHARED); `users[mpn]` counts the guest
 * pages mapping it. Each such guest page has `cow` set in its VM's pmap: mapped without D, so the
 * first write reaches the monitor, which gives the VM a private copy (memory.ts `copyOnWrite`) —
 * or, for the last user, hands the page over without copying. The registry forgets a page's
 * contents as soon as it can be written (handed over) or is freed, so a key never names a page
 * whose bytes differ from the key's source: a VM never sees another VM's writes (isolation).
 *
 * Keys are strings: `disk:<image>:<block>` for the 4 KiB block `block` of disk image `<image>`
 * (images are numbered per distinct base image, so VMs booted from one image share), and
 * `image:<image>:<gppn>` for a page of a loaded kernel image. Pages the virtual network remaps
 * (vdevices/net.ts) are shared without a key: the sender and the receiver map them.
 */

/** What sharing did over a run (the run record's `monitor.sharing`). */
export interface SharingCounts {
  /** Disk-block pages mapped from memory instead of read from the disk [pages]. */
  diskPagesMapped: number;
  /** Disk-block pages read from the disk and registered for sharing [pages]. */
  diskPagesRegistered: number;
  /** Kernel-image pages mapped from another VM's copy at VM creation [pages]. */
  imagePagesMapped: number;
  /** Copy-on-write faults that copied the page (other VMs still map it) [faults]. */
  cowCopies: number;
  /** Copy-on-write faults of a page's last user: the page became the VM's own, no copy [faults]. */
  cowHandovers: number;
  /** Cycles charged for copy-on-write faults, everything included (bookkeeping, copy, shootdowns) [cycles]. */
  cowCycles: number;
  /** Shared machine pages now, and the most at any time [pages]. */
  sharedPages: number;
  sharedPagesPeak: number;
}

export class SharedPages {
  /** Guest pages (over all VMs) mapping each machine page while it is shared; 0 otherwise. */
  readonly users: Int32Array;
  readonly counts: SharingCounts = {
    diskPagesMapped: 0, diskPagesRegistered: 0, imagePagesMapped: 0,
    cowCopies: 0, cowHandovers: 0, cowCycles: 0, sharedPages: 0, sharedPagesPeak: 0,
  };
  private readonly byKey = new Map<string, number>();
  private readonly keyOf = new Map<number, string>();

  constructor(totalPages: number) { this.users = new Int32Array(totalPages); }

  /** The shared machine page holding `key`'s contents, or −1. */
  lookup(key: string): number { return this.byKey.get(key) ?? -1; }

  /**
   * Machine page `mpn` (just filled with `key`'s contents) becomes shared, with one user; `key`
   * null: contents nobody looks up (a page a network message carries).
   */
  register(key: string | null, mpn: number): void {
    if (this.users[mpn] !== 0 || (key !== null && this.byKey.has(key))) throw new Error('bug: registering a page or a key twice');
    if (key !== null) { this.byKey.set(key, mpn); this.keyOf.set(mpn, key); }
    this.users[mpn] = 1;
    this.counts.sharedPages++;
    if (this.counts.sharedPages > this.counts.sharedPagesPeak) this.counts.sharedPagesPeak = this.counts.sharedPages;
  }

  /** One more guest page maps shared page `mpn`. */
  addUser(mpn: number): void { if (this.users[mpn] <= 0) throw new Error('bug: a user for a page that is not shared'); this.users[mpn]++; }

  /**
   * One guest page stops mapping shared page `mpn`. Returns the users left; at 0 the page is no
   * longer shared (the caller frees it or hands it over) and its contents are forgotten.
   */
  dropUser(mpn: number): number {
    if (this.users[mpn] <= 0) throw new Error('bug: dropping a user of a page that is not shared');
    const left = --this.users[mpn];
    if (left === 0) this.forget(mpn);
    return left;
  }

  /** `mpn` stops being shared (its last user let go): its contents are forgotten. */
  private forget(mpn: number): void {
    const k = this.keyOf.get(mpn);
    if (k !== undefined) { this.keyOf.delete(mpn); this.byKey.delete(k); }
    if (this.users[mpn] !== 0) this.users[mpn] = 0;
    this.counts.sharedPages--;
  }

  /** Is machine page `mpn` shared now? */
  isShared(mpn: number): boolean { return this.users[mpn] > 0; }
}
