// Test helpers: assemble bare-metal MIPS programs with GNU binutils (the reference toolchain,
// until the project assembler lands) and build machines from presets.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateMachineConfig } from '../../../../src/core/machine/config/validate';
import type { MachineConfig } from '../../../../src/core/machine/config/types';
import { mergeConfig } from '../../../../src/core/machine/config/validate';

export const ROOT = join(__dirname, '..', '..', '..', '..');

/** Assembles `source` with `mips-linux-gnu-as -march=mips32 -O0` and links .text at 0x80001000. */
export function assembleBare(source: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'disco-test-'));
  try {
    writeFileSync(join(dir, 'p.s'), source);
    const as = spawnSync('mips-linux-gnu-as', ['-march=mips32', '-O0', join(dir, 'p.s'), '-o', join(dir, 'p.o')], { encoding: 'utf8' });
    if (as.status !== 0) throw new Error(`as failed: ${as.stderr || as.error}`);
    const ld = spawnSync('mips-linux-gnu-ld', ['-static', '-e', '__start', '-Ttext=0x80001000', '-Tdata=0x80080000', join(dir, 'p.o'), '-o', join(dir, 'p.elf')], { encoding: 'utf8' });
    if (ld.status !== 0) throw new Error(`ld failed: ${ld.stderr || ld.error}`);
    return new Uint8Array(readFileSync(join(dir, 'p.elf')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function readPreset(name: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, 'resources', 'machines', `${name}.json`), 'utf8'));
}

/** A preset, optionally with overrides, validated. */
export function preset(name: string, overrides: Record<string, unknown> = {}): MachineConfig {
  const r = validateMachineConfig(mergeConfig(readPreset(name), overrides));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

/** Bare-metal prologue: Status = IM bits given (BEV, ERL cleared), s0 = device window, s1 = CPU id. */
export const PROLOGUE = (im = 0x1000) => `
        .text
        .globl __start
__start:
        li      $t0, ${im}
        mtc0    $t0, $12
        lui     $s0, 0xbf00
        lw      $s1, 0x4000($s0)
`;
