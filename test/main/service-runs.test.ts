// Runs belong to the host (issue #12.4): a window that connects while a run executes lists it
// through runs.active() — with its last progress and console so far — follows it and stops it.
// Also: the start is announced at once, and a broken experiment's error names its file once.
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceManager } from '../../src/main/service/manager';
import { createLabService } from '../../src/main/service/service';
import { CONTRACT, bindService, createClient, type RunFinished, type RunProgress } from '../../src/shared/api';
import { buildRunWorker, tempDir } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');
let workerPath = '';
beforeAll(async () => { workerPath = await buildRunWorker(); }, 60_000);

/** A program that prints a line, then spins until stopped. */
const CHATTY = [
  '        .text', '        .globl __start', '__start:',
  '        lui  $s0, 0xbf00',
  '        lw   $t1, 0x4000($s0)   # CPU id',
  '        bnez $t1, park',
  '        nop',
  '        la   $a0, msg',
  'put:    lbu  $t0, 0($a0)',
  '        beqz $t0, spin',
  '        nop',
  '        sw   $t0, 0($s0)',
  '        addiu $a0, $a0, 1',
  '        b    put',
  '        nop',
  'spin:   b    spin',
  '        nop',
  'park:   wait',
  '        b    park',
  '        nop',
  '        .data',
  'msg:    .asciiz "spinning now\\n"',
].join('\n') + '\n';

function host() {
  const ws = tempDir();
  for (const d of ['programs', 'machines', 'experiments', 'runs']) mkdirSync(join(ws, d), { recursive: true });
  writeFileSync(join(ws, 'programs/chatty.s'), CHATTY);
  writeFileSync(join(ws, 'experiments/chatty.json'), JSON.stringify({ name: 'chatty', machine: 'uma-smp4', machineOverrides: { cpuModel: 'fast' }, mode: 'native', programs: ['../programs/chatty.s'], limits: { maxCycles: 1e14 } }));
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const emit = ((name: string, payload: unknown) => { for (const l of listeners) l(name, payload); }) as never;
  const service = createLabService(new WorkspaceManager(ws, () => {}, false), { host: 'web', version: '0', emit, runWorker: workerPath });
  const dispatch = bindService(CONTRACT, service);
  /** A window: a client over the service, with the events it receives from now on. */
  const connect = () => {
    const events: { name: string; payload: unknown }[] = [];
    const listener = (name: string, payload: unknown) => events.push({ name, payload });
    listeners.add(listener);
    const api = createClient(CONTRACT, { call: (m: string, args: unknown[]) => dispatch(m, args), subscribe: () => () => {} });
    return { api, events, close: () => listeners.delete(listener) };
  };
  return { ws, service, connect };
}

