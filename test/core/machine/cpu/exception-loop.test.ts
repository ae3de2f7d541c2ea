/**
 * Issue #11, item 1: every exception advances simulated time, so no program — however broken —
 * keeps a run from reaching its limits. A `syscall` at reset (Status.BEV = 1, vectors in the
 * boot ROM's kseg1 range, outside RAM) used to loop raise → IBE fetch → raise without the clock
 * moving; the machine never reached maxCycles and the workbench could not stop the run.
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../../src/core/asm/index';
import { Machine } from '../../../../src/core/machine/machine';
import { preset } from '../helpers/bare';

function runWords(words: number[], maxCycles: number, cpuModel: 'fast' | 'timing') {
  const m = new Machine(preset('uma-smp4', { nodes: 1, cpusPerNode: 1, memoryPerNodeMB: 1, cpuModel }));
  const bytes = new Uint8Array(words.length * 4);
  words.forEach((w, i) => { bytes[4 * i] = w >>> 24; bytes[4 * i + 1] = w >>> 16; bytes[4 * i + 2] = w >>> 8; bytes[4 * i + 3] = w; });
  expect(m.load({ entry: 0x80001000 | 0, segments: [{ vaddr: 0x80001000 | 0, bytes }] })).toBeUndefined();
  m.start(0x80001000 | 0);
  return m.run({ maxCycles });
}

describe('exceptions advance time (no run is unstoppable)', () => {
  for (const model of ['fast', 'timing'] as const) {
    it(`a syscall at reset with BEV = 1 runs into the cycle limit (${model})`, () => {
      const a = assemble([{ path: 'sys.s', text: '        .text\n        .globl __start\n__start: syscall\n' }], { textBase: 0x80001000, dataBase: 0x80080000, elf: false });
      expect(a.ok).toBe(true);
      const m = new Machine(preset('uma-smp4', { nodes: 1, cpusPerNode: 1, cpuModel: model }));
      expect(m.load(a.image!)).toBeUndefined();
      m.start(a.image!.entry);
      const r = m.run({ maxCycles: 1000 });
      expect(r.reason).toBe('maxCycles');
      expect(r.cycles).toBeGreaterThanOrEqual(1000);
      // the CPU is stuck at the (unfetchable) BEV vector taking bus errors, each a cycle
      expect(m.cpus[0].counters.exceptions[6]).toBeGreaterThan(100);
    });
  }

  it('300 seeds of random kernel-mode words all reach the cycle limit or stop', () => {
    let seed = 0x2545f491;
    const rnd = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; };
    for (let s = 0; s < 300; s++) {
      const words = Array.from({ length: 64 }, rnd);
      const r = runWords(words, 5_000, s % 2 ? 'timing' : 'fast');
      expect(['maxCycles', 'exit', 'halted', 'deadlock'], `seed ${s}`).toContain(r.reason);
    }
  });
});
