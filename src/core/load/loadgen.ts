/**
 * The load generator: closed-loop clients on the far side of the virtual network, `clientsPerVm`
 * per VM. A client sends a request (its type drawn from the mix by weight), waits for the
 * response, thinks for a time drawn uniformly from [0.5, 1.5] × `thinkTimeUs`, and sends the
 * next, until it has sent `requestsPerClient` (0: no limit) or the load's `durationMs` is over
 * (0: no limit). Packets take `networkLatencyUs` each way. Every choice comes from one seeded
 * generator, in simulated-time order, so a run is deterministic.
 *
 * The generator lives outside the machine (like the paper's client machines): its work costs no
 * simulated CPU; it reaches the VMs only through `deliver` (a packet for a VM's receive queue).
 * One generator serves both monitors: Denali's VMs (src/core/denali) and Disco's, whose guest
 * OS serves it over the virtual network (src/core/disco/vdevices/clients.ts) — so a Denali run
 * and a Disco run of the same service see the same clients.
 */

/** One request of the load generator in flight (a packet on the virtual network). */
export interface Request {
  seq: number;
  client: number;
  /** Index into the load's request mix. */
  type: number;
  /** Response size the guest must send [bytes]. */
  bytes: number;
  /** Cycle the client sent it. */
  sentAt: number;
}

/** A request on the wire: 3 words — sequence number, type, response size [bytes]. */
export const REQUEST_BYTES = 12;

/**
 * The request a response answers, taken out of `inflight` (the requests its VM was sent and has
 * not answered): a response's word 0 is the request's sequence number, word 1 (`lenWord`) its
 * length. `ok` when it has the requested size and says so; undefined when the VM was sent no such
 * request (the monitor refuses the send). The one rule for both monitors' VMs.
 */
export function takeAnswered(inflight: Request[], seq: number, len: number, lenWord: number): { req: Request; ok: boolean } | undefined {
  const i = inflight.findIndex((r) => r.seq === seq);
  if (i < 0) return undefined;
  const req = inflight[i];
  inflight.splice(i, 1);
  return { req, ok: len === req.bytes && lenWord === len };
}

export interface RequestType { name: string; responseBytes: number; weight: number }

export interface LoadSpec {
  clientsPerVm: number;
  requestsPerClient: number;
  thinkTimeUs: number;
  networkLatencyUs: number;
  durationMs: number;
  mix: RequestType[];
}

export const DEFAULT_MIX: readonly RequestType[] = [
  { name: 'small', responseBytes: 256, weight: 3 },
  { name: 'large', responseBytes: 4096, weight: 1 },
];

/** mulberry32: a small, well-mixed 32-bit generator (deterministic across hosts). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LoadHost {
  schedule(cycle: number, fn: () => void): void;
  /** The machine's busy CPU time so far (user + kernel + monitor of every CPU) [cycles], sampled when the first request arrives and at each response. */
  busyCycles(): number;
  /** A request reaches VM `vm` (its receive queue). */
  deliver(vm: number, req: Request): void;
  /** Every client is done: nothing more will be sent. */
  done(cycle: number): void;
}

/** Busy time of `cpus` so far: user + kernel + monitor of each [cycles] (a LoadHost's `busyCycles`). */
export function busyCycles(cpus: readonly { buckets: { user: number; kernel: number; monitor: number } }[]): number {
  let s = 0;
  for (const c of cpus) s += c.buckets.user + c.buckets.kernel + c.buckets.monitor;
  return s;
}

/** Response-time histogram bins per doubling (bin k holds times in [2^(k/B), 2^((k+1)/B)) cycles): ±2.2 %. */
export const LATENCY_BINS_PER_DOUBLING = 16;
/** Width of a throughput-over-time bucket [cycles] (1 ms at 200 MHz; the record merges buckets). */
export const THROUGHPUT_BUCKET_CYCLES = 200_000;

export class LoadGenerator {
  readonly stats = {
    sent: 0, responses: 0, badResponses: 0, responseCycles: 0, lastResponse: 0, byType: [] as number[],
    /** The first request's sending [cycles] (−1: none yet): the load's span starts here. */
    firstSent: -1,
    /** Busy CPU time when the first request arrived, and at the last response [cycles] (−1: not yet). */
    busyAtFirst: -1, busyAtLast: -1,
  };
  /** Responses by response time: bin k counts times in [2^(k/B), 2^((k+1)/B)) cycles, B = LATENCY_BINS_PER_DOUBLING. */
  readonly latencyBins = new Float64Array(64 * LATENCY_BINS_PER_DOUBLING);
  /** Responses arrived per THROUGHPUT_BUCKET_CYCLES of simulated time, from cycle 0. */
  readonly perBucket: number[] = [];
  private readonly random: () => number;
  private readonly remaining: Int32Array;
  private readonly finished: Uint8Array;
  private readonly think: number;
  private readonly latency: number;
  private readonly end: number;
  private readonly totalWeight: number;
  private clientsLeft: number;
  private seq = 0;

