/**
 * A virtual machine: its guest-physical memory (a pmap onto machine pages), its vCPUs, its
 * virtual devices' state and its fate (running / exited with a code / stopped with a reason).
 *
 * Guest-physical layout: `[0, memBytes)` is RAM backed by machine pages; the virtual devices
 * answer at the machine's device window (0x1F00xxxx, reached through kseg1) with the same
 * registers as the real ones (docs/physical-address-map.md) but describing the VM (sysinfo:
 * its vCPUs, its memory) — see vdevices/.
 */
import { decodeUtf8 } from '../machine/devices/console';
import type { Pmap } from './pmap';
import type { Vcpu } from './vcpu';
import type { VDevState } from './vdevices/state';

export type VmStatus = 'running' | 'exited' | 'stopped';

const KSSEG_BASE = 0xc0000000;
/** Where a kseg0 kernel's code runs under the monitor (docs/disco.md "kseg0"). */
export const KSEG0_ALIAS = 0xd0000000;

export class Vm {
  readonly vcpus: Vcpu[] = [];
  status: VmStatus = 'running';
  exitCode: number | null = null;
  /** Why the monitor stopped the VM (a guest error it cannot continue from), or null. */
  stopReason: string | null = null;
  /** Cycle at which it exited or was stopped. */
  endCycle: number | null = null;
  readonly consoleOut: number[] = [];
  /** The VM serving files to this one over the virtual network (its number), or −1 (docs/disco.md "Virtual network"). */
  fileServer = -1;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly memBytes: number,
    readonly pmap: Pmap,
    /** Base of the guest's exception vectors (KERNBASE: refill +0, general +0x180). */
    readonly vectorBase: number,
    /** Where the kernel's own segment maps guest-physical memory (0xC0000000 for ksseg kernels). */
    readonly kernbase: number,
    readonly dev: VDevState,
  ) {}

  get alive(): boolean { return this.status === 'running'; }

  /**
   * Where the monitor maps this VM's guest-physical memory in the supervisor segment for its
   * kernel (kernel mode only): at KERNBASE 0xC0000000 for a kernel relinked into ksseg (IRIX for
   * Disco), and at the alias 0xD0000000 for a kseg0 kernel, whose code runs there (j/jal keep
   * pc[31:28], so its kseg0 jumps land in the alias), leaving the rest of ksseg to the guest.
   */
  get directBase(): number { return (this.kernbase >>> 0) === KSSEG_BASE ? KSSEG_BASE : KSEG0_ALIAS; }

  /** Bytes of guest-physical memory reachable at `directBase` (the alias stops below the HAL page at 0xDFFFF000). */
  get directBytes(): number { return Math.min(this.memBytes, (this.kernbase >>> 0) === KSSEG_BASE ? 0x1ffff000 : 0x0ffff000); }

  /** The VM's console output as text (the machine console's UTF-8 decoder: invalid bytes become U+FFFD). */
  consoleText(): string { return decodeUtf8(this.consoleOut); }

}
