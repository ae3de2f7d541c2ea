/**
 * The native-vs-virtual differential suite (issue #10): every conformance program
 * (test/fixtures/conformance) must print the same output — "PASS" — natively on both CPU models
 * (interpreter, default JIT, every block compiled; timing), as a Disco guest (kseg0 variant) with
 * the L2 TLB on and off, in VM shapes that force vCPU switches and migrations, and on QEMU's
 * Malta board, which checks the checks themselves against an independent MIPS implementation.
 * Natively the models must also end in the same architectural state (co-simulation).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/core/asm/index';
import { createMonitor } from '../../../src/core/disco/monitor';
import { BARE_METAL_DATA_BASE, BARE_METAL_TEXT_BASE } from '../../../src/core/experiment/run';
import { Machine } from '../../../src/core/machine/machine';
import { EXC_NAMES } from '../../../src/core/machine/cpu/cp0';
import { preset, ROOT } from '../machine/helpers/bare';
import { missingTools } from '../machine/cpu/tools';
import { build, GUEST_SHAPES, KSSEG_EXCLUDED, NEEDS_SMP, PROGRAMS, runGuest, runMalta, runNative, TIME_DEPENDENT, type Link } from './harness';

const skip = missingTools('mips-linux-gnu-as', 'mips-linux-gnu-ld', 'qemu-system-mips');
/** Programs whose CPU 0 state depends on time or on the other CPUs' progress (not compared register for register). */
const TIMED_STATE = new Set([...TIME_DEPENDENT, 'count_migration.s', 'llsc_migration.s']);

describe.skipIf(skip !== undefined)('conformance programs: native = Disco guest = QEMU Malta', () => {
  for (const file of PROGRAMS) {
    it(`${file}: natively, on both CPU models and every JIT setting`, () => {
      const elf = build(file, 'disco-lab');
      const ref = runNative(elf, 'fast');
      expect(ref.output, 'fast').toBe('PASS\n');
      expect(ref.exitCode).toBe(0);
      const cpu0 = (r: typeof ref) => r.machine.cpus[0];
      const exc = (r: typeof ref) => cpu0(r).counters.exceptions.map((n, i) => (n ? `${EXC_NAMES[i]}:${n}` : '')).filter(Boolean).join(' ');
      for (const [name, r] of [
        ['interpreter only', runNative(elf, 'fast', 'off')],
        ['every block compiled', runNative(elf, 'fast', 'eager')],
        ['timing', runNative(elf, 'timing')],
      ] as const) {
        expect(r.output, name).toBe(ref.output);
        if (TIMED_STATE.has(file)) continue;
        expect(exc(r), name).toBe(exc(ref));
        expect(Array.from(cpu0(r).r), name).toEqual(Array.from(cpu0(ref).r));
        expect(cpu0(r).counters.instructions, name).toBe(cpu0(ref).counters.instructions);
      }
    });

    const links: Link[] = KSSEG_EXCLUDED.has(file) ? ['kseg0'] : ['kseg0', 'ksseg'];
    it(`${file}: as a Disco guest (${links.join(', ')} builds) — L2 TLB on and off, vCPUs switching and migrating, both CPU models`, () => {
      const want = runNative(build(file, 'disco-lab'), 'fast').output;
      for (const link of links) {
        const elf = build(file, 'disco-lab', link);
        if (link !== 'kseg0') expect(runNative(elf, 'fast').output, `${link} build, natively`).toBe(want);
        for (const shape of GUEST_SHAPES) {
          for (const l2 of [1024, 0]) {
            const models = shape === GUEST_SHAPES[0] ? (['fast', 'timing'] as const) : (['fast'] as const);
            for (const model of models) {
              const g = runGuest(elf, model, l2, shape);
              const what = `${link} build, ${model}, ${shape.vcpus} vCPUs on ${shape.cpus} CPU(s), L2 TLB ${l2 ? 'on' : 'off'}`;
              expect(g.stopReason, what).toBeNull();
              expect(g.output, what).toBe(want);
              expect(g.exitCode, what).toBe(0);
            }
          }
        }
      }
    });

    if (!TIME_DEPENDENT.has(file) && !NEEDS_SMP.has(file)) {
      it(`${file}: on QEMU's Malta board (34Kf), the independent reference`, () => {
        const r = runMalta(build(file, 'malta'));
        expect(r.output).toBe('PASS\n');
      });
    }
  }

  it('an uncached guest mapping (C = 2) stays uncached under Disco: the same uncached references as natively', () => {
    const elf = build('uncached.s', 'disco-lab');
    const n = runNative(elf, 'timing');
    const g = runGuest(elf, 'timing', 1024, GUEST_SHAPES[0]);
    const unc = (m: typeof n.machine) => m.cpus.reduce((s, _, i) => s + m.timing.counters(i).uncached, 0);
    expect(unc(n.machine)).toBeGreaterThanOrEqual(100);
    expect(unc(g.machine)).toBe(unc(n.machine));
  });
});

/** The shipped bare-metal examples: the programs of the native experiments that are `.s` sources. */
const EXAMPLES = join(ROOT, 'resources/examples');
const BARE_EXAMPLES = [...new Set(readdirSync(join(EXAMPLES, 'experiments')).flatMap((f) => {
  const e = JSON.parse(readFileSync(join(EXAMPLES, 'experiments', f), 'utf8'));
  return e.mode === 'native' ? ((e.programs ?? []) as (string | { path: string })[]).map((p) => (typeof p === 'string' ? p : p.path)).filter((p) => p.endsWith('.s')) : [];
}))];

describe('bare-metal examples: native = Disco guest', () => {
  it('there is at least one', () => { expect(BARE_EXAMPLES.length).toBeGreaterThan(0); });
  for (const rel of BARE_EXAMPLES) {
    it(`${rel}: the same output and exit status natively (4 CPUs, both models) and in a 4-vCPU VM (1, 2, 4 CPUs; L2 TLB on, off)`, () => {
      const path = join(EXAMPLES, 'experiments', rel);
      const a = assemble([{ path, text: readFileSync(path, 'utf8') }], { textBase: BARE_METAL_TEXT_BASE, dataBase: BARE_METAL_DATA_BASE, elf: false });
      expect(a.ok).toBe(true);
      const image = a.image!;
      const native = (model: 'fast' | 'timing') => {
        const m = new Machine(preset('uma-smp4', { cpuModel: model, memoryPerNodeMB: 16 }));
        expect(m.load(image)).toBeUndefined();
        m.start(image.entry);
        const r = m.run({ maxCycles: 50_000_000 });
        return { output: m.console.text(), exitCode: r.exitCode };
      };
      const ref = native('fast');
      expect(ref.exitCode).toBe(0);
      expect(native('timing')).toEqual(ref);
      for (const cpus of [1, 2, 4]) {
        for (const l2tlbEntries of [1024, 0]) {
          const m = new Machine(preset('uma-smp4', { cpusPerNode: cpus, cpuModel: 'fast', memoryPerNodeMB: 16 }));
          const mon = createMonitor(m, [{ name: 'vm0', vcpus: 4, memoryMB: 8, image, kernbase: 0x80000000 }], { l2tlbEntries });
          if (!mon.ok) throw new Error(JSON.stringify(mon.errors));
          m.run({ maxCycles: 200_000_000 });
          const vm = mon.monitor.vms[0];
          expect({ output: vm.consoleText(), exitCode: vm.exitCode }, `${cpus} CPU(s), L2 ${l2tlbEntries}`).toEqual(ref);
        }
      }
    });
  }
});
