/**
 * Unit tests of the CPU core that need no external tools: table-driven dispatch coverage,
 * 64-bit multiply helpers, vectors (BEV, refill vs general), interceptor contract, accounting,
 * wait/idle, Count/Compare, LL/SC across CPUs, page sizes, multiple-match rule, bus errors.
 * Programs are encoded with the instruction table (`enc`).
 */
import { describe, expect, it } from 'vitest';
import { BY_MNEMONIC, INSTRUCTIONS } from '../../../../src/core/isa/table';
import { Cpu, mulhs, mulhu, createCpu, CPU_MODELS, LLReservations, Exc, C0 } from '../../../../src/core/machine/cpu';
import { OP_COUNT, OP_MNEMONIC, OP_PRIVILEGED, SEMANTICS, decodeOp } from '../../../../src/core/machine/cpu/ops';
import { PhysicalMemory } from '../../../../src/core/machine/memory/physical';
import type { CpuHost } from '../../../../src/core/machine/contracts';

type F = { rs?: number; rt?: number; rd?: number; sa?: number; imm?: number; target?: number; sel?: number };
function enc(m: string, f: F = {}): number {
  const s = BY_MNEMONIC.get(m);
  if (!s) throw new Error(m);
  return (s.match | ((f.rs ?? 0) << 21) | ((f.rt ?? 0) << 16) | ((f.rd ?? 0) << 11) | ((f.sa ?? 0) << 6)
    | ((f.imm ?? 0) & 0xffff) | (f.target ?? 0) | (f.sel ?? 0)) >>> 0;
}
const NOP = 0;

function machine(words: number[], opts: { at?: number; cpus?: number; model?: 'fast' | 'timing'; mmio?: Partial<CpuHost> } = {}) {
  const mem = new PhysicalMemory(1, 1 << 20);
  const at = opts.at ?? 0x1000;
  words.forEach((w, i) => { mem.words[(at >>> 2) + i] = w | 0; });
  const reservations = new LLReservations(opts.cpus ?? 1);
  const host: CpuHost = { memory: mem, mmioRead32: () => undefined, mmioWrite32: () => false, reservations, ...opts.mmio };
  const cpus = Array.from({ length: opts.cpus ?? 1 }, (_, i) => createCpu(opts.model ?? 'fast', i, host));
  for (const c of cpus) { c.reset((0x80000000 + at) | 0); c.writeCp0(C0.Status, 0, 0); }
  return { mem, cpus, cpu: cpus[0] };
}

describe('dispatch is driven by the instruction table', () => {
  it('every table row has its behaviour (an exec template, parsed) and an op id; nothing else does', () => {
    expect(OP_COUNT).toBe(INSTRUCTIONS.length + 1);
    expect(OP_MNEMONIC.length).toBe(OP_COUNT);
    expect(SEMANTICS[0]).toBeUndefined();    // reserved instruction
    INSTRUCTIONS.forEach((s, i) => {
      expect(SEMANTICS[i + 1]!.spec).toBe(s);
      expect(OP_MNEMONIC[i + 1]).toBe(s.mnemonic);
      expect(SEMANTICS[i + 1]!.control !== undefined, s.mnemonic).toBe(!!s.delay);
    });
  });
  it('decodeOp maps each entry\'s encoding to its row; privileged flags come from the table', () => {
    for (const s of INSTRUCTIONS) {
      expect(OP_MNEMONIC[decodeOp(s.match)]).toBe(s.mnemonic);
      expect(OP_PRIVILEGED[decodeOp(s.match)] === 1).toBe(s.privileged);
    }
    expect(decodeOp(0xec000000)).toBe(0);  // reserved → RI
  });
  it('CPU model registry lists fast and timing', () => {
    expect(CPU_MODELS.map((m) => m.id)).toEqual(['fast', 'timing']);
  });
});

