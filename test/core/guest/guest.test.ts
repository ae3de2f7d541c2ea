/**
 * The guest OS end to end: kernel variants assemble identically with the project assembler and
 * GNU as; the kseg0 kernel boots on 1-8 CPUs, runs programs from the disk image in kuseg, kills
 * faulting and runaway processes while the rest continue, panics with a report, and runs the four
 * workloads to their expected checksums, deterministically, on 1 and 4 CPUs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gnuBuild, gnuTools } from '../asm/gnu';
import { boot, disk, GUEST, include, kernel, machine, PROGRAMS } from './guest';
import { Machine } from '../../../src/core/machine/machine';
import { KERNEL_DATA_OFFSET, KERNEL_VARIANTS, kernelPrelude, type KernelVariant } from '../../../src/core/guest/kernel';
import { buildProgram } from '../../../src/core/guest/programs';
import type { GuestBootResult } from '../../../src/core/guest/boot';

/**
 * Expected checksums (independent of the number of CPUs and of scheduling), at size 1 — what
 * the tests run, for speed.
 */
export const WORKLOADS = [
  { init: 'pmake 4 1', line: 'pmake: 16 jobs, checksum 0xf3e06fae' },
  { init: 'engineering 1', line: 'engineering: 4 jobs, checksum 0x293fe145' },
  { init: 'raytrace 4 1', line: 'raytrace: 128x128, checksum 0xd0c32824' },
  { init: 'database 400', line: 'database: 4 clients, checksum 0xeca23669' },
];
/** The same workloads at their default sizes (what the shipped experiments run: docs/guest-os.md). */
export const DEFAULT_WORKLOADS = [
  { init: 'pmake 4', line: 'pmake: 64 jobs, checksum 0xcf81beb8' },
  { init: 'engineering', line: 'engineering: 4 jobs, checksum 0xe34618bc' },
  { init: 'raytrace 4', line: 'raytrace: 128x128, checksum 0x14dc260b' },
  { init: 'database', line: 'database: 4 clients, checksum 0x84ccc3e1' },
];

const share = (r: GuestBootResult) => {
  const t = r.totals;
  const all = t.user + t.kernel + t.monitor + t.idle;
  return { user: t.user / all, kernel: t.kernel / all, idle: t.idle / all };
};

function expectClean(r: GuestBootResult, cpus: number): void {
  expect(r.result.reason, r.console).toBe('exit');
  expect(r.result.exitCode, r.console).toBe(0);
  for (const c of r.cpus) expect(c.buckets.user + c.buckets.kernel + c.buckets.monitor + c.buckets.idle).toBe(r.result.cycles);
  expect(r.cpus.length).toBe(cpus);
}

