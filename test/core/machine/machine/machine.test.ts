import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine, type RunOptions } from '../../../../src/core/machine/machine';
import { parseElf, loadAddress } from '../../../../src/core/machine/elf';
import type { MachineConfig } from '../../../../src/core/machine/config/types';
import { SECTOR_BYTES } from '../../../../src/core/machine/devices/disk';
import { PROLOGUE, ROOT, assembleBare, preset } from '../helpers/bare';

const HELLO = assembleBare(readFileSync(join(ROOT, 'resources/examples/programs/bare-hello.s'), 'utf8'));

function boot(cfg: MachineConfig, elf: Uint8Array, opts: ConstructorParameters<typeof Machine>[1] = {}) {
  const m = new Machine(cfg, opts);
  const e = parseElf(elf);
  if (!e.ok) throw new Error(e.message);
  expect(m.load(e.image)).toBeUndefined();
  m.start(e.image.entry);
  return m;
}

function expectBucketsSum(m: Machine, cycles: number) {
  let total = 0;
  for (const r of m.cpuReports()) {
    const b = r.buckets;
    expect(b.user + b.kernel + b.monitor + b.idle, `cpu ${r.id}`).toBe(cycles);
    expect(b.stall).toBeLessThanOrEqual(b.user + b.kernel + b.monitor);
    total += b.user + b.kernel + b.monitor + b.idle;
  }
  expect(total).toBe(cycles * m.cpus.length);
}

const LOOP = `${PROLOGUE(0)}
1:      addiu   $t1, $t1, 1
        b       1b
        nop
`;

describe('ELF loading', () => {
  it('parses the GNU-linked example and maps kseg0 to physical addresses', () => {
    const e = parseElf(HELLO);
    expect(e.ok).toBe(true);
    if (!e.ok) return;
    expect(e.image.entry).toBe(0x80001000);
    expect(e.image.segments.some((s) => s.vaddr === 0x80001000)).toBe(true);
    expect(loadAddress(0x80001000)).toBe(0x1000);
    expect(loadAddress(0xbf000000)).toBe(0x1f000000);
    expect(loadAddress(0x00400000)).toBe(0x00400000);
    expect(loadAddress(0xc0000000)).toBeUndefined();
  });
  it('rejects non-ELF, little-endian and 64-bit files with a message', () => {
    expect(parseElf(new Uint8Array(100))).toEqual({ ok: false, message: 'not an ELF file' });
    const le = HELLO.slice(); le[5] = 1;
    expect(parseElf(le)).toMatchObject({ ok: false, message: expect.stringMatching(/big-endian/) });
    const c64 = HELLO.slice(); c64[4] = 2;
    expect(parseElf(c64)).toMatchObject({ ok: false, message: expect.stringMatching(/32-bit/) });
  });
  it('refuses segments that do not fit in RAM', () => {
    const m = new Machine(preset('uma-smp4', { memoryPerNodeMB: 1 }));
    expect(m.load({ entry: 0, segments: [{ vaddr: 0x800ffff0, bytes: new Uint8Array(32) }] })).toMatch(/does not fit in RAM/);
    expect(m.load({ entry: 0, segments: [{ vaddr: 0xc0000000, bytes: new Uint8Array(4) }] })).toMatch(/mapped-only/);
  });
});

