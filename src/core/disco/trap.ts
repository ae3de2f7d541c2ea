/**
 * Trap dispatch: what the monitor does with each exception a guest takes, by ExcCode (docs/disco.md
 * "The TLB-miss path" and "What is not virtualised"):
 *
 *   Int            physical interrupt: virtual timers, kicks, time slices (monitor.ts)
 *   TLBL/TLBS/Mod  the virtual TLB's miss path (vtlb.ts)
 *   CpU (CE = 0)   a privileged instruction in virtual kernel mode (or with virtual CU0): emulated
 *                  (emulate/table.ts); otherwise reflected, as hardware would raise it
 *   Sys            a monitor call (`syscall 0xd15c` in virtual kernel mode) or reflected
 *   AdEL/AdES      virtual kernel mode: kseg0 / kseg1 / HAL loads and stores emulated, kseg0 fetches
 *                  redirected to the ksseg alias; otherwise reflected
 *   anything else  reflected to the guest's vector
 *
 * A trapped instruction the monitor cannot decode is reflected as the exception the guest would
 * have taken natively (RI for an unknown COP0 operation), never emulated approximately.
 */
import type { Cpu } from '../machine/cpu/index';
import { EXC_BADVA } from '../machine/cpu/exception';
import { causeId } from '../machine/cpu/cause-tally';
import { Exc, ST_CU0, ST_ERL } from '../machine/cpu/cp0';
import { decode } from '../isa/decode';
import { EMULATIONS, type Emulation } from './emulate/table';
import { decodeMemAccess } from './vdevices/mmio';
import { emulateAccess } from './emulate/access';
import type { Monitor } from './monitor';
import { PAGE } from './pmap';
import type { Vcpu } from './vcpu';
import { HYPERCALL_BY_NR, HYPERCALL_CODE } from './vdevices/hypercall';
import { KSSEG } from './vtlb';
import { KSEG0_ALIAS } from './vm';

/** HAL page at the top of kseg3 (where the `hal` kernel build once put it): unreachable in supervisor mode, so every access traps. */
export const HAL_KSEG3 = 0xfffff000;
/** Primary opcode (word bits 31:26) → coprocessor number for CpU.CE (cache = COP0; others 0). */
const CE_OF_OPCODE = new Uint8Array(64);
for (const o of [0x11, 0x13, 0x31, 0x35, 0x39, 0x3d]) CE_OF_OPCODE[o] = 1;
for (const o of [0x12, 0x32, 0x36, 0x3a, 0x3e]) CE_OF_OPCODE[o] = 2;

/** An emulation row with its mnemonic (the key of `counts.emulated`) and its cause's id (`causeId(emu.cause)`, for `Monitor.chargeId`). */
interface EmuRow { readonly mnemonic: string; readonly emu: Emulation; readonly causeId: number }
const EMU_ROWS: ReadonlyMap<string, EmuRow> = new Map(Object.entries(EMULATIONS).map(([mnemonic, emu]) => [mnemonic, { mnemonic, emu, causeId: causeId(emu.cause) }]));
/**
 * The emulation row of a trapped word (null: not a row the monitor emulates), cached by word in a
 * direct-mapped table of 256 (index: word bits 7:0 ^ 15:8 ^ 23:16, which hold mfc0/mtc0's sel,
 * rd and rt): a guest kernel traps on a few hundred distinct words, each decoded once.
 */
const EMU_WORD = new Int32Array(256);
const EMU_ROW: (EmuRow | null | undefined)[] = new Array<EmuRow | null | undefined>(256).fill(undefined);
function emulationOf(word: number): EmuRow | null {
  const h = (word ^ (word >>> 8) ^ (word >>> 16)) & 255;
  const cached = EMU_ROW[h];
  if (cached !== undefined && EMU_WORD[h] === word) return cached;
  const spec = decode(word);
  const row = (spec && EMU_ROWS.get(spec.mnemonic)) ?? null;
  EMU_WORD[h] = word; EMU_ROW[h] = row;
  return row;
}

/** Handles exception `code` of the running vCPU `v` (not Int). */
export function dispatch(m: Monitor, cpu: Cpu, v: Vcpu, code: number, bad: number): void {
  switch (code) {
    case Exc.TLBL: case Exc.TLBS: case Exc.Mod: m.vtlb.onMiss(cpu, v, code, bad); break;
    case Exc.CpU: onCpU(m, cpu, v); break;
    case Exc.Sys: onSyscall(m, cpu, v); break;
    case Exc.AdEL: case Exc.AdES: onAddressError(m, cpu, v, code, bad); break;
    default: m.reflect(cpu, v, code, 0, 0); break;
  }
}

