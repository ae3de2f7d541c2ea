// Debug sessions through the API (issue #17): hosted in worker threads, driven by debug.* with
// validated input, stops and console output as events, the TLB-miss path side by side with the
// twin experiment, typed errors.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceManager } from '../../src/main/service/manager';
import { createLabService } from '../../src/main/service/service';
import { CONTRACT, bindService, createClient } from '../../src/shared/api';
import { buildWorker, codeOf, tempDir } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');
const EX = join(ROOT, 'resources/examples');
const LW = readFileSync(join(EX, 'programs/tlbwalk.s'), 'utf8').split('\n').findIndex((l) => l.includes('lw      $t0, 0($s0)')) + 1;
let debugWorker = '';
beforeAll(async () => { debugWorker = await buildWorker('src/main/debug/worker.ts'); }, 60_000);

function host() {
  const ws = tempDir();
  for (const d of ['programs', 'machines', 'experiments', 'runs']) mkdirSync(join(ws, d), { recursive: true });
  cpSync(join(EX, 'programs/tlbwalk.s'), join(ws, 'programs/tlbwalk.s'));
  for (const m of ['native', 'disco']) cpSync(join(EX, `experiments/tlb-miss-walkthrough-${m}.json`), join(ws, `experiments/tlb-miss-walkthrough-${m}.json`));
  for (const m of ['denali', 'disco']) cpSync(join(EX, `experiments/service-${m}-4vm.json`), join(ws, `experiments/service-${m}-4vm.json`));
  writeFileSync(join(ws, 'experiments/alone-disco.json'), readFileSync(join(EX, 'experiments/tlb-miss-walkthrough-disco.json'), 'utf8'));
  const events: { name: string; payload: unknown }[] = [];
  const emit = ((name: string, payload: unknown) => events.push({ name, payload })) as never;
  const service = createLabService(new WorkspaceManager(ws, () => {}, false), { host: 'web', version: '0', emit, debugWorker });
  const dispatch = bindService(CONTRACT, service);
  const api = createClient(CONTRACT, { call: (m: string, args: unknown[]) => dispatch(m, args), subscribe: () => () => {} });
  return { api, events, dispatch, ws };
}

