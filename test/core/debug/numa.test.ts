/**
 * Monitor-event breakpoints on page migration (issue #17), with the NUMA policy of
 * test/core/disco/numa.test.ts (a page hot on a remote node migrates there), and snapshots of a
 * machine a session holds paused mid-batch: restored, the run ends as the uninterrupted one.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../../src/core/machine/machine';
import { createMonitor, type Monitor } from '../../../src/core/disco/monitor';
import type { Image } from '../../../src/core/asm/types';
import { DebugSession } from '../../../src/core/debug/session';
import { guest, machineConfig } from '../disco/helpers';

const TINY = { l1i: { sizeKB: 2, lineBytes: 64, assoc: 2 }, l1d: { sizeKB: 1, lineBytes: 32, assoc: 2 }, l2: { sizeKB: 4, lineBytes: 128, assoc: 2, hitNs: 50 } };

/** The migration scenario of numa.test.ts, ready to run. */
function prepare(): { machine: Machine; monitor: Monitor } {
  const machine = new Machine(machineConfig(2, { cpuModel: 'timing', caches: TINY }));
  const image = guest('numa', '.set SCEN, 1\n.set PASSES, 200\n') as Image;
  const sym = (name: string) => image.symbols.find((s) => s.name === name)!.value - 0xc0000000;
  const m = createMonitor(machine, [{ name: 'vm0', vcpus: 2, memoryMB: 2, kernbase: 0xc0000000, image }], { numaPolicy: 1, numaIntervalCycles: 100_000, memorySpread: 0 });
  if (!m.ok) throw new Error(JSON.stringify(m.errors));
  const vm = m.monitor.vms[0];
  const words = (f: (i: number) => number) => { const b = new Uint8Array(8192); const d = new DataView(b.buffer); for (let i = 0; i < 2048; i++) d.setUint32(4 * i, f(i)); return b; };
  m.monitor.memory.copyToGuest(vm, sym('priv'), words((i) => i * 3 + 1));
  m.monitor.memory.copyToGuest(vm, sym('table'), words((i) => i ^ 0x55));
  return { machine, monitor: m.monitor };
}

function finish(t: { machine: Machine; monitor: Monitor }) {
  const r = t.machine.run({ maxCycles: 100_000_000 });
  t.monitor.finish(t.machine.cpuReports().map((c, i) => c.buckets.idle - t.machine.cpus[i].buckets.idle));
  return { r, cpus: t.machine.cpuReports(), vm: t.monitor.acct.vms[0], moves: { ...t.monitor.memory.moves }, out: t.monitor.vms[0].consoleText() };
}

describe('monitor event: the next page migration', () => {
  it('stops after the instruction during which the policy migrated a page; the run then ends as without the debugger', () => {
    const whole = finish(prepare());
    expect(whole.moves.migrations).toBeGreaterThanOrEqual(2);

    const t = prepare();
    const s = new DebugSession(t, { limits: { maxCycles: 100_000_000 } });
    s.setBreakpoint({ kind: 'monitor', event: 'migration' });
    const e = s.continue();
    expect(e.reason).toBe('monitor');
    // one policy pass (one monitor entry) may move several pages: the stop is after it
    const migrated = t.monitor.memory.moves.migrations;
    expect(migrated).toBeGreaterThanOrEqual(1);
    expect(migrated).toBeLessThan(whole.moves.migrations + 1);
    expect(e.description).toMatch(/migration/);
    // the migrated page: its pmap entry is on node 1 now, and so is the memmap's
    const moved = s.inspect.pmap(0, 0, 512).entries.filter((x) => x.moves > 0);
    expect(moved).toHaveLength(migrated);
    for (const m of moved) expect(m.node).toBe(1);
    expect(s.inspect.memmap(moved[0].mpn, 1).entries[0]).toMatchObject({ owner: 0, gppn: moved[0].gppn, node: 1 });
    // its miss counters were reset by the move; the machine's are readable for every page
    expect(s.inspect.missCounters(moved[0].mpn).byNode).toHaveLength(2);

    // step a vCPU a little (instruction at a time, under Disco), take a snapshot there, mid-batch
    for (let i = 0; i < 7; i++) s.step({ vcpu: 1 });
    const snap = s.takeSnapshot();
    expect(snap.heldBack?.some((h) => h.open)).toBe(true);   // paused in the middle of a batch
    s.detach();
    const a = finish(t);
    expect(a).toEqual(whole);

    // the snapshot, restored into a fresh machine through a session, runs on to the same end
    const u = prepare();
    const s2 = new DebugSession(u, { limits: { maxCycles: 100_000_000 } });
    s2.restoreSnapshot(snap);
    s2.detach();
    expect(finish(u)).toEqual(whole);
  }, 300_000);
});
