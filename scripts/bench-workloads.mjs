#!/usr/bin/env node
// `npm run bench:workloads`: simulation speed on the shipped workloads, not on a loop (issue #13).
//
//   1. the tight loop of bench:cpu (run-user, user mode through the TLB) on the fast and the
//      timing model: the figure every workload is compared with;
//   2. every shipped guest-OS workload (resources/examples/experiments: pmake, engineering,
//      raytrace, database) natively (kseg0 kernel, 1 CPU) and under Disco (ksseg kernel, 1 VM on
//      1 CPU), on both CPU models: guest M instructions/s, simulated MHz, ratio to the loop;
//   3. user programs on `run-user` (fast model) against qemu-mips (JIT) and spim (interpreter),
//      all run here, on the same binaries / sources.
//
// Every measured run is a fresh Node process running the bundled core, timed as `disco-lab run`
// times a record's `host.seconds` (prepare + run, after loading the files), so JIT warm-up is
// included exactly as a user sees it; the two steps are also timed apart (the guest build, which
// prepare does at run time, and the simulation), and the whole run is repeated once more in the
// same process ("2nd run": the cold start is the difference). Each figure is the median of BENCH_REPEAT runs
// (default 3). On a shared host, compare runs made back to back: the load moves figures by 2×.
//
// The guest build is cached across processes as `disco-lab run` caches it (src/main/guest-cache.ts),
// in a cache folder of this bench's own, warmed by one unmeasured run per row: the figures are
// those of a user's second and later runs. BENCH_GUEST_CACHE=off builds the guest in every
// process instead (a user's first run, or the figures before the cache).
//
// Env: BENCH_REPEAT (runs per figure, default 3), BENCH_ONLY (regular expression on the row
// name, e.g. 'raytrace|loop'), BENCH_ITER (tight-loop outer iterations, default 20000 ≈ 205 M
// instructions), BENCH_JSON (file to write the medians to, for comparisons), BENCH_GUEST_CACHE,
// BENCH_NODE_ARGS (options for the measured Node processes, space-separated, e.g.
// '--v8-pool-size=1': docs/cpu.md, "One compile thread on two cores"; the header prints them).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { LOOP_BODY, LOOP_PER_ITER, spimProgram, userProgram } from './bench-loop.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORKLOADS = ['pmake', 'engineering', 'raytrace', 'database'];
const MODELS = ['fast', 'timing'];
const TARGETS = { native: { fast: 150, timing: 40 }, disco: { fast: 100, timing: 40 } };

// ------------------------------------------------------------------------------------------
// Child mode: one measured run, printed as JSON on stdout.
// ------------------------------------------------------------------------------------------
if (process.argv[2] === '--one') {
  const [, , , bundle, kind, ...rest] = process.argv;
  const core = await import(pathToFileURL(bundle).href);
  if (kind === 'experiment' || kind === 'warm') {
    const [file, model, cacheDir] = rest;
    if (cacheDir !== 'off') core.installGuestCache(cacheDir);
    const src = core.fileSystemSource(process.cwd(), join(process.cwd(), 'resources'));
    // the shipped experiment with the CPU model overridden (machineOverrides.cpuModel)
    const patched = { ...src, readText: async (p) => {
      const t = await src.readText(p);
      if (p !== file) return t;
      const e = JSON.parse(t);
      e.machineOverrides = { ...(e.machineOverrides ?? {}), cpuModel: model };
      return JSON.stringify(e);
    } };
    const loaded = await core.loadExperiment(patched, file);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const { resolved, inputs } = loaded.value;
    // runExperiment's two steps, timed apart: building the guest (assembling the kernel and the
    // disk's programs, cached by content within a process only) and the simulation itself
    const t0 = performance.now();
    const prep = core.prepareExperiment(resolved, inputs);
    if (!prep.ok) throw new Error(JSON.stringify(prep.errors));
    if (kind === 'warm') { process.stdout.write('{}'); process.exit(0); }
    const t1 = performance.now();
    const rec = prep.value.run().record;
    const t2 = performance.now();
    const s = (t2 - t0) / 1000;
    const r = core.withHostSpeed(rec, s);
    // the same experiment again in this process, on a new machine: V8 has compiled and optimised
    // the simulator's code and the guest's regions already (what a reused worker would see)
    const t3 = performance.now();
    const prep2 = core.prepareExperiment(resolved, inputs);
    if (!prep2.ok) throw new Error(JSON.stringify(prep2.errors));
    const rec2 = prep2.value.run().record;
    const again = (performance.now() - t3) / 1000;
    if (JSON.stringify(rec2.totals) !== JSON.stringify(rec.totals)) throw new Error(`${file}: the second run in one process differs from the first`);
    process.stdout.write(JSON.stringify({ seconds: s, build: (t1 - t0) / 1000, sim: (t2 - t1) / 1000, again, instructions: r.totals.counters.instructions, cycles: r.cycles,
      mips: r.host.guestMips, mhz: r.host.simulatedMHz, reason: r.status.reason,
      user: r.totals.buckets.user, kernel: r.totals.buckets.kernel, monitor: r.totals.buckets.monitor, idle: r.totals.buckets.idle }));
  } else if (kind === 'user') {
    const [elfPath, model] = rest;
    const img = core.parseElf(new Uint8Array(readFileSync(elfPath)));
    let out = [];
    const timing = model === 'timing' ? new core.NumaMemoryTiming(core.validateMachineConfig({ memoryPerNodeMB: 128, cpuModel: 'timing' }).value) : undefined;
    const p = new core.UserProcess(img, { model, ...(timing && { timing }), io: { write: (_fd, d) => { out.push(...d); }, read: () => new Uint8Array(0) } });
    const t0 = performance.now();
    const r = p.run();
    const s = (performance.now() - t0) / 1000;
    process.stdout.write(JSON.stringify({ seconds: s, instructions: r.instructions, cycles: r.cycles, mips: r.instructions / s / 1e6,
      mhz: r.cycles / s / 1e6, out: Buffer.from(out).toString('hex'), outcome: r.outcome.kind }));
  }
  process.exit(0);
}

