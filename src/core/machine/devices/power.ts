/**
 * Power / exit device: how a bare-metal program or guest OS ends a run.
 *
 * | offset | name | access | meaning |
 * |--------|------|--------|---------|
 * | 0x00   | EXIT | W      | power off: the machine stops after the current instruction with exit status `value` (signed 32-bit) |
 *
 * Reads return 0. The first write wins; later writes (e.g. from other CPUs in the same quantum)
 * are ignored.
 */
import type { CpuAwareDevice } from './device';

export const POWER_REG = { EXIT: 0x00 } as const;

export interface PowerOff { code: number; cpu: number; cycle: number }

export class PowerDevice implements CpuAwareDevice {
  readonly name = 'power';
  readonly size = 0x1000;
  private off: PowerOff | undefined;

  /** @param onExit called once, at the first EXIT write (the machine stops its CPUs) */
  constructor(private readonly cycleOf: (cpu: number) => number, private readonly onExit: (p: PowerOff) => void = () => {}) {}

  read32(): number { return 0; }

  write32(offset: number, value: number, cpu = 0): void {
    if (offset !== POWER_REG.EXIT || this.off) return;
    this.off = { code: value | 0, cpu, cycle: this.cycleOf(cpu) };
    this.onExit(this.off);
  }

  get poweredOff(): PowerOff | undefined { return this.off; }

  getState(): unknown { return { off: this.off ?? null }; }
  setState(s: unknown): void { this.off = (s as { off: PowerOff | null }).off ?? undefined; }
}
