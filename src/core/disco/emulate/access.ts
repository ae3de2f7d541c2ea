/**
 * Trap-and-emulate of a guest kernel's loads and stores to addresses supervisor mode cannot
 * reach: kseg0 (a kseg0-linked kernel's data), kseg1 (uncached RAM and the device window), and
 * the HAL page at kseg3 0xFFFFF000. The trapped instruction is decoded (vdevices/mmio.ts) and
 * performed against guest-physical memory through the pmap, against a virtual device, or against
 * a machine address the monitor names (the HAL page); then the guest continues after it.
 * ll/sc use the physical CPU's reservation, as a directly executed ll/sc would.
 */
import type { Cpu } from '../../machine/cpu/index';
import { EXC_BADVA } from '../../machine/cpu/exception';
import { Exc } from '../../machine/cpu/cp0';
import type { Machine } from '../../machine/machine';
import type { Vcpu } from '../vcpu';
import { deviceAt, VDEV_BASE } from '../vdevices/devices';
import { decodeMemAccess } from '../vdevices/mmio';
import type { DevCtx } from '../vdevices/state';

export interface AccessHost {
  readonly machine: Machine;
  charge(cpu: Cpu, vm: number, cause: string, times?: number): void;
  reflect(cpu: Cpu, v: Vcpu, code: number, bad: number, flags: number): void;
  devCtx(cpu: Cpu, v: Vcpu): DevCtx;
  /** The instruction word at guest virtual `va` (as just fetched). */
  fetchWord(cpu: Cpu, v: Vcpu, va: number): number;
  /** The monitor's return after this emulated `ll` must keep the reservation (every other return clears it, as an eret). */
  keepLLReservation(): void;
}

/**
 * Emulates the load/store (or ll/sc) at pc against guest-physical `gpa`, or against machine
 * address `machineAddr` when it is ≥ 0; charges `cause`. Returns false if the instruction is not
 * one the monitor decodes (the caller reflects the original exception).
 */
export function emulateAccess(h: AccessHost, cpu: Cpu, v: Vcpu, gpa: number, cause: string, machineAddr = -1): boolean {
  const acc = decodeMemAccess(h.fetchWord(cpu, v, cpu.pc), cpu.r);
  if (!acc) return false;
  h.charge(cpu, v.vm.id, cause);
  if ((acc.ea & (acc.size - 1)) !== 0) { h.reflect(cpu, v, acc.store ? Exc.AdES : Exc.AdEL, acc.ea, EXC_BADVA); return true; }
  const vm = v.vm, mem = h.machine.memory, res = cpu.reservations;
  let value = 0;
  if (machineAddr >= 0 || gpa + acc.size <= vm.memBytes) {
    const ma = machineAddr >= 0 ? machineAddr : acc.store || acc.sc ? vm.pmap.writableAddr(gpa) : vm.pmap.machineAddr(gpa);
    if (acc.sc) {
      const ok = res.holds(cpu.id, ma);
      if (ok) { mem.words[ma >>> 2] = cpu.r[acc.rt]; res.store(ma); }
      res.clear(cpu.id);
      if (acc.rt !== 0) cpu.r[acc.rt] = ok ? 1 : 0;
      cpu.skipInstruction();
      return true;
    }
    if (acc.store) {
      const x = cpu.r[acc.rt];
      if (acc.size === 4) mem.words[ma >>> 2] = x; else if (acc.size === 2) mem.u16[(ma ^ 2) >>> 1] = x; else mem.u8[ma ^ 3] = x;
      if (res.active !== 0) res.store(ma & ~3);
    } else {
      value = acc.size === 4 ? mem.words[ma >>> 2] : acc.size === 2 ? mem.u16[(ma ^ 2) >>> 1] : mem.u8[ma ^ 3];
      if (acc.ll) { res.set(cpu.id, ma); cpu.llAddr = ma; h.keepLLReservation(); }
    }
  } else {
    const dev = deviceAt(gpa);
    if (!dev || acc.size !== 4 || acc.ll || acc.sc) { h.reflect(cpu, v, Exc.DBE, 0, 0); return true; }
    const off = gpa - VDEV_BASE - dev.base;
    if (acc.store) dev.write(h.devCtx(cpu, v), off, cpu.r[acc.rt]);
    else value = dev.read(h.devCtx(cpu, v), off);
    if (!vm.alive) return true;
  }
  if (!acc.store && acc.rt !== 0) {
    cpu.r[acc.rt] = acc.signed ? (acc.size === 1 ? (value << 24) >> 24 : acc.size === 2 ? (value << 16) >> 16 : value | 0) : acc.size === 4 ? value | 0 : value;
  }
  cpu.skipInstruction();
  return true;
}
