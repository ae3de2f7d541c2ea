/**
 * Block disk with DMA and a completion interrupt. 512-byte sectors; bytes on disk are in file
 * order (big-endian words when the guest stores words).
 *
 * | offset | name     | access | meaning |
 * |--------|----------|--------|---------|
 * | 0x00   | SECTOR   | RW     | first sector of the transfer |
 * | 0x04   | COUNT    | RW     | number of sectors (≥ 1) |
 * | 0x08   | DMA_ADDR | RW     | physical address of the memory buffer (any alignment) |
 * | 0x0C   | COMMAND  | W      | 1 READ (disk → memory), 2 WRITE (memory → disk), 3 ACK (status → IDLE, lowers IRQ 3) |
 * | 0x10   | STATUS   | R      | 0 IDLE, 1 BUSY, 2 DONE, 3 ERROR |
 * | 0x14   | ERROR    | R      | 0 none, 1 BAD_DMA (buffer not inside RAM), 2 BAD_SECTOR (range outside the disk or COUNT = 0), 3 BUSY (command while busy; ignored), 4 BAD_COMMAND |
 * | 0x18   | CAPACITY | R      | disk size in sectors |
 * | 0x1C   | IRQCPU   | RW     | CPU whose IRQ 3 line the disk drives (default 0) |
 *
 * A valid READ/WRITE sets STATUS = BUSY; `diskLatencyUs` of simulated time after the issuing
 * CPU's cycle, the transfer happens as one DMA (a READ invalidates every cached copy of the
 * pages it writes), STATUS becomes DONE and IRQ 3 is raised. A rejected command sets
 * STATUS = ERROR and raises IRQ 3 at once. The device never touches memory outside RAM: the
 * whole buffer is checked against RAM when the command is issued.
 */
import type { CpuAwareDevice, DeviceContext } from './device';
import { IRQ } from './device';
import type { PhysicalMemory } from '../memory/physical';

export const SECTOR_BYTES = 512;
export const DISK_REG = { SECTOR: 0x00, COUNT: 0x04, DMA_ADDR: 0x08, COMMAND: 0x0c, STATUS: 0x10, ERROR: 0x14, CAPACITY: 0x18, IRQCPU: 0x1c } as const;
export const DISK_CMD = { READ: 1, WRITE: 2, ACK: 3 } as const;
export const DISK_STATUS = { IDLE: 0, BUSY: 1, DONE: 2, ERROR: 3 } as const;
export const DISK_ERROR = { NONE: 0, BAD_DMA: 1, BAD_SECTOR: 2, BUSY: 3, BAD_COMMAND: 4 } as const;

/** A transfer in flight (the posted completion event's data). */
interface DiskTransfer { cmd: number; sector: number; count: number; dma: number }

export interface DiskCounters { reads: number; writes: number; sectorsRead: number; sectorsWritten: number; errors: number }

export class DiskDevice implements CpuAwareDevice {
  readonly name = 'disk';
  readonly size = 0x1000;
  readonly capacity: number;
  readonly counters: DiskCounters = { reads: 0, writes: 0, sectorsRead: 0, sectorsWritten: 0, errors: 0 };
  private sector = 0;
  private count = 0;
  private dma = 0;
  private status: number = DISK_STATUS.IDLE;
  private error: number = DISK_ERROR.NONE;
  private irqCpu = 0;
  private lineUp = false;

  /**
   * @param image disk contents (the device keeps and modifies this array; pass a copy)
   * @param latencyCycles command-to-completion time in CPU cycles
   * @param invalidate called with (paddr, length) after DMA writes memory (cache coherence)
   */
  constructor(
    private readonly ctx: DeviceContext,
    private readonly memory: PhysicalMemory,
    readonly image: Uint8Array,
    private readonly latencyCycles: number,
    private readonly invalidate: (paddr: number, length: number) => void = () => {},
  ) {
    this.capacity = Math.floor(image.length / SECTOR_BYTES);
    ctx.events.on<DiskTransfer>('disk.complete', (t) => this.complete(t.cmd, t.sector, t.count, t.dma));
  }

