// Labs in the workbench host (issue #14.4): labs.list / result / run / stop / active / record /
// schema through the API boundary (bindService + createClient), with the run worker bundled.
// A small lab (bare-hello on 1, 2 and 4 CPUs) runs in seconds: progress events carry the view,
// the records are cached in the workspace's .disco-lab/cache (hidden from listings and the
// watcher) and saved under runs/<lab>/, and a second look comes from the cache without running.
// Labs share the host's run budget with experiment runs (MAX_ACTIVE_RUNS slots).
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_ACTIVE_RUNS } from '../../src/main/run/manager';
import { WorkspaceManager } from '../../src/main/service/manager';
import { createLabService } from '../../src/main/service/service';
import { pointRecordPath, pointStem } from '../../src/main/labs/manager';
import { CONTRACT, bindService, createClient, type LabFinished, type LabProgressEvent, type RunFinished, type WorkspaceChange } from '../../src/shared/api';
import { buildRunWorker, codeOf, tempDir } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');
let workerPath = '';
beforeAll(async () => { workerPath = await buildRunWorker(); }, 60_000);

/** bare-hello on 1, 2, 4 CPUs of one node, with "paper" values beside two of them. */
export const HELLO_LAB = {
  name: 'hello-cpus', title: 'bare-hello by CPUs', description: 'A token passes through every CPU.', source: 'made up for the tests',
  sweep: { template: '../experiments/bare-hello.json', params: { cpus: [1, 2, 4] }, set: { machineOverrides: { nodes: 1, cpusPerNode: '{cpus}', cpuModel: 'fast' } } },
  metrics: { cycles: '/cycles', kernel: '/totals/buckets/kernel', idle: '/totals/buckets/idle', total: ['/totals/buckets/kernel', '/totals/buckets/idle', '/totals/buckets/user'] },
  figure: { type: 'stacked-bars', x: 'cpus', values: ['kernel', 'idle'], normalize: { where: { cpus: 1 }, metric: 'total', scale: 100 }, unit: '% of the 1-CPU run' },
  paper: [{ at: { cpus: 1 }, values: { kernel: 98, idle: 2, total: 100 } }, { at: { cpus: 4 }, values: { kernel: 380, idle: 1100, total: 1480 } }],
  checks: [
    { name: 'more CPUs take longer', explanation: 'the token passes through every CPU in turn', kind: 'increasing', along: 'cpus', metric: 'cycles' },
    { name: 'idle grows with the CPUs', explanation: 'CPUs wait for the token', kind: 'greater', left: { at: { cpus: 4 }, metric: 'idle' }, right: { at: { cpus: 1 }, metric: 'idle' } },
  ],
};

/** A program that spins until stopped (for stop and budget tests). */
const SPIN = ['        .text', '        .globl __start', '__start:', 'spin:   b    spin', '        nop'].join('\n') + '\n';

function host(opts: { watch?: boolean } = {}) {
  const ws = tempDir();
  for (const d of ['programs', 'machines', 'experiments', 'runs', 'labs']) mkdirSync(join(ws, d), { recursive: true });
  cpSync(join(ROOT, 'resources/examples/programs/bare-hello.s'), join(ws, 'programs/bare-hello.s'));
  cpSync(join(ROOT, 'resources/examples/experiments/bare-hello.json'), join(ws, 'experiments/bare-hello.json'));
  writeFileSync(join(ws, 'labs/hello-cpus.json'), JSON.stringify(HELLO_LAB, null, 2));
  writeFileSync(join(ws, 'programs/spin.s'), SPIN);
  writeFileSync(join(ws, 'experiments/spin.json'), JSON.stringify({ name: 'spin', machine: 'uma-smp4', machineOverrides: { cpuModel: 'fast', nodes: 1, cpusPerNode: 1 }, mode: 'native', programs: ['../programs/spin.s'], limits: { maxCycles: 1e14 } }));
  writeFileSync(join(ws, 'labs/spin.json'), JSON.stringify({
    name: 'spin', title: 'Spins until stopped', sweep: { template: '../experiments/spin.json', params: { seed: [1, 2, 3] }, set: { seed: '{seed}' } },
    metrics: { cycles: '/cycles' }, figure: { type: 'bars', x: 'seed', values: ['cycles'] }, checks: [],
  }));
  const events: { name: string; payload: unknown }[] = [];
  const emit = ((name: string, payload: unknown) => events.push({ name, payload })) as never;
  const manager = new WorkspaceManager(ws, emit, opts.watch ?? false);
  const service = createLabService(manager, { host: 'web', version: '0', emit, runWorker: workerPath });
  const dispatch = bindService(CONTRACT, service);
  const api = createClient(CONTRACT, { call: (m: string, args: unknown[]) => dispatch(m, args), subscribe: () => () => {} });
  return { ws, api, events, manager };
}

