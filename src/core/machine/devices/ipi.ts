/**
 * Inter-processor interrupts. Each CPU has a pending mask of senders; a non-zero mask holds its
 * IRQ 4 line up.
 *
 * | offset | name    | access | meaning |
 * |--------|---------|--------|---------|
 * | 0x00   | SEND    | W      | bit t set → set the writer's bit in CPU t's pending mask (t < CPUs; others ignored) |
 * | 0x04   | PENDING | R      | the reading CPU's pending mask (bit s = CPU s sent an IPI) |
 * | 0x08   | CLEAR   | W      | clear these bits of the writing CPU's pending mask; IRQ 4 drops when it reaches 0 |
 *
 * A CPU may send to itself. Delivery is immediate in simulated time: the target sees the line at
 * its next instruction boundary (within the current quantum if it has not yet run it).
 */
import type { CpuAwareDevice, DeviceContext } from './device';
import { IRQ } from './device';

export const IPI_REG = { SEND: 0x00, PENDING: 0x04, CLEAR: 0x08 } as const;

export class IpiDevice implements CpuAwareDevice {
  readonly name = 'ipi';
  readonly size = 0x1000;
  /** IPIs sent per CPU (one per target). */
  readonly sent: number[];
  readonly received: number[];
  private pending: number[];

  constructor(private readonly ctx: DeviceContext) {
    this.pending = new Array<number>(ctx.cpus).fill(0);
    this.sent = new Array<number>(ctx.cpus).fill(0);
    this.received = new Array<number>(ctx.cpus).fill(0);
  }

  read32(offset: number, cpu = 0): number {
    return offset === IPI_REG.PENDING ? this.pending[cpu] >>> 0 : 0;
  }

  write32(offset: number, value: number, cpu = 0): void {
    if (offset === IPI_REG.SEND) {
      for (let t = 0; t < this.ctx.cpus; t++) {
        if (((value >>> t) & 1) === 0) continue;
        const before = this.pending[t];
        this.pending[t] |= 1 << cpu;
        this.sent[cpu]++;
        this.received[t]++;
        if (before === 0) this.ctx.irq.setLine(t, IRQ.ipi, true);
      }
    } else if (offset === IPI_REG.CLEAR) {
      const before = this.pending[cpu];
      this.pending[cpu] &= ~value;
      if (before !== 0 && this.pending[cpu] === 0) this.ctx.irq.setLine(cpu, IRQ.ipi, false);
    }
  }

  getState(): unknown { return { pending: this.pending.slice(), sent: this.sent.slice(), received: this.received.slice() }; }
  setState(s: unknown): void {
    const st = s as { pending: number[]; sent: number[]; received: number[] };
    for (let t = 0; t < this.ctx.cpus; t++) {
      this.pending[t] = st.pending[t] | 0;
      this.sent[t] = st.sent[t]; this.received[t] = st.received[t];
      this.ctx.irq.setLine(t, IRQ.ipi, this.pending[t] !== 0);
    }
  }
}
