#!/usr/bin/env node
// `npm run bench:cpu`: guest speed of the CPU models on a compute loop (loads, stores, ALU,
// branches with delay slots), against SPIM and qemu-mips when installed.
//
//   1. user mode (`run-user` path): the loop as a static ELF, user addresses translated through
//      the TLB exactly as in full-system runs; fast model and timing model (timing uses the
//      machine's NumaMemoryTiming with the default config);
//   2. SPIM: the same loop in SPIM syntax (spim's own syscalls); startup time is removed by
//      timing two sizes and using the difference;
//   3. qemu-mips: the ELF (JIT; a ceiling, not a peer);
//   4. full system: a 4-CPU Machine (default config, 4 CPUs) running the loop on every CPU in
//      kernel mode (kseg0), fast and timing models — when the Machine exists.
//
// The TypeScript is bundled with esbuild first (as the CLI is), so it runs as shipped.
// Env: BENCH_ITER (outer iterations, each ≈ 10 × 1024 instructions; default 20000 ≈ 205 M).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { LOOP_BODY, spimProgram, userProgram } from './bench-loop.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'disco-bench-cpu-'));
const ITER = Number(process.env.BENCH_ITER ?? 20000);
const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

const userLoop = (n) => userProgram(LOOP_BODY(n), 'arr: .space 4096');
const spimLoop = (n) => spimProgram(LOOP_BODY(n), 'arr: .space 4096');
// kernel-mode variant for the full-system run: every CPU runs the loop, then waits with
// interrupts masked (the machine stops when all CPUs wait and nothing can wake them)
const kernelLoop = (n) => `    .set noreorder
    .text
    .globl __start
__start:
    mtc0 $0, $12${LOOP_BODY(n)}
    wait
1:  b 1b
    nop
    .data
arr: .space 4096
`;

