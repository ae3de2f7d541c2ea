/**
 * Virtual devices, one small table entry each, at the machine's device window offsets
 * (guest-physical 0x1F00xxxx, reached through kseg1 0xBF00xxxx). Registers and semantics are
 * those of docs/physical-address-map.md, scoped to the VM: sysinfo describes the VM (its vCPUs,
 * one node, its memory), IPIs go between the VM's vCPUs, the disk is the VM's own image (DMA
 * addresses are guest-physical and checked against the VM's memory), power-off stops the VM,
 * guest statistics are kept per VM (per vCPU number) and leave the marks' own emulation out.
 */
import type { DevCtx, MonitorServices, VDevState } from './state';
import { PAGE } from '../pmap';
import type { Vm } from '../vm';
import type { Cpu } from '../../machine/cpu/index';
import { gstatRead, gstatWrite } from '../../machine/devices/gstat';

export const VDEV_BASE = 0x1f000000;
export const DISK_SECTOR = 512;

export interface VirtualDevice {
  name: string;
  /** Offset of the device's 4 KiB window from VDEV_BASE. */
  base: number;
  read(c: DevCtx, off: number): number;
  write(c: DevCtx, off: number, v: number): void;
}

type Disk = VDevState['disk'];
/** Sectors per 4 KiB page (a shareable read is whole pages of the disk into whole guest pages). */
const SECTORS_PER_PAGE = PAGE / DISK_SECTOR;

/** Sharing key of the disk's 4 KiB block `block`, or null when this VM wrote any sector of it (or the disk is persistent: never shared). */
function blockKey(d: Disk, block: number): string | null {
  if (d.persistent) return null;
  if (d.overlay.size !== 0) for (let s = block * SECTORS_PER_PAGE; s < (block + 1) * SECTORS_PER_PAGE; s++) if (d.overlay.has(s)) return null;
  return `disk:${d.baseId}:${block}`;
}

/** Can a read of `count` sectors from `sector` into guest-physical `dma` be done page by page (the paper: page-aligned, page-multiple)? */
function pageAligned(sector: number, count: number, dma: number): boolean {
  return sector % SECTORS_PER_PAGE === 0 && count % SECTORS_PER_PAGE === 0 && (dma >>> 0) % PAGE === 0;
}

/** The disk's sectors [sector, sector + count) as the VM sees them (its overlay over the base image). */
function readSectors(d: Disk, sector: number, count: number): Uint8Array {
  const off = sector * DISK_SECTOR, out = d.base.slice(off, off + count * DISK_SECTOR);
  if (d.overlay.size !== 0) for (let s = 0; s < count; s++) { const o = d.overlay.get(sector + s); if (o) out.set(o, s * DISK_SECTOR); }
  return out;
}

function diskCommand(c: DevCtx, cmd: number): void {
  const d = c.vm.dev.disk, svc = c.svc;
  if (cmd === 3) { d.status = 0; svc.setVirtualLine(c.vm, d.irqCpu, 3, false); return; }
  if (d.status === 1) { d.error = 3; return; }
  const fail = (e: number) => { d.status = 3; d.error = e; d.errors++; svc.setVirtualLine(c.vm, d.irqCpu, 3, true); };
  if (cmd !== 1 && cmd !== 2) return fail(4);
  const capacity = Math.floor(d.base.length / DISK_SECTOR);
  if (d.count === 0 || d.sector + d.count > capacity) return fail(2);
  const bytes = d.count * DISK_SECTOR;
  if ((d.dma >>> 0) + bytes > c.vm.memBytes) return fail(1);
  d.status = 1; d.error = 0;
  const t: VdiskTransfer = { vm: c.vm.id, cpu: c.cpu.id, cmd, sector: d.sector, count: d.count, dma: d.dma };
  // every page of a shareable read already in machine memory: no disk I/O, the pages are mapped
  let resident = cmd === 1 && pageAligned(d.sector, d.count, d.dma);
  for (let b = d.sector / SECTORS_PER_PAGE; resident && b < (d.sector + d.count) / SECTORS_PER_PAGE; b++) {
    const k = blockKey(d, b);
    resident = k !== null && svc.diskPageResident(k);
  }
  if (resident) d.readsMapped++;
  svc.post(svc.now(c.cpu) + (resident ? 0 : svc.diskLatencyCycles), VDISK_COMPLETE, t);
}

/** A virtual disk transfer in flight: the data of the posted completion event (plain, for snapshots). */
export interface VdiskTransfer { vm: number; cpu: number; cmd: number; sector: number; count: number; dma: number }
export const VDISK_COMPLETE = 'vdisk.complete';

/** The transfer `t` completes (`diskLatencyCycles` after its command): DMA, DONE, the interrupt. */
export function completeVirtualDisk(svc: MonitorServices, vm: Vm, cpu: Cpu, t: VdiskTransfer): void {
  if (!vm.alive) return;
  const d = vm.dev.disk, bytes = t.count * DISK_SECTOR;
  if (t.cmd === 1) {
    if (pageAligned(t.sector, t.count, t.dma)) {
      // page by page: map the block's shared page, or read it and offer it for sharing
      for (let i = 0; i < t.count / SECTORS_PER_PAGE; i++) {
        const s = t.sector + i * SECTORS_PER_PAGE;
        svc.diskPage(cpu, vm, (t.dma >>> 0) / PAGE + i, blockKey(d, s / SECTORS_PER_PAGE), () => readSectors(d, s, SECTORS_PER_PAGE));
      }
    } else svc.copyToGuest(vm, t.dma, readSectors(d, t.sector, t.count), cpu);
    d.reads++; d.sectorsRead += t.count;
  } else {
    const buf = new Uint8Array(bytes);
    svc.copyFromGuest(vm, t.dma, buf);
    if (d.persistent) d.base.set(buf, t.sector * DISK_SECTOR);
    else for (let s = 0; s < t.count; s++) d.overlay.set(t.sector + s, buf.slice(s * DISK_SECTOR, (s + 1) * DISK_SECTOR));
    d.highWater = Math.max(d.highWater, (t.sector + t.count) * DISK_SECTOR);
    d.writes++; d.sectorsWritten += t.count;
  }
  d.status = 2;
  svc.setVirtualLine(vm, d.irqCpu, 3, true);
}

