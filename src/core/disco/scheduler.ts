/**
 * vCPU scheduling policy (data only; the monitor performs the switches). Each physical CPU has
 * a FIFO run queue of runnable vCPUs whose `home` it is; vCPUs start spread round-robin (VM by
 * VM, vCPU by vCPU, over physical CPUs in id order) and stay home (affinity). A physical CPU
 * with nothing runnable steals the first runnable vCPU from the other queues (in CPU id order),
 * which then makes it its home. A running vCPU keeps the processor for `sliceCycles` when others
 * wait in its queue; `wait` gives it up at once.
 */
import type { Vcpu } from './vcpu';

export class Scheduler {
  readonly queues: Vcpu[][];
  constructor(readonly pcpus: number, readonly sliceCycles: number) {
    this.queues = Array.from({ length: pcpus }, () => []);
  }

  /** Initial placement: the k-th vCPU overall goes to CPU k mod N. */
  place(all: readonly Vcpu[]): void {
    all.forEach((v, k) => { v.home = k % this.pcpus; this.queues[v.home].push(v); });
  }

  enqueue(v: Vcpu): void {
    if (!this.queues[v.home].includes(v)) this.queues[v.home].push(v);
  }

  remove(v: Vcpu): void {
    const q = this.queues[v.home], i = q.indexOf(v);
    if (i >= 0) q.splice(i, 1);
  }

  /** Next vCPU for physical CPU `cpu`: its own queue first, then stealing. */
  pick(cpu: number): Vcpu | undefined {
    const own = this.queues[cpu];
    if (own.length) return own.shift();
    for (let k = 1; k < this.pcpus; k++) {
      const q = this.queues[(cpu + k) % this.pcpus];
      if (q.length) { const v = q.shift()!; v.home = cpu; return v; }
    }
    return undefined;
  }

  hasWaiting(cpu: number): boolean { return this.queues[cpu].length > 0; }
}
