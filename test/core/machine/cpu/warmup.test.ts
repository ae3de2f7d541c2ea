/**
 * The interpreter warm-up (src/core/machine/cpu/warmup.ts): its program holds every row that
 * cannot raise (and add/sub/addi, which do not overflow there) and runs on a scratch CPU without
 * any exception but the two it provokes on purpose (a fetch TLB refill, a timer interrupt), in
 * user, kernel and idle time; and it leaves nothing behind that a guest could see.
 */
import { describe, expect, it } from 'vitest';
import { Cpu, C0, Exc } from '../../../../src/core/machine/cpu';
import { OP_MNEMONIC, SEMANTICS, decodeOp } from '../../../../src/core/machine/cpu/ops';
import { runWarmup, warmupProgram, WARM_BYTES } from '../../../../src/core/machine/cpu/warmup';
import { PhysicalMemory } from '../../../../src/core/machine/memory/physical';

describe('interpreter warm-up', () => {
  it('the program holds every row but the unconditional raises and the conditional traps', () => {
    const ops = new Set(warmupProgram().map((w) => OP_MNEMONIC[decodeOp(w)]));
    expect(ops.has('(reserved)')).toBe(false);
    const want = SEMANTICS.filter((s) => s !== undefined
      && !(s.body.some((x) => x.k === 'raise') && s.spec.category !== 'alu')
      && !(s.privileged && !s.spec.privileged)
      && !['wait'].includes(s.spec.mnemonic)).map((s) => s!.spec.mnemonic);
    for (const m of want) expect(ops, m).toContain(m);
  });

  for (const model of ['fast', 'timing'] as const) {
    it(`runs on the ${model} model with only the exceptions it provokes`, () => {
      const memory = new PhysicalMemory(1, WARM_BYTES);
      const cpu = new Cpu(model, 0, { memory, mmioRead32: () => undefined, mmioWrite32: () => false });
      const seen: number[] = [];
      cpu.interceptor = { onException: (_id, code) => { seen.push(code); return false; } };
      runWarmup(cpu, memory.words);
      expect(seen).toEqual([Exc.TLBL, Exc.Int]);
      expect(cpu.buckets.user).toBeGreaterThan(0);
      expect(cpu.buckets.idle).toBeGreaterThan(0);
      expect(cpu.buckets.kernel).toBeGreaterThan(1000);
      expect(cpu.readCp0(C0.Status) & 0x1f).toBe(0);   // left in kernel mode, interrupts off
    });
  }

  it('a CPU built after the warm-up runs exactly like one built before it (same results)', () => {
    // the first Cpu of a process warms up; build two more and compare their runs of the program
    const run = () => {
      const memory = new PhysicalMemory(1, WARM_BYTES);
      const cpu = new Cpu('fast', 0, { memory, mmioRead32: () => undefined, mmioWrite32: () => false });
      runWarmup(cpu, memory.words);
      return { r: [...cpu.r], cycle: cpu.cycle, counters: JSON.stringify(cpu.counters), mem: memory.words.reduce((h, w) => (h * 31 + w) | 0, 0) };
    };
    expect(run()).toEqual(run());
  });
});