describe('kernel variants', () => {
  for (const v of Object.keys(KERNEL_VARIANTS) as KernelVariant[]) {
    it(`${v}: assembles with the project assembler, vectors at KERNBASE + 0 / + 0x180`, () => {
      const k = kernel(v);
      expect(k.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const sym = (n: string) => k.image!.symbols.find((s) => s.name === n)!.value >>> 0;
      expect(sym('tlb_refill')).toBe(KERNEL_VARIANTS[v].kernbase);
      expect(sym('general_exception')).toBe(KERNEL_VARIANTS[v].kernbase + 0x180);
      expect(k.load!.entry >>> 0).toBe((sym('__start') - KERNEL_VARIANTS[v].kernbase + 0x80000000) >>> 0);
    });
  }

  it('hal: reads the CPU number from the HAL page instead of Context', () => {
    expect(kernelPrelude('hal')).toMatch(/lui\s+\\reg, 0xe000\n\s+lw\s+\\reg, -4096\(\\reg\)/);
    expect(kernelPrelude('kseg0')).toMatch(/mfc0\s+\\reg, \$4/);
    const words = (v: KernelVariant) => kernel(v).image!.segments.find((s) => s.name === '.text')!.bytes;
    expect(Buffer.from(words('hal')).equals(Buffer.from(words('ksseg')))).toBe(false);
  });
});

const tools = gnuTools();
describe.skipIf(!tools.ok)('byte-identical with GNU as -O0 + ld', () => {
  for (const v of Object.keys(KERNEL_VARIANTS) as KernelVariant[]) {
    it(`kernel ${v}: .text, .data and .bss identical`, () => {
      const base = KERNEL_VARIANTS[v].kernbase;
      const g = gnuBuild([{ path: 'kernel.s', text: readFileSync(join(GUEST, 'kernel', 'kernel.s'), 'utf8') }], base, base + KERNEL_DATA_OFFSET, [{ path: 'prelude.s', text: kernelPrelude(v) }]);
      expect(g.ok, g.stderr).toBe(true);
      const k = kernel(v);
      for (const name of ['.text', '.data', '.bss']) {
        const ours = k.image!.segments.find((s) => s.name === name)!;
        expect(g.sections[name].addr >>> 0).toBe(ours.vaddr >>> 0);
        expect(Buffer.from(ours.bytes).toString('hex')).toBe(Buffer.from(g.sections[name].bytes).toString('hex'));
      }
    });
  }
  for (const p of PROGRAMS) {
    it(`program ${p}: every section identical`, () => {
      const path = `programs/${p}.s`;
      const text = readFileSync(join(GUEST, path), 'utf8');
      const b = buildProgram(p, { path, text }, include);
      expect(b.ok).toBe(true);
      const aux = ['lib/runtime.s', 'denali/service.s'].map((a) => ({ path: a, text: readFileSync(join(GUEST, a), 'utf8') }));
      const g = gnuBuild([{ path, text }], 0x400000, 0x10000000, aux);
      expect(g.ok, g.stderr).toBe(true);
      for (const s of b.image!.segments) {
        expect(g.sections[s.name].addr >>> 0, s.name).toBe(s.vaddr >>> 0);
        expect(Buffer.from(s.bytes).toString('hex'), s.name).toBe(Buffer.from(g.sections[s.name].bytes).toString('hex'));
      }
    });
  }
});

describe('slicing a guest-kernel run', () => {
  // A host may run a machine in slices (Machine.run called again with a larger maxCycles). With
  // slices ending on multiples of quantumCycles the result must equal one uninterrupted run, even
  // when all CPUs sleep and the machine jumps ahead to the next device event (off the grid).
  it('pmake on 4 CPUs in slices of 7 quanta equals one run, idle jumps included', () => {
    const start = (model: 'fast' | 'timing') => {
      const m = new Machine(machine(4, { cpuModel: model }), { diskImage: disk('pmake 4 1') });
      const k = kernel('kseg0').load!;
      expect(m.load(k)).toBeUndefined();
      m.start(k.entry);
      return m;
    };
    for (const model of ['fast', 'timing'] as const) {
      const whole = start(model);
      const rw = whole.run({ maxCycles: 400_000_000 });
      expect(rw.exitCode, model).toBe(0);
      const sliced = start(model);
      const q = sliced.config.quantumCycles;
      let rs = sliced.run({ maxCycles: 7 * q });
      let slices = 1;
      while (rs.partial) { rs = sliced.run({ maxCycles: (Math.floor(sliced.time / q) + 7) * q }); slices++; }
      expect(slices, model).toBeGreaterThan(20);
      expect(rs, model).toEqual(rw);
      expect(sliced.cpuReports(), model).toEqual(whole.cpuReports());
      expect(sliced.console.text(), model).toBe(whole.console.text());
    }
  }, 120_000);
});

describe('boot and processes (kseg0 kernel, native)', () => {
  for (const n of [1, 2, 4, 8]) {
    it(`boots on ${n} CPU(s), runs hello from the disk image and powers off with status 0`, () => {
      const r = boot('hello boot test', n);
      expectClean(r, n);
      expect(r.console).toContain(`disco-guest kernel (kseg0) booting on ${n} CPU(s)`);
      expect(r.console).toMatch(/hello from pid 1 on cpu \d, args "boot test"\n/);
      expect(r.console).toContain('init exited with status 0');
      // every CPU came up: the secondaries sleep in `wait` (idle) instead of spinning
      for (const c of r.cpus) expect(c.buckets.idle).toBeGreaterThan(0);
    });
  }

  it('kills a faulting process and a runaway one (CPU limit) while the others complete', () => {
    const r = boot('tests', 2);
    expectClean(r, 2);
    expect(r.console).toMatch(/killed pid \d+ \(badptr\): TLBL at pc=0x004[0-9a-f]{5} badvaddr=0x00000010\n/);
    expect(r.console).toMatch(/killed pid \d+ \(loop\): cpu time limit exceeded at pc=0x004/);
    expect(r.console).toContain('hello from pid');
    expect(r.console).toContain('tests: status sum -10, error sum -12');
  });

  it('timer preemption: on one CPU the infinite loop does not stop the others (and is killed at its limit)', () => {
    const r = boot('tests', 1);
    expectClean(r, 1);
    expect(r.console).toContain('tests: status sum -10, error sum -12');
    expect(r.console.indexOf('loop: spinning')).toBeLessThan(r.console.indexOf('hello from pid'));
    expect(r.cpus[0].exceptions.Int).toBeGreaterThan(3);
  });

  it('system calls return their documented results and error codes (systest)', () => {
    const r = boot('systest', 2);
    expectClean(r, 2);
    expect(r.console).toContain('systest: all 36 checks passed\n');
  });

  it('a kernel fault ends the run with a panic report and a non-zero status', () => {
    const r = boot('crash', 2);
    expect(r.result.reason).toBe('exit');
    expect(r.result.exitCode).toBe(100);
    expect(r.console).toMatch(/PANIC: kernel exception cause=AdEL pc=0x8000[0-9a-f]{4} badvaddr=0xdeadbeef on cpu \d\n/);
    expect(r.console).toMatch(/ r0=0x00000000 at=0x[0-9a-f]{8} v0=0x[0-9a-f]{8} v1=/);
    expect(r.console).toMatch(/ hi=0x[0-9a-f]{8} lo=0x[0-9a-f]{8} status=0x[0-9a-f]{8} cause=0x00000010/);
    expect(r.console).not.toContain('init exited');
  });

  it('a missing init program is a panic', () => {
    const r = boot('nosuchprogram', 1);
    expect(r.result.exitCode).toBe(100);
    expect(r.console).toContain('PANIC: init program not found on the disk image');
  });

  it('is deterministic: two runs give the same console, cycles and buckets', () => {
    const a = boot('tests', 4);
    const b = boot('tests', 4);
    expect(b.console).toBe(a.console);
    expect(b.result).toEqual(a.result);
    expect(b.cpus.map((c) => c.buckets)).toEqual(a.cpus.map((c) => c.buckets));
  });
});

describe('relinked variants run natively when they map themselves (selfMap), as under the monitor', () => {
  for (const v of ['ksseg', 'hal'] as const) {
    it(`${v}: the self-test init on 2 CPUs`, () => {
      const r = boot('tests', 2, { variant: v, selfMap: true });
      expectClean(r, 2);
      expect(r.console).toContain(`disco-guest kernel (${v}, self-mapped) booting on 2 CPU(s)`);
      expect(r.console).toContain('tests: status sum -10, error sum -12');
    });
    it(`${v}: pmake on 4 CPUs gives the kseg0 checksum`, () => {
      const r = boot('pmake 4 1', 4, { variant: v, selfMap: true });
      expectClean(r, 4);
      expect(r.console).toContain(WORKLOADS[0].line + '\n');
    });
  }

  it('without selfMap the relinked kernels are not natively loadable at their link address', () => {
    for (const v of ['ksseg', 'hal'] as const) {
      const k = kernel(v);
      expect(k.image!.entry >>> 0).toBeGreaterThanOrEqual(0xc0000000);
      expect(k.load!.entry >>> 0).toBeLessThan(0xa0000000);   // the load image is rebased to kseg0 (physical)
    }
  });
});

describe('kernel time per service (+stats, the guest-statistics device)', () => {
  const TABLE2 = ['DEMAND_ZERO', 'QUICK_FAULT', 'open', 'UTLB_MISS', 'write', 'read', 'execve'];

  it('+stats pmake: every Table 2 service is timed; the run is otherwise the same', () => {
    const plain = boot('pmake 4 1', 1, { overrides: { cpuModel: 'timing' } });
    const r = boot('+stats pmake 4 1', 1, { overrides: { cpuModel: 'timing' } });
    expectClean(r, 1);
    expect(r.console).toBe(plain.console);            // "+stats" is the kernel's: init sees "pmake 4 1"
    expect(plain.machine.gstat.clock.report()).toEqual({});
    const st = r.machine.gstat.clock.report();
    for (const s of TABLE2) expect(st[s].calls, s).toBeGreaterThan(0);
    expect(st.DEMAND_ZERO.calls).toBe(160);           // = the kernel's demand-zero count
    expect(st.open.calls).toBe(16);
    expect(st.execve.calls).toBe(17);                 // pmake and its 16 cc jobs
    expect(st.QUICK_FAULT.calls).toBeGreaterThanOrEqual(17);   // each process's first store to its stack page (dirty bits)
    expect(r.machine.gstat.clock.unmatched).toBe(0);
    const timed = Object.values(st).reduce((a, x) => a + x.cycles, 0);
    expect(timed).toBeLessThanOrEqual(r.totals.kernel);
    expect(timed).toBeGreaterThan(0.8 * r.totals.kernel);
    // the marks cost a few instructions per service: under 1 % of the run natively
    expect(r.result.cycles).toBeLessThan(1.01 * plain.result.cycles);
  }, 60_000);

  it('the marked refill handler fits below the general exception vector', () => {
    for (const v of ['kseg0', 'ksseg', 'hal'] as const) {
      const sym = (n: string) => kernel(v).image!.symbols.find((x) => x.name === n)!.value >>> 0;
      expect(sym('tlb_refill_stats_end') - sym('tlb_refill_stats')).toBeLessThanOrEqual(0x180);
    }
  });

  it('+stats on 4 CPUs: the services of processes that sleep and move between CPUs still match', () => {
    const r = boot('+stats pmake 4 1', 4);
    expectClean(r, 4);
    expect(r.console).toContain(WORKLOADS[0].line + '\n');
    expect(r.machine.gstat.clock.unmatched).toBe(0);
    expect(r.machine.gstat.clock.report().read.calls).toBe(792);
  });
});

describe('more CPUs, the timing model', () => {
  it('raytrace on 8 CPUs gives the same checksum', () => {
    const r = boot('raytrace 8 1', 8);
    expectClean(r, 8);
    expect(r.console).toContain(WORKLOADS[2].line + '\n');
    expect(r.console).not.toContain('killed');
  });

  it('database on 2 CPUs with the timing CPU model: same checksum, and two runs are identical', () => {
    const a = boot('database 100', 2, { overrides: { cpuModel: 'timing' } });
    const b = boot('database 100', 2, { overrides: { cpuModel: 'timing' } });
    expectClean(a, 2);
    expect(a.console).toMatch(/database: 4 clients, checksum 0x[0-9a-f]{8}\n/);
    expect(b.console).toBe(a.console);
    expect(b.cpus.map((c) => [c.buckets, c.cache])).toEqual(a.cpus.map((c) => [c.buckets, c.cache]));
    const fast = boot('database 100', 2);
    expect(fast.console.match(/checksum 0x[0-9a-f]{8}/)![0]).toBe(a.console.match(/checksum 0x[0-9a-f]{8}/)![0]);
    expect(a.totals.stall).toBeGreaterThan(0);
  });
});

describe('workloads natively at their default sizes', () => {
  for (const w of DEFAULT_WORKLOADS) {
    it(`${w.init} on 1 CPU`, () => {
      const r = boot(w.init, 1);
      expectClean(r, 1);
      expect(r.console).toContain(w.line + '\n');
    }, 60_000);
  }
  it('size 1 is the base run and a size scales the work', () => {
    expect(boot('pmake 4 2', 1).console).toContain('pmake: 32 jobs, checksum 0xe7c0df5c\n');   // 2 × 0xf3e06fae
    expect(boot('raytrace 2 2', 2).console).toContain('raytrace: 128x128, checksum 0x14dc260b\n');   // = raytrace 4 2
  }, 60_000);
});

describe('workloads natively: expected checksums on 1 and 4 CPUs', () => {
  for (const w of WORKLOADS) {
    for (const n of [1, 4]) {
      it(`${w.init} on ${n} CPU(s)`, () => {
        const r = boot(w.init, n);
        expectClean(r, n);
        expect(r.console).toContain(w.line + '\n');
        const s = share(r);
        console.log(`${w.init} ${n}cpu: ${r.result.instructions} instr, ${r.result.cycles} cycles, user ${(s.user * 100).toFixed(1)}% kernel ${(s.kernel * 100).toFixed(1)}% idle ${(s.idle * 100).toFixed(1)}%`);
        if (w.init.startsWith('pmake')) expect(s.kernel + s.idle).toBeGreaterThan(0.25);
        if (w.init.startsWith('raytrace') && n === 1) expect(s.user).toBeGreaterThan(0.9);
        if (w.init.startsWith('engineering')) {
          expect(r.cpus.reduce((a, c) => a + c.tlbMisses.refill, 0)).toBeGreaterThan(10000);
          expect(r.console).toContain('demand-zero=1024 ');   // 4 jobs × 256 pages, faulted in on first touch
        }
      });
    }
  }
});
