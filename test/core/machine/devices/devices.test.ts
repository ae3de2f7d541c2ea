import { describe, expect, it } from 'vitest';
import { SimEventQueue } from '../../../../src/core/machine/events';
import { Bus } from '../../../../src/core/machine/devices/bus';
import { IRQ, type DeviceContext } from '../../../../src/core/machine/devices/device';
import { DEVICE_BASE } from '../../../../src/core/machine/devices/registry';
import { CONSOLE_REG, ConsoleDevice, decodeUtf8 } from '../../../../src/core/machine/devices/console';
import { DISK_CMD, DISK_ERROR, DISK_REG, DISK_STATUS, DiskDevice, SECTOR_BYTES } from '../../../../src/core/machine/devices/disk';
import { IPI_REG, IpiDevice } from '../../../../src/core/machine/devices/ipi';
import { POWER_REG, PowerDevice } from '../../../../src/core/machine/devices/power';
import { SYSINFO_REG, SysinfoDevice } from '../../../../src/core/machine/devices/sysinfo';
import { PhysicalMemory } from '../../../../src/core/machine/memory/physical';

/** A context recording interrupt lines; CPU clocks are settable. */
function context(cpus = 4) {
  const events = new SimEventQueue();
  const lines = new Map<string, boolean>();
  const clocks = new Array<number>(cpus).fill(0);
  const log: string[] = [];
  const ctx: DeviceContext = {
    events, cpus,
    irq: { setLine: (cpu, line, level) => { lines.set(`${cpu}:${line}`, level); log.push(`${cpu}:${line}:${level ? 1 : 0}@${events.now()}`); } },
    cycleOf: (cpu) => clocks[cpu],
  };
  return { ctx, events, lines, clocks, log, line: (cpu: number, l: number) => lines.get(`${cpu}:${l}`) ?? false };
}

describe('event queue', () => {
  it('runs events in time order, ties in scheduling order, and only when due', () => {
    const q = new SimEventQueue();
    const seen: string[] = [];
    q.schedule(50, () => seen.push('b'));
    q.schedule(10, () => seen.push('a'));
    q.schedule(50, () => seen.push('c'));
    q.schedule(70, () => seen.push('d'));
    expect(q.nextTime()).toBe(10);
    expect(q.advanceTo(49)).toBe(1);
    expect(q.now()).toBe(49);
    q.advanceTo(60);
    expect(seen).toEqual(['a', 'b', 'c']);
    q.schedule(65, () => { seen.push('e'); q.schedule(65, () => seen.push('f')); });
    q.advanceTo(100);
    expect(seen).toEqual(['a', 'b', 'c', 'e', 'f', 'd']);
    expect(q.nextTime()).toBe(Infinity);
  });
});

describe('bus', () => {
  it('hands devices offsets and the CPU id; misaligned or unmapped accesses are bus errors', () => {
    const { ctx } = context();
    const bus = new Bus();
    bus.map(DEVICE_BASE.sysinfo, new SysinfoDevice(ctx, { nodes: 2, cpusPerNode: 2, nodeBytes: 1 << 20, clockMHz: 200 }));
    expect(bus.read32(3, DEVICE_BASE.sysinfo + SYSINFO_REG.CPU_ID)).toBe(3);
    expect(bus.read32(3, DEVICE_BASE.sysinfo + SYSINFO_REG.NODE_ID)).toBe(1);
    expect(bus.read32(0, DEVICE_BASE.sysinfo + 2)).toBeUndefined();
    expect(bus.read32(0, DEVICE_BASE.console)).toBeUndefined();
    expect(bus.write32(0, 0x1f0ff000, 1)).toBe(false);
    expect(bus.write32(0, DEVICE_BASE.sysinfo, 1)).toBe(true);
    expect(bus.accesses.sysinfo).toBe(3);
    expect(() => bus.map(DEVICE_BASE.sysinfo + 0x800, new IpiDevice(ctx))).toThrow(/bug/);
  });
});

