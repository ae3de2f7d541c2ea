/**
 * Exception delivery to a guest: the hardware's exception sequence (`enterException`, the same
 * routine the physical CPU runs) applied to the virtual CP0, then a jump to the guest's own
 * vector (`KERNBASE` + 0x000 / 0x180 / 0x200). What the guest sees is what hardware would show
 * it; only the pc it was at needs care — a kseg0 kernel runs through the monitor's ksseg alias
 * (trap.ts), and is shown its own kseg0 address.
 *
 * A guest with virtual Status.BEV = 1 has no vectors (there is no boot ROM): the VM is stopped
 * with a reason rather than sent somewhere undefined.
 */
import type { Cpu } from '../machine/cpu/index';
import { EXC_NAMES, Exc, ST_BEV } from '../machine/cpu/cp0';
import { enterException } from '../machine/cpu/exception';
import type { Vcpu } from './vcpu';
import { KSEG0_ALIAS, type Vm } from './vm';

export interface DeliverHost {
  charge(cpu: Cpu, vm: number, cause: string, times?: number): void;
  stopVm(vm: Vm, reason: string, cpu: Cpu): void;
}

/** The pc the guest believes it is at (a kseg0 kernel executing through the alias sees kseg0). */
export function guestPc(v: Vcpu, pc: number): number {
  // Int32 arithmetic only: a `>>> 0` of a kernel address is a double, which deoptimised the trap
  // path the first time it met one. off = (pc − KSEG0_ALIAS) as int32 lies in [0, directBytes)
  // exactly when pc lies in [KSEG0_ALIAS, KSEG0_ALIAS + directBytes): an address below the alias
  // gives off < 0 or ≥ 0x30000000, and directBytes ≤ 0x1ffff000.
  const vm = v.vm, off = (pc - (KSEG0_ALIAS | 0)) | 0;
  if (vm.directBase === KSEG0_ALIAS && off >= 0 && off < vm.directBytes) return (off + (0x80000000 | 0)) | 0;
  return pc;
}

/** Delivers exception `code` (flags: exception.ts) to vCPU `v` running on `cpu`. */
export function reflect(host: DeliverHost, cpu: Cpu, v: Vcpu, code: number, bad: number, flags: number, ce = 0): void {
  host.charge(cpu, v.vm.id, code === Exc.Int ? 'interrupt.virtual' : 'reflect');
  v.stats.reflected++;
  const off = enterException(v, code, bad, flags, ce, guestPc(v, cpu.pc), cpu.slot !== 0);
  if ((v.status & ST_BEV) !== 0) {
    host.stopVm(v.vm, `exception ${EXC_NAMES[code]} at 0x${(v.epc >>> 0).toString(16)} with Status.BEV = 1 (no boot ROM: the guest must set up its vectors and clear BEV first)`, cpu);
    return;
  }
  cpu.setPc((v.vm.vectorBase + off) | 0);
}