const until = async <T>(f: () => T | undefined, ms = 30_000): Promise<T> => {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('runs belong to the host', () => {
  it('a window that connects later lists the run with its console and last progress, and stops it', async () => {
    const h = host();
    const first = h.connect();
    const { runId } = await first.api.runs.start('experiments/chatty.json');
    // The start is announced before the worker has prepared anything.
    const announced = first.events.find((e) => e.name === 'onRunProgress' && (e.payload as RunProgress).runId === runId);
    expect(announced).toBeDefined();
    expect((announced!.payload as RunProgress).cycles).toBe(0);
    await until(() => first.events.some((e) => e.name === 'onRunProgress' && (e.payload as RunProgress).console.some((c) => c.text.includes('spinning'))));
    await until(() => first.events.filter((e) => e.name === 'onRunProgress' && (e.payload as RunProgress).cycles > 0).length >= 2 || undefined);

    // The first window goes away (a reload); a new one connects.
    first.close();
    const second = h.connect();
    const active = await second.api.runs.active();
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({ runId, experiment: 'experiments/chatty.json', name: 'chatty', state: 'running' });
    expect(active[0].console).toEqual([{ source: 'machine', text: 'spinning now\n' }]);
    expect(active[0].progress!.cycles).toBeGreaterThan(0);
    expect(active[0].progress!.console).toEqual([]);

    // It keeps following the run, and can stop it.
    const before = second.events.length;
    await until(() => second.events.slice(before).some((e) => e.name === 'onRunProgress' && (e.payload as RunProgress).runId === runId));
    await second.api.runs.stop(runId);
    expect((await second.api.runs.active())[0]?.state ?? 'gone').toMatch(/stopping|gone/);
    const fin = await until(() => second.events.find((e) => e.name === 'onRunFinished')?.payload as RunFinished | undefined);
    expect(fin).toMatchObject({ runId, ok: true, partial: true, reason: 'stopped' });
    expect(await second.api.runs.active()).toEqual([]);
    // A run slot is free again: a new run starts.
    const again = await second.api.runs.start('experiments/chatty.json');
    await second.api.runs.stop(again.runId);
    await until(() => second.events.find((e) => e.name === 'onRunFinished' && (e.payload as RunFinished).runId === again.runId));
  });

  it('names a broken experiment once in its error', async () => {
    const h = host();
    writeFileSync(join(h.ws, 'experiments/broken.json'), '{"name": "x", ');
    const { api } = h.connect();
    const err = await api.runs.start('experiments/broken.json').then(() => undefined, (e: { code: string; message: string }) => e);
    expect(err?.code).toBe('E_INVALID_INPUT');
    expect(err!.message.match(/experiments\/broken\.json/g)).toHaveLength(1);
  });
});

describe('schemas, causes and examples for the UI', () => {
  it('serves the machine, experiment and run record schemas and the monitor causes', async () => {
    const { api } = host().connect();
    expect(await api.machine.schema()).toMatchObject({ title: 'Disco Lab machine config', properties: { nodes: { type: 'integer' } } });
    expect(await api.experiment.schema()).toMatchObject({ title: 'Disco Lab experiment' });
    expect(await api.runs.schema()).toMatchObject({ properties: { schema: expect.anything() } });
    const causes = await api.monitor.causes();
    expect(causes.trap).toMatch(/monitor/);
    expect(causes['tlb.l2hit']).toMatch(/second-level/);
  });

  it('lists the shipped examples with one-line descriptions and copies one back without overwriting', async () => {
    const h = host();
    const { api } = h.connect();
    const list = await api.examples.list();
    expect(list.length).toBeGreaterThan(0);
    const hello = list.find((e) => e.path === 'experiments/bare-hello.json')!;
    expect(hello).toMatchObject({ name: 'bare-hello', workload: 'bare-hello', mode: 'native', inWorkspace: false });
    expect(hello.summary).toMatch(/^Bare-metal multiprocessor hello: each CPU prints.*[.…]$/);
    for (const e of list) expect(e.summary.length).toBeLessThanOrEqual(121);
    const byWorkload = new Set(list.map((e) => e.workload));
    expect(byWorkload.has('bare-hello')).toBe(true);
    // the same service under both monitors is one workload (the Examples dialog runs and compares them)
    expect(list.filter((e) => e.workload === 'service').map((e) => e.mode).sort()).toEqual(['denali', 'disco']);

    await api.examples.copy('experiments/bare-hello.json');
    expect((await api.workspace.read('experiments/bare-hello.json')).content).toContain('"bare-hello"');
    expect((await api.workspace.read('programs/bare-hello.s')).content).toContain('__start');
    expect((await api.examples.list()).find((e) => e.path === 'experiments/bare-hello.json')!.inWorkspace).toBe(true);
    const again = await api.examples.copy('experiments/bare-hello.json').then(() => 'copied', (e: { code: string }) => e.code);
    expect(again).toBe('E_EXISTS');
    const bad = await api.examples.copy('experiments/../../x.json').then(() => 'copied', (e: { code: string }) => e.code);
    expect(bad).toBe('E_NOT_FOUND');
    // A workspace file the example names is never overwritten.
    writeFileSync(join(h.ws, 'programs/bare-hello.s'), 'mine\n');
    await api.workspace.delete('experiments/bare-hello.json');
    await api.examples.copy('experiments/bare-hello.json');
    expect((await api.workspace.read('programs/bare-hello.s')).content).toBe('mine\n');
  });

  it('summarises run records with their workload and machine keys', async () => {
    const h = host();
    cpSync(join(ROOT, 'resources/examples/programs'), join(h.ws, 'programs'), { recursive: true });
    const { api, events } = h.connect();
    writeFileSync(join(h.ws, 'experiments/hello.json'), JSON.stringify({ name: 'hello', machine: 'uma-smp4', machineOverrides: { cpuModel: 'fast' }, mode: 'native', programs: ['../programs/bare-hello.s'] }));
    const { runId } = await api.runs.start('experiments/hello.json');
    await until(() => events.find((e) => e.name === 'onRunFinished' && (e.payload as RunFinished).runId === runId));
    const [s] = await api.runs.list();
    expect(s).toMatchObject({ name: 'hello', mode: 'native', workload: 'bare:bare-hello.s' });
    expect(s.machineKey).toContain('"cpuModel":"fast"');
    expect(s.machineKey).not.toContain('uma-smp4');
    expect(typeof s.hostSeconds).toBe('number');
  });

  it('a persistent disk: the run writes its image back into the workspace, atomically, and says so', async () => {
    const h = host();
    const { api, events } = h.connect();
    writeFileSync(join(h.ws, 'programs/writer.s'), '.set WRITER, 1\n' + readFileSync(join(ROOT, 'test/fixtures/disco/cow.s'), 'utf8'));
    const img = new Uint8Array(64 * 1024); new DataView(img.buffer).setUint32(0, 0x0a1b2c3d);
    writeFileSync(join(h.ws, 'experiments/p.img'), img);
    writeFileSync(join(h.ws, 'experiments/persist.json'), JSON.stringify({ name: 'persist', machine: 'flash-4x2', machineOverrides: { nodes: 1, cpusPerNode: 1, cpuModel: 'fast' }, mode: 'disco', vms: [{ name: 'w', memoryMB: 1, kernel: '../programs/writer.s', disk: { image: 'p.img', persistent: true } }], limits: { maxCycles: 200_000_000 } }));
    const { runId } = await api.runs.start('experiments/persist.json');
    const fin = await until(() => events.find((e) => e.name === 'onRunFinished' && (e.payload as RunFinished).runId === runId)?.payload as RunFinished | undefined);
    expect(fin.ok, JSON.stringify(fin)).toBe(true);
    expect(new DataView(new Uint8Array(readFileSync(join(h.ws, 'experiments/p.img'))).buffer).getUint32(0)).toBe(0x4d41524b);
    const notes = events.filter((e) => e.name === 'onRunProgress').flatMap((e) => (e.payload as RunProgress).console).filter((c) => c.source === 'host').map((c) => c.text).join('');
    expect(notes).toContain('experiments/p.img: 8 sector(s) written by w (persistent disk), saved');
    expect(readdirSync(join(h.ws, 'experiments')).filter((f) => f.startsWith('.'))).toEqual([]);   // no temp file left
  }, 60_000);
});