const until = async <T>(f: () => T | undefined | false, ms = 60_000): Promise<T> => {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const finishedOf = (h: ReturnType<typeof host>, id: string) => until(() => h.events.find((e) => e.name === 'onLabFinished' && (e.payload as LabFinished).labRunId === id)?.payload as LabFinished | undefined);

describe('labs in the workbench host', () => {
  it('lists the labs with their points; a broken lab with its errors', async () => {
    const h = host();
    writeFileSync(join(h.ws, 'labs/broken.json'), JSON.stringify({ ...HELLO_LAB, name: 'broken', figure: { ...HELLO_LAB.figure, x: 'zz' } }));
    writeFileSync(join(h.ws, 'labs/notes.txt'), 'not a lab');
    const list = await h.api.labs.list();
    expect(list.map((l) => l.path)).toEqual(['labs/broken.json', 'labs/hello-cpus.json', 'labs/spin.json']);
    expect(list[1]).toMatchObject({ name: 'hello-cpus', title: 'bare-hello by CPUs', description: 'A token passes through every CPU.', points: 3, figure: 'stacked-bars', valid: true, errors: [] });
    expect(list[0]).toMatchObject({ name: 'broken', valid: false, points: 0 });
    expect(list[0].errors[0]).toMatch(/labs\/broken\.json: figure\.x: unknown parameter 'zz'/);
    expect(await h.api.labs.schema()).toMatchObject({ title: 'Disco Lab lab' });
  });

  it('runs a lab: progress with the view, records cached (hidden) and under runs/<lab>/, then the result from the cache at once', async () => {
    const h = host({ watch: true });
    const before = await h.api.labs.result('labs/hello-cpus.json');
    expect(before.errors).toEqual([]);
    expect(before.points.map((p) => [p.id, p.cached, p.record])).toEqual([['cpus=1', false, undefined], ['cpus=2', false, undefined], ['cpus=4', false, undefined]]);
    expect(before.result!.missing).toEqual(['cpus=1', 'cpus=2', 'cpus=4']);
    expect(before.points[0].key).toMatch(/^[0-9a-f]{64}$/);

    const started = await h.api.labs.run('labs/hello-cpus.json', { jobs: 2 });
    expect(started).toMatchObject({ labRunId: expect.stringMatching(/^lab-\d+$/), name: 'hello-cpus', total: 3, cached: 0, workers: 2 });
    expect((await h.api.labs.active()).map((a) => a.labRunId)).toContain(started.labRunId);
    const fin = await finishedOf(h, started.labRunId);
    expect(fin).toMatchObject({ ok: true, ran: 3, cached: 0 });
    expect(fin.stopped).toBeUndefined();
    expect(fin.view!.result!.pass).toBe(true);
    expect(fin.view!.result!.checks.map((c) => c.pass)).toEqual([true, true]);
    expect(fin.view!.result!.rows[0].values.total).toBeCloseTo(100);
    const progress = h.events.filter((e) => e.name === 'onLabProgress').map((e) => e.payload as LabProgressEvent);
    expect(progress[0]).toMatchObject({ done: 0, total: 3, cached: 0 });
    expect(progress[0].view!.result!.missing).toHaveLength(3);
    expect(progress.some((p) => p.running.length > 0)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: 3, total: 3 });
    // Later events carry the view as points finish (at most every VIEW_EVERY_MS); the end has it whole.
    for (const p of progress.filter((x) => x.view)) expect(p.view!.result!.missing.length).toBe(3 - p.done);
    expect(await h.api.labs.active()).toEqual([]);

    // Cached in the hidden folder; every record also under runs/hello-cpus/.
    expect(readdirSync(join(h.ws, '.disco-lab/cache')).filter((f) => f.endsWith('.json'))).toHaveLength(3);
    expect(fin.view!.points.map((p) => p.record)).toEqual(fin.view!.points.map((p) => pointRecordPath('hello-cpus', p, p.key)));
    expect(readdirSync(join(h.ws, 'runs/hello-cpus')).sort()).toEqual(fin.view!.points.map((p) => `${pointStem(p)}-${p.key.slice(0, 12)}.json`).sort());
    const tree = await h.api.workspace.list();
    expect(JSON.stringify(tree)).not.toContain('.disco-lab');
    const runs = await h.api.runs.list();
    expect(runs.map((r) => r.path).filter((p) => p.startsWith('runs/hello-cpus/'))).toHaveLength(3);
    expect((await h.api.runs.read(fin.view!.points[2].record!)).cpuCount).toBe(4);
    // The watcher saw the records, never the cache.
    const changed = await until(() => {
      const paths = h.events.filter((e) => e.name === 'onWorkspaceChanged').flatMap((e) => (e.payload as WorkspaceChange).paths);
      return paths.some((p) => p.startsWith('runs/hello-cpus/')) && paths;
    }, 5000);
    expect(changed.filter((p) => p.includes('.disco-lab'))).toEqual([]);
    h.manager.close();

    // Reopened: everything from the cache, no run.
    const t0 = performance.now();
    const again = await h.api.labs.result('labs/hello-cpus.json');
    const ms = performance.now() - t0;
    expect(again.result!.missing).toEqual([]);
    expect(again.result!.checks).toEqual(fin.view!.result!.checks);
    expect(again.points.every((p) => p.cached && p.record)).toBe(true);
    expect(ms).toBeLessThan(2000);
    // Running it again takes no worker and runs nothing.
    const r2 = await h.api.labs.run('labs/hello-cpus.json');
    expect(r2).toMatchObject({ cached: 3, workers: 0 });
    expect(await finishedOf(h, r2.labRunId)).toMatchObject({ ok: true, ran: 0, cached: 3 });

    // A point whose record file was deleted gets it back from the cache.
    rmSync(join(h.ws, again.points[1].record!));
    expect((await h.api.labs.result('labs/hello-cpus.json')).points[1].record).toBeUndefined();
    expect(await h.api.labs.record('labs/hello-cpus.json', 'cpus=2')).toBe(again.points[1].record);
    expect(existsSync(join(h.ws, again.points[1].record!))).toBe(true);
    expect(await codeOf(h.api.labs.record('labs/hello-cpus.json', 'cpus=9'))).toBe('E_NOT_FOUND');

    // Changing one parameter value reruns only the points it changes.
    writeFileSync(join(h.ws, 'labs/hello-cpus.json'), JSON.stringify({ ...HELLO_LAB, sweep: { ...HELLO_LAB.sweep, params: { cpus: [1, 2, 3] } } }));
    const part = await h.api.labs.result('labs/hello-cpus.json');
    expect(part.result!.missing).toEqual(['cpus=3']);
    const r3 = await h.api.labs.run('labs/hello-cpus.json');
    expect(r3).toMatchObject({ cached: 2, workers: 1 });
    expect(await finishedOf(h, r3.labRunId)).toMatchObject({ ok: true, ran: 1, cached: 2 });
  }, 120_000);

  it('stops a lab: running points are dropped, nothing is cached, its run slots are free again', async () => {
    const h = host();
    const s = await h.api.labs.run('labs/spin.json');
    expect(s.workers).toBe(MAX_ACTIVE_RUNS);
    // Both slots are the lab's: an experiment run is refused, naming the lab.
    const busy = await h.api.runs.start('experiments/spin.json').then(() => undefined, (e: { code: string; message: string }) => e);
    expect(busy?.code).toBe('E_BUSY');
    expect(busy?.message).toMatch(/lab spin \(2\)/);
    await until(() => h.events.some((e) => e.name === 'onLabProgress' && (e.payload as LabProgressEvent).running.length === 2));
    await h.api.labs.stop(s.labRunId);
    const fin = await finishedOf(h, s.labRunId);
    expect(fin).toMatchObject({ ok: true, stopped: true, ran: 0 });
    expect(fin.view!.result!.missing).toEqual(['seed=1', 'seed=2', 'seed=3']);
    expect(existsSync(join(h.ws, '.disco-lab/cache')) ? readdirSync(join(h.ws, '.disco-lab/cache')).filter((f) => f.endsWith('.json')) : []).toEqual([]);
    expect(await h.api.labs.active()).toEqual([]);
    const run = await h.api.runs.start('experiments/spin.json');
    await h.api.runs.stop(run.runId);
    await until(() => h.events.find((e) => e.name === 'onRunFinished' && (e.payload as RunFinished).runId === run.runId));
  }, 60_000);

  it('shares the run budget: a lab takes the free slots, needs one to run, and none when everything is cached', async () => {
    const h = host();
    // One experiment run: the lab gets the other slot.
    const one = await h.api.runs.start('experiments/spin.json');
    const lab = await h.api.labs.run('labs/spin.json', { jobs: 2 });
    expect(lab.workers).toBe(1);
    // No slot left for anything else.
    expect(await codeOf(h.api.runs.start('experiments/spin.json'))).toBe('E_BUSY');
    await h.api.labs.stop(lab.labRunId);
    await finishedOf(h, lab.labRunId);
    // Two experiment runs: a lab with points to run is refused at once ...
    const two = await h.api.runs.start('experiments/spin.json');
    const refused = await h.api.labs.run('labs/hello-cpus.json').then(() => undefined, (e: { code: string; message: string }) => e);
    expect(refused?.code).toBe('E_BUSY');
    expect(refused?.message).toMatch(/hello-cpus has 3 points to run/);
    expect(await h.api.labs.active()).toEqual([]);
    for (const r of [one, two]) await h.api.runs.stop(r.runId);
    await until(() => h.events.filter((e) => e.name === 'onRunFinished').length >= 2);
    // ... but once it is cached it runs with no slot, even while both slots are taken.
    const warm = await h.api.labs.run('labs/hello-cpus.json');
    expect((await finishedOf(h, warm.labRunId)).ok).toBe(true);
    const busy = [await h.api.runs.start('experiments/spin.json'), await h.api.runs.start('experiments/spin.json')];
    const cold = await h.api.labs.run('labs/hello-cpus.json');
    expect(cold.workers).toBe(0);
    expect((await finishedOf(h, cold.labRunId)).view!.result!.pass).toBe(true);
    for (const r of busy) await h.api.runs.stop(r.runId);
    await until(() => h.events.filter((e) => e.name === 'onRunFinished').length >= 4);
  }, 120_000);

  it('bad input: a missing or broken lab, a broken experiment, an unknown run, bad options; one run per lab at a time', async () => {
    const h = host();
    expect(await codeOf(h.api.labs.result('labs/nope.json'))).toBe('E_NOT_FOUND');
    expect(await codeOf(h.api.labs.run('labs/nope.json'))).toBe('E_NOT_FOUND');
    expect(await codeOf(h.api.labs.result('../outside.json'))).toBe('E_PATH_ESCAPE');
    writeFileSync(join(h.ws, 'labs/broken.json'), '{"name": ');
    const v = await h.api.labs.result('labs/broken.json');
    expect(v.lab).toBeUndefined();
    expect(v.errors[0]).toMatch(/^labs\/broken\.json: invalid JSON/);
    expect(await codeOf(h.api.labs.run('labs/broken.json'))).toBe('E_INVALID_INPUT');
    // An experiment of the sweep that does not exist: the lab is shown, its errors name the point.
    writeFileSync(join(h.ws, 'labs/gap.json'), JSON.stringify({ ...HELLO_LAB, name: 'gap', sweep: { ...HELLO_LAB.sweep, template: '../experiments/missing-{cpus}.json' } }));
    const gap = await h.api.labs.result('labs/gap.json');
    expect(gap.lab?.name).toBe('gap');
    expect(gap.errors[0]).toMatch(/point cpus=1: .*missing-1\.json/);
    expect(await codeOf(h.api.labs.stop('lab-99'))).toBe('E_NO_RUN');
    expect(await codeOf(h.api.labs.stop('run-1' as never))).toBe('E_INVALID_INPUT');
    expect(await codeOf(h.api.labs.run('labs/hello-cpus.json', { jobs: 0 }))).toBe('E_INVALID_INPUT');
    expect(await codeOf(h.api.labs.run('labs/hello-cpus.json', { jobs: 1, extra: 1 } as never))).toBe('E_INVALID_INPUT');
    const a = await h.api.labs.run('labs/spin.json');
    expect(await codeOf(h.api.labs.run('labs/spin.json'))).toBe('E_BUSY');
    await h.api.labs.stop(a.labRunId);
    await finishedOf(h, a.labRunId);
  }, 60_000);
});
