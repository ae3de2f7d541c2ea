/** ELF writer/loader: our files read back, malformed input is a value, and the result runs. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble, readElf } from '../../../src/core/asm/index';
// @ts-expect-error plain .mjs helper without type declarations
import { which } from '../../../scripts/ensure-tools.mjs';

const HELLO = `	.text
	.globl	__start
__start:
	li	$a0, 1
	la	$a1, msg
	li	$a2, 6
	li	$v0, 4004	# write
	syscall
	li	$a0, 3
	li	$v0, 4001	# exit
	syscall
	.rdata
msg:	.ascii	"hello\\n"
`;

describe('ELF', () => {
  const r = assemble([{ path: 'hello.s', text: HELLO }]);

  it('readElf(writeElf(image)) gives back segments, entry and symbols', () => {
    const e = readElf(r.elf!);
    expect(e.ok).toBe(true);
    if (!e.ok) return;
    expect(e.entry).toBe(r.image!.entry);
    expect(e.flags).toBe(0x50001000);
    const text = r.image!.segments.find((s) => s.name === '.text')!;
    const seg = e.segments.find((s) => s.vaddr === text.vaddr)!;
    expect(seg.flags).toEqual({ r: true, w: false, x: true });
    expect(Buffer.from(seg.bytes.subarray(0, text.bytes.length)).equals(Buffer.from(text.bytes))).toBe(true);
    expect(e.sections.map((s) => s.name)).toEqual(['', '.text', '.rdata', '.symtab', '.strtab', '.shstrtab']);
    expect(e.symbols.map((s) => [s.name, s.section, s.global])).toEqual([['msg', '.rdata', false], ['__start', '.text', true]]);
  });

  it('malformed files are values, never exceptions', () => {
    expect(readElf(new Uint8Array(0))).toMatchObject({ ok: false });
    expect(readElf(new TextEncoder().encode('#!/bin/sh\n'))).toEqual({ ok: false, message: 'not an ELF file' });
    let seed = 99;
    for (let i = 0; i < 2000; i++) {
      const b = r.elf!.slice(0, Math.max(0, r.elf!.length - (i * 7) % 400));
      for (let k = 0; k < 4; k++) { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; b[seed % Math.max(1, b.length)] = seed >>> 24; }
      const e = readElf(b);
      expect(typeof e.ok).toBe('boolean');
    }
  });

  const qemu = which('qemu-mips') as string | undefined;
  if (!qemu) {
    if (process.env.CI) throw new Error('CI: qemu-mips missing (apt-get install qemu-user)');
    console.warn('skipping ELF execution test: qemu-mips not installed (apt-get install qemu-user)');
  }
  it.skipIf(!qemu)('qemu-mips runs our executable (static big-endian o32 ELF)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'disco-elf-'));
    try {
      const f = join(dir, 'hello');
      writeFileSync(f, r.elf!);
      chmodSync(f, 0o755);
      const p = spawnSync(qemu!, [f], { encoding: 'utf8', timeout: 20000 });
      expect(p.stdout).toBe('hello\n');
      expect(p.status).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
