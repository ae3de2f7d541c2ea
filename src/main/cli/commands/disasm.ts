/**
 * `disco-lab disasm FILE [--all]`: objdump-like listing of a static ELF32 big-endian MIPS
 * executable (ours or GNU ld's): executable segments, or every loadable segment with --all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { disassembleBytes, formatListing, readElf } from '../../../core/asm/index';
import type { CliCommand } from '../command';

const USAGE = `usage: disco-lab disasm FILE [--all]

Disassembles a static big-endian MIPS ELF executable in the style of
'objdump -d -M no-aliases' (with $-prefixed register names, so lines reassemble).

  --all   disassemble every loadable segment, not only executable ones`;

export const disasmCommand: CliCommand = {
  name: 'disasm',
  summary: 'disassemble a MIPS ELF executable',
  usage: USAGE,
  async run(args, io) {
    const all = args.includes('--all');
    const files = args.filter((a) => a !== '--all');
    const bad = files.find((a) => a.startsWith('-'));
    if (bad) { io.err(`disco-lab disasm: unknown option '${bad}'\n\n${USAGE}\n`); return 2; }
    if (files.length !== 1) { io.err(`disco-lab disasm: expected one file\n\n${USAGE}\n`); return 2; }
    const p = files[0];
    const abs = resolve(io.cwd, p);
    if (!existsSync(abs)) { io.err(`${p}: error: no such file\n`); return 1; }
    const e = readElf(new Uint8Array(readFileSync(abs)));
    if (!e.ok) { io.err(`${p}: error: ${e.message}\n`); return 1; }
    const labels = new Map<number, string[]>();
    for (const s of e.symbols) if (s.kind === 'label') labels.set(s.value, [...(labels.get(s.value) ?? []), s.name]);
    const symbolize = (a: number) => labels.get(a)?.[0];
    io.out(`\n${p}:     file format elf32-tradbigmips (entry 0x${e.entry.toString(16).padStart(8, '0')})\n`);
    for (const seg of e.segments) {
      if (!all && !seg.flags?.x) continue;
      io.out(`\nDisassembly of ${seg.name}:\n`);
      io.out(formatListing(disassembleBytes(seg.bytes, seg.vaddr, { symbolize, labels: (a) => labels.get(a) })));
    }
    return 0;
  },
};
