/**
 * The machine's simulated-time event queue (implements the `EventQueue` contract): a binary
 * min-heap ordered by (cycle, scheduling sequence), so events due at the same cycle run in the
 * order they were scheduled — deterministic, independent of host timing. The machine sets the
 * current time (`advanceTo`) and drains due events between CPU quanta.
 *
 * Snapshots (src/core/snapshot): an event is either a closure (`schedule`) or a **posted** event
 * (`post(at, kind, data)`: a handler registered once with `on(kind, …)` and plain data), which
 * `getState` can write down and `setState` can rebuild in another machine. The machine's devices
 * and the monitor's virtual devices post; a snapshot with a closure pending is refused.
 */
import type { EventQueue } from './contracts';

interface Ev { at: number; seq: number; fn: () => void; kind?: string; data?: unknown }

/** A pending posted event, as a snapshot holds it. */
export interface PostedEvent { at: number; seq: number; kind: string; data: unknown }
export interface EventQueueState { time: number; seq: number; events: PostedEvent[] }

export class SimEventQueue implements EventQueue {
  private heap: Ev[] = [];
  private seq = 0;
  private time = 0;
  private readonly handlers = new Map<string, (data: never) => void>();

  now(): number { return this.time; }

  schedule(atCycle: number, fn: () => void): void { this.push({ at: atCycle, seq: this.seq++, fn }); }

  /** Registers the handler of posted events of `kind` (once per machine, when its owner is built). */
  on<T>(kind: string, handler: (data: T) => void): void {
    if (this.handlers.has(kind)) throw new Error(`bug: a second handler for events '${kind}'`);
    this.handlers.set(kind, handler as (data: never) => void);
  }

  /** Schedules `on(kind)`'s handler with `data` (plain, JSON-like data: it goes into snapshots). */
  post(atCycle: number, kind: string, data: unknown): void {
    this.push({ at: atCycle, seq: this.seq++, fn: this.bind(kind, data), kind, data });
  }

  private bind(kind: string, data: unknown): () => void {
    const h = this.handlers.get(kind);
    if (!h) throw new Error(`bug: no handler for events '${kind}'`);
    return () => h(data as never);
  }

  private push(e: Ev): void {
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

  /** The queue as data; undefined when a closure event (`schedule`) is pending, which no snapshot can hold. */
  getState(): EventQueueState | undefined {
    const events: PostedEvent[] = [];
    for (const e of this.heap) {
      if (e.kind === undefined) return undefined;
      events.push({ at: e.at, seq: e.seq, kind: e.kind, data: structuredCopy(e.data) });
    }
    events.sort((a, b) => a.at - b.at || a.seq - b.seq);
    return { time: this.time, seq: this.seq, events };
  }

  /** Replaces the queue by `s` (the handlers are this machine's own). */
  setState(s: EventQueueState): void {
    this.time = s.time;
    this.seq = s.seq;
    // sorted by (at, seq): already a valid heap
    this.heap = s.events.map((e) => { const data = structuredCopy(e.data); return { at: e.at, seq: e.seq, kind: e.kind, data, fn: this.bind(e.kind, data) }; });
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

/** A copy of JSON-like event data (numbers, strings, arrays, plain objects). */
function structuredCopy<T>(x: T): T { return x === undefined ? x : JSON.parse(JSON.stringify(x)) as T; }
