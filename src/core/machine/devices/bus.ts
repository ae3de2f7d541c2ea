/**
 * The MMIO bus: maps 4 KiB-aligned physical windows to devices and hands each access to its
 * device as an *offset* plus the id of the accessing CPU. Only aligned 32-bit accesses inside a
 * mapped window reach a device; anything else is a bus error, reported as a value (`undefined`
 * from `read32`, `false` from `write32`) for the CPU to raise as a bus-error exception.
 */
import type { CpuAwareDevice } from './device';

interface Mapping { base: number; end: number; device: CpuAwareDevice }

export class Bus {
  private maps: Mapping[] = [];
  /** Accesses that reached a device, per device name (stats). */
  readonly accesses: Record<string, number> = {};

  map(base: number, device: CpuAwareDevice): void {
    const b = base >>> 0, end = b + device.size;
    if (b % 0x1000 !== 0 || device.size % 4 !== 0 || device.size <= 0) throw new Error(`bug: bad device window for ${device.name} at 0x${b.toString(16)}`);
    if (this.maps.some((m) => b < m.end && m.base < end)) throw new Error(`bug: device ${device.name} overlaps another window`);
    this.maps.push({ base: b, end, device });
    this.maps.sort((x, y) => x.base - y.base);
    this.accesses[device.name] = 0;
  }

  get devices(): readonly CpuAwareDevice[] { return this.maps.map((m) => m.device); }

  /** The mapping that decodes `paddr`, or undefined. */
  private find(paddr: number): Mapping | undefined {
    const a = paddr >>> 0;
    for (const m of this.maps) if (a >= m.base && a < m.end) return m;
    return undefined;
  }

  /** True if some device decodes `paddr` (whatever the access size). */
  decodes(paddr: number): boolean { return this.find(paddr) !== undefined; }

  /** A 32-bit read by `cpu`; `undefined` = bus error (unmapped or misaligned). */
  read32(cpu: number, paddr: number): number | undefined {
    if ((paddr & 3) !== 0) return undefined;
    const m = this.find(paddr);
    if (!m) return undefined;
    this.accesses[m.device.name]++;
    return m.device.read32((paddr >>> 0) - m.base, cpu) >>> 0;
  }

  /** A 32-bit write by `cpu`; false = bus error (unmapped or misaligned). */
  write32(cpu: number, paddr: number, value: number): boolean {
    if ((paddr & 3) !== 0) return false;
    const m = this.find(paddr);
    if (!m) return false;
    this.accesses[m.device.name]++;
    m.device.write32((paddr >>> 0) - m.base, value | 0, cpu);
    return true;
  }
}