describe('machine: bare-metal multiprocessor runs', () => {
  it('runs bare-hello on flash-4x2: every CPU speaks in turn, IPIs pass the token, power-off ends the run', () => {
    const m = boot(preset('flash-4x2'), HELLO);
    const r = m.run({ maxCycles: 10_000_000 });
    expect(r).toMatchObject({ reason: 'exit', partial: false, exitCode: 0, exitCpu: 7 });
    const lines = m.console.text().trim().split('\n');
    expect(lines.slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((c) => `hello from CPU ${c} on node ${c >> 1}`));
    expect(lines[8]).toBe('all CPUs said hello; powering off');
    expect(m.ipi.sent.reduce((a, b) => a + b)).toBe(7);
    expectBucketsSum(m, r.cycles);
    const reps = m.cpuReports();
    // Node 0 CPUs miss only locally; others miss remotely on node 0's buffer and the shared counter.
    expect(reps[0].cache.remoteMisses).toBe(0);
    expect(reps[2].cache.remoteMisses).toBeGreaterThan(32);
    expect(reps[2].cache.localMisses).toBeGreaterThanOrEqual(32);
    // CPU 0 spends most of the run asleep after its turn.
    expect(reps[0].buckets.idle).toBeGreaterThan(reps[0].buckets.kernel);
    expect(reps.every((c) => c.state === 'halted')).toBe(true);
  });

  it('fast and timing models agree architecturally; timing takes longer', () => {
    const f = boot(preset('flash-4x2', { cpuModel: 'fast' }), HELLO);
    const t = boot(preset('flash-4x2'), HELLO);
    const rf = f.run({ maxCycles: 10_000_000 }), rt = t.run({ maxCycles: 10_000_000 });
    expect(f.console.text()).toBe(t.console.text());
    expect(rf.exitCode).toBe(rt.exitCode);
    expect(rt.cycles).toBeGreaterThan(rf.cycles);
    expect(f.cpuReport(3).cache.l2Misses).toBe(0);
    expect(f.cpuReport(3).buckets.stall).toBe(0);
    expectBucketsSum(f, rf.cycles);
  });

  it('is deterministic: the same inputs give identical results, counters and buckets', () => {
    const run = () => {
      const m = boot(preset('flash-8node'), HELLO);
      const r = m.run({ maxCycles: 10_000_000 });
      return { r, out: m.console.text(), reps: m.cpuReports() };
    };
    expect(run()).toEqual(run());
  });

  it('devices see the exact cycle of an access, not the start of the CPU\'s batch', () => {
    // CYCLE_LO read, 100 one-cycle instructions, CYCLE_LO again (fast model: 1 CPI) → 101 apart;
    // the difference is the power-off status. A batch ends after each MMIO access, so the second
    // read starts a new batch while the first one sits in the middle of one.
    const m = boot(preset('uma-smp4', { cpuModel: 'fast' }), assembleBare(`${PROLOGUE(0)}
        bnez    $s1, sleep
        nop
        lw      $t0, 0x4020($s0)        # CYCLE_LO
        .rept   100
        addiu   $t2, $t2, 1
        .endr
        lw      $t1, 0x4020($s0)        # CYCLE_LO
        subu    $t3, $t1, $t0
        sw      $t3, 0x3000($s0)        # power off with the difference as the status
sleep:  wait
        b       sleep
        nop
`));
    const r = m.run({ maxCycles: 1_000_000 });
    expect(r.reason).toBe('exit');
    expect(r.exitCode).toBe(101);
  });

  it('a run continued in slices on the quantum grid equals one uninterrupted run', () => {
    const whole = boot(preset('flash-4x2'), HELLO);
    const rw = whole.run({ maxCycles: 10_000_000 });
    const sliced = boot(preset('flash-4x2'), HELLO);
    let rs = sliced.run({ maxCycles: 7_000 });
    let slices = 1;
    while (rs.partial) { rs = sliced.run({ maxCycles: sliced.time + 7_000 }); slices++; }
    expect(slices).toBeGreaterThan(10);
    expect(rs).toEqual(rw);
    expect(sliced.cpuReports()).toEqual(whole.cpuReports());
    expect(sliced.console.text()).toBe(whole.console.text());
  });

  it('runs on every preset', () => {
    for (const name of ['flash-8node', 'flash-4x2', 'uma-smp4', 'numa-2socket']) {
      const m = boot(preset(name), HELLO);
      const r = m.run({ maxCycles: 10_000_000 });
      expect(r.exitCode, name).toBe(0);
      expect(m.console.text().split('\n').length, name).toBe(m.cpus.length + 2);
      expectBucketsSum(m, r.cycles);
      if (name === 'uma-smp4') expect(m.cpuReports().every((c) => c.cache.remoteMisses === 0)).toBe(true);
    }
  });

  it('stops at the cycle limit as a partial run, buckets still summing exactly', () => {
    const m = boot(preset('uma-smp4'), assembleBare(LOOP));
    const r = m.run({ maxCycles: 54_321 });
    expect(r).toMatchObject({ reason: 'maxCycles', partial: true, exitCode: null });
    expect(r.cycles).toBeGreaterThanOrEqual(54_321);
    expect(r.cycles).toBeLessThan(54_321 + 1000);
    expectBucketsSum(m, r.cycles);
  });

  it('stops at the instruction limit within one instruction per CPU', () => {
    const m = boot(preset('uma-smp4', { cpuModel: 'fast' }), assembleBare(LOOP));
    const r = m.run({ maxInstructions: 100_001 });
    expect(r.reason).toBe('maxInstructions');
    expect(r.instructions).toBeGreaterThanOrEqual(100_001);
    expect(r.instructions).toBeLessThanOrEqual(100_001 + 3);
    expectBucketsSum(m, r.cycles);
  });

  it('detects a machine where every CPU waits with nothing to wake it', () => {
    const m = boot(preset('uma-smp4'), assembleBare(`${PROLOGUE(0)}
1:      wait
        b       1b
        nop
`));
    const r = m.run({ maxCycles: 1e9 });
    expect(r.reason).toBe('deadlock');
    expect(r.cycles).toBeLessThan(10_000);
    expectBucketsSum(m, r.cycles);
  });

  it('lets a progress callback stop the run, and a partial run can continue', () => {
    const m = boot(preset('uma-smp4', { cpuModel: 'fast' }), assembleBare(LOOP));
    const seen: number[] = [];
    const opts: RunOptions = { maxCycles: 1_000_000, progressEveryCycles: 100_000, onProgress: (p) => { seen.push(p.cycles); return p.cycles < 300_000; } };
    const r = m.run(opts);
    expect(r.reason).toBe('stopped');
    expect(seen).toEqual([100_000, 200_000, 300_000]);
    const r2 = m.run({ maxCycles: 1_000_000 });
    expect(r2.reason).toBe('maxCycles');
    expect(r2.cycles).toBe(1_000_000);
    expectBucketsSum(m, r2.cycles);
  });

  it('a CPU sleeping on a disk read wakes on the completion interrupt at the configured latency', () => {
    const cfg = preset('flash-4x2', { diskLatencyUs: 1000 }); // 200,000 cycles at 200 MHz
    const disk = new Uint8Array(4 * SECTOR_BYTES);
    disk.set([0x64, 0x69, 0x73, 0x6b, 0x21], SECTOR_BYTES); // "disk!" at sector 1
    const m = boot(cfg, assembleBare(`${PROLOGUE(0x0800)}
        bnez    $s1, sleep
        nop
        li      $t0, 1
        sw      $t0, 0x1000($s0)        # SECTOR = 1
        sw      $t0, 0x1004($s0)        # COUNT = 1
        li      $t0, 0x00100000
        sw      $t0, 0x1008($s0)        # DMA_ADDR = 1 MiB
        li      $t0, 1
        sw      $t0, 0x100c($s0)        # READ
w:      wait
        lw      $t0, 0x1010($s0)        # STATUS
        li      $t1, 2
        bne     $t0, $t1, w
        nop
        li      $t0, 3
        sw      $t0, 0x100c($s0)        # ACK
        lui     $a0, 0x8010
        li      $t2, 5
1:      lbu     $t0, 0($a0)
        sw      $t0, 0($s0)
        addiu   $a0, $a0, 1
        addiu   $t2, $t2, -1
        bnez    $t2, 1b
        nop
        sw      $zero, 0x3000($s0)
sleep:  wait
        b       sleep
        nop
`), { diskImage: disk });
    const r = m.run({ maxCycles: 10_000_000 });
    expect(r.reason).toBe('exit');
    expect(m.console.text()).toBe('disk!');
    expect(r.cycles).toBeGreaterThan(200_000);
    expect(r.cycles).toBeLessThan(202_000);
    expect(m.cpuReport(0).buckets.idle).toBeGreaterThan(199_000);
    expect(m.disk.counters).toMatchObject({ reads: 1, sectorsRead: 1 });
    expectBucketsSum(m, r.cycles);
  });

  it('charges user-mode time to user and the trap handler to kernel', () => {
    const m = boot(preset('uma-smp4'), assembleBare(`${PROLOGUE(0)}
        bnez    $s1, sleep
        nop
        la      $t0, handler            # copy the handler to the general exception vector
        lui     $t1, 0x8000
        ori     $t1, $t1, 0x180
        li      $t2, 8
1:      lw      $t3, 0($t0)
        sw      $t3, 0($t1)
        addiu   $t0, $t0, 4
        addiu   $t1, $t1, 4
        addiu   $t2, $t2, -1
        bnez    $t2, 1b
        nop
        la      $t0, user               # map VA 0x00400000 (+offset) to user's physical page
        li      $t1, 0x1fffffff
        and     $t0, $t0, $t1
        srl     $t1, $t0, 12
        sll     $t1, $t1, 6
        ori     $t1, $t1, 7             # D | V | G
        mtc0    $t1, $2                 # EntryLo0
        li      $t1, 1
        mtc0    $t1, $3                 # EntryLo1: G only
        li      $t1, 0x00400000
        mtc0    $t1, $10                # EntryHi
        mtc0    $zero, $5               # PageMask
        mtc0    $zero, $0               # Index 0
        tlbwi
        andi    $t0, $t0, 0xfff
        addu    $t0, $t0, $t1
        mtc0    $t0, $14                # EPC = user's virtual address
        li      $t0, 0x12               # KSU = user, EXL
        mtc0    $t0, $12
        eret
user:   li      $t0, 10000
2:      addiu   $t0, $t0, -1
        bnez    $t0, 2b
        nop
        syscall
3:      b       3b
        nop
handler:
        lui     $k0, 0xbf00
        li      $k1, 42
        sw      $k1, 0x3000($k0)
4:      b       4b
        nop
sleep:  wait
        b       sleep
        nop
`));
    const r = m.run({ maxCycles: 1_000_000 });
    expect(r).toMatchObject({ reason: 'exit', exitCode: 42, exitCpu: 0 });
    const c0 = m.cpuReport(0);
    expect(c0.exceptions).toEqual({ Sys: 1 });
    expect(c0.buckets.user).toBeGreaterThanOrEqual(20_000);
    expect(c0.buckets.kernel).toBeGreaterThan(0);
    expect(c0.buckets.kernel).toBeLessThan(c0.buckets.user);
    expect(m.cpuReport(1).buckets.user).toBe(0);
    expectBucketsSum(m, r.cycles);
  });

  it('bus errors on unmapped device addresses are guest exceptions, not host errors', () => {
    const m = boot(preset('uma-smp4', { cpuModel: 'fast' }), assembleBare(`${PROLOGUE(0)}
        lw      $t0, 0x8000($s0)        # nothing at 0x1F008000 → DBE
1:      b       1b
        nop
`));
    const r = m.run({ maxCycles: 20_000 });
    expect(r.reason).toBe('maxCycles');
    expect(m.cpuReport(0).exceptions.DBE).toBeGreaterThanOrEqual(1);
  });
});