describe('64-bit multiply without BigInt', () => {
  it('mulhu / mulhs match BigInt on edge and pseudo-random values', () => {
    const vals = [0, 1, -1, 2, 0x7fffffff, -0x80000000, 0xffff, 0x10000, 0x12345678, -0x12345678, 0xdeadbeef | 0];
    let x = 12345;
    for (let i = 0; i < 200; i++) { x = (Math.imul(x, 1103515245) + 12345) | 0; vals.push(x); }
    for (const a of vals) for (const b of vals.slice(0, 40)) {
      const u = (BigInt(a >>> 0) * BigInt(b >>> 0)) >> 32n;
      const s = (BigInt(a) * BigInt(b)) >> 32n;
      expect(mulhu(a >>> 0, b >>> 0)).toBe(Number(BigInt.asIntN(32, u)));
      expect(mulhs(a, b)).toBe(Number(BigInt.asIntN(32, s)));
    }
  });
});

describe('exceptions and vectors', () => {
  it('BEV = 1 sends exceptions to 0xBFC00380 and TLB refills to 0xBFC00200', () => {
    const { cpu } = machine([enc('syscall')]);
    cpu.writeCp0(C0.Status, 0, 1 << 22);
    cpu.run(cpu.cycle + 1);
    expect(cpu.pc >>> 0).toBe(0xbfc00380);
    expect((cpu.cause >>> 2) & 31).toBe(Exc.Sys);
    const m2 = machine([enc('lw', { rt: 8, rs: 0, imm: 0x100 })]);
    m2.cpu.writeCp0(C0.Status, 0, 1 << 22);
    m2.cpu.run(m2.cpu.cycle + 1);
    expect(m2.cpu.pc >>> 0).toBe(0xbfc00200);
  });
  it('reset vector is 0xBFC00000 with BEV and ERL set', () => {
    const { cpu } = machine([]);
    cpu.reset();
    expect(cpu.pc >>> 0).toBe(0xbfc00000);
    expect(cpu.status & 0x400004).toBe(0x400004);
  });
  it('the interceptor sees the exception before any CP0 change and can continue where it likes', () => {
    const { cpu } = machine([enc('addiu', { rt: 8, imm: 1 }), enc('syscall'), enc('addiu', { rt: 9, imm: 2 }), enc('break')]);
    const seen: number[][] = [];
    cpu.interceptor = {
      onException: (id, code, _bad, slot, pc) => {
        seen.push([id, code, slot ? 1 : 0, pc >>> 0, cpu.readCp0(C0.EPC), cpu.status]);
        if (code === Exc.Sys) { cpu.chargeMonitor(100, 'syscall'); cpu.skipInstruction(); return true; }
        return false;
      },
    };
    cpu.run(cpu.cycle + 200);
    expect(seen[0]).toEqual([0, Exc.Sys, 0, 0x80001004, 0, 0]);
    expect(cpu.r[9]).toBe(2);
    expect(seen[1][1]).toBe(Exc.Bp);
    expect(cpu.epc >>> 0).toBe(0x8000100c);   // break was delivered architecturally
    expect((cpu.cause >>> 2) & 31).toBe(Exc.Bp);
    expect(cpu.pc >>> 0).toBeGreaterThan(0x80000180);  // ran on from the general vector
    expect(cpu.buckets.monitor).toBe(100);
    expect(cpu.monitorByCause.syscall).toBe(100);
    expect(cpu.counters.exceptions[Exc.Sys]).toBe(1);
  });
  it('no FPU: coprocessor 1/2 instructions raise CpU with CE = 1/2; other unknown words raise RI', () => {
    for (const [word, code, ce] of [[0x44000000, Exc.CpU, 1], [0xc4000000, Exc.CpU, 1], [0x48000000, Exc.CpU, 2], [0xec000000, Exc.RI, 0], [0x42000010, Exc.RI, 0]] as const) {
      const { cpu } = machine([word]);
      cpu.run(cpu.cycle + 1);
      expect([(cpu.cause >>> 2) & 31, (cpu.cause >>> 28) & 3]).toEqual([code, ce]);
    }
  });
  it('bus errors: data access outside RAM → DBE; fetch outside RAM → IBE', () => {
    const { cpu } = machine([enc('lui', { rt: 8, imm: 0xbff0 }), enc('lw', { rt: 9, rs: 8 })]);
    cpu.run(cpu.cycle + 2);
    expect((cpu.cause >>> 2) & 31).toBe(Exc.DBE);
    const m2 = machine([]);
    m2.cpu.setPc(0xbff00000 | 0);
    m2.cpu.run(m2.cpu.cycle + 1);
    expect((m2.cpu.cause >>> 2) & 31).toBe(Exc.IBE);
  });
});