// ------------------------------------------------------------------------------------------
// Driver
// ------------------------------------------------------------------------------------------
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const ITER = Number(process.env.BENCH_ITER ?? 20000);
const work = mkdtempSync(join(tmpdir(), 'disco-bench-workloads-'));
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter((a) => a !== '');
const GUEST_CACHE = process.env.BENCH_GUEST_CACHE === 'off' ? 'off' : join(work, 'guest-cache');
const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

if (!have('mips-linux-gnu-as')) {
  console.log('bench:workloads: mips-linux-gnu-as not found (apt-get install binutils-mips-linux-gnu); cannot build the user programs');
  process.exit(1);
}

// ---- bundle the core (as the CLI is bundled)
const entry = join(work, 'entry.ts');
const rel = (p) => JSON.stringify(join(root, p));
writeFileSync(entry, `
export { parseElf } from ${rel('src/core/machine/user/elf.ts')};
export { UserProcess } from ${rel('src/core/machine/user/runner.ts')};
export { NumaMemoryTiming } from ${rel('src/core/machine/memory/numa.ts')};
export { validateMachineConfig } from ${rel('src/core/machine/config/index.ts')};
export { loadExperiment } from ${rel('src/core/experiment/load.ts')};
export { prepareExperiment } from ${rel('src/core/experiment/run.ts')};
export { withHostSpeed } from ${rel('src/core/experiment/record.ts')};
export { fileSystemSource } from ${rel('src/main/run/sources.ts')};
export { installGuestCache } from ${rel('src/main/guest-cache.ts')};
`);
const bundle = join(work, 'core.mjs');
await build({ entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });

