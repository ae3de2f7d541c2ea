/** Every error carries file:line:col..endCol; all errors of a file are reported. */
import { describe, expect, it } from 'vitest';
import { assemble, formatDiagnostics, type Diagnostic } from '../../../src/core/asm/index';

const asm = (text: string, path = 'f.s') => assemble([{ path, text }], { elf: false });
/** The single error of a one-problem source, as `line:col-endCol message`. */
function only(text: string): string {
  const d = asm(text).diagnostics.filter((x) => x.severity === 'error');
  expect(d.length, formatDiagnostics(d)).toBe(1);
  return `${d[0].line}:${d[0].col}-${d[0].endCol} ${d[0].message}`;
}

describe('diagnostics: location and message', () => {
  const cases: [string, string, RegExp][] = [
    ['bad mnemonic', 'nop\n  frob $t0, $t1\n', /^2:3-7 unknown instruction 'frob'$/],
    ['bad register', 'addu $t0, $t1, $t99\n', /^1:16-20 unknown register '\$t99'$/],
    ['wrong operand kinds', 'lui $t0, $t1\n', /^1:5-13 invalid operands for 'lui'; expected 'lui rt, imm'$/],
    ['too many operands', 'jr $ra, $t0\n', /^1:4-12 invalid operands for 'jr'/],
    ['simm16 out of range', 'addiu $t0, $t0, 70000\n', /^1:17-22 operand 3 value 70000 out of range \(-32768\.\.65535\)$/],
    ['uimm16 out of range', 'ori $t0, $t0, -1\n', /^1:15-17 operand 3 value -1 out of range \(0\.\.65535\)$/],
    ['shift out of range', 'sll $t0, $t0, 32\n', /^1:15-17 operand 3 value 32 out of range/],
    ['mem offset out of range via %lo is fine, plain constant expands', 'lw $t0, %lo(0x12345)($t1)\nlw $t0, 0x12345($t1)\nnop\nbogus\n', /^4:1-6 unknown instruction/],
    ['undefined symbol', 'nop\nb nowhere\n', /^2:3-10 undefined symbol 'nowhere'$/],
    ['undefined symbol in data', '.data\n.word 1, missing + 4\n', /^2:10-17 undefined symbol 'missing'$/],
    ['duplicate label', 'x: nop\n  x: nop\n', /^2:3-4 symbol 'x' is already defined \(at f\.s:1\)$/],
    ['unterminated string', '.data\n.asciiz "abc\n', /^2:9-13 unterminated string$/],
    ['bad directive', '.text\n.frobnicate 3\n', /^2:1-12 unknown directive '\.frobnicate'$/],
    ['bad number', 'li $t0, 0x\n', /^1:9-11 malformed number '0x'$/],
    ['missing local label', 'b 1b\n', /^1:3-5 no previous local label 1:$/],
    ['no following local label', 'b 3f\n', /^1:3-5 no following local label 3:$/],
    ['branch out of range', 'b far\n.space 0x20000\nfar: nop\n', /^1:3-6 branch out of range/],
    ['jump out of region', 'j 0x10000000\n', /^1:3-13 jump target 0x10000000 is outside the 256 MB region/],
    ['division by zero', '.word 4 / (2 - 2)\n', /^1:9-10 division by zero$/],
    ['at after noat', '.set noat\nblt $t0, $t1, x\nx: nop\n', /^2:1-4 'blt' needs \$at after "\.set noat"$/],
    ['link register as source', 'bgezal $ra, x\nx:\n', /^1:8-14 the source register must not be \$31/],
    ['jalr same registers', 'jalr $t0, $t0\n', /^1:6-14 source and destination must be different$/],
    ['instruction in bss', '.bss\nnop\n', /^2:1-4 instruction in \.bss$/],
    ['data in bss', '.bss\n.word 1\n', /^2:7-8 initialised data in \.bss/],
    ['unsupported section', '.section .sdata\n', /^1:10-16 unsupported section '\.sdata'/],
    ['.space needs a constant', '.space later\nlater:\n', /^1:8-13 \.space needs a constant known at this point$/],
    ['.endif without .if', 'nop\n  .endif\n', /^2:3-9 \.endif without \.if$/],
    ['.if without .endif', '.if 1\nnop\n', /^1:1-4 \.if without matching \.endif$/],
    ['.else after .else', '.if 0\n.else\n.else\n.endif\n', /^3:1-6 \.else after \.else$/],
    ['.if needs a constant', '.if later\n.endif\nlater:\n', /^1:5-10 \.if needs a constant known at this point$/],
    ['.ifdef needs a name', '.ifdef 3\n.endif\n', /^1:1-9 \.ifdef needs one symbol name$/],
    ['.org backwards', '.word 1, 2\n.org 4\n', /^2:6-7 \.org 4 would move backwards/],
    ['errors inside a false .if are not reported', '.if 0\nfrob\n.endif\nbogus\n', /^4:1-6 unknown instruction 'bogus'$/],
    ['bad .align', '.align 40\n', /^1:8-10 alignment 2\^40 out of range/],
    ['.set pop without push', '.set pop\n', /^1:6-9 \.set pop without \.set push$/],
    ['.endm without .macro', '.endm\n', /^1:1-6 \.endm without \.macro$/],
    ['missing .endm', '.macro m\nnop\n', /^1:1-2 missing \.endm for macro 'm'$/],
    ['macro argument count', '.macro m a\n.endm\nm 1, 2\n', /^3:1-2 too many arguments to macro 'm'/],
    ['error inside a macro expansion reports at the invocation', '.macro m r\naddu $t0, $t0, \\r\n.endm\n  m $nope\n', /^4:3-10 unknown register '\$nope' \(in expansion of macro 'm'\)$/],
    ['missing include', '.include "none.s"\n', /^1:10-18 cannot find include file "none\.s"$/],
    ['li of a large forward value', 'li $t0, BIG\n.equ BIG, 0x123456\n', /^1:9-12 value 1193046 does not fit: li of a value not known/],
    ['li value beyond 32 bits', 'li $t0, 0x100000000\n', /^1:9-20 value 4294967296 does not fit in 32 bits$/],
    ['label redefined as equ', 'x: nop\n.equ x, 3\n', /^2:6-7 symbol 'x' is already defined as a label$/],
    ['misaligned instruction', '.byte 1\nnop\n', /^2:1-4 instruction at misaligned offset 1/],
    ['stray character', 'addu $t0, $t1, @\n', /^1:16-17 unexpected '@' in expression$/],
  ];
  for (const [name, src, re] of cases) it(name, () => expect(only(src)).toMatch(re));

  it('reports every error of a file, in line order, and no image', () => {
    const r = asm('frob\nnop\naddiu $t0, $t0, 99999\n.bogus\nb nowhere\nx:\nx:\n');
    expect(r.ok).toBe(false);
    expect(r.image).toBeUndefined();
    expect(r.diagnostics.map((d) => d.line)).toEqual([1, 3, 4, 5, 7]);
  });

  it('errors in several files name their file', () => {
    const r = assemble([{ path: 'a.s', text: 'nop\nfrob\n' }, { path: 'b.s', text: '.bogus\n' }]);
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}`)).toEqual(['a.s:2', 'b.s:1']);
  });

  it('warnings do not fail assembly and carry locations', () => {
    const r = asm('.data\n.word 0x100000000\n.set frob\naddu $at, $t0, $t1\n');
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d: Diagnostic) => `${d.severity} ${d.line}:${d.col}`)).toEqual(['warning 2:7', 'warning 3:6', 'warning 4:6']);
    expect(r.diagnostics[0].message).toBe('value 0x100000000 truncated to 0x0');
  });

  it('duplicate global symbols across files are errors', () => {
    const r = assemble([{ path: 'a.s', text: '.globl f\nf: nop\n' }, { path: 'b.s', text: '.globl f\nf: nop\n' }]);
    expect(formatDiagnostics(r.diagnostics)).toMatch(/^b\.s:2:1: error: global symbol 'f' is also defined in a\.s:2$/m);
  });

  it('formatDiagnostics prints file:line:col: severity: message', () => {
    expect(formatDiagnostics(asm('frob\n').diagnostics)).toBe("f.s:1:1: error: unknown instruction 'frob'\n");
  });
});
