#!/usr/bin/env node
// `npm run bench:asm`: time to assemble a generated 20,000-line source (a figure to track, not
// a timed test). The assembler is bundled with esbuild first, as the CLI ships it. Prints the
// median of 5 runs after 2 warm-ups, plus GNU as (-O0) + ld on the same file when installed.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'disco-bench-asm-'));
const LINES = Number(process.env.BENCH_LINES ?? 20000);

/** A realistic mix: labels, ALU, loads/stores, branches (delay-slot filling), pseudo-instructions, data. */
function generate(n) {
  const body = [
    (i) => `f${i}:\taddiu\t$sp, $sp, -32`,
    () => '\tsw\t$ra, 28($sp)',
    (i) => `\tli\t$t0, ${(i * 7919) % 100000}`,
    (i) => `\tla\t$a0, d${i % 500}`,
    () => '\tlw\t$t1, 0($a0)',
    () => '\taddu\t$t2, $t1, $t0',
    (i) => `\tbeq\t$t2, $zero, f${Math.max(0, i - 3)}`,
    () => '\tsll\t$t3, $t2, 2',
    () => '\tblt\t$t3, $t1, 1f',
    () => '\tmul\t$t4, $t3, $t1',
    () => '1:\tsw\t$t4, 4($a0)',
    (i) => `\tjal\tf${i % 97}`,
    () => '\tlw\t$ra, 28($sp)',
    () => '\taddiu\t$sp, $sp, 32',
    () => '\tjr\t$ra',
  ];
  const lines = ['\t.text', '\t.globl\t__start', '__start:'];
  let i = 0;
  while (lines.length < n - 520) { lines.push(body[i % body.length](Math.floor(i / body.length))); i++; }
  lines.push('\t.data');
  for (let k = 0; k < 500; k++) lines.push(`d${k}:\t.word\t${k}, d${k} + 4`);
  return lines.join('\n') + '\n';
}

try {
  const out = join(work, 'asm.mjs');
  await build({ entryPoints: [join(root, 'src/core/asm/index.ts')], outfile: out, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const { assemble } = await import(pathToFileURL(out).href);
  const text = generate(LINES);
  const nLines = text.split('\n').length - 1;
  const times = [];
  let r;
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    r = assemble([{ path: 'bench.s', text }]);
    if (k >= 2) times.push(performance.now() - t0);
  }
  if (!r.ok) { console.error(r.diagnostics.slice(0, 5)); process.exit(1); }
  times.sort((a, b) => a - b);
  const words = r.image.segments.find((s) => s.name === '.text').bytes.length / 4;
  console.log(`bench:asm: ${nLines} lines → ${words} instructions: ${times[2].toFixed(0)} ms (median of 5; min ${times[0].toFixed(0)} ms)`);
  const src = join(work, 'bench.s');
  writeFileSync(src, text);
  if (spawnSync('sh', ['-c', 'command -v mips-linux-gnu-as']).status === 0) {
    const t0 = performance.now();
    const a = spawnSync('mips-linux-gnu-as', ['-march=mips32', '-O0', '-EB', src, '-o', join(work, 'b.o')]);
    // plain -Ttext would collide with .MIPS.abiflags on large programs: place sections with a script
    const ld = join(work, 'link.ld');
    writeFileSync(ld, 'ENTRY(__start)\nSECTIONS { . = 0x400000; .text : { *(.text) } . = 0x10000000; .data : { *(.data) } .bss : { *(.bss) } /DISCARD/ : { *(.reginfo) *(.MIPS.abiflags) *(.pdr) *(.gnu.attributes) } }\n');
    const l = spawnSync('mips-linux-gnu-ld', ['-static', '-T', ld, join(work, 'b.o'), '-o', join(work, 'b')]);
    const ms = performance.now() - t0;
    if (a.status !== 0 || l.status !== 0) console.log(`bench:asm: GNU as/ld failed: ${String(a.stderr).slice(0, 300)}${String(l.stderr).slice(0, 300)}`);
    else console.log(`bench:asm: GNU as -O0 + ld on the same file: ${ms.toFixed(0)} ms (process startup included)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