describe('debug.* (sessions in worker threads)', () => {
  it('breaks on a line of a user program under Disco, reads registers, CP0 and the pmap, traces the miss beside the native one, steps back and forward', async () => {
    const { api, events } = await Promise.resolve(host());
    const s = await api.debug.start('experiments/tlb-miss-walkthrough-disco.json');
    expect(s).toMatchObject({ mode: 'disco', twin: 'experiments/tlb-miss-walkthrough-native.json', vms: [{ id: 0, name: 'vm0' }] });
    expect(s.threads[0]).toMatchObject({ ref: { vcpu: 0 } });
    expect(s.files.some((f) => f.endsWith('tlbwalk.s'))).toBe(true);
    const bp = await api.debug.setBreakpoint(s.sessionId, { kind: 'line', file: 'programs/tlbwalk.s', line: LW });
    expect(bp.line).toBe(LW);
    const stop = await api.debug.continue(s.sessionId);
    expect(stop).toMatchObject({ reason: 'breakpoint', thread: { vcpu: 0 }, breakpoint: bp.id });
    expect(events.some((e) => e.name === 'onDebugStopped')).toBe(true);
    expect(events.some((e) => e.name === 'onDebugOutput' && String((e.payload as { text: string }).text).includes('booting'))).toBe(true);
    const st = await api.debug.state(s.sessionId, { vcpu: 0 });
    expect(st.registers.pc).toBe(bp.addr);
    expect(st.registers.mode).toBe('user');
    expect(st.cp0.hardware).not.toBeNull();
    expect(st.location).toMatchObject({ line: LW });
    expect(st.source?.lines[st.source.current - st.source.first]).toContain('lw');
    expect(st.disasm.find((d) => d.current)?.text).toMatch(/^lw/);
    const pm = await api.debug.read(s.sessionId, { what: 'pmap', vm: 0, from: 0, count: 64 });
    expect(pm.what === 'pmap' && pm.entries.some((e) => e.mpn >= 0)).toBe(true);
    const mem = await api.debug.read(s.sessionId, { what: 'memory', space: 'virtual', thread: { vcpu: 0 }, addr: bp.addr!, length: 4 });
    expect(mem.what === 'memory' && mem.bytes).toHaveLength(4);

    const cmp = await api.debug.compareMiss(s.sessionId, { vcpu: 0 });
    expect(cmp.experiments).toEqual({ native: 'experiments/tlb-miss-walkthrough-native.json', disco: 'experiments/tlb-miss-walkthrough-disco.json' });
    expect(cmp.native.faultPc).toBe(cmp.disco.faultPc);
    expect(cmp.native.vaddr >>> 12).toBe(cmp.disco.vaddr >>> 12);
    expect(cmp.native.outcome).toBe('refill');
    expect(cmp.disco.steps.some((x) => x.action === 'l2tlb-probe')).toBe(true);
    expect(cmp.disco.totalCycles).toBeGreaterThan(cmp.native.totalCycles);

    const before = await api.debug.state(s.sessionId, { vcpu: 0 });
    expect((await api.debug.stepBack(s.sessionId, { vcpu: 0 }, 100)).reason).toBe('step');
    expect((await api.debug.state(s.sessionId, { vcpu: 0 })).instructions).toBe(before.instructions - 100);
    await api.debug.stepForward(s.sessionId, { vcpu: 0 }, 100);
    const after = await api.debug.state(s.sessionId, { vcpu: 0 });
    expect(after.registers).toEqual(before.registers);
    expect(after.instructions).toBe(before.instructions);

    await api.debug.removeBreakpoint(s.sessionId, bp.id);
    expect((await api.debug.continue(s.sessionId)).reason).toBe('end');
    expect((await api.debug.sessions())[0]).toMatchObject({ sessionId: s.sessionId, state: 'ended' });
    await api.debug.end(s.sessionId);
    expect(await api.debug.sessions()).toEqual([]);
    expect(events.some((e) => e.name === 'onDebugEnded')).toBe(true);
  }, 120_000);

  it('typed errors: bad input, unknown sessions, the debugger\'s refusals', async () => {
    const { api, dispatch } = host();
    expect(await codeOf(api.debug.start('experiments/none.json'))).toBe('E_NOT_FOUND');
    expect(await codeOf(api.debug.start('../outside.json'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(api.debug.continue('dbg-99'))).toBe('E_NO_SESSION');
    // what snapshots cannot hold: a Denali run, the load generator's clients of a Disco run
    expect(await codeOf(api.debug.start('experiments/service-denali-4vm.json'))).toBe('E_UNSUPPORTED');
    expect(await api.debug.start('experiments/service-disco-4vm.json').catch((x: unknown) => x)).toMatchObject({ code: 'E_UNSUPPORTED', message: expect.stringContaining('`load`') });
    const s = await api.debug.start('experiments/tlb-miss-walkthrough-native.json');
    const bad = async (m: string, args: unknown[]) => { const r = await dispatch(m, args); return r.ok ? 'ok' : r.error.code; };
    expect(await bad('debug.step', [s.sessionId, { cpu: -1 }])).toBe('E_INVALID_INPUT');
    expect(await bad('debug.step', [s.sessionId, { cpu: 0, vcpu: 1 }])).toBe('E_INVALID_INPUT');
    expect(await bad('debug.setBreakpoint', [s.sessionId, { kind: 'line', file: 'x.s', line: 0 }])).toBe('E_INVALID_INPUT');
    expect(await bad('debug.setBreakpoint', [s.sessionId, { kind: 'monitor', event: 'a b' }])).toBe('E_INVALID_INPUT');
    expect(await bad('debug.read', [s.sessionId, { what: 'memory', space: 'machine', addr: 0, length: 1e9 }])).toBe('E_INVALID_INPUT');
    expect(await bad('debug.read', [s.sessionId, { what: 'registers' }])).toBe('E_INVALID_INPUT');
    expect(await bad('debug.start', ['experiments/x.json', { snapshotEvery: -1 }])).toBe('E_INVALID_INPUT');
    // refused by the debugger: typed, with its own code
    const e = await api.debug.step(s.sessionId, { cpu: 7 }).catch((x: unknown) => x as { code: string; message: string });
    expect(e).toMatchObject({ code: 'E_DEBUG', message: expect.stringMatching(/^E_NO_THREAD: /) });
    expect(await codeOf(api.debug.read(s.sessionId, { what: 'pmap', vm: 0 }))).toBe('E_DEBUG');
    expect(await codeOf(api.debug.setBreakpoint(s.sessionId, { kind: 'line', file: 'programs/tlbwalk.s', line: 100000 }))).toBe('E_DEBUG');
    // no twin beside alone-disco.json
    const a = await api.debug.start('experiments/alone-disco.json');
    expect(a.twin).toBeNull();
    expect(await codeOf(api.debug.compareMiss(a.sessionId, { vcpu: 0 }))).toBe('E_DEBUG');
    // pause of a running session: the run stops with reason "pause" (the session's end would be "end")
    const running = api.debug.continue(s.sessionId);
    await api.debug.pause(s.sessionId);
    expect(['pause', 'end']).toContain((await running).reason);
    await api.debug.end(s.sessionId);
    await api.debug.end(a.sessionId);
    expect(await codeOf(api.debug.state(s.sessionId, { cpu: 0 }))).toBe('E_NO_SESSION');
  }, 120_000);
  it('reverse continue, the inspector panes\' reads, and snapshot files: saved atomically in the workspace, confined, loaded back; another experiment\'s refused', async () => {
    const { api, dispatch, ws } = host();
    const s = await api.debug.start('experiments/tlb-miss-walkthrough-disco.json');
    const bp = await api.debug.setBreakpoint(s.sessionId, { kind: 'line', file: 'programs/tlbwalk.s', line: LW });
    await api.debug.continue(s.sessionId);
    const first = await api.debug.state(s.sessionId, { vcpu: 0 });
    await api.debug.continue(s.sessionId);
    const second = await api.debug.state(s.sessionId, { vcpu: 0 });
    expect(second.instructions).toBeGreaterThan(first.instructions);

    // the inspector panes' reads
    const mm = await api.debug.read(s.sessionId, { what: 'memmap', from: 0, count: 64 });
    expect(mm.what === 'memmap' && mm.entries[0].ownerName).toBe('monitor');
    const heat = await api.debug.read(s.sessionId, { what: 'missHeat', from: 0, count: 32 });
    expect(heat.what === 'missHeat' && heat.rows).toHaveLength(32);
    const caches = await api.debug.read(s.sessionId, { what: 'caches' });
    expect(caches.what === 'caches' && caches.cpus[0].model).toBe('timing');
    const hw = await api.debug.read(s.sessionId, { what: 'hardwareTlb', cpu: 0 });
    expect(hw.what === 'hardwareTlb' && hw.entries.filter((e) => e.valid0 || e.valid1).every((e) => e.owner?.vm === 0)).toBe(true);
    const bad = async (m: string, args: unknown[]) => { const r = await dispatch(m, args); return r.ok ? 'ok' : r.error.code; };
    expect(await bad('debug.read', [s.sessionId, { what: 'missHeat', count: 5000 }])).toBe('E_INVALID_INPUT');
    expect(await bad('debug.read', [s.sessionId, { what: 'caches', cpu: 1 }])).toBe('E_INVALID_INPUT');

    // save here; reverse continue to the first hit; load the file: back at the second
    const saved = await api.debug.saveSnapshot(s.sessionId, 'snapshots/second-hit.dlsnap');
    expect(saved).toMatchObject({ path: 'snapshots/second-hit.dlsnap', kind: 'file' });
    expect(readFileSync(join(ws, 'snapshots/second-hit.dlsnap')).subarray(0, 8).toString()).toBe('DLSNAP01');
    expect(readdirSync(join(ws, 'snapshots'))).toEqual(['second-hit.dlsnap']);   // no temp file left
    const back = await api.debug.reverseContinue(s.sessionId);
    expect(back).toMatchObject({ reason: 'breakpoint', breakpoint: bp.id });
    expect((await api.debug.state(s.sessionId, { vcpu: 0 })).registers).toEqual(first.registers);
    expect((await api.debug.state(s.sessionId, { vcpu: 0 })).instructions).toBe(first.instructions);
    expect(await api.debug.loadSnapshot(s.sessionId, 'snapshots/second-hit.dlsnap')).toMatchObject({ reason: 'snapshot' });
    const loadedState = await api.debug.state(s.sessionId, { vcpu: 0 });
    expect(loadedState.registers).toEqual(second.registers);
    expect(loadedState.instructions).toBe(second.instructions);

    // confinement and names: never outside the workspace, only .dlsnap files
    expect(await bad('debug.saveSnapshot', [s.sessionId, '../outside.dlsnap'])).toBe('E_PATH_ESCAPE');
    expect(existsSync(join(ws, '../outside.dlsnap'))).toBe(false);
    expect(await bad('debug.saveSnapshot', [s.sessionId, '/tmp/abs.dlsnap'])).toBe('E_PATH_ESCAPE');
    expect(await bad('debug.saveSnapshot', [s.sessionId, 'runs/x.json'])).toBe('E_INVALID_INPUT');
    expect(await bad('debug.loadSnapshot', [s.sessionId, 'snapshots/none.dlsnap'])).toBe('E_NOT_FOUND');
    symlinkSync('/etc', join(ws, 'etc-link'));
    expect(await bad('debug.loadSnapshot', [s.sessionId, 'etc-link/x.dlsnap'])).toBe('E_PATH_ESCAPE');
    writeFileSync(join(ws, 'snapshots/garbage.dlsnap'), 'not a snapshot');
    const g = await api.debug.loadSnapshot(s.sessionId, 'snapshots/garbage.dlsnap').catch((x: unknown) => x as { code: string; message: string });
    expect(g).toMatchObject({ code: 'E_DEBUG', message: expect.stringMatching(/^E_SNAPSHOT: /) });

    // the native twin refuses the Disco session's snapshot, with a clear error; its machine is untouched
    const n = await api.debug.start('experiments/tlb-miss-walkthrough-native.json');
    const n0 = await api.debug.state(n.sessionId, { cpu: 0 });
    const e = await api.debug.loadSnapshot(n.sessionId, 'snapshots/second-hit.dlsnap').catch((x: unknown) => x as { code: string; message: string });
    expect(e).toMatchObject({ code: 'E_DEBUG', message: expect.stringMatching(/^E_MISMATCH: the snapshot is of another experiment/) });
    expect((await api.debug.state(n.sessionId, { cpu: 0 })).registers).toEqual(n0.registers);
    await api.debug.end(n.sessionId);
    await api.debug.end(s.sessionId);
  }, 120_000);
});
