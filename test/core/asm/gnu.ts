/**
 * Test helper: the independent reference — GNU binutils for MIPS. Assembles with
 * `mips-linux-gnu-as -march=mips32 -O0 -EB`, links with `mips-linux-gnu-ld -static` and a small
 * linker script that places sections exactly where our assembler does (.text at TEXT, then
 * .rdata; .data at DATA, then .bss), and reads sections back with our ELF reader.
 *
 * Availability: `gnuTools()` tries `ensureTools` (installs binutils-mips-linux-gnu as root on
 * Debian). In CI (`process.env.CI`) missing tools make the calling suite fail; locally the
 * suite is skipped with a printed reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
// @ts-expect-error plain .mjs helper without type declarations
import { ensureTools, which } from '../../../scripts/ensure-tools.mjs';
import { readElf } from '../../../src/core/asm/index';

const TOOLS = ['mips-linux-gnu-as', 'mips-linux-gnu-ld', 'mips-linux-gnu-objdump'];

let cached: { ok: boolean; reason: string } | undefined;
/** Whether the binutils are usable; installs them when possible. */
export function gnuTools(): { ok: boolean; reason: string } {
  if (cached) return cached;
  let missing = TOOLS.filter((t) => !(which as (c: string) => string | undefined)(t));
  if (missing.length) missing = (ensureTools as (c: string[]) => string[])(TOOLS);
  cached = missing.length
    ? { ok: false, reason: `GNU binutils for MIPS missing (${missing.join(', ')}); install with: apt-get install binutils-mips-linux-gnu` }
    : { ok: true, reason: '' };
  if (!cached.ok) {
    if (process.env.CI) throw new Error(`CI: ${cached.reason}`);
    console.warn(`skipping GNU differential tests: ${cached.reason}`);
  }
  return cached;
}

export const linkerScript = (text: number, data: number) => `ENTRY(__start)
PHDRS { text PT_LOAD; data PT_LOAD; }
SECTIONS {
  . = 0x${text.toString(16)};
  .text : { *(.text) } :text
  .rdata : { *(.rdata) *(.rodata) } :text
  . = 0x${data.toString(16)};
  .data : { *(.data) } :data
  .bss : { *(.bss) *(COMMON) } :data
  /DISCARD/ : { *(.reginfo) *(.MIPS.abiflags) *(.pdr) *(.gnu.attributes) *(.comment) }
}
`;

export interface GnuBuild {
  ok: boolean;
  /** gas/ld stderr (errors and warnings). */
  stderr: string;
  elf?: Uint8Array;
  sections: Record<string, { addr: number; bytes: Uint8Array }>;
}

/**
 * Assembles each file with gas (cwd = a temp dir holding `files` and `aux` at their relative
 * paths, so `.include` finds them) and links the objects in order.
 */
export function gnuBuild(files: { path: string; text: string }[], text = 0x400000, data = 0x10000000, aux: { path: string; text: string }[] = []): GnuBuild {
  const dir = mkdtempSync(join(tmpdir(), 'disco-gnu-'));
  try {
    const objs: string[] = [];
    let stderr = '';
    for (const f of [...files, ...aux]) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.text);
    }
    for (const [i, f] of files.entries()) {
      const obj = join(dir, `in${i}.o`);
      const r = spawnSync('mips-linux-gnu-as', ['-march=mips32', '-O0', '-EB', '-I', dir, f.path, '-o', obj], { encoding: 'utf8', cwd: dir });
      stderr += r.stderr;
      if (r.status !== 0) return { ok: false, stderr, sections: {} };
      objs.push(obj);
    }
    const ld = join(dir, 'link.ld');
    writeFileSync(ld, linkerScript(text, data));
    const out = join(dir, 'a.out');
    const r = spawnSync('mips-linux-gnu-ld', ['-static', '-T', ld, '--no-warn-rwx-segments', ...objs, '-o', out], { encoding: 'utf8' });
    stderr += r.stderr;
    if (r.status !== 0) return { ok: false, stderr, sections: {} };
    const elf = new Uint8Array(readFileSync(out));
    const parsed = readElf(elf);
    const sections: GnuBuild['sections'] = {};
    if (parsed.ok) {
      for (const s of parsed.sections) {
        if (s.type === 1) sections[s.name] = { addr: s.addr, bytes: elf.slice(s.offset, s.offset + s.size) };
        if (s.type === 8) sections[s.name] = { addr: s.addr, bytes: new Uint8Array(s.size) };
      }
    }
    return { ok: true, stderr, elf, sections };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `objdump -d -z -M no-aliases` (-z: do not elide runs of zero words) of an ELF file: [address, word, text] per instruction. */
export function objdump(elf: Uint8Array, args: string[] = ['-d', '-z', '-M', 'no-aliases']): { ok: boolean; lines: { addr: number; word: number; text: string }[]; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'disco-objdump-'));
  try {
    const f = join(dir, 'a.out');
    writeFileSync(f, elf);
    const r = spawnSync('mips-linux-gnu-objdump', [...args, f], { encoding: 'utf8' });
    const lines: { addr: number; word: number; text: string }[] = [];
    for (const l of r.stdout.split('\n')) {
      const m = /^\s*([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$/.exec(l);
      if (m) lines.push({ addr: parseInt(m[1], 16), word: parseInt(m[2], 16), text: m[3].trim() });
    }
    return { ok: r.status === 0, lines, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
