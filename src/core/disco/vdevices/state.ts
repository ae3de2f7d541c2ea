/**
 * Virtual device state of one VM, and the monitor services devices use. The virtual devices
 * mirror the machine's (docs/physical-address-map.md) register for register, so an unmodified
 * guest driver works by trap-and-emulate of its kseg1 accesses; monitor calls (hypercall.ts)
 * reach the same state with all arguments in one trap.
 */
import type { Cpu } from '../../machine/cpu/index';
import { ServiceClock } from '../../machine/devices/gstat';
import type { Vcpu } from '../vcpu';
import type { Vm } from '../vm';
import { newNic, type NetServices, type NicState } from './net';

export interface VDevState {
  console: { input: number[]; ctrl: number; irqCpu: number };
  /**
   * The VM's disk: `base` is the image it booted from, shared with every VM booted from the same
   * image (`baseId` numbers the distinct images) and never written; the VM's writes go to
   * `overlay` (sector → its 512 bytes), which its reads see and no other VM does — unless the
   * disk is `persistent`: then `base` is the VM's own and takes the writes.
   */
  disk: {
    base: Uint8Array; baseId: number; overlay: Map<number, Uint8Array>;
    /** A persistent disk: writes go to `base` itself (this VM's own), not to the overlay, and nothing of it is shared. */
    persistent: boolean;
    sector: number; count: number; dma: number; status: number; error: number; irqCpu: number;
    reads: number; writes: number; sectorsRead: number; sectorsWritten: number; errors: number;
    /** Reads done without the disk: every page already in machine memory, mapped (sharing) [requests]. */
    readsMapped: number;
    /** The end of the highest sector written [bytes] (a persistent image is written back at least this long). */
    highWater: number;
  };
  /** Per vCPU: bit s = vCPU s sent an IPI. */
  ipi: { pending: number[]; sent: number };
  /** Guest statistics: the kernel's per-service time (intervals per vCPU number). */
  gstat: ServiceClock;
  /** The network interface (net.ts). */
  nic: NicState;
}

export function newDevState(vcpus: number, consoleInput: Uint8Array | undefined, diskBase: Uint8Array, baseId: number, persistent = false): VDevState {
  return {
    console: { input: Array.from(consoleInput ?? []), ctrl: 0, irqCpu: 0 },
    disk: {
      base: diskBase, baseId, overlay: new Map(), persistent,
      sector: 0, count: 0, dma: 0, status: 0, error: 0, irqCpu: 0, reads: 0, writes: 0, sectorsRead: 0, sectorsWritten: 0, errors: 0, readsMapped: 0, highWater: 0,
    },
    ipi: { pending: new Array<number>(vcpus).fill(0), sent: 0 },
    gstat: new ServiceClock(),
    nic: newNic(),
  };
}

/** What a virtual device may ask of the monitor. */
export interface MonitorServices extends NetServices {
  /** Current simulated cycle on the physical CPU doing the access. */
  now(cpu: Cpu): number;
  /** Raise or lower virtual interrupt line `line` (2..6) of vCPU `vcpu` of `vm` (wakes it if needed). */
  setVirtualLine(vm: Vm, vcpu: number, line: number, level: boolean): void;
  /** The VM powers itself off with `code`. */
  vmExit(vm: Vm, code: number, cpu: Cpu): void;
  /** Posts an event for when machine time reaches `cycle` (device completions; plain data, so snapshots can hold it). */
  post(cycle: number, kind: string, data: unknown): void;
  /** Copies between guest-physical memory and a buffer; false if any byte lies outside the VM. */
  copyFromGuest(vm: Vm, gpa: number, dst: Uint8Array): boolean;
  /** `cpu`: the CPU the monitor does it on (charged if the write collapses a replicated page); default the CPU in the monitor now. */
  copyToGuest(vm: Vm, gpa: number, src: Uint8Array, cpu?: Cpu): boolean;
  /** Machine facts for sysinfo. */
  clockKHz: number;
  diskLatencyCycles: number;
  /** "Give me a zeroed page" hint for guest page `gppn`, zeroed through the memory model and charged as `page.zero`; false if outside the VM. */
  zeroPage(cpu: Cpu, vm: Vm, gppn: number): boolean;
  /**
   * A disk read of one whole, page-aligned 4 KiB block into guest page `gppn`: with sharing, the
   * machine page already holding `key`'s contents is mapped instead; otherwise `data()` is written
   * there and the page registered under `key` for other VMs. `key` null: not shareable (the VM
   * wrote part of the block, or the disk is persistent), just written.
   */
  diskPage(cpu: Cpu, vm: Vm, gppn: number, key: string | null, data: () => Uint8Array): void;
  /** Is the block `key` in machine memory (a read of it needs no disk)? False when sharing is off. */
  diskPageResident(key: string): boolean;
  /** "Page is free" hint for guest page `gppn`; false if outside the VM. */
  freePage(cpu: Cpu, vm: Vm, gppn: number): boolean;
  /** Emits a byte of VM console output. */
  consoleByte(vm: Vm, byte: number): void;
  /** The resolved cost table [cycles per action] (what the access being emulated was charged). */
  readonly costs: Readonly<Record<string, number>>;
}

export interface DevCtx { svc: MonitorServices; vm: Vm; vcpu: Vcpu; cpu: Cpu }
