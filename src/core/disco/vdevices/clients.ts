/**
 * The far side of Disco's virtual network: the load generator's clients (src/core/load), the
 * same closed-loop clients that drive a Denali run, here talking to guest-OS VMs. They sit at
 * network address CLIENTS_ADDR (VMs are 0 … n−1), outside the machine: their work costs no
 * simulated CPU.
 *
 *   - A request is a message of 12 bytes from CLIENTS_ADDR: sequence number, type, response
 *     size [bytes] (big-endian words, the Denali request's layout). It reaches the VM's
 *     interface (net.ts `netDeliver`) — a posted buffer, or the VM's queue — at the cycle the
 *     generator says, and raises the VM's network line.
 *   - A response is the guest's `net.send` to CLIENTS_ADDR: word 0 the request's sequence number,
 *     word 1 its length; a response of the requested length is right, anything else is counted
 *     wrong (`badResponses`). A sequence number the VM was not sent is refused (−1).
 *   - A VM's clients begin when it first posts a receive buffer (its service listens): a guest
 *     OS boots for milliseconds first, a Denali VM is up at once.
 *   - Responses are copied off the machine, never remapped (the clients are across a wire).
 *   - A VM that exits or is stopped loses its requests: its clients stop.
 *
 * Every choice comes from the load generator's seeded generator and the machine's event queue:
 * deterministic. Not snapshot state (the events are closures): the debugger refuses a run with
 * a load, as it refuses Denali runs.
 */
import { LoadGenerator, REQUEST_BYTES, takeAnswered, type LoadSpec, type Request } from '../../load/loadgen';

/** The clients' address on the virtual subnet. */
export const CLIENTS_ADDR = 0xffff;

export interface ClientsHost {
  schedule(cycle: number, fn: () => void): void;
  /** The machine's busy CPU time so far [cycles] (loadgen.ts `busyCycles`). */
  busyCycles(): number;
  /** Hands a request message (`bytes`, from CLIENTS_ADDR) to VM number `vm`'s interface; false when the VM is gone. */
  deliver(vm: number, bytes: Uint8Array): boolean;
  /** Every client is done at `cycle`: nothing more will be sent. */
  done(cycle: number): void;
}

export class ServiceClients {
  readonly gen: LoadGenerator;
  /** Requests delivered to each VM and not yet answered. */
  private readonly inflight: Request[][];
  /** Requests each VM answered. */
  readonly answered: number[];
  /** When every client was done [cycles], or null. */
  doneAt: number | null = null;
  /** Per VM: its clients have begun (it posted a receive buffer). */
  private readonly listening: Uint8Array;

  constructor(spec: LoadSpec, vms: number, seed: number, clockMHz: number, private readonly host: ClientsHost) {
    this.inflight = Array.from({ length: vms }, () => []);
    this.answered = new Array<number>(vms).fill(0);
    this.listening = new Uint8Array(vms);
    this.gen = new LoadGenerator(spec, vms, seed, clockMHz, {
      schedule: (c, fn) => host.schedule(c, fn),
      busyCycles: () => host.busyCycles(),
      deliver: (vm, req) => {
        const b = new Uint8Array(REQUEST_BYTES), w = new DataView(b.buffer);
        w.setUint32(0, req.seq); w.setUint32(4, req.type); w.setUint32(8, req.bytes);
        if (host.deliver(vm, b)) this.inflight[vm].push(req);
        else this.gen.abandon(req, req.sentAt);
      },
      done: (c) => { this.doneAt = c; host.done(c); },
    });
  }

  /** No clients at all: done at once. Otherwise each VM's clients wait for it to listen. */
  start(): void { if (this.gen.clients === 0) this.gen.start(); }

  /** VM `vm` posted a receive buffer at `cycle`: the first time, its clients begin. */
  listen(vm: number, cycle: number): void {
    if (this.listening[vm] !== 0) return;
    this.listening[vm] = 1;
    this.gen.startVm(vm, cycle);
  }

  /** VM `vm` sends `bytes` to the clients at `cycle`: true when it answers a request of its own (right or wrong), false = refused. */
  respond(vm: number, bytes: Uint8Array, cycle: number): boolean {
    if (bytes.length < 8) return false;
    const w = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const r = takeAnswered(this.inflight[vm], w.getInt32(0), bytes.length, w.getInt32(4));
    if (r === undefined) return false;
    this.answered[vm]++;
    this.gen.respond(r.req, r.ok, cycle);
    return true;
  }

  /** VM `vm` is gone at `cycle`: its clients stop. */
  abandonVm(vm: number, cycle: number): void {
    this.listening[vm] = 1;
    this.gen.stopVm(vm, cycle);
    this.inflight[vm].length = 0;
  }
}