export const VIRTUAL_DEVICES: readonly VirtualDevice[] = [
  {
    name: 'console', base: 0x0000,
    read(c, off) {
      const k = c.vm.dev.console;
      switch (off) {
        case 0x04: return (k.input.length ? 1 : 0) | 2;
        case 0x08: {
          const b = k.input.shift();
          if (!k.input.length) c.svc.setVirtualLine(c.vm, k.irqCpu, 2, false);
          return b === undefined ? -1 : b;
        }
        case 0x0c: return k.ctrl;
        case 0x10: return k.irqCpu;
        default: return 0;
      }
    },
    write(c, off, v) {
      const k = c.vm.dev.console;
      if (off === 0x00) c.svc.consoleByte(c.vm, v & 0xff);
      else if (off === 0x0c) { k.ctrl = v & 1; c.svc.setVirtualLine(c.vm, k.irqCpu, 2, k.ctrl === 1 && k.input.length > 0); }
      else if (off === 0x10 && (v >>> 0) < c.vm.vcpus.length) { c.svc.setVirtualLine(c.vm, k.irqCpu, 2, false); k.irqCpu = v >>> 0; c.svc.setVirtualLine(c.vm, k.irqCpu, 2, k.ctrl === 1 && k.input.length > 0); }
    },
  },
  {
    name: 'disk', base: 0x1000,
    read(c, off) {
      const d = c.vm.dev.disk;
      switch (off) {
        case 0x00: return d.sector; case 0x04: return d.count; case 0x08: return d.dma;
        case 0x10: return d.status; case 0x14: return d.error;
        case 0x18: return Math.floor(d.base.length / DISK_SECTOR); case 0x1c: return d.irqCpu;
        default: return 0;
      }
    },
    write(c, off, v) {
      const d = c.vm.dev.disk;
      switch (off) {
        case 0x00: d.sector = v >>> 0; break; case 0x04: d.count = v >>> 0; break; case 0x08: d.dma = v >>> 0; break;
        case 0x0c: diskCommand(c, v >>> 0); break;
        case 0x1c: if ((v >>> 0) < c.vm.vcpus.length) d.irqCpu = v >>> 0; break;
      }
    },
  },
  {
    name: 'ipi', base: 0x2000,
    read(c, off) { return off === 0x04 ? c.vm.dev.ipi.pending[c.vcpu.id] : 0; },
    write(c, off, v) {
      const ipi = c.vm.dev.ipi, me = c.vcpu.id;
      if (off === 0x00) {
        for (let t = 0; t < c.vm.vcpus.length; t++) {
          if ((v >>> t) & 1) { ipi.pending[t] |= 1 << me; ipi.sent++; c.svc.setVirtualLine(c.vm, t, 4, true); }
        }
      } else if (off === 0x08) {
        ipi.pending[me] &= ~v;
        if (ipi.pending[me] === 0) c.svc.setVirtualLine(c.vm, me, 4, false);
      }
    },
  },
  {
    name: 'power', base: 0x3000,
    read() { return 0; },
    write(c, off, v) { if (off === 0) c.svc.vmExit(c.vm, v | 0, c.cpu); },
  },
  {
    name: 'sysinfo', base: 0x4000,
    read(c, off) {
      const n = c.vm.vcpus.length;
      switch (off) {
        case 0x00: return c.vcpu.id; case 0x04: return 0; case 0x08: return n; case 0x0c: return 1;
        case 0x10: return c.vm.memBytes; case 0x14: return c.vm.memBytes; case 0x18: return c.svc.clockKHz;
        case 0x1c: return n;
        case 0x20: return c.svc.now(c.cpu) | 0;
        case 0x28: return c.vm.fileServer + 1;   // the file server's network address + 1 (0: none; net.ts)
        case 0x2c: return c.vm.id;               // this VM's network address
        case 0x30: return 1;                     // a network interface (0 on the bare machine)
        case 0x24: return Math.floor(c.svc.now(c.cpu) / 0x100000000) | 0;
        default: return 0;
      }
    },
    write() {},
  },
  {
    // Guest statistics (machine/devices/gstat.ts). A mark is a trapped kseg1 store: it began when
    // the monitor was entered for it (now − trap − mmio, the charges made before a device access
    // runs) and the guest continues at `now`, so no interval includes its emulation.
    name: 'gstat', base: 0x5000,
    read(_c, off) { return gstatRead(off); },
    write(c, off, v) {
      const now = c.svc.now(c.cpu);
      gstatWrite(c.vm.dev.gstat, c.vcpu.id, off, v, now - (c.svc.costs.trap ?? 0) - (c.svc.costs.mmio ?? 0), now);
    },
  },
];

/** Device whose window contains guest-physical `gpa`, or undefined (→ bus error). */
export function deviceAt(gpa: number): VirtualDevice | undefined {
  const off = (gpa >>> 0) - VDEV_BASE;
  if (off < 0 || off >= 0x6000) return undefined;
  return VIRTUAL_DEVICES.find((d) => off >= d.base && off < d.base + 0x1000);
}