describe('TLB', () => {
  it('16 KB pages (PageMask 0x6000) translate offsets up to 16 KB; first matching entry wins', () => {
    const { cpu, mem } = machine([]);
    mem.words[(0x20000 + 0x2ffc) >>> 2] = 77;      // even 16 KB page at phys 0x20000
    mem.words[(0x40000 + 0x0010) >>> 2] = 88;      // odd 16 KB page at phys 0x40000
    cpu.writeTlbEntry(3, 0x00800000, (0x20 << 6) | 0x1e, (0x40 << 6) | 0x1e, 0x6000);
    expect(cpu.translateForDebug(0x00802ffc)).toBe(0x22ffc);
    expect(cpu.translateForDebug(0x00804010)).toBe(0x40010);
    cpu.writeTlbEntry(9, 0x00800000, (0x30 << 6) | 0x1e, (0x30 << 6) | 0x1e, 0);
    expect(cpu.translateForDebug(0x00800000)).toBe(0x20000);   // index 3 (lowest) wins
  });
  it('soft-TLBs stay coherent: rewriting a TLB entry (4 KB or 16 KB) or changing ASID takes effect at once', () => {
    // lw $9, 0($8) ; beq $0,$0,-2 (loop) ; nop — with $8 = 0x00600000
    const { cpu, mem } = machine([enc('lw', { rt: 9, rs: 8 }), enc('beq', { imm: -2 }), NOP]);
    mem.words[0x10000 >>> 2] = 111; mem.words[0x20000 >>> 2] = 222; mem.words[0x30000 >>> 2] = 333;
    cpu.r[8] = 0x00600000;
    cpu.writeTlbEntry(7, 0x00600000, (0x10 << 6) | 0x1e, 0, 0);
    cpu.run(cpu.cycle + 30);
    expect(cpu.r[9]).toBe(111);
    cpu.writeTlbEntry(7, 0x00600000, (0x20 << 6) | 0x1e, 0, 0);
    cpu.run(cpu.cycle + 30);
    expect(cpu.r[9]).toBe(222);
    cpu.writeTlbEntry(7, 0x00600000, (0x30 << 6) | 0x1e, 0, 0x6000);   // 16 KB page pair
    cpu.run(cpu.cycle + 30);
    expect(cpu.r[9]).toBe(333);
    cpu.writeCp0(C0.EntryHi, 0, 5);                                    // other ASID: entry 7 no longer matches
    cpu.run(cpu.cycle + 30);
    expect(cpu.counters.tlbRefill).toBeGreaterThan(0);
  });
  it('Random counts down from 63 to Wired and wraps', () => {
    const { cpu } = machine(new Array(200).fill(NOP));
    cpu.writeCp0(C0.Wired, 0, 60);
    const seen = new Set<number>();
    for (let i = 0; i < 12; i++) { seen.add(cpu.randomValue()); cpu.run(cpu.cycle + 1); }
    expect([...seen].sort()).toEqual([60, 61, 62, 63]);
  });
});

