/**
 * The device registry: every device of the machine, with its physical window and how to build
 * it. The machine builds and maps them in this order (which is also the order of the run
 * record's `devices.mmioAccesses`), and exposes each as a typed property named after it
 * (`machine.console`, `machine.disk`, …; see `MachineDevices`).
 *
 * Adding a device is one file and one line: write `devices/<name>.ts` (a `CpuAwareDevice`:
 * registers as offsets, `getState`/`setState`), then add `{ name, base, irq?, title, create }`
 * below. The next free window is 0x1F006000 (one 4 KiB page each, up to 0x1F00FFFF).
 * docs/physical-address-map.md lists these windows and registers;
 * test/core/machine/devices/registry.test.ts checks that it agrees with this table.
 */
import type { MachineConfig } from '../config/types';
import type { PhysicalMemory } from '../memory/physical';
import { IRQ, type CpuAwareDevice, type DeviceContext } from './device';
import { ConsoleDevice } from './console';
import { DiskDevice } from './disk';
import { IpiDevice } from './ipi';
import { PowerDevice, type PowerOff } from './power';
import { SysinfoDevice } from './sysinfo';
import { GuestStatsDevice } from './gstat';

/** What the machine gives a device's `create`: the shared context plus the machine's parts. */
export interface MachineDeviceContext extends DeviceContext {
  readonly config: MachineConfig;
  readonly memory: PhysicalMemory;
  /** The machine's options (initial disk contents, console input, output cap). */
  readonly options: { readonly diskImage?: Uint8Array; readonly consoleInput?: Uint8Array; readonly maxConsoleBytes?: number };
  /** DMA wrote memory: the machine drops cached copies and LL reservations of it. */
  dmaWrote(paddr: number, length: number): void;
  /** The program powered off: the machine stops its CPUs. */
  powerOff(p: PowerOff): void;
}

export interface DeviceSpec<N extends string = string, D extends CpuAwareDevice = CpuAwareDevice> {
  /** Name: the bus's statistics key and the machine's property (`machine.<name>`). */
  readonly name: N;
  /** Physical address of its 4 KiB window (kseg1: 0xA0000000 + base). */
  readonly base: number;
  /** The interrupt line (Cause.IP2..IP6) it drives, if any. */
  readonly irq?: number;
  /** What it is, for documentation. */
  readonly title: string;
  create(ctx: MachineDeviceContext): D;
}

const spec = <N extends string, D extends CpuAwareDevice>(s: DeviceSpec<N, D>) => s;

export const DEVICES = [
  spec({ name: 'console', base: 0x1f000000, irq: IRQ.console, title: 'console', create: (c) => new ConsoleDevice(c, c.options.consoleInput, c.options.maxConsoleBytes) }),
  spec({ name: 'disk', base: 0x1f001000, irq: IRQ.disk, title: 'block disk', create: (c) => new DiskDevice(c, c.memory, diskImage(c), Math.round(c.config.diskLatencyUs * c.config.clockMHz), (a, len) => c.dmaWrote(a, len)) }),
  spec({ name: 'ipi', base: 0x1f002000, irq: IRQ.ipi, title: 'inter-processor interrupts', create: (c) => new IpiDevice(c) }),
  spec({ name: 'power', base: 0x1f003000, title: 'power / exit', create: (c) => new PowerDevice((cpu) => c.cycleOf(cpu), (p) => c.powerOff(p)) }),
  spec({ name: 'sysinfo', base: 0x1f004000, title: 'system information', create: (c) => new SysinfoDevice(c, { nodes: c.config.nodes, cpusPerNode: c.config.cpusPerNode, nodeBytes: c.memory.nodeBytes, clockMHz: c.config.clockMHz }) }),
  spec({ name: 'gstat', base: 0x1f005000, title: 'guest statistics (kernel time per service)', create: (c) => new GuestStatsDevice(c) }),
] as const;

/** The machine's typed device properties, derived from the registry: `{ console: ConsoleDevice, … }`. */
export type MachineDevices = { readonly [S in (typeof DEVICES)[number] as S['name']]: ReturnType<S['create']> };

export type DeviceName = keyof MachineDevices;

/** Physical base of each device's window, by name (from the registry). */
export const DEVICE_BASE = Object.fromEntries(DEVICES.map((d) => [d.name, d.base])) as { readonly [K in DeviceName]: number };

/** The disk's contents: `diskSizeMB` of zeros with the experiment's image copied in (cut to fit). */
function diskImage(c: MachineDeviceContext): Uint8Array {
  const bytes = c.config.diskSizeMB * 1024 * 1024;
  const image = new Uint8Array(bytes);
  if (c.options.diskImage) image.set(c.options.diskImage.subarray(0, bytes));
  return image;
}