function child(kind, ...args) {
  const r = spawnSync(process.execPath, [...NODE_ARGS, fileURLToPath(import.meta.url), '--one', bundle, kind, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${kind} ${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
function measure(kind, ...args) {
  const runs = [];
  for (let i = 0; i < REPEAT; i++) runs.push(child(kind, ...args));
  const m = median(runs.map((x) => x.seconds));
  const mid = runs.find((x) => x.seconds === m) ?? runs[0];
  const out = { ...mid, seconds: m, mips: mid.instructions / m / 1e6, mhz: mid.cycles / m / 1e6, all: runs.map((x) => x.seconds) };
  if (mid.sim !== undefined) { out.build = median(runs.map((x) => x.build)); out.sim = median(runs.map((x) => x.sim)); out.simMips = mid.instructions / out.sim / 1e6; }
  if (mid.again !== undefined) { out.again = median(runs.map((x) => x.again)); out.againMips = mid.instructions / out.again / 1e6; }
  return out;
}
const wanted = (name) => !ONLY || ONLY.test(name);

// ---- user programs (GNU as + ld, the same ELF for run-user and qemu-mips; spim gets the same body)
function gnu(src, name) {
  const s = join(work, `${name}.s`), o = join(work, `${name}.o`), e = join(work, `${name}.elf`);
  writeFileSync(s, src);
  let r = spawnSync('mips-linux-gnu-as', ['-march=mips32', '-O0', s, '-o', o], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  r = spawnSync('mips-linux-gnu-ld', ['-static', '-e', '__start', '-Ttext-segment=0x00400000', '-Tdata=0x10000000', o, '-o', e], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return e;
}
// Program bodies: leave the result in $s2; `n` scales the work. Written in the common subset of
// GNU as and spim (noreorder, explicit delay slots).
const PROGRAMS = {
  // bench:cpu's compute loop: lw/addu/xor/sll/addu/sw/addiu/addiu/bnez+slot over 4 KiB
  loop: { perIter: LOOP_PER_ITER, body: LOOP_BODY, data: 'arr: .space 4096' },
  // sieve of Eratosthenes over 64 KiB of bytes: byte loads/stores, nested loops, calls (jal/jr)
  sieve: { perIter: 0, body: (n) => `
    li $s0, ${n}
    li $s2, 0
again:
    jal sieve
    nop
    addu $s2, $s2, $v0
    addiu $s0, $s0, -1
    bnez $s0, again
    nop
    b done
    nop
sieve:
    la $t0, flags
    li $t1, 65536
    move $t2, $t0
clr:
    sb $zero, 0($t2)
    addiu $t1, $t1, -1
    bnez $t1, clr
    addiu $t2, $t2, 1
    li $t3, 2
    li $v0, 0
outerp:
    addu $t4, $t0, $t3
    lbu $t5, 0($t4)
    bnez $t5, nextp
    nop
    addiu $v0, $v0, 1
    mul $t6, $t3, $t3
    li $t7, 65536
    sltu $t8, $t6, $t7
    beqz $t8, nextp
    nop
mark:
    addu $t4, $t0, $t6
    li $t9, 1
    sb $t9, 0($t4)
    addu $t6, $t6, $t3
    sltu $t8, $t6, $t7
    bnez $t8, mark
    nop
nextp:
    addiu $t3, $t3, 1
    li $t7, 65536
    bne $t3, $t7, outerp
    nop
    jr $ra
    nop
done:
`, data: 'flags: .space 65536' },
};
const userElf = (name, n) => gnu(userProgram(PROGRAMS[name].body(n), PROGRAMS[name].data), `${name}${n}`);
const spimSrc = (name, n) => spimProgram(PROGRAMS[name].body(n), PROGRAMS[name].data);

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`bench:workloads — host ${process.version} ${process.arch}, ${cpus().length} CPUs, load average at start ${load()}, median of ${REPEAT} run(s), each in a fresh process${NODE_ARGS.length ? ` (node ${NODE_ARGS.join(' ')})` : ''}`);

const results = { loop: {}, workloads: [], user: [] };

// ---- 1. the tight loop
const loopElf = { fast: userElf('loop', ITER), timing: userElf('loop', Math.max(1, Math.floor(ITER / 4))) };
for (const model of MODELS) {
  if (!wanted(`loop ${model}`) && !ONLY?.test('workload') && ONLY) continue;
  results.loop[model] = measure('user', loopElf[model], model);
}
const loopMips = (model) => results.loop[model]?.mips;

// ---- 2. the workloads
for (const w of WORKLOADS) {
  for (const mode of ['native', 'disco']) {
    const exp = `resources/examples/experiments/${w}-${mode === 'native' ? 'native-1cpu' : 'disco-1cpu-1vm'}.json`;
    if (!existsSync(join(root, exp))) continue;
    for (const model of MODELS) {
      const name = `${w} ${mode} ${model}`;
      if (!wanted(name)) continue;
      if (GUEST_CACHE !== 'off') child('warm', exp, model, GUEST_CACHE);
      const m = measure('experiment', exp, model, GUEST_CACHE);
      results.workloads.push({ name, workload: w, mode, model, ...m });
    }
  }
}

// ---- 3. user programs vs qemu-mips and spim
const hasQemu = have('qemu-mips'), hasSpim = have('spim');
const USER_N = { loop: ITER, sieve: Math.max(2, Math.floor(ITER / 400)) };
// spim interprets at a few M instructions/s: it gets ≈ 6 M and 1.2 M instructions of each program
const SPIM_N = { loop: 600, sieve: 4 };
for (const name of Object.keys(PROGRAMS)) {
  if (!wanted(`user ${name}`)) continue;
  const elf = name === 'loop' ? loopElf.fast : userElf(name, USER_N[name]);
  const ours = measure('user', elf, 'fast');
  const row = { name, ours };
  if (hasQemu) {
    const secs = [];
    for (let i = 0; i < REPEAT; i++) {
      const t0 = performance.now();
      const r = spawnSync('qemu-mips', [elf]);
      secs.push((performance.now() - t0) / 1000);
      if (r.stdout.toString('hex') !== ours.out) console.log(`warning: qemu-mips output differs from ours on ${name}`);
    }
    row.qemu = ours.instructions / median(secs) / 1e6;
  }
  if (hasSpim) {
    // spim's startup is removed by timing two sizes and taking the difference; user CPU time
    // only (spim spends much of its wall clock in the kernel), as bench:cpu reports it
    const big = SPIM_N[name], small = Math.max(1, Math.floor(big / 5));
    const spimTime = (n) => {
      const f = join(work, `spim-${name}-${n}.s`);
      writeFileSync(f, spimSrc(name, n));
      const r = spawnSync('bash', ['-c', `TIMEFORMAT='%U %R'; time spim -quiet -delayed_branches -file ${f} > /dev/null`], { encoding: 'utf8' });
      const [u, wall] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
      return { u, wall };
    };
    const us = [], ws = [];
    for (let i = 0; i < REPEAT; i++) { const b = spimTime(big), s = spimTime(small); us.push(b.u - s.u); ws.push(b.wall - s.wall); }
    // instructions of the program at n iterations, from ours (the same body, linearly in n)
    const instr = (ours.instructions * (big - small)) / USER_N[name];
    row.spimUser = instr / median(us) / 1e6;
    row.spimWall = instr / median(ws) / 1e6;
  }
  results.user.push(row);
}

// ---- report
const f1 = (x) => (x === undefined || x === null ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const f2 = (x) => (x === undefined || x === null || Number.isNaN(x) ? '–' : x.toFixed(2));   // (NaN: the loop was not run, BENCH_ONLY)
console.log('\n1. Tight loop (run-user, bench:cpu\'s loop)\n');
console.log('| model | guest M instr/s | simulated MHz | instructions |');
console.log('|---|---|---|---|');
for (const model of MODELS) { const l = results.loop[model]; if (l) console.log(`| ${model} | ${f1(l.mips)} | ${f1(l.mhz)} | ${(l.instructions / 1e6).toFixed(0)} M |`); }

if (results.workloads.length) {
  console.log('\n2. Guest-OS workloads (1 CPU; Disco = 1 VM × 1 vCPU); ratio = guest M instr/s ÷ the same model\'s tight loop\n');
  console.log('guest M instr/s counts the whole run as `disco-lab run` times it (building the guest + simulating, in a fresh');
  console.log('process); "build s" is the guest build alone and "sim-only" the simulation alone (medians of their own);');
  console.log('"2nd run" is the whole run again in the same process, on a new machine (V8 has compiled the simulator and');
  console.log('the guest\'s regions already): the gap to the first is the cold start. Targets are judged on the first.');
  console.log(GUEST_CACHE === 'off' ? 'Guest build cache: off (BENCH_GUEST_CACHE=off): every process assembles the guest.\n' : 'Guest build cache: on, warm (as a user\'s second run of an experiment).\n');
  console.log('| run | model | M instructions | user % | guest M instr/s | simulated MHz | ratio to loop | build s | sim-only M instr/s | 2nd run M instr/s | target | |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results.workloads) {
    const target = TARGETS[r.mode][r.model];
    const busy = r.user + r.kernel + r.monitor + r.idle;
    console.log(`| ${r.workload} ${r.mode} | ${r.model} | ${(r.instructions / 1e6).toFixed(1)} | ${(100 * r.user / busy).toFixed(0)} | ${f1(r.mips)} | ${f1(r.mhz)} | ${f2(r.mips / loopMips(r.model))} | ${f2(r.build)} | ${f1(r.simMips)} | ${f1(r.againMips)} | ≥ ${target} | ${r.mips >= target ? 'met' : 'not met'} |`);
  }
}

if (results.user.length) {
  console.log('\n3. User programs: run-user (fast model) against qemu-mips (JIT) and spim (interpreter, user CPU time)\n');
  console.log('| program | M instructions | run-user M instr/s | qemu-mips M instr/s | run-user ÷ qemu | spim M instr/s (user CPU) | spim (wall) | run-user ÷ spim |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const u of results.user) {
    console.log(`| ${u.name} | ${(u.ours.instructions / 1e6).toFixed(0)} | ${f1(u.ours.mips)} | ${f1(u.qemu)} | ${f2(u.qemu && u.ours.mips / u.qemu)} | ${f1(u.spimUser)} | ${f1(u.spimWall)} | ${f1(u.spimUser && u.ours.mips / u.spimUser)} |`);
  }
  const loop = results.user.find((u) => u.name === 'loop');
  if (loop?.qemu) console.log(`\n  tight loop: run-user ÷ qemu-mips = ${f2(loop.ours.mips / loop.qemu)} (target ≥ 0.2): ${loop.ours.mips / loop.qemu >= 0.2 ? 'met' : 'not met'}`);
}
console.log(`\nload average at end ${load()}`);
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
