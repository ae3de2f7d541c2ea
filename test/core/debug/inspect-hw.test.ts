/**
 * The inspector panes' reads (issue #17): the memmap with its owners named, the per-page
 * per-node miss counters as a heat map, each CPU's cache counters, and the owner of every
 * hardware TLB entry under Disco (the monitor's shadow of the slot) — read-only, exact at a stop.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DebugSession } from '../../../src/core/debug/session';
import { DebugError } from '../../../src/core/debug/errors';
import { experimentLineTables } from '../../../src/core/debug/programs';
import { snapshot } from '../../../src/core/snapshot/machine';
import { encodeSnapshot } from '../../../src/core/snapshot/codec';
import { loaded, ROOT } from '../snapshot/helpers';

const LW = readFileSync(join(ROOT, 'resources/examples/programs/tlbwalk.s'), 'utf8').split('\n').findIndex((l) => l.includes('lw      $t0, 0($s0)')) + 1;
const TWO_NODES = (e: Record<string, unknown>) => { e.machineOverrides = { nodes: 2, cpusPerNode: 1 }; };

/** At the second stop on the lw (retried after its TLB miss was served): the page it reads is in the hardware TLB. */
async function atLw(name: string) {
  const l = await loaded(name, TWO_NODES);
  const p = l.fresh();
  const s = new DebugSession(p, { lines: experimentLineTables(l.resolved, l.inputs), limits: l.resolved.limits });
  s.setBreakpoint({ kind: 'line', file: 'programs/tlbwalk.s', line: LW });
  expect(s.continue().reason).toBe('breakpoint');
  expect(s.continue().reason).toBe('breakpoint');
  return { s, p };
}

describe('inspector reads', () => {
  it('under Disco: memmap owners, the miss heat map, cache counters, hardware TLB owners; nothing changes', async () => {
    const { s, p } = await atLw('tlb-miss-walkthrough-disco');
    const i = s.inspect;
    const before = encodeSnapshot(snapshot(p));

    // memmap: the monitor's reserved pages, vm0's pages (with their guest pages), free pages; names and nodes
    const mm = i.memmap(0, Math.min(65536, p.monitor!.memmap.totalPages));
    expect(mm.entries[0]).toMatchObject({ mpn: 0, owner: -1, ownerName: 'monitor', node: 0 });
    const vm0 = mm.entries.filter((e) => e.ownerName === 'vm0');
    expect(vm0.length).toBeGreaterThan(8);
    for (const e of vm0) { expect(e.owner).toBe(0); expect(e.gppn).toBeGreaterThanOrEqual(0); }
    expect(mm.entries.some((e) => e.ownerName === 'free' && e.owner === -2)).toBe(true);
    expect(new Set(mm.entries.map((e) => e.node))).toEqual(new Set([0, 1]));
    expect(mm.used).toBe(mm.entries.filter((e) => e.owner >= 0 || e.owner === -3).length);

    // the heat map: rows = pages, columns = nodes; cells are the per-page counters
    const heat = i.missHeat(0, 64);
    expect(heat).toMatchObject({ nodes: 2, from: 0, next: 64 });
    expect(heat.rows).toHaveLength(64);
    for (const r of heat.rows) {
      expect(r.byNode).toEqual(i.missCounters(r.page).byNode);
      expect(r.total).toBe(r.byNode[0] + r.byNode[1]);
    }
    const hot = i.missHeat(0, 4096, true);
    expect(hot.rows.length).toBeGreaterThan(0);
    expect(hot.rows.every((r) => r.total > 0)).toBe(true);
    expect(hot.max).toBe(Math.max(...hot.rows.flatMap((r) => r.byNode)));
    expect(() => i.missHeat(p.machine.memory.pages, 1)).toThrow(DebugError);
    expect(() => i.missHeat(0, 0)).toThrow(DebugError);

    // cache counters: one per CPU, as the run record counts them; derived hits consistent
    const caches = i.caches();
    expect(caches.map((c) => c.cpu)).toEqual([0, 1]);
    expect(caches.map((c) => c.node)).toEqual([0, 1]);
    for (const c of caches) {
      const k = p.machine.timing.counters(c.cpu);
      expect(c).toMatchObject({ model: 'timing', l1iMisses: k.l1iMisses, l1dMisses: k.l1dMisses, l2Misses: k.l2Misses, localMisses: k.localMisses, remoteMisses: k.remoteMisses });
      expect(c.localMisses + c.remoteMisses).toBe(c.l2Misses);
      expect(c.l2Hits).toBe(Math.max(0, c.l1iMisses + c.l1dMisses - c.l2Misses));
      expect(c.l1iHits + c.l1iMisses).toBe(c.instructions);
    }
    expect(caches.some((c) => c.l2Misses > 0)).toBe(true);

    // hardware TLB of the vCPU's CPU: every valid entry has an owner, vm0's vCPU 0; the page the lw reads is the guest's own
    const cpu = i.cpuOf({ vcpu: 0 })!.id;
    const tlb = i.hardwareTlb(cpu).filter((e) => e.valid0 || e.valid1);
    expect(tlb.length).toBeGreaterThan(0);
    for (const e of tlb) expect(e.owner).toMatchObject({ vm: 0, vcpu: 0 });
    const s0 = i.registers({ vcpu: 0 }).values[16];
    const mine = tlb.find((e) => e.vpn2 === s0 >>> 13);
    expect(mine?.owner).toEqual({ vm: 0, vcpu: 0, monitorMade: false });
    // the other CPU runs no vCPU of this VM's page walk: no owner for invalid slots
    for (const e of i.hardwareTlb(1 - cpu)) if (!e.valid0 && !e.valid1) expect(e.owner).toBeNull();

    // reads change nothing
    expect(Buffer.from(encodeSnapshot(snapshot(p))).equals(Buffer.from(before))).toBe(true);
  }, 300_000);

  it('natively: no owners, no memmap; the heat map and the cache counters are the machine\'s', async () => {
    const { s } = await atLw('tlb-miss-walkthrough-native');
    const i = s.inspect;
    expect(i.hardwareTlb(0).every((e) => e.owner === undefined)).toBe(true);
    expect(() => i.memmap()).toThrow(DebugError);
    expect(i.missHeat(0, 16).rows[0].byNode).toHaveLength(2);
    expect(i.caches()).toHaveLength(2);
  }, 300_000);
});