describe('accounting, wait and the timer', () => {
  it('buckets sum to the cycles; wait idles until the Count/Compare interrupt', () => {
    // kernel: Compare = 400; Status = IM7 | IE; wait; then spin
    const prog = [
      enc('addiu', { rt: 8, imm: 400 }), enc('mtc0', { rt: 8, rd: 11 }),
      enc('lui', { rt: 9, imm: 0 }), enc('ori', { rt: 9, rs: 9, imm: 0x8001 }), enc('mtc0', { rt: 9, rd: 12 }),
      enc('wait'), NOP, NOP,
    ];
    const { cpu } = machine(prog);
    cpu.run(2000);
    const b = cpu.buckets;
    expect(b.user + b.kernel + b.monitor + b.idle).toBe(cpu.cycle);
    expect(b.idle).toBeGreaterThan(700);
    expect((cpu.cause >>> 2) & 31).toBe(Exc.Int);
    expect(cpu.epc >>> 0).toBe(0x80001018);  // instruction after wait
    expect(cpu.counters.exceptions[Exc.Int]).toBe(1);
  });
  it('timing model: stalls from MemoryTiming are added to cycles and recorded', () => {
    const prog = [enc('lui', { rt: 16, imm: 0x8000 }), enc('lw', { rt: 8, rs: 16, imm: 0 }), enc('beq', { imm: -2 }), NOP];
    const timing = { access: (_c: number, pa: number, kind: number) => (kind === 1 ? 10 : 0), uncachedAccess: () => 0, missCount: () => 0, resetMissCounts: () => {}, invalidatePage: () => {} };
    const mem = new PhysicalMemory(1, 1 << 20);
    prog.forEach((w, i) => { mem.words[0x400 + i] = w; });
    const cpu = new Cpu('timing', 0, { memory: mem, mmioRead32: () => undefined, mmioWrite32: () => false, timing });
    cpu.reset(0x80001000 | 0); cpu.writeCp0(12, 0, 0);
    cpu.run(300);
    expect(cpu.buckets.kernel).toBe(cpu.cycle);
    expect(cpu.buckets.stall).toBeGreaterThan(0);
    // 1 + 10 cycles per loop iteration of 3 instructions: about a third of the time is stall
    expect(cpu.counters.instructions).toBeLessThan(cpu.cycle / 3);
    expect(cpu.cycle - cpu.counters.instructions).toBe(cpu.buckets.stall);
  });
});

describe('LL/SC across CPUs', () => {
  it("another CPU's store to the reserved word makes sc fail; without it sc succeeds", () => {
    // cpu0: ll t0, 0x100(zero-kseg0) ... uses kseg0 base in $s0
    const prog = [
      enc('lui', { rt: 16, imm: 0x8000 }),
      enc('ll', { rt: 8, rs: 16, imm: 0x100 }),
      NOP, NOP, NOP, NOP,
      enc('sc', { rt: 8, rs: 16, imm: 0x100 }),
      enc('beq', { imm: -1 }), NOP,
    ];
    const other = [enc('lui', { rt: 16, imm: 0x8000 }), enc('sw', { rt: 0, rs: 16, imm: 0x100 }), enc('beq', { imm: -1 }), NOP];
    const { cpus, mem } = machine(prog, { cpus: 2 });
    other.forEach((w, i) => { mem.words[0x800 + i] = w; });
    cpus[1].setPc(0x80002000 | 0);
    cpus[0].run(3);          // lui, ll
    cpus[1].run(3);          // store to the word
    cpus[0].run(12);
    expect(cpus[0].r[8]).toBe(0);
    const m2 = machine(prog, { cpus: 1 });
    m2.cpu.run(12);
    expect(m2.cpu.r[8]).toBe(1);
  });
});

describe('MMIO loads in compiled blocks', () => {
  // A polling loop (as a driver waits for a device): `lw` from a device register, test, branch
  // back. An MMIO access ends the block; the loaded value must still reach the register, or the
  // loop never sees the device change (a guest kernel polling its disk hung this way).
  it('a polling loop sees every value the device returns, interpreted and compiled', () => {
    for (const jit of ['off', 'eager'] as const) {
      let reads = 0;
      const { cpu } = machine([
        enc('lui', { rt: 25, imm: 0xbf00 }),            //    t9 = 0xBF000000 (kseg1 → device window)
        enc('lw', { rs: 25, rt: 2, imm: 0 }),            // 1: v0 = device register (a read counter)
        enc('slti', { rs: 2, rt: 8, imm: 50 }),          //    t0 = v0 < 50
        enc('bne', { rs: 8, rt: 0, imm: -3 }),           //    until v0 reaches 50: back to 1
        enc('addiu', { rs: 9, rt: 9, imm: 1 }),          //    (delay slot) t1 counts iterations
        enc('beq', { rs: 0, rt: 0, imm: -1 }),           // 2: spin here
        NOP,
      ], { mmio: { mmioRead32: () => ++reads } });
      cpu.jit = jit === 'eager';
      cpu.jitThreshold = 1;
      cpu.run(5_000);
      expect(reads, jit).toBe(50);
      expect(cpu.r[2], jit).toBe(50);
      expect(cpu.r[9], jit).toBe(50);
      expect([0x014, 0x018], jit).toContain((cpu.pc >>> 0) & 0xfff); // in the final spin (branch or its slot)
    }
  });
});