function onCpU(m: Monitor, cpu: Cpu, v: Vcpu): void {
  const word = m.fetchWord(cpu, v, cpu.pc);
  const ce = CE_OF_OPCODE[word >>> 26];
  if (ce !== 0 || !(v.kernelMode || (v.status & ST_CU0) !== 0)) { m.reflect(cpu, v, Exc.CpU, 0, 0, ce); return; }
  const row = emulationOf(word);
  if (row === null) { m.reflect(cpu, v, Exc.RI, 0, 0); return; }
  m.chargeId(cpu, v.vm.id, row.causeId);
  v.stats.emulated++;
  const counts = m.counts.emulated;
  counts[row.mnemonic] = (counts[row.mnemonic] ?? 0) + 1;
  const erl = v.status & ST_ERL;
  const out = row.emu.run(m, cpu, v, word);
  // kuseg stops being unmapped when ERL clears (and starts when it sets): drop the ERL identity mappings
  if ((v.status & ST_ERL) !== erl) m.vtlb.flushCpu(cpu);
  if (out === 'jump') return;
  cpu.skipInstruction();
  if (out === 'wait') {
    v.tickTimer(cpu.now());
    if (v.pending() === 0) m.sched.deschedule(cpu, v, 'waiting');
  }
}

function onSyscall(m: Monitor, cpu: Cpu, v: Vcpu): void {
  const word = m.fetchWord(cpu, v, cpu.pc);
  if (!v.kernelMode || ((word >>> 6) & 0xfffff) !== HYPERCALL_CODE) { m.reflect(cpu, v, Exc.Sys, 0, 0); return; }
  const h = HYPERCALL_BY_NR.get(cpu.r[2]);
  m.charge(cpu, v.vm.id, 'hypercall');
  const key = h?.name ?? `unknown ${cpu.r[2]}`;
  m.counts.hypercalls[key] = (m.counts.hypercalls[key] ?? 0) + 1;
  cpu.skipInstruction();
  if (!h) { cpu.r[2] = -1; return; }
  const r = h.run(m.devCtx(cpu, v), [cpu.r[4], cpu.r[5], cpu.r[6], cpu.r[7]]);
  m.charge(cpu, v.vm.id, 'hypercall.perPage', r.pages);
  if (v.vm.alive) cpu.r[2] = r.v0;
}

function onAddressError(m: Monitor, cpu: Cpu, v: Vcpu, code: number, bad: number): void {
  const u = bad >>> 0;
  const fetch = code === Exc.AdEL && u === cpu.pc >>> 0;
  if (v.kernelMode && !fetch && u >= 0x80000000 && u < KSSEG) {
    if (emulateAccess(m, cpu, v, u & 0x1fffffff, u < 0xa0000000 ? 'kseg0' : 'mmio')) return;
  }
  if (v.kernelMode && !fetch && u >= 0xe0000000) {
    // kseg3 is mapped, kernel only: the guest's own TLB translates it (the HAL page at its top
    // when the guest maps nothing there)
    const acc = decodeMemAccess(m.fetchWord(cpu, v, cpu.pc), cpu.r);
    if (acc) {
      if ((acc.ea & (acc.size - 1)) !== 0) { m.reflect(cpu, v, acc.store ? Exc.AdES : Exc.AdEL, acc.ea, EXC_BADVA); return; }
      if (acc.ea >= HAL_KSEG3 && v.tlb.match(acc.ea, v.entryHi & 0xff) < 0 && !m.vtlb.l2[v.gid].lookup(acc.ea, v.entryHi & 0xff)) {
        emulateAccess(m, cpu, v, -1, 'hal.trap', m.halPage(v) * PAGE + (acc.ea - HAL_KSEG3));
        return;
      }
      const gpa = m.vtlb.translateForEmulation(cpu, v, acc.ea, acc.store);
      if (gpa >= 0) emulateAccess(m, cpu, v, gpa, 'kseg3');
      return;
    }
  }
  if (v.kernelMode && fetch && ((u >= 0xa0000000 && u < KSSEG) || u >= 0xe0000000)) {
    m.stopVm(v.vm, `the guest kernel executes code at 0x${u.toString(16)} (${u >= 0xe0000000 ? 'kseg3' : 'kseg1, uncached'}), which the monitor does not virtualise: kernel code must run from kseg0 or ksseg`, cpu);
    return;
  }
  if (v.kernelMode && fetch && u >= 0x80000000 && u < 0xa0000000 && u - 0x80000000 < v.vm.memBytes) {
    // a kseg0-linked kernel: execute the same guest-physical code through the monitor's alias
    // (vm.ts `directBase`); j/jal stay in the alias (they keep pc[31:28]); every kseg0 data
    // reference and every jump through a register back into kseg0 traps again
    const vm = v.vm;
    if (vm.directBase !== KSEG0_ALIAS || u - 0x80000000 >= vm.directBytes) {
      m.stopVm(vm, `the guest kernel executes kseg0 code at 0x${u.toString(16)}, which the monitor cannot run: only a kseg0 kernel's code below guest-physical 0x${vm.directBytes.toString(16)} runs, through the alias at 0x${KSEG0_ALIAS.toString(16)} (relink the kernel into ksseg)`, cpu);
      return;
    }
    m.charge(cpu, vm.id, 'kseg0');
    cpu.setPc((u - 0x80000000 + KSEG0_ALIAS) | 0);
    return;
  }
  m.reflect(cpu, v, code, bad, EXC_BADVA);
}
