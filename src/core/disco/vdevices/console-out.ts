/**
 * VM console output onto the machine console: every byte goes to the VM's own buffer (the run
 * record's per-VM output) and to the machine console — as is with one VM, or line by line with a
 * `[name] ` prefix when several VMs share the console, so their lines never interleave mid-line.
 */
import type { ConsoleDevice } from '../../machine/devices/console';
/** What the console needs of a VM (Disco's `Vm`, Denali's `DenaliVm`). */
export interface ConsoleVm { readonly id: number; readonly name: string; readonly consoleOut: number[] }

/** Per-VM output kept for the run record [bytes]. */
const MAX_VM_OUTPUT = 1 << 20;

export class ConsoleOut {
  private readonly lineBuf = new Map<number, number[]>();

  constructor(private readonly console: ConsoleDevice, readonly prefix: boolean) {}

  byte(vm: ConsoleVm, b: number): void {
    if (vm.consoleOut.length < MAX_VM_OUTPUT) vm.consoleOut.push(b);
    if (!this.prefix) { this.console.write32(0, b); return; }
    let buf = this.lineBuf.get(vm.id);
    if (!buf) this.lineBuf.set(vm.id, buf = []);
    buf.push(b);
    if (b === 10) this.flush(vm);
  }

  /** Writes out a VM's partial line (at its end, and at the end of the run). */
  flush(vm: ConsoleVm): void {
    const buf = this.lineBuf.get(vm.id);
    if (!this.prefix || !buf || !buf.length) return;
    for (const ch of `[${vm.name}] `) this.console.write32(0, ch.charCodeAt(0));
    for (const b of buf) this.console.write32(0, b);
    if (buf[buf.length - 1] !== 10) this.console.write32(0, 10);
    buf.length = 0;
  }
}
