/**
 * The TLB-miss path (issue #17's quiz), natively and under Disco, on the tlb-miss-walkthrough
 * examples (tlbwalk.s touches a new page at every `lw`): the native path runs the guest kernel's
 * tlb_refill to its tlbwr and eret; the Disco path goes through the monitor (trap, virtual-TLB
 * and L2-TLB probes, then an insert or a forward with the guest's privileged instructions
 * emulated). Steps' cycles add up to the total, and a traced run ends with the record of the run
 * never traced.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DebugSession } from '../../../src/core/debug/session';
import { DebugError } from '../../../src/core/debug/errors';
import { experimentLineTables } from '../../../src/core/debug/programs';
import { traceNextMiss, type MissPath } from '../../../src/core/debug/miss-path';
import { loaded, simulated } from '../snapshot/helpers';

const ROOT = join(__dirname, '..', '..', '..');
const lineOf = (file: string, text: string) => readFileSync(join(ROOT, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
const LW = lineOf('resources/examples/programs/tlbwalk.s', 'lw      $t0, 0($s0)');
const KERNEL = 'resources/guest/kernel/kernel.s';
/** tlb_refill's lines: from its label to its eret. */
const REFILL = { from: lineOf(KERNEL, 'tlb_refill:'), to: lineOf(KERNEL, 'tlb_refill:') + 30 };

async function session(name: string) {
  const l = await loaded(name);
  const lines = experimentLineTables(l.resolved, l.inputs);
  const whole = simulated(l.fresh().run().record);
  const p = l.fresh();
  const s = new DebugSession(p, { lines, limits: l.resolved.limits });
  return { s, p, whole };
}

function sums(path: MissPath): void {
  expect(path.totalCycles).toBe(path.steps.reduce((a, x) => a + x.cycles, 0));
  expect(path.monitorCycles).toBe(path.steps.filter((x) => x.kind === 'monitor').reduce((a, x) => a + x.cycles, 0));
  for (const x of path.steps) expect(Number.isInteger(x.cycles) && x.cycles >= 0).toBe(true);
}

const inRefill = (src: string | undefined) => {
  const m = /kernel\/kernel\.s:(\d+)$/.exec(src ?? '');
  return m !== null && +m[1] > REFILL.from && +m[1] <= REFILL.to;
};

