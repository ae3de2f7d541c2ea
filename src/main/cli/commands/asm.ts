/**
 * `disco-lab asm IN.s [more.s ...] -o OUT [--text ADDR] [--data ADDR] [--listing]`
 * Assembles and links the files (in order) into a static ELF32 big-endian MIPS executable.
 * Diagnostics go to stderr as `file:line:col: error|warning: message`; exit 1 on any error,
 * 2 on a usage error. `.include "x"` resolves relative to the including file.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { readInputText } from '../../input';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { assemble, formatDiagnostics, type SourceFile } from '../../../core/asm/index';
import type { CliCommand } from '../command';

const USAGE = `usage: disco-lab asm IN.s [more.s ...] -o OUT [--text ADDR] [--data ADDR] [--listing]

Assembles GNU-as–compatible MIPS32 assembly (big-endian) and links the files, in order, into a
static ELF32 executable that GNU objdump and qemu-mips read.

  -o OUT        output file (default a.out)
  --text ADDR   address of .text (default 0x00400000); .rdata follows it
  --data ADDR   address of .data (default 0x10000000); .bss follows it
  --listing     print an address/word/disassembly/source listing to stdout

The entry point is __start if defined, else the start of .text. Exit status: 0 ok, 1 errors in
the sources, 2 usage error.`;

function parseAddr(s: string | undefined): number | undefined {
  if (s === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(s)) return undefined;
  const v = Number(s);
  return v >= 0 && v <= 0xffffffff ? v : undefined;
}

export const asmCommand: CliCommand = {
  name: 'asm',
  summary: 'assemble and link MIPS32 sources into an ELF executable',
  usage: USAGE,
  async run(args, io) {
    const inputs: string[] = [];
    let out = 'a.out';
    let textBase: number | undefined;
    let dataBase: number | undefined;
    let listing = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-o' || a === '--text' || a === '--data') {
        const v = args[++i];
        if (v === undefined) { io.err(`disco-lab asm: ${a} needs a value\n\n${USAGE}\n`); return 2; }
        if (a === '-o') { out = v; continue; }
        const n = parseAddr(v);
        if (n === undefined) { io.err(`disco-lab asm: bad address '${v}' for ${a} (use 0x... or decimal)\n`); return 2; }
        if (a === '--text') textBase = n; else dataBase = n;
      } else if (a === '--listing') listing = true;
      else if (a.startsWith('-') && a !== '-') { io.err(`disco-lab asm: unknown option '${a}'\n\n${USAGE}\n`); return 2; }
      else inputs.push(a);
    }
    if (!inputs.length) { io.err(`disco-lab asm: no input files\n\n${USAGE}\n`); return 2; }
    const files: SourceFile[] = [];
    for (const p of inputs) {
      const t = readInputText(resolve(io.cwd, p), p);
      if (!t.ok) { io.err(`${t.message}\n`); return 1; }
      files.push({ path: p, text: t.value });
    }
    const include = (name: string, from: string): SourceFile | undefined => {
      const candidates = isAbsolute(name) ? [name] : [join(dirname(from), name), name];
      for (const c of candidates) {
        const abs = resolve(io.cwd, c);
        if (!existsSync(abs)) continue;
        const t = readInputText(abs, c);   // a directory, device or huge file: try the next candidate, then "cannot find"
        if (t.ok) return { path: isAbsolute(c) ? c : relative(io.cwd, abs) || c, text: t.value };
      }
      return undefined;
    };
    const r = assemble(files, { textBase, dataBase, include });
    io.err(formatDiagnostics(r.diagnostics));
    if (!r.ok || !r.elf) return 1;
    try {
      writeFileSync(resolve(io.cwd, out), r.elf, { mode: 0o755 });
    } catch (e) {
      io.err(`${out}: error: cannot write: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    if (listing) {
      for (const l of r.listing) {
        if (l.labels) io.out(`\n${l.addr.toString(16).padStart(8, '0')} <${l.labels.join(', ')}>:\n`);
        io.out(`${l.addr.toString(16).padStart(8, ' ')}:\t${l.hex.padEnd(8)} \t${l.text.padEnd(32)}\t# ${l.file}:${l.line}\n`);
      }
    }
    return 0;
  },
};
