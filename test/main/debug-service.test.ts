// Debug sessions through the API (issue #17): hosted in worker threads, driven by debug.* with
// validated input, stops and console output as events, the TLB-miss path side by side with the
// twin experiment, typed errors.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  writeFileSync(join(ws, 'experiments/alone-disco.json'), readFileSync(join(EX, 'experiments/tlb-miss-walkthrough-disco.json'), 'utf8'));
  const events: { name: string; payload: unknown }[] = [];
  const emit = ((name: string, payload: unknown) => events.push({ name, payload })) as never;
  const service = createLabService(new WorkspaceManager(ws, () => {}, false), { host: 'web', version: '0', emit, debugWorker });
  const dispatch = bindService(CONTRACT, service);
  const api = createClient(CONTRACT, { call: (m: string, args: unknown[]) => dispatch(m, args), subscribe: () => () => {} });
  return { api, events, dispatch };
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
});