describe('the TLB-miss path', () => {
  it('natively: the faulting lw, the refill vector, tlb_refill to tlbwr and eret, back to the lw; the run ends as the untraced one', async () => {
    const { s, p, whole } = await session('tlb-miss-walkthrough-native');
    const bp = s.setBreakpoint({ kind: 'line', file: 'tlbwalk.s', line: LW });
    expect(s.continue()).toMatchObject({ reason: 'breakpoint', thread: { cpu: 0 } });
    const cycle0 = p.machine.cpus[0].cycle;
    const path = traceNextMiss(s, { cpu: 0 });
    expect(path).toMatchObject({ mode: 'native', outcome: 'refill', complete: true, faultPc: bp.addr, store: false });
    expect(path.vaddr).toBeLessThan(0x80000000);
    expect(path.steps[0]).toMatchObject({ kind: 'instruction', action: 'fault', pc: bp.addr, source: expect.stringMatching(new RegExp(`tlbwalk\\.s:${LW}$`)) });
    expect(path.steps[1]).toMatchObject({ kind: 'hardware', action: 'exception' });
    expect(path.steps[1].text).toContain('0x80000000');
    const handler = path.steps.filter((x) => x.action === 'handler');
    expect(handler[0].pc).toBe(0x80000000);
    expect(handler.every((x) => inRefill(x.source))).toBe(true);
    const texts = handler.map((x) => x.text.split(' ')[0]);
    expect(texts).toContain('tlbwr');
    expect(texts[texts.length - 1]).toBe('eret');
    expect(path.steps.some((x) => x.kind === 'monitor')).toBe(false);
    expect(path.steps[path.steps.length - 1]).toMatchObject({ kind: 'hardware', action: 'return', pc: bp.addr });
    sums(path);
    // the steps are the CPU's time, exactly
    expect(p.machine.cpus[0].cycle - cycle0).toBe(path.totalCycles);
    // paused at the lw again, in user mode; the breakpoint is still there
    expect(s.inspect.pcOf({ cpu: 0 })).toBe(bp.addr);
    expect(s.breakpoints().map((b) => b.id)).toEqual([bp.id]);
    // the next miss: the next page
    const next = traceNextMiss(s, { cpu: 0 });
    expect(next.vaddr - path.vaddr).toBe(4096);
    s.clearBreakpoints();
    expect(s.continue().reason).toBe('end');
    expect(simulated(p.run().record)).toEqual(whole);
  }, 120_000);

  it('under Disco: trap, virtual-TLB and L2-TLB probes, then an insert or a forward with tlbwr and eret emulated; the run ends as the untraced one', async () => {
    const { s, p, whole } = await session('tlb-miss-walkthrough-disco');
    const bp = s.setBreakpoint({ kind: 'line', file: 'tlbwalk.s', line: LW });
    expect(s.continue()).toMatchObject({ reason: 'breakpoint', thread: { vcpu: 0 } });
    const cpu = p.machine.cpus[0], cycle0 = cpu.cycle, monitor0 = cpu.buckets.monitor;
    const path = traceNextMiss(s, { vcpu: 0 });
    expect(path).toMatchObject({ mode: 'disco', complete: true, faultPc: bp.addr });
    expect(['forwarded', 'l2tlb-hit']).toContain(path.outcome);
    expect(path.steps[0]).toMatchObject({ kind: 'instruction', action: 'fault', pc: bp.addr });
    expect(path.steps[1]).toMatchObject({ kind: 'monitor', action: 'trap', cost: 'trap', cycles: p.monitor!.costs.trap });
    expect(path.steps.some((x) => x.action === 'vtlb-probe')).toBe(true);
    const l2 = path.steps.find((x) => x.action === 'l2tlb-probe')!;
    expect(l2.kind).toBe('monitor');
    if (path.outcome === 'l2tlb-hit') {
      expect(l2.cost).toBe('tlb.l2hit');
      expect(path.steps.some((x) => x.action === 'insert')).toBe(true);
    } else {
      expect(l2.cost).toBe('tlb.forward');
      expect(path.steps.some((x) => x.action === 'forward' && x.cost === 'reflect')).toBe(true);
      // the guest's handler at KERNBASE 0xC0000000, its privileged instructions trapped and emulated
      const handler = path.steps.filter((x) => x.action === 'handler');
      expect(handler[0].pc).toBe(0xc0000000);
      expect(handler.filter((x) => x.pc! < 0xc0001000).every((x) => inRefill(x.source))).toBe(true);
      const costs = path.steps.map((x) => x.cost);
      expect(costs).toContain('emulate.mfc0');
      expect(costs).toContain('emulate.tlbwr');
      expect(path.steps.filter((x) => x.cost === 'emulate.eret')).toHaveLength(1);
      const tlbwr = path.steps.find((x) => x.cost === 'emulate.tlbwr')!;
      expect(tlbwr.text).toMatch(/guest page 0x[0-9a-f]+ → machine page 0x[0-9a-f]+ \(pmap\)/);
    }
    sums(path);
    expect(cpu.cycle - cycle0).toBe(path.totalCycles);
    expect(cpu.buckets.monitor - monitor0).toBe(path.monitorCycles);
    expect(path.monitorCycles).toBeGreaterThan(0);
    expect(s.inspect.pcOf({ vcpu: 0 })).toBe(bp.addr);
    s.clearBreakpoints();
    expect(s.continue().reason).toBe('end');
    expect(simulated(p.run().record)).toEqual(whole);
  }, 120_000);

  it('the twin: the same miss (faulting instruction and page) found in the other run from its start', async () => {
    const disco = await session('tlb-miss-walkthrough-disco');
    disco.s.setBreakpoint({ kind: 'line', file: 'tlbwalk.s', line: LW });
    disco.s.continue();
    disco.s.step({ vcpu: 0 });   // past the first lw: trace the second page's miss
    const a = traceNextMiss(disco.s, { vcpu: 0 });
    const native = await session('tlb-miss-walkthrough-native');
    const b = traceNextMiss(native.s, { cpu: 0 }, { match: { pc: a.faultPc, vaddr: a.vaddr } });
    expect(b.faultPc).toBe(a.faultPc);
    expect(b.vaddr >>> 12).toBe(a.vaddr >>> 12);
    expect(b.outcome).toBe('refill');
    expect(native.s.breakpoints()).toEqual([]);
    expect(native.s.continue().reason).toBe('end');
    expect(simulated(native.p.run().record)).toEqual(native.whole);
  }, 120_000);

  it('typed errors: a run without misses to find, a bad thread', async () => {
    const { s } = await session('tlb-miss-walkthrough-native');
    const code = (f: () => unknown) => { try { f(); } catch (e) { expect(e).toBeInstanceOf(DebugError); return (e as DebugError).code; } return 'none'; };
    expect(code(() => traceNextMiss(s, { cpu: 5 }))).toBe('E_NO_THREAD');
    expect(code(() => traceNextMiss(s, { cpu: 0 }, { maxSearch: 10 }))).toBe('E_NO_MISS');
    expect(code(() => traceNextMiss(s, { cpu: 0 }, { match: { pc: 0x12345678, vaddr: 0 } }))).toBe('E_NO_MISS');
  }, 120_000);
});
