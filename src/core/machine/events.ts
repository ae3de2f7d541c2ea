/**
 * The machine's simulated-time event queue (implements the `EventQueue` contract): a binary
 * min-heap ordered by (cycle, scheduling sequence), so events due at the same cycle run in the
 * order they were scheduled — deterministic, independent of host timing. The machine sets the
 * current time (`advanceTo`) and drains due events between CPU quanta.
 */
import type { EventQueue } from './contracts';

interface Ev { at: number; seq: number; fn: () => void }

export class SimEventQueue implements EventQueue {
  private heap: Ev[] = [];
  private seq = 0;
  private time = 0;

  now(): number { return this.time; }

  schedule(atCycle: number, fn: () => void): void {
    const e: Ev = { at: atCycle, seq: this.seq++, fn };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  /** Cycle of the earliest pending event, or Infinity. */
  nextTime(): number { return this.heap.length ? this.heap[0].at : Infinity; }

  get size(): number { return this.heap.length; }

  /** Sets machine time to `cycle` and runs every event due at or before it (including ones they schedule). */
  advanceTo(cycle: number): number {
    if (cycle > this.time) this.time = cycle;
    let n = 0;
    while (this.heap.length && this.heap[0].at <= this.time) {
      const e = this.pop();
      e.fn();
      n++;
    }
    return n;
  }

  private pop(): Ev {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && less(h[l], h[m])) m = l;
        if (r < h.length && less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function less(a: Ev, b: Ev): boolean { return a.at < b.at || (a.at === b.at && a.seq < b.seq); }
