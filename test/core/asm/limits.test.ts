/**
 * The assembler's limits (src/core/asm/limits.ts, docs/assembler.md § Limits) and the inputs of
 * issue #11 that used to hang it, exhaust memory or throw: each must now end quickly with a
 * located error (or assemble, where GNU as would). Time bounds are generous (a shared CI
 * machine); the failures they guard against took minutes to forever. The same inputs also go
 * through the bounded worker pool in test/main/asm-service.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { assemble, formatDiagnostics, type AssembleOptions, type AssembleResult, type SourceFile } from '../../../src/core/asm/index';
import { MAX_EXPANDED_CHARS, MAX_EXPANDED_LINES, MAX_IMAGE_BYTES, MAX_INCLUDE_DEPTH, MAX_MACRO_NEST } from '../../../src/core/asm/limits';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../../..');
const MiB = 1024 * 1024;

/** Assembles, timing it; `files` maps paths to texts, the first is the input, the others are for `.include`. */
function run(files: Record<string, string>, opts: AssembleOptions = {}): { r: AssembleResult; ms: number; errors: string[] } {
  const [first] = Object.keys(files);
  const t0 = performance.now();
  const r = assemble([{ path: first, text: files[first] }], { elf: false, include: (name) => (name in files ? { path: name, text: files[name] } : undefined), ...opts });
  const ms = performance.now() - t0;
  return { r, ms, errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`) };
}

/** `m0` invokes `m1` `fan` times, ... down to `m<depth>`, which emits `leaf`. */
function macroChain(depth: number, fan: number, leaf = 'nop'): string {
  const defs = Array.from({ length: depth }, (_, i) => `.macro m${i}\n${` m${i + 1}\n`.repeat(fan)}.endm`);
  return `${defs.join('\n')}\n.macro m${depth}\n ${leaf}\n.endm\n m0\n`;
}

describe('macro nesting (gas: --max-macro-nest, 100)', () => {
  it(`${MAX_MACRO_NEST} nested invocations assemble; one more is a located error`, () => {
    const ok = run({ 'p.s': macroChain(MAX_MACRO_NEST - 1, 1) });
    expect(ok.errors).toEqual([]);
    expect(ok.r.image!.segments[0].bytes.length).toBe(16);
    const deep = run({ 'p.s': macroChain(MAX_MACRO_NEST, 1) });
    expect(deep.errors).toEqual([`p.s:${3 * MAX_MACRO_NEST + 4}:2: macros nested too deeply (more than 100 levels) (in expansion of macro 'm0')`]);
  });

  it('a 5-line macro that invokes itself twice: one error at the invocation, at once (was: hung for good)', () => {
    const { errors, ms } = run({ 'p.s': '.macro m a\n m \\a\n m \\a\n.endm\n m 1\nnop\nfrob\n' });
    // the rest of the file is still assembled and checked
    expect(errors).toEqual(["p.s:5:2: macros nested too deeply (more than 100 levels) (in expansion of macro 'm')", "p.s:7:1: unknown instruction 'frob'"]);
    expect(ms).toBeLessThan(2_000);
  });

  it('a CHECK use that ended up inside the CHECK macro of systest.s (a mutation found by fuzzing)', () => {
    const text = readFileSync(join(ROOT, 'resources/guest/programs/systest.s'), 'utf8')
      .replace('        bne     $v0, $t0, fail\n        .endm', '        bne     $v0, $t0, fail\n        CHECK   \\n, \\expected\n        CHECK   \\n, \\expected\n        .endm');
    const runtime = readFileSync(join(ROOT, 'resources/guest/lib/runtime.s'), 'utf8');
    const { errors, ms } = run({ 'systest.s': text, 'lib/runtime.s': runtime });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => /^systest\.s:\d+:9: macros nested too deeply \(more than 100 levels\) \(in expansion of macro 'CHECK'\)$/.test(e)), errors.slice(0, 3).join('\n')).toBe(true);
    expect(ms).toBeLessThan(5_000);
  });
});

describe('.include depth', () => {
  const chain = (n: number) => Object.fromEntries([...Array.from({ length: n }, (_, i) => [`f${i}.s`, `nop\n.include "f${i + 1}.s"\n`]), [`f${n}.s`, 'nop\n']]);

  it(`${MAX_INCLUDE_DEPTH} nested includes assemble; one more is a located error`, () => {
    expect(run(chain(MAX_INCLUDE_DEPTH)).errors).toEqual([]);
    expect(run(chain(MAX_INCLUDE_DEPTH + 1)).errors).toEqual([`f${MAX_INCLUDE_DEPTH}.s:2:10: .include nested too deeply (more than ${MAX_INCLUDE_DEPTH} levels)`]);
  });

  it('a file that includes itself twice: one error per include at the top, at once (was: 2^32 lines)', () => {
    const self = '.include "self.s"\n.include "self.s"\nnop\n';
    const { errors, ms } = run({ 'self.s': self });
    expect(errors).toEqual(['self.s:1:10: .include nested too deeply (more than 32 levels)', 'self.s:1:10: .include nested too deeply (more than 32 levels)']);
    expect(ms).toBeLessThan(2_000);
  });
});

describe('the expansion budget', () => {
  it(`a macro fan-out of 2^40 stops at ${MAX_EXPANDED_LINES} lines with an error at the invocation (was: hung for good)`, () => {
    const { errors, ms } = run({ 'p.s': macroChain(40, 2) });
    expect(errors).toEqual([`p.s:164:2: macro expansion too large: over ${MAX_EXPANDED_LINES} lines or ${MAX_EXPANDED_CHARS / MiB} MiB produced in total (runaway recursion?); stopped (in expansion of macro 'm0')`]);
    expect(ms).toBeLessThan(3_000);
  });

  it('an argument that doubles at every level stops at the character budget (was: RangeError: Invalid string length)', () => {
    const { errors, ms } = run({ 'p.s': '.macro m a\n m \\a\\a\n.endm\n m xy\n' });
    expect(errors).toEqual([expect.stringMatching(/^p\.s:4:2: macro expansion too large: .*\(in expansion of macro 'm'\)$/)]);
    expect(ms).toBeLessThan(3_000);
  });

  it('a body line that repeats a long argument many times is refused before it is built', () => {
    const { errors } = run({ 'p.s': `.macro m a\n .ascii "${'\\a'.repeat(1000)}"\n.endm\n m ${'x'.repeat(100_000)}\n` });
    expect(errors[0]).toMatch(/^p\.s:4:2: macro expansion too large/);
  });

  it('a file that includes itself three times stops at the include depth, not at 3^32 files', () => {
    const self = '.include "s.s"\n.include "s.s"\n.include "s.s"\n';
    expect(run({ 's.s': self }).errors).toHaveLength(3);
  });

  it('a large legitimate expansion (a 4096-entry table from 12 levels of macros) is well inside the budget', () => {
    const { errors, r } = run({ 'p.s': `.data\n${macroChain(12, 2, '.word 0')}` });
    expect(errors).toEqual([]);
    expect(r.image!.segments.find((s) => s.name === '.data')!.bytes.length).toBe(4096 * 4);
  });
});

describe('numbers', () => {
  it('a number with a million digits is one located error, at once (was: hung, quadratic BigInt)', () => {
    for (const text of [`li $t0, ${'9'.repeat(1_000_000)}\n`, `li $t0, 0x${'f'.repeat(1_000_000)}\n`, `li $t0, 0${'7'.repeat(1_000_000)}\n`, `b ${'1'.repeat(1_000_000)}f\n`]) {
      const { errors, ms } = run({ 'p.s': text });
      expect(errors).toEqual([expect.stringMatching(/^p\.s:1:(9|3): (number too large \(more than 64 bits\)|local label number too large)$/)]);
      expect(ms).toBeLessThan(1_000);
    }
  });

  it('64-bit literals are accepted up to 2^64 - 1 in every radix, leading zeros included', () => {
    for (const n of ['0xffffffffffffffff', '18446744073709551615', '01777777777777777777777', `0b${'1'.repeat(64)}`, `0x${'0'.repeat(1000)}1`]) {
      expect(run({ 'p.s': `.data\n.word ${n} & 1\n` }).errors, n).toEqual([]);
    }
    for (const n of ['0x10000000000000000', '18446744073709551616', '02000000000000000000000', `0b1${'0'.repeat(64)}`]) {
      expect(run({ 'p.s': `.data\n.word ${n}\n` }).errors, n).toEqual([`p.s:2:7: number too large (more than 64 bits)`]);
    }
  });

  it('a \\x escape with many digits keeps the low byte (as gas)', () => {
    const { r } = run({ 'p.s': `.data\n.ascii "\\x${'1'.repeat(100_000)}41"\n` });
    expect([...r.image!.segments[0].bytes.subarray(0, 1)]).toEqual([0x41]);
  });
});

describe('large fills and the image size', () => {
  it('.space 0x1000000 is one item: fast, one listing line, one source-map entry (was: 8 s, 858 MB)', () => {
    const heap0 = process.memoryUsage().heapUsed;
    const { r, ms } = run({ 'p.s': '.data\nbuf: .space 0x1000000\n.word 7\n' }, { elf: true });
    expect(ms).toBeLessThan(1_000);
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(64 * MiB);
    const data = r.image!.segments.find((s) => s.name === '.data')!;
    expect(data.bytes.length).toBe(0x1000000 + 16);
    expect([...data.bytes.subarray(0x1000000, 0x1000004)]).toEqual([0, 0, 0, 7]);
    expect(r.listing.filter((l) => l.addr >= 0x10000000).map((l) => `${l.hex} ${l.text}`)).toEqual(['00000000 .space 16777216', '00000007 .word 0x7']);
    expect(r.image!.sourceMap.filter((m) => m.addr >= 0x10000000).map((m) => m.size)).toEqual([0x1000000, 4]);
    expect(r.elf!.length).toBeGreaterThan(0x1000000);
  });

  it('three such lines (was: 26 s, 2.5 GB); a fill value and .bss fills', () => {
    const { r, ms } = run({ 'p.s': '.data\n.space 0x1000000\n.space 0x1000000, 0xab\n.space 0x1000000\n.bss\n.space 0x4000000\n' }, { elf: true });
    expect(ms).toBeLessThan(3_000);
    const data = r.image!.segments.find((s) => s.name === '.data')!;
    expect([data.bytes[0x1000000 - 1], data.bytes[0x1000000], data.bytes[0x2000000 - 1], data.bytes[0x2000000]]).toEqual([0, 0xab, 0xab, 0]);
    expect(r.image!.segments.find((s) => s.name === '.bss')!.bytes.length).toBe(0x4000000);
    expect(r.elf!.length).toBeLessThan(0x3000000 + 0x10000); // .bss takes no file space
    expect(r.listing.map((l) => l.text)).toEqual(['.space 16777216', '.space 16777216, 0xab', '.space 16777216', '.space 67108864']);
  });

  it(`a program over ${MAX_IMAGE_BYTES / MiB} MiB (the largest machine memory) is a located error`, () => {
    expect(run({ 'p.s': '.bss\n.space 0x10000000\n.space 0x10000000\n' }).errors).toEqual([`p.s:3:8: program too large: over ${MAX_IMAGE_BYTES / MiB} MiB (the largest machine memory)`]);
    expect(run({ 'p.s': '.space 0x7fffffffff\n' }).errors).toEqual([`p.s:1:8: program too large: over ${MAX_IMAGE_BYTES / MiB} MiB (the largest machine memory)`]);
    expect(run({ 'p.s': '.data\n.org 0x40000000\n' }).errors).toEqual([`p.s:2:6: program too large: over ${MAX_IMAGE_BYTES / MiB} MiB (the largest machine memory)`]);
  });

  it('alignment padding is a fill too (5,000 × .align 16 after a byte)', () => {
    const { r, ms } = run({ 'p.s': '.bss\n' + '.space 1\n.align 16\n'.repeat(5000) });
    expect(r.ok).toBe(true);
    expect(ms).toBeLessThan(3_000);
    expect(r.listing.length).toBe(10_000);
  });

  it('long strings are listed in at most 9 lines per statement (gas --listing-cont-lines), all bytes emitted', () => {
    const { r } = run({ 'p.s': `.data\n.ascii "${'x'.repeat(1000)}"\n.word ${Array.from({ length: 100 }, (_, i) => i).join(', ')}\n` });
    expect(r.image!.segments[0].bytes.length).toBe(1408); // 1000 + 400, padded to 16
    const lines = r.listing.filter((l) => l.line === 2);
    expect(lines).toHaveLength(9);
    expect(lines[8].text).toBe('.byte 0x78,0x78,0x78,0x78 … (964 more bytes)');
    expect(r.listing.filter((l) => l.line === 3)).toHaveLength(9);
  });
});

describe('symbols', () => {
  it('a forward .equ chain of 20,000 resolves (was: RangeError: Maximum call stack size exceeded at ~1,500)', () => {
    const n = 20_000;
    const text = '.data\n.word a0\n' + Array.from({ length: n }, (_, i) => `a${i} = a${i + 1} + 1`).join('\n') + `\na${n} = 5\n`;
    const { r, errors } = run({ 'p.s': text });
    expect(errors).toEqual([]);
    expect(r.image!.symbols.find((s) => s.name === 'a0')!.value).toBe(n + 5);
  });

  it('an .equ fan-out (a = b + b, 60 deep) is linear, not 2^60 evaluations', () => {
    const text = '.data\n.word a0 >> 40\n' + Array.from({ length: 60 }, (_, i) => `a${i} = a${i + 1} + a${i + 1}`).join('\n') + '\na60 = 1\n';
    const { r, ms, errors } = run({ 'p.s': text });
    expect(errors).toEqual([]);
    expect(ms).toBeLessThan(1_000);
    expect([...r.image!.segments[0].bytes.subarray(0, 4)]).toEqual([0, 0x10, 0, 0]);
  });

  it('a cycle of equates is still an error for each member', () => {
    expect(run({ 'p.s': '.data\n.word a\n.equ a, b + 1\n.equ b, c\n.equ c, a\n' }).errors).toEqual([
      "p.s:2:7: undefined symbol 'a'",
      "p.s:3:6: cannot evaluate the value of 'a'",
      "p.s:4:6: cannot evaluate the value of 'b'",
      "p.s:5:6: cannot evaluate the value of 'c'",
    ]);
  });

  it('a macro parameter default with 200,000 inner spaces is parsed at once (the old pattern backtracked quadratically)', () => {
    const { ms, errors, r } = run({ 'p.s': `.macro m a=x${' '.repeat(200_000)}y, b\n .ascii "\\a"\n.endm\n.data\n m\n` });
    expect(errors).toEqual([]);
    expect(r.image!.segments[0].bytes.length).toBe(200_016); // 'x', 200,000 spaces, 'y'; padded to 16
    expect(ms).toBeLessThan(1_000);
  });
});

describe('section placement', () => {
  const SRC: SourceFile = { path: 'ov.s', text: '\t.text\n__start: li $a0, 1\n\t.data\nx: .word 1\n' };
  it('.text and .data at the same address is an error, not an ELF with overlapping segments', () => {
    const r = assemble([SRC], { textBase: 0x10000000, dataBase: 0x10000000 });
    expect(r.ok).toBe(false);
    expect(r.elf).toBeUndefined();
    expect(formatDiagnostics(r.diagnostics)).toBe('ov.s:1:1: error: .text/.rdata (0x10000000..0x10000010) and .data/.bss (0x10000000..0x10000010) overlap; place them apart (--text/--data)\n');
    // .data below .text, overlapping it
    expect(assemble([{ path: 'd.s', text: 'nop\n.data\n.space 32\n' }], { textBase: 0x00400000, dataBase: 0x003ffff0 }).ok).toBe(false);
    expect(assemble([{ path: 'd.s', text: 'nop\n.data\n.space 16\n' }], { textBase: 0x00400000, dataBase: 0x003ffff0 }).ok).toBe(true);
    // touching is fine, and so is an empty .data at the same address
    expect(assemble([SRC], { textBase: 0x10000000, dataBase: 0x10000010 }).ok).toBe(true);
    expect(assemble([{ path: 't.s', text: 'nop\n' }], { textBase: 0x10000000, dataBase: 0x10000000 }).ok).toBe(true);
  });

  it('sections running past the 32-bit address space are an error', () => {
    const r = assemble([{ path: 't.s', text: '.space 32\n' }], { textBase: 0xfffffff0 });
    expect(formatDiagnostics(r.diagnostics)).toBe('t.s:1:1: error: .text/.rdata (0xfffffff0..0x00000010) runs past the end of the 32-bit address space\n');
    expect(assemble([{ path: 't.s', text: '.space 16\n' }], { textBase: 0xfffffff0 }).ok).toBe(true);
  });
});