  constructor(readonly spec: LoadSpec, readonly vms: number, seed: number, clockMHz: number, private readonly host: LoadHost) {
    this.random = rng(seed ^ 0x44656e61);
    const clients = vms * spec.clientsPerVm;
    this.remaining = new Int32Array(clients).fill(spec.requestsPerClient > 0 ? spec.requestsPerClient : -1);
    this.finished = new Uint8Array(clients);
    this.think = spec.thinkTimeUs * clockMHz;
    this.latency = Math.round(spec.networkLatencyUs * clockMHz);
    this.end = spec.durationMs > 0 ? spec.durationMs * 1000 * clockMHz : Infinity;
    this.totalWeight = spec.mix.reduce((s, t) => s + t.weight, 0);
    this.clientsLeft = clients;
    this.stats.byType = spec.mix.map(() => 0);
  }

  get clients(): number { return this.remaining.length; }

  /** Schedules every client's first request at a random point of its first think time. */
  start(): void {
    if (this.clientsLeft === 0) { this.host.schedule(0, () => this.host.done(0)); return; }   // no clients: done at once
    for (let vm = 0; vm < this.vms; vm++) this.startVm(vm, 0);
  }

  /** The clients of VM `vm` begin at `at`: each first request at a random point of its first think time. */
  startVm(vm: number, at: number): void {
    const n = this.spec.clientsPerVm;
    for (let c = vm * n; c < (vm + 1) * n; c++) this.send(c, at + Math.floor(this.random() * this.think));
  }

  /** VM `vm` is gone at `cycle`: every client of it stops (requests it had are lost). */
  stopVm(vm: number, cycle: number): void {
    const n = this.spec.clientsPerVm;
    for (let c = vm * n; c < (vm + 1) * n; c++) this.finish(c, cycle);
  }

  private pickType(): number {
    let x = this.random() * this.totalWeight;
    for (let i = 0; i < this.spec.mix.length; i++) { x -= this.spec.mix[i].weight; if (x < 0) return i; }
    return this.spec.mix.length - 1;
  }

  private send(client: number, at: number): void {
    if (at >= this.end) { this.finish(client, this.end); return; }
    if (this.remaining[client] > 0) this.remaining[client]--;
    const type = this.pickType();
    const req: Request = { seq: ++this.seq, client, type, bytes: this.spec.mix[type].responseBytes, sentAt: at };
    const vm = Math.floor(client / this.spec.clientsPerVm);
    this.stats.sent++;
    if (this.stats.firstSent < 0 || at < this.stats.firstSent) this.stats.firstSent = at;
    this.host.schedule(at + this.latency, () => {
      if (this.stats.busyAtFirst < 0) this.stats.busyAtFirst = this.host.busyCycles();
      this.host.deliver(vm, req);
    });
  }

  private finish(client: number, at: number): void {
    if (this.finished[client]) return;
    this.finished[client] = 1;
    this.remaining[client] = 0;
    if (--this.clientsLeft === 0) this.host.schedule(at, () => this.host.done(at));
  }

  /** The VM answered `req` at `cycle` (`ok`: the response had the requested size and sequence number). */
  respond(req: Request, ok: boolean, cycle: number): void {
    const arrive = cycle + this.latency;
    this.host.schedule(arrive, () => {
      this.stats.responses++;
      if (!ok) this.stats.badResponses++;
      this.stats.byType[req.type]++;
      this.stats.responseCycles += arrive - req.sentAt;
      this.stats.lastResponse = arrive;
      this.stats.busyAtLast = this.host.busyCycles();
      const t = Math.max(1, arrive - req.sentAt);
      this.latencyBins[Math.min(this.latencyBins.length - 1, Math.floor(Math.log2(t) * LATENCY_BINS_PER_DOUBLING))]++;
      const b = Math.floor(arrive / THROUGHPUT_BUCKET_CYCLES);
      while (this.perBucket.length <= b) this.perBucket.push(0);
      this.perBucket[b]++;
      if (this.remaining[req.client] === 0) { this.finish(req.client, arrive); return; }
      const think = Math.round(this.think * (0.5 + this.random()));
      this.send(req.client, arrive + think);
    });
  }

  /** The VM of `req` is gone (stopped or exited): its client gives up. */
  abandon(req: Request, cycle: number): void { this.finish(req.client, cycle); }
}
