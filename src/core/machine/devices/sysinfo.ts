/**
 * System information (read-only): lets bare-metal code and the guest OS find out which CPU it
 * runs on and what the machine looks like. Writes are ignored.
 *
 * | offset | name          | meaning |
 * |--------|---------------|---------|
 * | 0x00   | CPU_ID        | id of the reading CPU (0 .. CPUs−1; CPU c is on node ⌊c / cpusPerNode⌋) |
 * | 0x04   | NODE_ID       | node of the reading CPU |
 * | 0x08   | NCPUS         | number of CPUs |
 * | 0x0C   | NNODES        | number of nodes |
 * | 0x10   | RAM_BYTES     | bytes of machine memory (RAM starts at physical 0) |
 * | 0x14   | NODE_BYTES    | bytes of memory per node (node n owns [n × NODE_BYTES, (n+1) × NODE_BYTES)) |
 * | 0x18   | CLOCK_KHZ     | CPU clock in kHz |
 * | 0x1C   | CPUS_PER_NODE | CPUs on each node |
 * | 0x20   | CYCLE_LO      | the reading CPU's cycle counter, low 32 bits |
 * | 0x24   | CYCLE_HI      | … high bits |
 */
import type { CpuAwareDevice, DeviceContext } from './device';

export const SYSINFO_REG = { CPU_ID: 0x00, NODE_ID: 0x04, NCPUS: 0x08, NNODES: 0x0c, RAM_BYTES: 0x10, NODE_BYTES: 0x14, CLOCK_KHZ: 0x18, CPUS_PER_NODE: 0x1c, CYCLE_LO: 0x20, CYCLE_HI: 0x24 } as const;

export interface SysinfoGeometry { nodes: number; cpusPerNode: number; nodeBytes: number; clockMHz: number }

export class SysinfoDevice implements CpuAwareDevice {
  readonly name = 'sysinfo';
  readonly size = 0x1000;

  constructor(private readonly ctx: DeviceContext, private readonly g: SysinfoGeometry) {}

  read32(offset: number, cpu = 0): number {
    const g = this.g;
    switch (offset) {
      case SYSINFO_REG.CPU_ID: return cpu;
      case SYSINFO_REG.NODE_ID: return Math.floor(cpu / g.cpusPerNode);
      case SYSINFO_REG.NCPUS: return g.nodes * g.cpusPerNode;
      case SYSINFO_REG.NNODES: return g.nodes;
      case SYSINFO_REG.RAM_BYTES: return (g.nodes * g.nodeBytes) >>> 0;
      case SYSINFO_REG.NODE_BYTES: return g.nodeBytes >>> 0;
      case SYSINFO_REG.CLOCK_KHZ: return Math.round(g.clockMHz * 1000) >>> 0;
      case SYSINFO_REG.CPUS_PER_NODE: return g.cpusPerNode;
      case SYSINFO_REG.CYCLE_LO: return this.ctx.cycleOf(cpu) >>> 0;
      case SYSINFO_REG.CYCLE_HI: return Math.floor(this.ctx.cycleOf(cpu) / 4294967296) >>> 0;
      default: return 0;
    }
  }

  write32(): void {}
  getState(): unknown { return {}; }
  setState(): void {}
}
