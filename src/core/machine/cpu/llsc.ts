import type { LLReservationTable } from '../contracts';

/**
 * LL/SC reservations of all CPUs of one machine (see `LLReservationTable` in contracts.ts).
 * Granule: one aligned physical word. Entry −1 = no reservation.
 */
export class LLReservations implements LLReservationTable {
  active = 0;
  private readonly addr: Float64Array;

  constructor(cpus: number) { this.addr = new Float64Array(Math.max(1, cpus)).fill(-1); }

  private ensure(cpu: number): void {
    if (cpu >= this.addr.length) throw new Error(`LLReservations: cpu ${cpu} out of range (${this.addr.length})`);
  }

  set(cpu: number, paddr: number): void {
    this.ensure(cpu);
    if (this.addr[cpu] < 0) this.active++;
    this.addr[cpu] = paddr - (paddr % 4);
  }

  clear(cpu: number): void {
    if (cpu < this.addr.length && this.addr[cpu] >= 0) { this.addr[cpu] = -1; this.active--; }
  }

  holds(cpu: number, paddr: number): boolean {
    return cpu < this.addr.length && this.addr[cpu] === paddr - (paddr % 4);
  }

  store(paddr: number): void {
    const a = paddr - (paddr % 4), t = this.addr;
    for (let i = 0; i < t.length; i++) if (t[i] === a) { t[i] = -1; this.active--; }
  }
}
