// The lab part of the service: asm.assemble (located diagnostics), runs in a worker thread
// (progress, saved record, stop → partial record), run records, machine/experiment validation.
import { build } from 'esbuild';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceManager } from '../../src/main/service/manager';
import { createLabService } from '../../src/main/service/service';
import { CONTRACT, bindService, type RunFinished, type RunProgress } from '../../src/shared/api';
import { codeOf, tempDir } from './helpers';
import { runCommand } from '../../src/main/cli/commands/run';

const ROOT = resolve(import.meta.dirname, '../..');
let workerPath = '';

beforeAll(async () => {
  // The worker runs as a bundle, as in the app (scripts/build-cli.mjs builds out/run/worker.js).
  workerPath = join(realpathSync(mkdtempSync(join(tmpdir(), 'disco-worker-'))), 'worker.mjs');
  await build({ entryPoints: [join(ROOT, 'src/main/run/worker.ts')], outfile: workerPath, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
}, 60_000);

function lab() {
  const ws = tempDir();
  cpSync(join(ROOT, 'resources/examples'), ws, { recursive: true });
  mkdirSync(join(ws, 'runs'), { recursive: true });
  const progress: RunProgress[] = [];
  const finished: RunFinished[] = [];
  let onFinish: (f: RunFinished) => void = () => {};
  const emit = ((name: string, payload: unknown) => {
    if (name === 'onRunProgress') progress.push(payload as RunProgress);
    if (name === 'onRunFinished') { finished.push(payload as RunFinished); onFinish(payload as RunFinished); }
  }) as never;
  const s = createLabService(new WorkspaceManager(ws, () => {}, false), { host: 'web', version: '0', emit, runWorker: workerPath });
  const done = () => new Promise<RunFinished>((ok) => (onFinish = ok));
  return { ws, s, progress, finished, done };
}

describe('asm.assemble', () => {
  it('returns located diagnostics for a bad file', async () => {
    const { ws, s } = lab();
    writeFileSync(join(ws, 'programs/bad.s'), '        .text\nmain:   addu $t0, $t1, $t2\n        frob $t0\n        b nowhere\n');
    const r = await s.asm.assemble({ path: 'programs/bad.s' });
    expect(r.ok).toBe(false);
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errs.map((d) => d.line)).toEqual(expect.arrayContaining([3, 4]));
    const frob = errs.find((d) => d.line === 3)!;
    expect(frob.file).toBe('programs/bad.s');
    expect(frob.col).toBeGreaterThan(1);
    expect(frob.endCol).toBeGreaterThan(frob.col);
    expect(frob.message).toMatch(/frob/);
  });

  it('checks unsaved text as the named file and returns symbols when it assembles', async () => {
    const { s } = lab();
    const r = await s.asm.assemble({ path: 'programs/new.s', text: '        .text\n        .globl __start\n__start: nop\nloop:   b loop\n        nop\n' });
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
    expect(r.symbols.map((x) => x.name)).toEqual(expect.arrayContaining(['__start', 'loop']));
    expect(r.listing.length).toBeGreaterThan(0);
    expect(r.bytes).toBeGreaterThan(0);
  });

  it('resolves .include through the workspace and refuses escaping paths', async () => {
    const { ws, s } = lab();
    writeFileSync(join(ws, 'programs/defs.s'), 'N = 7\n');
    const r = await s.asm.assemble({ path: 'programs/inc.s', text: '        .include "defs.s"\n        .text\n        li $t0, N\n' });
    expect(r.diagnostics).toEqual([]);
    expect(await codeOf(Promise.resolve().then(() => s.asm.assemble({ path: '../x.s', text: 'nop' })))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(Promise.resolve().then(() => s.asm.assemble({ path: 'programs/big.s', text: 'nop\n'.repeat(300_000) })))).toBe('E_TOO_LARGE');
    const d = bindService(CONTRACT, s);
    const bad = await d('asm.assemble', [{ path: 'programs/x.s', text: 5 }]);
    expect(bad).toMatchObject({ ok: false, error: { code: 'E_INVALID_INPUT' } });
  });
});

describe('runs', () => {
  it('runs an experiment in a worker, streams progress and saves the record to runs/', async () => {
    const { ws, s, progress, done } = lab();
    const fin = done();
    const { runId, name } = await s.runs.start('experiments/bare-hello.json');
    expect(runId).toMatch(/^run-\d+$/);
    expect(name).toBe('bare-hello');
    const f = await fin;
    expect(f).toMatchObject({ runId, ok: true, partial: false, reason: 'exit' });
    expect(f.path).toMatch(/^runs\/bare-hello-\d{4}-\d\d-\d\dT[\d-]+Z\.json$/);
    expect(progress.length).toBeGreaterThan(0);
    const last = progress[progress.length - 1];
    expect(last.runId).toBe(runId);
    expect(last.cycles).toBeGreaterThan(0);
    expect(progress.flatMap((p) => p.console).map((c) => c.text).join('')).toMatch(/hello/i);
    const rec = JSON.parse(readFileSync(join(ws, f.path!), 'utf8'));
    expect(rec.schema).toBe('disco-lab/run@1');
    expect(rec.host.seconds).toBeGreaterThan(0);
    const list = await s.runs.list();
    expect(list).toEqual([expect.objectContaining({ path: f.path, name: 'bare-hello', mode: 'native', partial: false })]);
    const read = await s.runs.read(f.path!);
    expect(read.cycles).toBe(rec.cycles);
    expect(await s.runs.active()).toEqual([]);
  }, 120_000);

  // "The same result from the CLI": the UI's worker and `disco-lab run` share the core, but load
  // files differently (confined workspace vs. plain paths); their records must be identical apart
  // from the host's speed figures.
  for (const exp of ['bare-hello', 'pmake-disco-1cpu-1vm']) {
    it(`gives the same run record as the CLI for ${exp}`, async () => {
      const { ws, s, done } = lab();
      const fin = done();
      await s.runs.start(`experiments/${exp}.json`);
      const f = await fin;
      expect(f).toMatchObject({ ok: true, partial: false, reason: 'exit' });
      const ui = JSON.parse(readFileSync(join(ws, f.path!), 'utf8'));
      const out = join(tempDir(), 'cli.json');
      const io = { out: () => {}, err: () => {}, cwd: ws };
      expect(await runCommand.run([join(ws, `experiments/${exp}.json`), '--json', out, '--quiet'], io)).toBe(0);
      const cli = JSON.parse(readFileSync(out, 'utf8'));
      delete ui.host; delete cli.host;
      expect(ui).toEqual(cli);
    }, 120_000);
  }

  it('assembles a program\'s .include files from the workspace in the worker', async () => {
    const { ws, s, done } = lab();
    mkdirSync(join(ws, 'programs/inc'), { recursive: true });
    writeFileSync(join(ws, 'programs/inc/defs.inc'), '        .equ    STATUS, 42\n');
    writeFileSync(join(ws, 'programs/inc-exit.s'), '        .include "inc/defs.inc"\n        .text\n        .globl __start\n__start:\n        lui     $s0, 0xbf00\n        li      $t0, STATUS\n        sw      $t0, 0x3000($s0)        # power off with the included status\n1:      b       1b\n        nop\n');
    writeFileSync(join(ws, 'experiments/inc-exit.json'), JSON.stringify({ name: 'inc-exit', machine: 'uma-smp4', mode: 'native', programs: ['../programs/inc-exit.s'] }));
    const fin = done();
    await s.runs.start('experiments/inc-exit.json');
    const f = await fin;
    expect(f).toMatchObject({ ok: true, reason: 'exit' });
    expect(JSON.parse(readFileSync(join(ws, f.path!), 'utf8')).status.exitCode).toBe(42);
  }, 120_000);

  it('a run stopped by the default cycle limit says so on its console', async () => {
    const { ws, s, progress, done } = lab();
    writeFileSync(join(ws, 'programs/idle.s'), '        .text\n        .globl __start\n__start:\n        li $t0, -1\n        mtc0 $t0, $11\n        li $t0, 0x8000\n        mtc0 $t0, $12\n1:      wait\n        b 1b\n        nop\n');
    writeFileSync(join(ws, 'experiments/idle.json'), JSON.stringify({ name: 'idle', machine: 'uma-smp4', mode: 'native', programs: ['../programs/idle.s'] }));
    const fin = done();
    await s.runs.start('experiments/idle.json');
    expect(await fin).toMatchObject({ ok: true, partial: true, reason: 'maxCycles' });
    expect(progress.flatMap((p) => p.console).filter((c) => c.source === 'host').map((c) => c.text))
      .toEqual(['warning: stopped at the default limit of 50,000,000 cycles; raise it with limits.maxCycles in the experiment\n']);
    expect(progress[progress.length - 1].cycles).toBe(50_000_000);
  }, 120_000);

  it('stop leaves a partial record marked as such', async () => {
    const { ws, s, done } = lab();
    // A program that never ends: the run only stops when asked (or at the huge cycle limit).
    writeFileSync(join(ws, 'programs/spin.s'), '        .text\n        .globl __start\n__start:\nloop:   b loop\n        nop\n');
    writeFileSync(join(ws, 'experiments/spin.json'), JSON.stringify({ name: 'spin', machine: 'uma-smp4', mode: 'native', programs: ['../programs/spin.s'], limits: { maxCycles: 1e14 } }));
    const fin = done();
    const { runId } = await s.runs.start('experiments/spin.json');
    expect((await s.runs.active()).map((r) => r.runId)).toEqual([runId]);
    s.runs.stop(runId);
    const f = await fin;
    expect(f).toMatchObject({ ok: true, partial: true, reason: 'stopped' });
    expect(JSON.parse(readFileSync(join(ws, f.path!), 'utf8'))).toMatchObject({ partial: true, status: { reason: 'stopped' } });
    expect(await codeOf(Promise.resolve().then(() => s.runs.stop(runId)))).toBe('E_NO_RUN');
  }, 120_000);

  it('runs a Disco experiment: VM kernels and disks are read from the workspace, consoles stream per VM', async () => {
    const { ws, s, progress, done } = lab();
    const fin = done();
    const { runId } = await s.runs.start('experiments/pmake-disco-1cpu-2vm.json');
    // Stop as soon as both guests have printed something (the VMs share one CPU in 0.5 ms
    // slices): the record is then partial.
    await new Promise<void>((ok) => {
      const printed = (vm: string) => progress.some((p) => p.console.some((c) => c.source === vm && c.text.length));
      const t = setInterval(() => { if (printed('vm0') && printed('vm1')) { clearInterval(t); ok(); } }, 20);
    });
    s.runs.stop(runId);
    const f = await fin;
    expect(f).toMatchObject({ ok: true, partial: true, reason: 'stopped' });
    const sources = new Set(progress.flatMap((p) => p.console.map((c) => c.source)));
    expect([...sources].sort()).toEqual(['vm0', 'vm1']);
    const rec = JSON.parse(readFileSync(join(ws, f.path!), 'utf8'));
    expect(rec.mode).toBe('disco');
    expect(rec.vms.map((v: { name: string }) => v.name)).toEqual(['vm0', 'vm1']);
    expect(rec.totals.buckets.monitor).toBeGreaterThan(0);
  }, 120_000);

  it('refuses an invalid experiment with field errors, and paths outside the workspace', async () => {
    const { ws, s } = lab();
    writeFileSync(join(ws, 'experiments/bad.json'), JSON.stringify({ name: 'bad', machine: 'flash-4x2', mode: 'native', programs: [] }));
    const e = await Promise.resolve().then(() => s.runs.start('experiments/bad.json')).catch((x) => x);
    expect(e).toMatchObject({ code: 'E_INVALID_INPUT' });
    expect(e.message).toMatch(/programs/);
    writeFileSync(join(ws, 'experiments/esc.json'), JSON.stringify({ name: 'esc', machine: 'flash-4x2', mode: 'native', programs: ['../../../etc/passwd.s'] }));
    const e2 = await Promise.resolve().then(() => s.runs.start('experiments/esc.json')).catch((x) => x);
    expect(e2.message).toMatch(/outside the workspace/);
    // A broken file is named once (it used to read `experiments/broken.json: experiments/broken.json: invalid JSON`).
    writeFileSync(join(ws, 'experiments/broken.json'), '{ "name": ');
    const e3 = await Promise.resolve().then(() => s.runs.start('experiments/broken.json')).catch((x) => x);
    expect(e3).toMatchObject({ code: 'E_INVALID_INPUT', message: expect.stringMatching(/^experiments\/broken\.json: invalid JSON: /) });
    expect(e3.message.split('experiments/broken.json')).toHaveLength(2);
    // An error inside a machine file names that file under the experiment's `machine` field.
    mkdirSync(join(ws, 'machines'), { recursive: true });
    writeFileSync(join(ws, 'machines/two.json'), JSON.stringify({ name: 'two', nodes: 2, distance: [[10, 20], [20]] }));
    writeFileSync(join(ws, 'experiments/two.json'), JSON.stringify({ name: 'two', machine: '../machines/two.json', mode: 'native', programs: ['../programs/bare-hello.s'] }));
    const e4 = await Promise.resolve().then(() => s.runs.start('experiments/two.json')).catch((x) => x);
    expect(e4.message).toBe('experiments/two.json: machine: machines/two.json: distance[1]: must have 2 entries (one per node), got 1');
    expect(await codeOf(Promise.resolve().then(() => s.runs.start('experiments/none.json')))).toBe('E_NOT_FOUND');
    expect(await codeOf(Promise.resolve().then(() => s.runs.read('programs/bare-hello.s')))).toBe('E_INVALID_INPUT');
  });
});

describe('machine and experiment validation', () => {
  it('lists params and presets and reports field-level errors', async () => {
    const { s } = lab();
    const params = await s.machine.params();
    expect(params.find((p) => p.path === 'nodes')).toMatchObject({ unit: 'nodes', min: 1 });
    const presets = await s.machine.presets();
    expect(presets.map((p) => p.name)).toContain('flash-4x2');
    const flash = presets.find((p) => p.name === 'flash-4x2')!.config;
    expect(await s.machine.validate(flash)).toEqual({ ok: true, errors: [] });
    const bad = await s.machine.validate({ ...flash, nodes: 0 });
    expect(bad.ok).toBe(false);
    expect(bad.errors.map((e) => e.path)).toContain('nodes');
    const ex = await s.experiment.validate({ name: 'x', machine: 'flash-4x2', mode: 'warp', programs: ['a.s'] });
    expect(ex.errors.map((e) => e.path)).toContain('mode');
  });
});