describe('console', () => {
  it('appends TX bytes to the output and decodes UTF-8', () => {
    const { ctx } = context();
    const c = new ConsoleDevice(ctx);
    for (const b of [0x68, 0x69, 0xc3, 0xa9, 0x0a]) c.write32(CONSOLE_REG.TX, 0x100 | b);
    expect(c.text()).toBe('hié\n');
    expect(c.read32(CONSOLE_REG.STATUS) & 2).toBe(2);
    expect(decodeUtf8([0xff, 0x41])).toBe('\ufffdA');
  });

  it('streams new output, holding back an incomplete UTF-8 sequence', () => {
    const { ctx } = context();
    const c = new ConsoleDevice(ctx);
    for (const b of [0x61, 0xe2, 0x82]) c.write32(CONSOLE_REG.TX, b);
    let r = c.readNew(0);
    expect(r).toEqual({ text: 'a', next: 1 });
    expect(c.readNew(r.next)).toEqual({ text: '', next: 1 });
    c.write32(CONSOLE_REG.TX, 0xac); // completes U+20AC
    c.write32(CONSOLE_REG.TX, 0x0a);
    r = c.readNew(r.next);
    expect(r).toEqual({ text: '€\n', next: 5 });
    expect(c.text()).toBe('a€\n');
  });

  it('drops output beyond the maximum and says so', () => {
    const { ctx } = context();
    const c = new ConsoleDevice(ctx, undefined, 3);
    for (let i = 0; i < 5; i++) c.write32(CONSOLE_REG.TX, 0x41);
    expect(c.text()).toBe('AAA');
    expect(c.truncated).toBe(true);
    expect(c.outputBytes).toBe(5);
  });

  it('delivers input with RX_READY and an interrupt while enabled', () => {
    const h = context();
    const c = new ConsoleDevice(h.ctx, new Uint8Array([0x61, 0x62]));
    expect(c.read32(CONSOLE_REG.STATUS) & 1).toBe(1);
    expect(h.line(0, IRQ.console)).toBe(false); // not enabled yet
    c.write32(CONSOLE_REG.IRQCPU, 2);
    c.write32(CONSOLE_REG.CTRL, 1);
    expect(h.line(2, IRQ.console)).toBe(true);
    expect(c.read32(CONSOLE_REG.RX)).toBe(0x61);
    expect(h.line(2, IRQ.console)).toBe(true);
    expect(c.read32(CONSOLE_REG.RX)).toBe(0x62);
    expect(h.line(2, IRQ.console)).toBe(false);
    expect(c.read32(CONSOLE_REG.RX)).toBe(0xffffffff);
    c.feed(new Uint8Array([0x63]));
    expect(h.line(2, IRQ.console)).toBe(true);
    const s = c.getState();
    const d = new ConsoleDevice(h.ctx);
    d.setState(s);
    expect(d.read32(CONSOLE_REG.RX)).toBe(0x63);
  });
});

describe('disk', () => {
  function setup(latency = 1000) {
    const h = context();
    const mem = new PhysicalMemory(2, 1 << 20);
    const image = new Uint8Array(16 * SECTOR_BYTES);
    for (let i = 0; i < image.length; i++) image[i] = (i * 7 + (i >> 9)) & 0xff;
    const inval: [number, number][] = [];
    const disk = new DiskDevice(h.ctx, mem, image, latency, (a, n) => inval.push([a, n]));
    return { ...h, mem, image, disk, inval };
  }
  const cmd = (d: DiskDevice, sector: number, count: number, dma: number, c: number, cpu = 0) => {
    d.write32(DISK_REG.SECTOR, sector); d.write32(DISK_REG.COUNT, count); d.write32(DISK_REG.DMA_ADDR, dma); d.write32(DISK_REG.COMMAND, c, cpu);
  };

  it('reads by DMA and interrupts exactly diskLatency after the issuing CPU\'s cycle', () => {
    const s = setup(1000);
    s.clocks[1] = 5000;
    s.disk.write32(DISK_REG.IRQCPU, 1);
    cmd(s.disk, 2, 3, 0x10002, DISK_CMD.READ, 1);
    expect(s.disk.read32(DISK_REG.STATUS)).toBe(DISK_STATUS.BUSY);
    expect(s.events.nextTime()).toBe(6000);
    s.events.advanceTo(5999);
    expect(s.disk.read32(DISK_REG.STATUS)).toBe(DISK_STATUS.BUSY);
    expect(s.mem.read8(0x10002)).toBe(0);
    s.events.advanceTo(6000);
    expect(s.disk.read32(DISK_REG.STATUS)).toBe(DISK_STATUS.DONE);
    expect(s.log).toEqual(['1:3:1@6000']);
    expect(Array.from(s.mem.readBytes(0x10002, 3 * SECTOR_BYTES))).toEqual(Array.from(s.image.subarray(2 * SECTOR_BYTES, 5 * SECTOR_BYTES)));
    expect(s.inval).toEqual([[0x10002, 3 * SECTOR_BYTES]]);
    s.disk.write32(DISK_REG.COMMAND, DISK_CMD.ACK);
    expect(s.disk.read32(DISK_REG.STATUS)).toBe(DISK_STATUS.IDLE);
    expect(s.line(1, IRQ.disk)).toBe(false);
    expect(s.disk.counters).toMatchObject({ reads: 1, sectorsRead: 3, errors: 0 });
  });

  it('writes memory to disk', () => {
    const s = setup(10);
    s.mem.writeBytes(0x2000, new Uint8Array(SECTOR_BYTES).fill(0x5a));
    cmd(s.disk, 7, 1, 0x2000, DISK_CMD.WRITE);
    s.events.advanceTo(10);
    expect(s.image.subarray(7 * SECTOR_BYTES, 8 * SECTOR_BYTES).every((b) => b === 0x5a)).toBe(true);
    expect(s.disk.counters.sectorsWritten).toBe(1);
  });

  it('rejects a DMA buffer outside RAM with an error status, touching nothing', () => {
    const s = setup();
    const before = s.mem.words.slice();
    const end = s.mem.bytes;
    for (const dma of [end - 100, end, 0x1f000000, 0xfffffe00]) {
      cmd(s.disk, 0, 1, dma, DISK_CMD.READ);
      expect(s.disk.read32(DISK_REG.STATUS)).toBe(DISK_STATUS.ERROR);
      expect(s.disk.read32(DISK_REG.ERROR)).toBe(DISK_ERROR.BAD_DMA);
      expect(s.line(0, IRQ.disk)).toBe(true);
      s.disk.write32(DISK_REG.COMMAND, DISK_CMD.ACK);
    }
    expect(s.events.size).toBe(0);
    expect(Buffer.from(s.mem.words.buffer).equals(Buffer.from(before.buffer))).toBe(true);
    expect(s.disk.counters.errors).toBe(4);
  });

  it('rejects bad sector ranges, unknown commands and commands while busy', () => {
    const s = setup();
    cmd(s.disk, 15, 2, 0, DISK_CMD.READ);
    expect(s.disk.read32(DISK_REG.ERROR)).toBe(DISK_ERROR.BAD_SECTOR);
    cmd(s.disk, 0, 0, 0, DISK_CMD.READ);
    expect(s.disk.read32(DISK_REG.ERROR)).toBe(DISK_ERROR.BAD_SECTOR);
    s.disk.write32(DISK_REG.COMMAND, 9);
    expect(s.disk.read32(DISK_REG.ERROR)).toBe(DISK_ERROR.BAD_COMMAND);
    s.disk.write32(DISK_REG.COMMAND, DISK_CMD.ACK);
    cmd(s.disk, 0, 1, 0, DISK_CMD.READ);
    cmd(s.disk, 1, 1, 0, DISK_CMD.READ);
    expect(s.disk.read32(DISK_REG.STATUS)).toBe(DISK_STATUS.BUSY);
    expect(s.disk.read32(DISK_REG.ERROR)).toBe(DISK_ERROR.BUSY);
    expect(s.events.size).toBe(1);
    expect(s.disk.read32(DISK_REG.CAPACITY)).toBe(16);
  });
});

