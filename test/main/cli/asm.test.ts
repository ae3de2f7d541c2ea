/** `disco-lab asm` and `disco-lab disasm` through runCli with captured output. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/main';
import { gnuTools, objdump } from '../../core/asm/gnu';

const dir = mkdtempSync(join(tmpdir(), 'disco-cli-asm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  let out = '', err = '';
  const code = await runCli(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: dir });
  return { code, out, err };
}

writeFileSync(join(dir, 'ok.s'), '\t.text\n\t.globl __start\n__start:\n\tli $a0, 7\n\t.include "inc/sys.inc"\nloop:\tb loop\n');
mkdirSync(join(dir, 'inc'));
writeFileSync(join(dir, 'inc/sys.inc'), '\tli $v0, 4001\n\tsyscall\n');
writeFileSync(join(dir, 'bad.s'), 'nop\n  frob $t0\naddiu $t0, $t0, 99999\n');

describe('disco-lab asm', () => {
  it('--help lists asm and disasm', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\s+asm\s+assemble/m);
    expect(r.out).toMatch(/^\s+disasm\s+disassemble/m);
  });

  it('writes an ELF executable (and prints a listing with --listing)', async () => {
    const r = await cli('asm', 'ok.s', '-o', 'ok.elf', '--listing');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const elf = readFileSync(join(dir, 'ok.elf'));
    expect([...elf.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(r.out).toContain('00400000 <__start>:');
    expect(r.out).toMatch(/400000:\t24040007 \taddiu\t\$a0,\$zero,7\s+\t# ok\.s:4/);
    expect(r.out).toContain('# inc/sys.inc:1');
  });

  it.skipIf(!gnuTools().ok)('GNU objdump reads the ELF it writes', async () => {
    await cli('asm', 'ok.s', '-o', 'ok2.elf', '--text', '0x00800000', '--data', '0x20000000');
    const d = objdump(new Uint8Array(readFileSync(join(dir, 'ok2.elf'))));
    expect(d.ok, d.stderr).toBe(true);
    expect(d.lines.map((l) => `${l.addr.toString(16)} ${l.text.replace(/\s+/g, ' ')}`)).toEqual([
      '800000 addiu a0,zero,7', '800004 addiu v0,zero,4001', '800008 syscall', '80000c beq zero,zero,80000c <loop>', '800010 sll zero,zero,0x0',
      // .text is padded to 16 bytes with nops, as gas pads it
      '800014 sll zero,zero,0x0', '800018 sll zero,zero,0x0', '80001c sll zero,zero,0x0',
    ]);
  });

  it('prints file:line:col: error: message for every error and exits 1, writing nothing', async () => {
    const r = await cli('asm', 'bad.s', '-o', 'bad.elf');
    expect(r.code).toBe(1);
    expect(r.err).toBe("bad.s:2:3: error: unknown instruction 'frob'\nbad.s:3:17: error: operand 3 value 99999 out of range (-32768..65535)\n");
    expect(() => readFileSync(join(dir, 'bad.elf'))).toThrow();
  });

  it('--text and --data at the same address: a located error and exit 1, not an ELF with overlapping segments', async () => {
    writeFileSync(join(dir, 'two.s'), '\t.text\n__start: li $a0, 1\n\t.data\nx: .word 1\n');
    const r = await cli('asm', 'two.s', '-o', 'two.elf', '--text', '0x10000000', '--data', '0x10000000');
    expect(r.code).toBe(1);
    expect(r.err).toBe('two.s:1:1: error: .text/.rdata (0x10000000..0x10000010) and .data/.bss (0x10000000..0x10000010) overlap; place them apart (--text/--data)\n');
    expect(() => readFileSync(join(dir, 'two.elf'))).toThrow();
    expect((await cli('asm', 'two.s', '-o', 'two.elf', '--text', '0x10000000', '--data', '0x10000010')).code).toBe(0);
  });

  it('stops runaway macros and oversized programs with located errors (exit 1), and fills large .space at once', async () => {
    writeFileSync(join(dir, 'rec.s'), '.macro m a\n m \\a\n m \\a\n.endm\n m 1\n');
    const rec = await cli('asm', 'rec.s', '-o', 'rec.elf');
    expect(rec.code).toBe(1);
    expect(rec.err).toBe("rec.s:5:2: error: macros nested too deeply (more than 100 levels) (in expansion of macro 'm')\n");
    writeFileSync(join(dir, 'huge.s'), '.bss\n.space 0x10000000\n.space 0x10000000\n');
    const huge = await cli('asm', 'huge.s', '-o', 'huge.elf');
    expect(huge.code).toBe(1);
    expect(huge.err).toBe('huge.s:3:8: error: program too large: over 496 MiB (the largest machine memory)\n');
    writeFileSync(join(dir, 'fill.s'), '__start: nop\n.bss\nbuf: .space 0x1000000\n');
    const t0 = performance.now();
    const fill = await cli('asm', 'fill.s', '-o', 'fill.elf');
    expect(fill.code).toBe(0);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(readFileSync(join(dir, 'fill.elf')).length).toBeLessThan(4096 * 4);
  });

  it('usage errors exit 2; a missing input exits 1', async () => {
    expect((await cli('asm')).code).toBe(2);
    expect((await cli('asm', 'ok.s', '--text')).code).toBe(2);
    expect((await cli('asm', 'ok.s', '--text', 'zz')).code).toBe(2);
    expect((await cli('asm', 'ok.s', '--frob')).code).toBe(2);
    const m = await cli('asm', 'missing.s');
    expect(m.code).toBe(1);
    expect(m.err).toBe('missing.s: error: no such file\n');
  });
});

describe('disco-lab disasm', () => {
  it('prints an objdump-like listing with symbols', async () => {
    await cli('asm', 'ok.s', '-o', 'd.elf');
    const r = await cli('disasm', 'd.elf');
    expect(r.code).toBe(0);
    expect(r.out).toContain('00400000 <__start>:\n  400000:\t24040007 \taddiu\t$a0,$zero,7\n');
    expect(r.out).toContain('40000c:\t1000ffff \tbeq\t$zero,$zero,0x40000c <loop>\n');
  });

  it('rejects a non-ELF file with exit 1 and bad usage with exit 2', async () => {
    const r = await cli('disasm', 'ok.s');
    expect(r.code).toBe(1);
    expect(r.err).toBe('ok.s: error: not an ELF file\n');
    expect((await cli('disasm')).code).toBe(2);
  });
});
