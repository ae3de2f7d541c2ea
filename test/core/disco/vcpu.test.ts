/**
 * The virtual CPU's time-dependent registers across switches and migrations (issue #10): Count
 * never steps back when a vCPU moves to a CPU whose clock is behind; Random counts the vCPU's own
 * instructions; LLAddr reads guest-physical addresses.
 */
import { describe, expect, it } from 'vitest';
import { C0 } from '../../../src/core/machine/cpu/cp0';
import { readCp0Reg, writeCp0Reg } from '../../../src/core/machine/cpu/cp0-regs';
import type { Cpu } from '../../../src/core/machine/cpu/index';
import { Vcpu } from '../../../src/core/disco/vcpu';
import type { Vm } from '../../../src/core/disco/vm';

/** A physical CPU as the vCPU sees it: a clock, an instruction count, an LLAddr. */
function fakeCpu(cycle: number, instructions: number) {
  const c = { cycle, instructions, llAddr: 0, now: () => c.cycle, instructionsNow: () => c.instructions };
  return c;
}
const asCpu = (c: ReturnType<typeof fakeCpu>) => c as unknown as Cpu;

describe('virtual CPU across switches', () => {
  it('Count never steps back when the vCPU moves to a CPU whose clock is behind', () => {
    const v = new Vcpu({} as Vm, 0, 0, 0, 0x80000400);
    const a = fakeCpu(10_000, 0), b = fakeCpu(9_200, 0);
    v.onSwitchIn(asCpu(a));
    a.cycle = 12_000;
    const before = readCp0Reg(v, C0.Count, 0);
    v.onSwitchOut(asCpu(a));
    v.onSwitchIn(asCpu(b));                       // CPU b's clock is 2,800 cycles behind
    const after = readCp0Reg(v, C0.Count, 0);
    expect(after - before).toBeGreaterThanOrEqual(0);
    b.cycle += 100;
    expect(readCp0Reg(v, C0.Count, 0) - before).toBe(50);   // and then runs on at half the clock
  });

  it('the virtual timer still fires at Count = Compare after such a move', () => {
    const v = new Vcpu({} as Vm, 0, 0, 0, 0x80000400);
    const a = fakeCpu(1000, 0), b = fakeCpu(400, 0);
    v.onSwitchIn(asCpu(a));
    writeCp0Reg(v, C0.Compare, 0, readCp0Reg(v, C0.Count, 0) + 1000);
    v.onSwitchOut(asCpu(a));
    v.onSwitchIn(asCpu(b));
    const due = v.timerCycle;
    v.tickTimer(due - 1);
    expect(v.causeBits() & 0x8000).toBe(0);
    b.cycle = due;
    v.tickTimer(due);
    expect(v.causeBits() & 0x8000).toBe(0x8000);
    expect(readCp0Reg(v, C0.Count, 0)).toBe(readCp0Reg(v, C0.Compare, 0));
  });

  it('Random counts the instructions the vCPU issued, not those of the CPUs it ran on', () => {
    const v = new Vcpu({} as Vm, 0, 0, 0, 0x80000400);
    const a = fakeCpu(0, 1_000), b = fakeCpu(0, 77_777);
    v.onSwitchIn(asCpu(a));
    writeCp0Reg(v, C0.Wired, 0, 0);
    expect(readCp0Reg(v, C0.Random, 0)).toBe(63);
    a.instructions += 10;
    expect(readCp0Reg(v, C0.Random, 0)).toBe(53);
    v.onSwitchOut(asCpu(a));
    v.onSwitchIn(asCpu(b));                       // elsewhere, other instruction counts
    expect(readCp0Reg(v, C0.Random, 0)).toBe(53);
    b.instructions += 60;                         // 70 in all: wraps within [0, 63]
    expect(readCp0Reg(v, C0.Random, 0)).toBe(63 - (70 % 64));
  });

  it('LLAddr reads the guest-physical address of the last ll, across switches', () => {
    const v = new Vcpu({} as Vm, 0, 0, 0, 0x80000400);
    v.guestAddrOf = (ma) => ma - 0x400000;        // this VM's memory starts at machine 4 MiB
    const a = fakeCpu(0, 0), b = fakeCpu(0, 0);
    v.onSwitchIn(asCpu(a));
    a.llAddr = 0x412340;
    expect(readCp0Reg(v, C0.LLAddr, 0)).toBe(0x12340 >>> 4);
    v.onSwitchOut(asCpu(a));
    a.llAddr = 0x999990;                          // another vCPU's ll on that CPU
    v.onSwitchIn(asCpu(b));
    expect(readCp0Reg(v, C0.LLAddr, 0)).toBe(0x12340 >>> 4);
  });
});

describe('VM console text', () => {
  it('decodes any bytes (invalid UTF-8 becomes U+FFFD, never an exception)', async () => {
    const { Vm } = await import('../../../src/core/disco/vm');
    const vm = new Vm(0, 'vm0', 4096, {} as never, 0, 0, {} as never);
    vm.consoleOut.push(0x68, 0x69, 0xf7, 0xbf, 0xbf, 0xbf, 0xff, 0xc0, 0x0a);
    expect(() => vm.consoleText()).not.toThrow();
    expect(vm.consoleText().startsWith('hi')).toBe(true);
    expect(vm.consoleText().endsWith('\n')).toBe(true);
  });
});
