/**
 * Second-level software TLB (one per vCPU, as it extends that vCPU's TLB): caches guest
 * translations (VPN2, ASID or global → the guest's EntryLo pair, guest PFNs) that the guest
 * once wrote into its TLB. A hardware TLB miss that the virtual TLB cannot serve probes it; a hit
 * is inserted straight into the hardware TLB (translated through the pmap at that moment, so a
 * pmap change never leaves a stale machine page here), a miss is forwarded to the guest's
 * refill handler.
 *
 * Organisation: `entries` slots, direct-mapped on hash(VPN2, key) where key = ASID, or 256 for
 * global entries; a lookup probes the ASID slot, then the global slot. 0 entries = off.
 *
 * Coherence with the guest's intent is vtlb.ts's job (docs/disco.md "L2 TLB rules"): a guest
 * write of a VPN2 drops the L2 entries of that VPN2; an entry displaced by capacity (`tlbwr`, or
 * an L2 hit swapped into the virtual TLB) moves into the L2 TLB; one the guest overwrites with
 * `tlbwi` or probes for with a missing `tlbp` is dropped; the whole L2 TLB is flushed when the
 * guest has written or read every entry of its TLB (a flush).
 */
/** The key of global entries (an ASID key is 0..255). */
export const GLOBAL_KEY = 256;

export class L2Tlb {
  private readonly vpn2: Int32Array;
  private readonly key: Int16Array;
  private readonly lo0: Int32Array;
  private readonly lo1: Int32Array;
  readonly stats = { hits: 0, misses: 0, inserts: 0, invalidations: 0 };

  constructor(readonly entries: number) {
    this.vpn2 = new Int32Array(entries);
    this.key = new Int16Array(entries).fill(-1);
    this.lo0 = new Int32Array(entries);
    this.lo1 = new Int32Array(entries);
  }

  /**
   * The slot of (VPN2 `vpn2` = va >>> 13, `key` = ASID or GLOBAL_KEY): Fibonacci hashing, the
   * product's high bits scaled to `entries` (so VPN2s that differ only in high bits do not collide).
   */
  slot(vpn2: number, key: number): number {
    return Math.floor((Math.imul(vpn2 ^ (key << 19), 0x9e3779b1) >>> 0) * this.entries / 0x100000000);
  }

  /** Guest EntryLo pair for `va` (4 KiB pair containing it) under `asid` and its G bit (1 = global), or undefined. */
  lookup(va: number, asid: number): [lo0: number, lo1: number, g: number] | undefined {
    if (this.entries === 0) return undefined;
    const v = va >>> 13;
    for (const k of [asid & 0xff, GLOBAL_KEY]) {
      const s = this.slot(v, k);
      if (this.key[s] === k && this.vpn2[s] === v) { this.stats.hits++; return [this.lo0[s], this.lo1[s], k === GLOBAL_KEY ? 1 : 0]; }
    }
    this.stats.misses++;
    return undefined;
  }

  /** Caches a 4 KiB-pair guest translation (`global` entries match every ASID). */
  insert(va: number, asid: number, global: boolean, lo0: number, lo1: number): void {
    if (this.entries === 0) return;
    const v = va >>> 13, k = global ? GLOBAL_KEY : asid & 0xff;
    const s = this.slot(v, k);
    this.vpn2[s] = v; this.key[s] = k; this.lo0[s] = lo0; this.lo1[s] = lo1;
    this.stats.inserts++;
  }

  /** Drops the entries for the VPN2s of [va, va + bytes) under `asid` and global ones. */
  invalidate(va: number, bytes: number, asid: number): void {
    if (this.entries === 0) return;
    const pairs = Math.max(1, Math.ceil(bytes / 8192));
    if (pairs > this.entries) { this.flush(); return; }
    for (let p = 0; p < pairs; p++) {
      const v = ((va >>> 13) + p) >>> 0;
      this.drop(v, asid & 0xff);
      this.drop(v, GLOBAL_KEY);
    }
  }

  /** Invalidates the entry of (VPN2 `v`, key `k`) if its slot holds it. */
  private drop(v: number, k: number): void {
    const s = this.slot(v, k);
    if (this.key[s] === k && this.vpn2[s] === v) { this.key[s] = -1; this.stats.invalidations++; }
  }

  flush(): void { this.key.fill(-1); }

  /** The valid entries, for inspection (debuggers): slot, VPN2, key (ASID or GLOBAL_KEY) and the guest EntryLo pair. */
  dump(): { slot: number; vpn2: number; key: number; lo0: number; lo1: number }[] {
    const out: { slot: number; vpn2: number; key: number; lo0: number; lo1: number }[] = [];
    for (let s = 0; s < this.entries; s++) if (this.key[s] >= 0) out.push({ slot: s, vpn2: this.vpn2[s], key: this.key[s], lo0: this.lo0[s], lo1: this.lo1[s] });
    return out;
  }
}
