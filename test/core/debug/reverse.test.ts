/**
 * Reverse continue and snapshot files (issue #17): back to the previous hit of a line breakpoint
 * under Disco by restore + replay, and forward again to the same machine (every byte of it);
 * a saved `.dlsnap` loads back into a session of the same experiment only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DebugSession } from '../../../src/core/debug/session';
import { DebugError } from '../../../src/core/debug/errors';
import { experimentLineTables } from '../../../src/core/debug/programs';
import { snapshot } from '../../../src/core/snapshot/machine';
import { encodeSnapshot } from '../../../src/core/snapshot/codec';
import { loaded, ROOT, simulated, state } from '../snapshot/helpers';

const LW = readFileSync(join(ROOT, 'resources/examples/programs/tlbwalk.s'), 'utf8').split('\n').findIndex((l) => l.includes('lw      $t0, 0($s0)')) + 1;
const T = { vcpu: 0 };

async function disco(identity = 'walkthrough') {
  const l = await loaded('tlb-miss-walkthrough-disco');
  const p = l.fresh();
  const s = new DebugSession(p, { lines: experimentLineTables(l.resolved, l.inputs), limits: l.resolved.limits, snapshotEvery: 100_000, identity });
  return { s, p, l };
}

function errCode(f: () => unknown): string {
  try { f(); } catch (e) { return e instanceof DebugError ? e.code : (e as Error).name; }
  return 'none';
}

describe('reverse continue', () => {
  it('goes back to the previous hit of a line breakpoint under Disco, and forward again to the same machine', async () => {
    const { s, p, l } = await disco();
    const whole = simulated(l.fresh().run().record);
    const bp = s.setBreakpoint({ kind: 'line', file: 'programs/tlbwalk.s', line: LW });
    const hits: { digest: string; n: number; pc: number; s0: number }[] = [];
    for (let i = 0; i < 4; i++) {
      const e = s.continue();
      expect(e).toMatchObject({ reason: 'breakpoint', breakpoint: bp.id, thread: T });
      hits.push({ digest: state(p), n: s.inspect.instructionsOf(T), pc: s.inspect.pcOf(T), s0: s.inspect.registers(T).values[16] });
    }
    // four different points: the lw of a page, again after its TLB miss was served, the next page's…
    expect(new Set(hits.map((h) => h.digest)).size).toBe(4);
    expect(new Set(hits.map((h) => h.s0)).size).toBe(2);
    expect(s.breakpoints()[0].hits).toBe(4);

    // back: hit 3, then hit 2 — each exactly the machine the forward run stopped in
    const back = s.reverseContinue();
    expect(back).toMatchObject({ reason: 'breakpoint', breakpoint: bp.id, thread: T });
    expect(back.description).toMatch(/reverse continue/);
    expect(state(p)).toBe(hits[2].digest);
    expect(s.inspect.instructionsOf(T)).toBe(hits[2].n);
    expect(s.inspect.pcOf(T)).toBe(bp.addr);
    expect(s.reverseContinue().reason).toBe('breakpoint');
    expect(state(p)).toBe(hits[1].digest);
    expect(s.inspect.registers(T).values[16]).toBe(hits[1].s0);
    // hit counts count the forward stops only
    expect(s.breakpoints()[0].hits).toBe(4);

    // forward again: the next continue stops at hit 3, the same machine
    expect(s.continue().reason).toBe('breakpoint');
    expect(state(p)).toBe(hits[2].digest);
    expect(s.continue().reason).toBe('breakpoint');
    expect(state(p)).toBe(hits[3].digest);

    // the run still ends with the record of the run never stopped
    s.clearBreakpoints();
    expect(s.continue().reason).toBe('end');
    s.detach();
    expect(simulated(p.run().record)).toEqual(whole);
  }, 300_000);

  it('with no breakpoint stop before the point, goes back to the start of the history; the first hit stays the first', async () => {
    const { s, p } = await disco();
    const start = state(p), at = s.position();
    s.setBreakpoint({ kind: 'line', file: 'programs/tlbwalk.s', line: LW });
    expect(s.continue().reason).toBe('breakpoint');
    const first = state(p);
    const e = s.reverseContinue();
    expect(e.reason).toBe('goto');
    expect(e.description).toMatch(/no breakpoint stop before this point/);
    expect(state(p)).toBe(start);
    expect(s.position()).toBe(at);
    expect(s.continue().reason).toBe('breakpoint');
    expect(state(p)).toBe(first);
  }, 300_000);

  it('needs snapshots', async () => {
    const l = await loaded('tlb-miss-walkthrough-native');
    const s = new DebugSession(l.fresh(), { limits: l.resolved.limits });
    expect(errCode(() => s.reverseContinue())).toBe('E_NO_HISTORY');
  }, 120_000);
});

describe('snapshot files of a session', () => {
  it('saves at a breakpoint, loads back into the same session and into a fresh one of the same experiment; refuses another experiment', async () => {
    const { s, p } = await disco();
    s.setBreakpoint({ kind: 'line', file: 'programs/tlbwalk.s', line: LW });
    s.continue(); s.continue();
    const at = state(p), n = s.inspect.instructionsOf(T);
    const file = s.saveSnapshot();
    expect(Array.from(file.subarray(0, 8))).toEqual(Array.from(new TextEncoder().encode('DLSNAP01')));
    expect(s.continue().reason).toBe('breakpoint');
    const next = state(p);

    const e = s.loadSnapshot(file);
    expect(e.reason).toBe('snapshot');
    expect(state(p)).toBe(at);
    expect(s.inspect.instructionsOf(T)).toBe(n);
    // continuing does not stop again where the file was saved: the next hit, as before
    expect(s.continue().reason).toBe('breakpoint');
    expect(state(p)).toBe(next);

    // a fresh session of the same experiment (same identity) loads it too
    const other = await disco();
    other.s.setBreakpoint({ kind: 'line', file: 'programs/tlbwalk.s', line: LW });
    other.s.loadSnapshot(file);
    expect(state(other.p)).toBe(at);
    expect(other.s.continue().reason).toBe('breakpoint');
    expect(state(other.p)).toBe(next);

    // another experiment's session refuses it; so does one that says nothing of its experiment
    const stranger = await disco('something else');
    expect(errCode(() => stranger.s.loadSnapshot(file))).toBe('E_MISMATCH');
    expect(errCode(() => s.loadSnapshot(encodeSnapshot(snapshot(p))))).toBe('E_MISMATCH');
    expect(errCode(() => s.loadSnapshot(new Uint8Array([1, 2, 3])))).toBe('SnapshotError');
    expect(state(stranger.p)).toBe(state((await disco()).p));   // untouched by the refusal
  }, 300_000);
});
