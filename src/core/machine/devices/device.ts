/**
 * What every device shares: the `Device` contract extended with the id of the CPU making the
 * access (devices such as `sysinfo` and `ipi` answer per CPU; plain devices ignore it), the
 * context devices are built with, the device window and the interrupt lines. Which device sits
 * where is the device registry (registry.ts: `DEVICES`, `DEVICE_BASE`).
 *
 * Physical address map (docs/physical-address-map.md is the user-facing copy; a test keeps both
 * in line with the registry):
 *
 *   0x00000000 – RAM end      RAM, node 0 first (≤ 496 MiB, so it ends below the window)
 *   0x1F000000 – 0x1F000FFF   console   (IRQ 2)
 *   0x1F001000 – 0x1F001FFF   disk      (IRQ 3)
 *   0x1F002000 – 0x1F002FFF   ipi       (IRQ 4)
 *   0x1F003000 – 0x1F003FFF   power
 *   0x1F004000 – 0x1F004FFF   sysinfo
 *
 * The window lies inside kseg1's reach (paddr < 0x20000000), so bare-metal code reaches the
 * console at 0xBF000000 uncached. IP7 is each CPU's own Count/Compare timer.
 */
import type { Device, EventQueue, InterruptSink } from '../contracts';

export interface CpuAwareDevice extends Device {
  read32(offset: number, cpu?: number): number;
  write32(offset: number, value: number, cpu?: number): void;
}

/** What devices are given when the machine builds them. */
export interface DeviceContext {
  readonly events: EventQueue;
  readonly irq: InterruptSink;
  /** Local cycle of `cpu` at the time of the current access (for timestamps of commands). */
  cycleOf(cpu: number): number;
  readonly cpus: number;
}

export const DEVICE_WINDOW_BASE = 0x1f000000;
export const DEVICE_WINDOW_END = 0x1f010000;
export const DEVICE_PAGE_BYTES = 0x1000;

/** Hardware interrupt lines (Cause.IP2..IP6). */
export const IRQ = {
  console: 2,
  disk: 3,
  ipi: 4,
} as const;
