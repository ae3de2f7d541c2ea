/**
 * `disco-lab disasm FILE [--all]`: objdump-like listing of a static ELF32 big-endian MIPS
 * executable (ours or GNU ld's): executable segments, or every loadable segment with --all.
 *
 * Only a segment's file bytes are disassembled; its zero fill (`.bss`, p_memsz > p_filesz) is
 * summarised in one line, as objdump never disassembles NOBITS sections. The listing is written
 * in chunks, so memory stays bounded however large the segment.
 */
import { resolve } from 'node:path';
import { disassembleBytes, formatListing, readElf } from '../../../core/asm/index';
import type { CliCommand } from '../command';
import { readInputFile } from '../../input';

const USAGE = `usage: disco-lab disasm FILE [--all]

Disassembles a static big-endian MIPS ELF executable in the style of
'objdump -d -M no-aliases' (with $-prefixed register names, so lines reassemble).

  --all   disassemble every loadable segment, not only executable ones`;

/** Bytes disassembled and written at a time. */
const CHUNK = 64 * 1024;

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
    const file = readInputFile(resolve(io.cwd, p), p);
    if (!file.ok) { io.err(`${file.message}\n`); return 1; }
    const e = readElf(file.value);
    if (!e.ok) { io.err(`${p}: error: ${e.message}\n`); return 1; }
    const labels = new Map<number, string[]>();
    for (const s of e.symbols) {
      if (s.kind !== 'label') continue;
      const l = labels.get(s.value);
      if (l) l.push(s.name); else labels.set(s.value, [s.name]);
    }
    const symbolize = (a: number) => labels.get(a)?.[0];
    io.out(`\n${p}:     file format elf32-tradbigmips (entry 0x${e.entry.toString(16).padStart(8, '0')})\n`);
    for (const seg of e.segments) {
      if (!all && !seg.flags?.x) continue;
      io.out(`\nDisassembly of ${seg.name}:\n`);
      const n = Math.min(seg.bytes.length, (seg.fileBytes + 3) & ~3) & ~3; // whole words holding file bytes
      for (let off = 0; off < n; off += CHUNK) {
        const end = Math.min(n, off + CHUNK);
        io.out(formatListing(disassembleBytes(seg.bytes.subarray(off, end), (seg.vaddr + off) >>> 0, { symbolize, labels: (a) => labels.get(a) })));
      }
      const fill = seg.bytes.length - n;
      if (fill >= 4) io.out(`\t... (${fill} bytes of zero fill from 0x${((seg.vaddr + n) >>> 0).toString(16)}, not disassembled)\n`);
    }
    return 0;
  },
};