function gnu(src, name, lds) {
  const s = join(work, `${name}.s`), o = join(work, `${name}.o`), e = join(work, `${name}.elf`);
  writeFileSync(s, src);
  let r = spawnSync('mips-linux-gnu-as', ['-march=mips32', '-O0', s, '-o', o], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const args = lds ? ['-static', '-e', '__start', '-Ttext=0x80010000', '-Tdata=0x80100000', '-N'] : ['-static', '-e', '__start', '-Ttext-segment=0x00400000', '-Tdata=0x10000000'];
  r = spawnSync('mips-linux-gnu-ld', [...args, o, '-o', e], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return e;
}

function fmt(n) { return n.toFixed(1).padStart(7); }

if (!have('mips-linux-gnu-as')) {
  console.log('bench:cpu: mips-linux-gnu-as not found (apt-get install binutils-mips-linux-gnu); cannot build the loop');
  process.exit(1);
}

// ---- bundle the core
const entry = join(work, 'entry.ts');
const machineTs = join(root, 'src/core/machine/machine.ts');
writeFileSync(entry, `
export { parseElf } from ${JSON.stringify(join(root, 'src/core/machine/user/elf.ts'))};
export { UserProcess } from ${JSON.stringify(join(root, 'src/core/machine/user/runner.ts'))};
export { NumaMemoryTiming } from ${JSON.stringify(join(root, 'src/core/machine/memory/numa.ts'))};
export { defaultMachineConfig, validateMachineConfig } from ${JSON.stringify(join(root, 'src/core/machine/config/index.ts'))};
${existsSync(machineTs) ? `export { Machine } from ${JSON.stringify(machineTs)};
export { parseElf as parseLoadElf } from ${JSON.stringify(join(root, 'src/core/machine/elf.ts'))};` : 'export const Machine = undefined; export const parseLoadElf = undefined;'}
`);
const bundle = join(work, 'core.mjs');
await build({ entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
const core = await import(pathToFileURL(bundle).href);

function runOurs(elfPath, model, timing) {
  const img = core.parseElf(new Uint8Array(readFileSync(elfPath)));
  let out = Buffer.alloc(0);
  const p = new core.UserProcess(img, { model, ...(timing && { timing }), io: { write: (_fd, d) => { out = Buffer.concat([out, Buffer.from(d)]); }, read: () => new Uint8Array(0) } });
  const t0 = performance.now();
  const r = p.run();
  const s = (performance.now() - t0) / 1000;
  return { mips: r.instructions / s / 1e6, instructions: r.instructions, secs: s, out: out.toString('hex'), cycles: r.cycles };
}

const rows = [];
const elf = gnu(userLoop(ITER), 'loop');
// warm-up (JIT) on a short run, then measure
runOurs(gnu(userLoop(200), 'warm'), 'fast');
const fast = runOurs(elf, 'fast');
rows.push(['disco-lab run-user, fast model', fast.mips, fast.instructions, fast.secs]);
const cfgR = core.validateMachineConfig({ memoryPerNodeMB: 128, cpuModel: 'timing' });  // = the runner's memory
if (!cfgR.ok) throw new Error('bench: config');
const cfg = cfgR.value;
const timingElf = gnu(userLoop(Math.max(1, Math.floor(ITER / 4))), 'loopT');
const timed = runOurs(timingElf, 'timing', new core.NumaMemoryTiming(cfg));
rows.push(['disco-lab run-user, timing model (NUMA)', timed.mips, timed.instructions, timed.secs]);

let qemu, spim, spimUser;
if (have('qemu-mips')) {
  const t0 = performance.now();
  const r = spawnSync('qemu-mips', [elf]);
  const s = (performance.now() - t0) / 1000;
  if (r.stdout.toString('hex') !== fast.out) console.log('warning: qemu-mips output differs from ours!');
  qemu = fast.instructions / s / 1e6;
  rows.push(['qemu-mips (JIT)', qemu, fast.instructions, s]);
} else console.log('qemu-mips not installed: skipped');
if (have('spim')) {
  const small = Math.max(1, Math.floor(ITER / 40)), big = Math.max(2, Math.floor(ITER / 8));
  const time = (n) => {
    const f = join(work, `spim${n}.s`);
    writeFileSync(f, spimLoop(n));
    const t0 = performance.now();
    const r = spawnSync('spim', ['-quiet', '-delayed_branches', '-file', f], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`spim failed: ${r.stderr}`);
    return (performance.now() - t0) / 1000;
  };
  const dt = time(big) - time(small);
  const instr = (big - small) * (fast.instructions / ITER);
  spim = instr / dt / 1e6;
  rows.push(['spim (interpreter, wall clock)', spim, Math.round(instr), dt]);
  // spim spends much of its wall-clock time in the kernel (sys); also report user CPU time only
  const userTime = (n) => {
    const f = join(work, `spim${n}.s`);
    const r = spawnSync('bash', ['-c', `TIMEFORMAT='%U'; time spim -quiet -delayed_branches -file ${f} > /dev/null`], { encoding: 'utf8' });
    return Number(r.stderr.trim().split('\n').pop());
  };
  const du = userTime(big) - userTime(small);
  if (du > 0) { spimUser = instr / du / 1e6; rows.push(['spim (user CPU time only)', spimUser, Math.round(instr), du]); }
} else console.log('spim not installed: skipped');

if (core.Machine) {
  for (const model of ['fast', 'timing']) {
    try {
      const v = core.validateMachineConfig({ nodes: 2, cpusPerNode: 2, cpuModel: model });
      if (!v.ok) throw new Error(JSON.stringify(v.errors));
      const m = new core.Machine(v.value);
      const parsed = core.parseLoadElf(new Uint8Array(readFileSync(gnu(kernelLoop(model === 'fast' ? Math.floor(ITER / 4) : Math.floor(ITER / 16)), `k${model}`, true))));
      if (!parsed.ok) throw new Error(parsed.message);
      const err = m.load(parsed.image);
      if (err) throw new Error(err);
      m.start(parsed.image.entry);
      const t0 = performance.now();
      const r = m.run({ maxCycles: 4e9 });
      const s = (performance.now() - t0) / 1000;
      rows.push([`full system, 4 CPUs, ${model} model (${r.reason})`, r.instructions / s / 1e6, r.instructions, s]);
    } catch (e) { console.log(`full-system ${model} run skipped: ${e instanceof Error ? e.message : e}`); }
  }
}

console.log(`\nbench:cpu — compute loop (lw/addu/xor/sll/addu/sw/addiu/addiu/bnez+slot), host ${process.version} ${process.arch}\n`);
console.log('                                              guest MIPS   instructions    seconds');
for (const [name, mips, n, s] of rows) console.log(`  ${name.padEnd(44)}${fmt(mips)}   ${String(n).padStart(12)}   ${s.toFixed(3).padStart(8)}`);
console.log('');
if (spim) console.log(`  fast / spim   = ${(fast.mips / spim).toFixed(1)}×   (target ≥ 10×)`);
if (spimUser) console.log(`  fast / spim (user CPU) = ${(fast.mips / spimUser).toFixed(1)}×`);
if (spim) console.log(`  timing / spim = ${(timed.mips / spim).toFixed(1)}×`);
if (qemu) console.log(`  fast / qemu   = ${(fast.mips / qemu).toFixed(2)}×`);
console.log(`  fast ${fast.mips >= 150 ? 'meets' : 'misses'} the 150 M/s target; timing ${timed.mips >= 30 ? 'meets' : 'misses'} the 30 M/s target`);