describe('ipi', () => {
  it('raises the line on each target, records senders, and clears per CPU', () => {
    const h = context(4);
    const ipi = new IpiDevice(h.ctx);
    ipi.write32(IPI_REG.SEND, 0b0110, 0);  // CPU 0 → CPUs 1, 2
    ipi.write32(IPI_REG.SEND, 0b0100, 3);  // CPU 3 → CPU 2
    ipi.write32(IPI_REG.SEND, 1 << 9, 3);  // no CPU 9: ignored
    expect([0, 1, 2, 3].map((c) => h.line(c, IRQ.ipi))).toEqual([false, true, true, false]);
    expect(ipi.read32(IPI_REG.PENDING, 2)).toBe(0b1001);
    expect(ipi.read32(IPI_REG.PENDING, 1)).toBe(0b0001);
    ipi.write32(IPI_REG.CLEAR, 0b0001, 2);
    expect(h.line(2, IRQ.ipi)).toBe(true);   // CPU 3's IPI still pending
    ipi.write32(IPI_REG.CLEAR, 0b1000, 2);
    expect(h.line(2, IRQ.ipi)).toBe(false);
    expect(h.line(1, IRQ.ipi)).toBe(true);   // clearing is per CPU
    expect(ipi.sent).toEqual([2, 0, 0, 1]);
    expect(ipi.received).toEqual([0, 1, 2, 0]);
  });
});

describe('power', () => {
  it('reports the first EXIT write with the CPU and its cycle', () => {
    const h = context();
    const offs: unknown[] = [];
    h.clocks[2] = 1234;
    const p = new PowerDevice(h.ctx.cycleOf, (x) => offs.push(x));
    p.write32(POWER_REG.EXIT, -3, 2);
    p.write32(POWER_REG.EXIT, 0, 1);
    expect(offs).toEqual([{ code: -3, cpu: 2, cycle: 1234 }]);
    expect(p.poweredOff).toEqual({ code: -3, cpu: 2, cycle: 1234 });
    expect(p.read32()).toBe(0);
  });
});

describe('sysinfo', () => {
  it('describes the machine and the reading CPU', () => {
    const h = context(8);
    h.clocks[5] = 2 ** 33 + 7;
    const s = new SysinfoDevice(h.ctx, { nodes: 4, cpusPerNode: 2, nodeBytes: 64 << 20, clockMHz: 200 });
    const r = (o: number, cpu = 5) => s.read32(o, cpu);
    expect([r(SYSINFO_REG.CPU_ID), r(SYSINFO_REG.NODE_ID), r(SYSINFO_REG.NCPUS), r(SYSINFO_REG.NNODES), r(SYSINFO_REG.CPUS_PER_NODE)]).toEqual([5, 2, 8, 4, 2]);
    expect(r(SYSINFO_REG.RAM_BYTES)).toBe(256 << 20);
    expect(r(SYSINFO_REG.NODE_BYTES)).toBe(64 << 20);
    expect(r(SYSINFO_REG.CLOCK_KHZ)).toBe(200000);
    expect(r(SYSINFO_REG.CYCLE_LO)).toBe(7);
    expect(r(SYSINFO_REG.CYCLE_HI)).toBe(2);
  });
});
