// Issue #11.4: run admission is atomic and run records never overwrite each other.
// 20 concurrent runs.start calls over the web host's WebSocket API start at most MAX_ACTIVE_RUNS
// runs (the rest are refused with E_BUSY), and every saved record is its own file — also when
// many records are saved in the same millisecond, by one host or by two on the same workspace.
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunRecord } from '../../src/core/experiment/record';
import { MAX_ACTIVE_RUNS, saveRunRecord } from '../../src/main/run/manager';
import { startWebHost, type WebHost } from '../../src/main/web/host';
import { Workspace } from '../../src/main/workspace/workspace';
import type { HostFrame, RunFinished } from '../../src/shared/api';
import { buildRunWorker, tempDir } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');
let workerPath = '';
beforeAll(async () => { workerPath = await buildRunWorker(); }, 60_000);

let host: WebHost | undefined;
afterEach(async () => { await host?.close(); host = undefined; });

function workspace(): string {
  const ws = tempDir();
  cpSync(join(ROOT, 'resources/examples'), ws, { recursive: true });
  mkdirSync(join(ws, 'runs'), { recursive: true });
  return ws;
}

/** A WebSocket client: call(method, args) → envelope; events collected. */
async function client(h: WebHost) {
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}/rpc`, { origin: h.url.slice(0, -1) });
  await new Promise((ok, no) => { ws.on('open', ok); ws.on('error', no); });
  let id = 0;
  const pending = new Map<number, (f: HostFrame) => void>();
  const finished: RunFinished[] = [];
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as HostFrame;
    if (f.t === 'result') pending.get(f.id)?.(f);
    else if (f.name === 'onRunFinished') finished.push(f.payload as RunFinished);
  });
  const call = (method: string, args: unknown[]) => new Promise<HostFrame & { t: 'result' }>((ok) => {
    const n = ++id;
    pending.set(n, ok as (f: HostFrame) => void);
    ws.send(JSON.stringify({ t: 'call', id: n, method, args }));
  });
  return { ws, call, finished };
}

describe('run admission (web host, WebSocket API)', () => {
  it('20 concurrent runs.start: at most the limit run, the rest get E_BUSY, every record is its own file', async () => {
    const dir = workspace();
    host = await startWebHost({ workspace: dir, rendererDir: join(dir, 'no-renderer'), port: 0, watch: false, log: () => {}, runWorker: workerPath });
    const c = await client(host);
    let maxActive = 0;
    const poll = setInterval(() => void c.call('runs.active', []).then((f) => { if (f.env.ok) maxActive = Math.max(maxActive, (f.env.value as unknown[]).length); }), 5);
    try {
      let started = 0;
      // Three waves of 20 concurrent starts, each after the previous wave's runs finished.
      for (let wave = 0; wave < 3; wave++) {
        const results = await Promise.all(Array.from({ length: 20 }, () => c.call('runs.start', ['experiments/bare-hello.json'])));
        const ok = results.filter((r) => r.env.ok);
        const refused = results.filter((r) => !r.env.ok);
        expect(ok.length).toBeGreaterThan(0);
        expect(ok.length).toBeLessThanOrEqual(MAX_ACTIVE_RUNS);
        for (const r of refused) expect(r.env).toMatchObject({ ok: false, error: { code: 'E_BUSY' } });
        started += ok.length;
        await expect.poll(() => c.finished.length, { timeout: 60_000, interval: 20 }).toBe(started);
      }
      expect(maxActive).toBeLessThanOrEqual(MAX_ACTIVE_RUNS);
      expect(c.finished.every((f) => f.ok)).toBe(true);
      const paths = c.finished.map((f) => f.path!);
      expect(new Set(paths).size).toBe(started);
      const files = readdirSync(join(dir, 'runs')).filter((f) => f.endsWith('.json'));
      expect(files.length).toBe(started);
      expect(readdirSync(join(dir, 'runs')).filter((f) => f.startsWith('.'))).toEqual([]); // no temp files left
      for (const f of files) expect(JSON.parse(readFileSync(join(dir, 'runs', f), 'utf8')).schema).toBe('disco-lab/run@1');
    } finally {
      clearInterval(poll);
      c.ws.close();
    }
  }, 180_000);

  it('a refused start leaves no slot taken: a start after an invalid experiment still runs', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'experiments/bad.json'), '{"name":"bad"}');
    host = await startWebHost({ workspace: dir, rendererDir: join(dir, 'no-renderer'), port: 0, watch: false, log: () => {}, runWorker: workerPath });
    const c = await client(host);
    const bad = await Promise.all(Array.from({ length: 10 }, () => c.call('runs.start', ['experiments/bad.json'])));
    expect(bad.every((r) => !r.env.ok && ['E_INVALID_INPUT', 'E_BUSY'].includes(r.env.error.code))).toBe(true);
    const good = await c.call('runs.start', ['experiments/bare-hello.json']);
    expect(good.env.ok).toBe(true);
    await expect.poll(() => c.finished.length, { timeout: 60_000, interval: 20 }).toBe(1);
    c.ws.close();
  }, 120_000);
});

describe('saving run records', () => {
  const record = (i: number) => ({ schema: 'disco-lab/run@1', name: 'same name', seq: i }) as unknown as RunRecord;

  it('20 records saved in the same millisecond get 20 distinct files with their own content', async () => {
    const dir = workspace();
    const ws = new Workspace(dir);
    const now = new Date('2026-11-21T20:31:05.123Z');
    const paths = await Promise.all(Array.from({ length: 20 }, (_, i) => saveRunRecord(ws, record(i), now)));
    expect(new Set(paths).size).toBe(20);
    expect(paths).toContain('runs/same-name-2026-11-21T20-31-05-123Z.json');
    const files = readdirSync(join(dir, 'runs'));
    expect(files.filter((f) => f.startsWith('same-name-')).length).toBe(20);
    expect(files.filter((f) => f.startsWith('.'))).toEqual([]);
    const seqs = paths.map((p) => JSON.parse(readFileSync(join(dir, p), 'utf8')).seq as number);
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('two hosts on the same workspace never overwrite each other, nor an existing file', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'runs/same-name-2026-11-21T20-31-05-123Z.json'), 'mine\n');
    const a = new Workspace(dir), b = new Workspace(dir);
    const now = new Date('2026-11-21T20:31:05.123Z');
    const paths = await Promise.all(Array.from({ length: 20 }, (_, i) => saveRunRecord(i % 2 ? a : b, record(i), now)));
    expect(new Set(paths).size).toBe(20);
    expect(paths).not.toContain('runs/same-name-2026-11-21T20-31-05-123Z.json');
    expect(readFileSync(join(dir, 'runs/same-name-2026-11-21T20-31-05-123Z.json'), 'utf8')).toBe('mine\n');
  });
});
