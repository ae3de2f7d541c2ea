/**
 * Privileged conformance suite: self-checking bare-metal programs (test/fixtures/cpu/priv/*.s,
 * built with GNU binutils, kseg0-linked, vectors at 0x80000000/+0x180/+0x200) run on the bare
 * harness (tools.ts `runBare`: RAM + a result port). Each must pass on BOTH CPU models, and
 * the two models must end in the same architectural state (co-simulation; programs that read
 * Count are compared on result and exception counts only, since Count is cycle-based).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXC_NAMES } from '../../../../src/core/machine/cpu/cp0';
import { PASS, gnuBuild, missingTools, runBare, toyTiming } from './tools';

const FIX = join(__dirname, '../../../fixtures/cpu/priv');
const skip = missingTools('mips-linux-gnu-as', 'mips-linux-gnu-ld');
const PRELUDE = skip ? '' : readFileSync(join(FIX, 'prelude.inc'), 'utf8');
const programs = readdirSync(FIX).filter((f) => f.endsWith('.s')).sort();
const TIME_DEPENDENT = new Set(['interrupts.s']);

function describeResult(r: number | undefined, log: number[]): string {
  return r === undefined ? 'no result (did not finish)' : r === PASS ? 'pass' : `failed check ${r} (log ${log.join(',')})`;
}

describe.skipIf(skip !== undefined)('privileged conformance suite', () => {
  for (const file of programs) {
    it(`${file} passes on fast and timing, same final state`, () => {
      const elf = gnuBuild(PRELUDE + readFileSync(join(FIX, file), 'utf8'), { bare: true, name: file.replace('.s', '') });
      const fast = runBare(elf, 'fast');
      expect(describeResult(fast.result, fast.log), 'fast').toBe('pass');
      const eager = runBare(elf, 'fast', 5_000_000, undefined, 'eager');
      expect(describeResult(eager.result, eager.log), 'fast, every block compiled').toBe('pass');
      const interp = runBare(elf, 'fast', 5_000_000, undefined, 'off');
      expect(describeResult(interp.result, interp.log), 'fast, interpreter only').toBe('pass');
      const timed = runBare(elf, 'timing', 20_000_000, toyTiming());
      expect(describeResult(timed.result, timed.log), 'timing').toBe('pass');
      expect(timed.cpu.buckets.stall).toBeGreaterThan(0);
      const exc = (c: typeof fast.cpu) => c.counters.exceptions.map((n, i) => (n ? `${EXC_NAMES[i]}:${n}` : '')).filter(Boolean).join(' ');
      expect(exc(timed.cpu)).toBe(exc(fast.cpu));
      expect(exc(eager.cpu)).toBe(exc(fast.cpu));
      expect(exc(interp.cpu)).toBe(exc(fast.cpu));
      if (!TIME_DEPENDENT.has(file)) {
        for (const other of [timed, eager, interp]) {
          expect(Array.from(other.cpu.r)).toEqual(Array.from(fast.cpu.r));
          expect(other.cpu.counters.instructions).toBe(fast.cpu.counters.instructions);
          expect(other.cpu.pc).toBe(fast.cpu.pc);
        }
      }
    });
  }
});
