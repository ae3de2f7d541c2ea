// Run workers kept between runs (src/main/run/pool.ts): a reused worker gives the record a new
// one gives (apart from the host's timing), a worker that was killed, crashed or could not be sent
// its input is never reused, a run's error leaves its worker usable, and idle workers end after
// `idleMs` or at `close()`.
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/core/experiment/load';
import type { RunRecord } from '../../src/core/experiment/record';
import { RunWorkerPool, type PoolFinal } from '../../src/main/run/pool';
import type { WorkerInput, WorkerMessage } from '../../src/main/run/protocol';
import { fileSystemSource } from '../../src/main/run/sources';
import { buildRunWorker } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');
let workerPath = '';
beforeAll(async () => { workerPath = await buildRunWorker(); }, 60_000);

let pool: RunWorkerPool | undefined;
afterEach(async () => { await pool?.close(); pool = undefined; });

async function input(experiment: string, patch: (e: Record<string, unknown>) => void = () => {}): Promise<WorkerInput> {
  const src = fileSystemSource(ROOT, join(ROOT, 'resources'));
  const file = `resources/examples/experiments/${experiment}.json`;
  const patched = { ...src, readText: async (p: string) => { const t = await src.readText(p); if (p !== file) return t; const e = JSON.parse(t); patch(e); return JSON.stringify(e); } };
  const l = await loadExperiment(patched, file);
  if (!l.ok) throw new Error(JSON.stringify(l.errors));
  const { resolved, inputs } = l.value;
  return { resolved, programs: inputs.programs, diskImage: inputs.diskImage, vms: inputs.vms, guest: inputs.guest, stop: new SharedArrayBuffer(4), progressMs: 60_000 };
}

/** A record without its host fields (the only part that may differ between two runs). */
const sim = (r: RunRecord) => JSON.stringify({ ...r, host: null });

const record = (f: PoolFinal): RunRecord => {
  if (f.type !== 'done') throw new Error(`expected a record, got ${JSON.stringify(f)}`);
  return f.record;
};

describe('run worker pool', () => {
  it('runs experiments one after another on one warm worker, with the records a new worker gives', async () => {
    pool = new RunWorkerPool(workerPath, { keep: 1 });
    const exp = await input('database-disco-1cpu-1vm', (e) => { e.machineOverrides = { cpuModel: 'fast' }; });
    const first = record(await pool.run(exp).done);
    expect(pool.idleCount).toBe(1);
    const second = record(await pool.run({ ...exp, stop: new SharedArrayBuffer(4) }).done);
    const bare = record(await pool.run(await input('bare-hello')).done);
    expect(pool.started).toBe(1);
    expect(first.status.reason).toBe('exit');
    expect(sim(second)).toBe(sim(first));
    expect(bare.status.reason).toBe('exit');
    // and a worker of its own (a fresh isolate) gives the same record again
    const fresh = new RunWorkerPool(workerPath, { keep: 0 });
    const third = record(await fresh.run({ ...exp, stop: new SharedArrayBuffer(4) }).done);
    expect(fresh.started).toBe(1);
    expect(sim(third)).toBe(sim(first));
  }, 120_000);

  it('streams every message of a run and ends it with done', async () => {
    pool = new RunWorkerPool(workerPath, { keep: 1 });
    const seen: WorkerMessage['type'][] = [];
    const f = await pool.run({ ...(await input('bare-hello')), progressMs: 0 }, (m) => seen.push(m.type)).done;
    expect(f.type).toBe('done');
    expect(seen.at(-1)).toBe('done');
    expect(seen).toContain('progress');
  }, 60_000);

  it('a run stopped by its flag ends with a partial record and leaves the worker usable', async () => {
    pool = new RunWorkerPool(workerPath, { keep: 1 });
    const exp = await input('pmake-native-1cpu');
    const stop = new Int32Array(exp.stop);
    const job = pool.run({ ...exp, progressMs: 0 }, (m) => { if (m.type === 'progress' && m.cycles > 0) Atomics.store(stop, 0, 1); });
    const r = record(await job.done);
    expect(r.partial).toBe(true);
    expect(r.status.reason).toBe('stopped');
    expect(record(await pool.run(await input('bare-hello')).done).status.reason).toBe('exit');
    expect(pool.started).toBe(1);
  }, 60_000);

  it('a killed run ends as died, and its worker is not reused', async () => {
    pool = new RunWorkerPool(workerPath, { keep: 1 });
    const job = pool.run(await input('pmake-native-1cpu'));
    job.kill();
    expect(await job.done).toEqual({ type: 'died', message: 'stopped' });
    expect(pool.idleCount).toBe(0);
    expect(record(await pool.run(await input('bare-hello')).done).status.reason).toBe('exit');
    expect(pool.started).toBe(2);
  }, 60_000);

  it('a run that fails to prepare reports its errors, and its worker takes the next run', async () => {
    pool = new RunWorkerPool(workerPath, { keep: 1 });
    const good = await input('bare-hello');
    const bad: WorkerInput = { ...good, programs: [{ source: { path: 'broken.s', text: '  addiu $t0, $t0\n' } }] };
    const f = await pool.run(bad).done;
    expect(f.type).toBe('error');
    expect(f.type === 'error' && f.errors.map((e) => e.message).join(' ')).toMatch(/broken\.s:1:/);
    expect(record(await pool.run(good).done).status.reason).toBe('exit');
    expect(pool.started).toBe(1);
  }, 60_000);

  it('an input that cannot be sent to a worker ends as died, and that worker is not kept', async () => {
    pool = new RunWorkerPool(workerPath, { keep: 1 });
    const bad = { ...(await input('bare-hello')), progressMs: (() => 0) as unknown as number };
    const f = await pool.run(bad).done;
    expect(f.type).toBe('died');
    expect(f.type === 'died' && f.message).toMatch(/cannot send the run to its worker/);
    expect(pool.idleCount).toBe(0);
    expect(record(await pool.run(await input('bare-hello')).done).status.reason).toBe('exit');
  }, 60_000);

  it('keeps at most `keep` idle workers, ends them after idleMs, and at close', async () => {
    pool = new RunWorkerPool(workerPath, { keep: 1, idleMs: 200 });
    const exp = await input('bare-hello');
    // two at once: two workers; only one is kept afterwards
    const [a, b] = await Promise.all([pool.run(exp).done, pool.run({ ...exp, stop: new SharedArrayBuffer(4) }).done]);
    expect([a.type, b.type]).toEqual(['done', 'done']);
    expect(pool.started).toBe(2);
    expect(pool.idleCount).toBe(1);
    await new Promise((ok) => setTimeout(ok, 600));
    expect(pool.idleCount).toBe(0);
    const kept = new RunWorkerPool(workerPath, { keep: 1 });
    await kept.run(exp).done;
    expect(kept.idleCount).toBe(1);
    await kept.close();
    expect(kept.idleCount).toBe(0);
  }, 60_000);
});
