/**
 * Monitor cycles by cause, kept as numbers indexed by small integer cause ids instead of
 * string-keyed objects (a `Record` with more than ~16 causes is a V8 dictionary, and the monitor
 * charges one per trap: two keyed loads and stores per charge on the Disco trap path).
 *
 * - `causeId(name)`: a process-wide registry, cause name → id, assigned on first use (ids are
 *   never reused or dropped; the names are the monitors' fixed vocabulary,
 *   docs/monitor-cost-model.md, plus `emulate.<mnemonic>`).
 * - `CauseTally`: one per tally (a CPU's `monitorByCause`, a VM's `byCause`): cycles by id in a
 *   Float64Array grown when a larger id appears, plus the order in which causes were first
 *   charged. `toRecord()` gives exactly the object the string-keyed code built: a cause appears
 *   iff it was charged at least once (even 0 cycles), in first-charge order, with the same sums
 *   (the same float additions in the same order).
 */

const ids = new Map<string, number>();
const names: string[] = [];

/** The id of a cause name (assigned on first use, stable for the process). */
export function causeId(name: string): number {
  let id = ids.get(name);
  if (id === undefined) {
    id = names.length;
    names.push(name);
    ids.set(name, id);
  }
  return id;
}

/** The name of a cause id returned by `causeId`. */
export function causeName(id: number): string { return names[id]; }

export class CauseTally {
  private cycles = new Float64Array(64);
  private seen = new Uint8Array(64);
  /** Cause ids in the order they were first charged. */
  private readonly order: number[] = [];

  /** Adds `cycles` to cause `id` (from `causeId`). */
  add(id: number, cycles: number): void {
    if (id >= this.cycles.length) this.grow(id);
    if (this.seen[id] === 0) { this.seen[id] = 1; this.order.push(id); }
    this.cycles[id] += cycles;
  }

  /** Cycles charged to cause `id` so far (0 if never). */
  get(id: number): number { return id < this.cycles.length ? this.cycles[id] : 0; }

  /** Cause name → cycles, for the causes charged so far, in first-charge order (a fresh object). */
  toRecord(): Record<string, number> {
    const o: Record<string, number> = {};
    for (const id of this.order) o[names[id]] = this.cycles[id];
    return o;
  }

  /**
   * The tally as (name, cycles) pairs in first-charge order — for snapshots: cause ids are
   * assigned per process (per worker), so a snapshot saved in one and restored in another must
   * not carry them (src/core/snapshot/machine.ts uses these two).
   */
  getState(): [string, number][] {
    return this.order.map((id) => [names[id], this.cycles[id]]);
  }

  /** Makes the tally equal to `state` (from `getState`, perhaps of another process), under this process's ids. */
  setState(state: readonly (readonly [string, number])[]): void {
    this.cycles = new Float64Array(64); this.seen = new Uint8Array(64); this.order.length = 0;
    for (const [name, cycles] of state) this.add(causeId(name), cycles);
  }

  private grow(id: number): void {
    let n = this.cycles.length;
    while (n <= id) n *= 2;
    const c = new Float64Array(n), s = new Uint8Array(n);
    c.set(this.cycles); s.set(this.seen);
    this.cycles = c; this.seen = s;
  }
}