  read32(offset: number): number {
    switch (offset) {
      case DISK_REG.SECTOR: return this.sector;
      case DISK_REG.COUNT: return this.count;
      case DISK_REG.DMA_ADDR: return this.dma;
      case DISK_REG.STATUS: return this.status;
      case DISK_REG.ERROR: return this.error;
      case DISK_REG.CAPACITY: return this.capacity;
      case DISK_REG.IRQCPU: return this.irqCpu;
      default: return 0;
    }
  }

  write32(offset: number, value: number, cpu = 0): void {
    const v = value >>> 0;
    switch (offset) {
      case DISK_REG.SECTOR: this.sector = v; break;
      case DISK_REG.COUNT: this.count = v; break;
      case DISK_REG.DMA_ADDR: this.dma = v; break;
      case DISK_REG.IRQCPU: if (v < this.ctx.cpus) { this.setLine(false); this.irqCpu = v; this.setLine(this.status === DISK_STATUS.DONE || this.status === DISK_STATUS.ERROR); } break;
      case DISK_REG.COMMAND: this.command(v, cpu); break;
    }
  }

  private command(cmd: number, cpu: number): void {
    if (cmd === DISK_CMD.ACK) {
      if (this.status !== DISK_STATUS.BUSY) { this.status = DISK_STATUS.IDLE; this.error = DISK_ERROR.NONE; this.setLine(false); }
      return;
    }
    if (this.status === DISK_STATUS.BUSY) { this.error = DISK_ERROR.BUSY; this.counters.errors++; return; }
    if (cmd !== DISK_CMD.READ && cmd !== DISK_CMD.WRITE) return this.fail(DISK_ERROR.BAD_COMMAND);
    const bytes = this.count * SECTOR_BYTES;
    if (this.count === 0 || this.sector + this.count > this.capacity) return this.fail(DISK_ERROR.BAD_SECTOR);
    if (!this.memory.contains(this.dma, bytes)) return this.fail(DISK_ERROR.BAD_DMA);
    this.status = DISK_STATUS.BUSY;
    this.error = DISK_ERROR.NONE;
    this.setLine(false);
    const t: DiskTransfer = { cmd, sector: this.sector, count: this.count, dma: this.dma };
    this.ctx.events.post(this.ctx.cycleOf(cpu) + this.latencyCycles, 'disk.complete', t);
  }

  private complete(cmd: number, sector: number, count: number, dma: number): void {
    const off = sector * SECTOR_BYTES, bytes = count * SECTOR_BYTES;
    if (cmd === DISK_CMD.READ) {
      this.memory.writeBytes(dma, this.image.subarray(off, off + bytes));
      this.invalidate(dma, bytes);
      this.counters.reads++; this.counters.sectorsRead += count;
    } else {
      this.image.set(this.memory.readBytes(dma, bytes), off);
      this.counters.writes++; this.counters.sectorsWritten += count;
    }
    this.status = DISK_STATUS.DONE;
    this.setLine(true);
  }

  private fail(code: number): void {
    this.status = DISK_STATUS.ERROR;
    this.error = code;
    this.counters.errors++;
    this.setLine(true);
  }

  private setLine(up: boolean): void {
    if (up !== this.lineUp) { this.lineUp = up; this.ctx.irq.setLine(this.irqCpu, IRQ.disk, up); }
  }

  /** Snapshot of the registers (the image and in-flight events are not included). */
  getState(): unknown {
    return { sector: this.sector, count: this.count, dma: this.dma, status: this.status, error: this.error, irqCpu: this.irqCpu, counters: { ...this.counters } };
  }
  setState(s: unknown): void {
    const st = s as { sector: number; count: number; dma: number; status: number; error: number; irqCpu: number; counters: DiskCounters };
    this.setLine(false);
    Object.assign(this, { sector: st.sector, count: st.count, dma: st.dma, status: st.status, error: st.error, irqCpu: st.irqCpu });
    Object.assign(this.counters, st.counters);
    this.setLine(this.status === DISK_STATUS.DONE || this.status === DISK_STATUS.ERROR);
  }
}
