/**
 * The monitor's NUMA policy (numa-policy.ts) and its page moves (memory.ts), on a 2-node machine
 * with tiny caches so that each pass of the guest over a region misses again: a page hot on one
 * remote node migrates there; a read-shared page is replicated and the first write collapses the
 * replicas (the other CPU reads the write); a write-shared page stays; no page moves more than the
 * limit; results are the same with the policy on and off, and runs are deterministic.
 * Guest: test/fixtures/disco/numa.s (vCPU k on CPU k = node k; the VM's memory on node 0).
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../../src/core/machine/machine';
import { createMonitor, type Monitor } from '../../../src/core/disco/monitor';
import type { Image } from '../../../src/core/asm/types';
import { guest, machineConfig } from './helpers';

const TINY = { l1i: { sizeKB: 2, lineBytes: 64, assoc: 2 }, l1d: { sizeKB: 1, lineBytes: 32, assoc: 2 }, l2: { sizeKB: 4, lineBytes: 128, assoc: 2, hitNs: 50 } };
const SCEN = { migrate: 1, replicate: 2, writeShared: 3, pingPong: 4 } as const;
// a short interval for the tiny caches' short passes
const INTERVAL = 100_000;

interface NumaRun { machine: Machine; monitor: Monitor; exitCode: number | null; out: string; cycles: number; sym: (name: string) => number }

function run(scen: keyof typeof SCEN, policy: boolean, extra: Record<string, number> = {}, passes = 200): NumaRun {
  const machine = new Machine(machineConfig(2, { cpuModel: 'timing', caches: TINY }));
  const image = guest('numa', `.set SCEN, ${SCEN[scen]}\n.set PASSES, ${passes}\n`) as Image;
  const sym = (name: string) => image.symbols.find((s) => s.name === name)!.value - 0xc0000000;
  const m = createMonitor(machine, [{ name: 'vm0', vcpus: 2, memoryMB: 2, kernbase: 0xc0000000, image }], { numaPolicy: policy ? 1 : 0, numaIntervalCycles: INTERVAL, memorySpread: 0, ...extra });
  if (!m.ok) throw new Error(JSON.stringify(m.errors));
  const mon = m.monitor, vm = mon.vms[0];
  const words = (f: (i: number) => number) => { const b = new Uint8Array(8192); const d = new DataView(b.buffer); for (let i = 0; i < 2048; i++) d.setUint32(4 * i, f(i)); return b; };
  mon.memory.copyToGuest(vm, sym('priv'), words((i) => i * 3 + 1));
  mon.memory.copyToGuest(vm, sym('table'), words((i) => i ^ 0x55));
  const r = machine.run({ maxCycles: 100_000_000 });
  mon.finish(machine.cpuReports().map((c, i) => c.buckets.idle - machine.cpus[i].buckets.idle));
  return { machine, monitor: mon, exitCode: vm.exitCode, out: vm.consoleText(), cycles: r.cycles, sym };
}

const nodeOfGuestPage = (r: NumaRun, gpa: number) => r.monitor.memmap.nodeOf(r.monitor.vms[0].pmap.mpn[gpa / 4096]);
const localFraction = (r: NumaRun, cpu: number) => { const c = r.machine.timing.counters(cpu); return c.localMisses / (c.localMisses + c.remoteMisses); };

describe('NUMA policy: migration', () => {
  it('a page hot on one remote node migrates there; its misses become local; same result, less time', () => {
    const off = run('migrate', false), on = run('migrate', true);
    expect(off.exitCode).not.toBeNull();
    expect(off.exitCode).toBeLessThan(100);
    expect(on.out).toBe(off.out);
    expect(on.exitCode).toBe(off.exitCode);
    expect(off.monitor.memory.moves.migrations).toBe(0);
    expect(nodeOfGuestPage(off, off.sym('priv'))).toBe(0);
    // both pages of `priv` (read only by vCPU 1 on node 1) now live on node 1
    expect(nodeOfGuestPage(on, on.sym('priv'))).toBe(1);
    expect(nodeOfGuestPage(on, on.sym('priv') + 4096)).toBe(1);
    expect(on.monitor.memory.moves.migrations).toBeGreaterThanOrEqual(2);
    expect(on.monitor.vms[0].pmap.replicas.has(on.sym('priv') / 4096)).toBe(false);
    expect(localFraction(off, 1)).toBeLessThan(0.2);
    expect(localFraction(on, 1)).toBeGreaterThan(0.8);
    expect(on.cycles).toBeLessThan(off.cycles);
    // the moves were charged to the monitor, under their causes
    const causes = on.machine.cpuReports().reduce<Record<string, number>>((a, c) => { for (const [k, v] of Object.entries(c.monitorByCause)) a[k] = (a[k] ?? 0) + v; return a; }, {});
    expect(causes['numa.migrate']).toBeGreaterThan(0);
    expect(causes['numa.copy']).toBeGreaterThan(2 * 2 * 1024);   // 2 cycles a word at least, plus the misses
    expect(causes['numa.decide']).toBeGreaterThan(0);
    expect(on.monitor.memory.moves.migrationCycles).toBeGreaterThan(0);
    // the moves into node 1 were done by node 1's CPU (posted to it and kicked), not by the deciding CPU
    const [cpu0, cpu1] = on.machine.cpuReports();
    expect(cpu1.monitorByCause['numa.copy']).toBe(causes['numa.copy']);
    expect(cpu0.monitorByCause['numa.copy'] ?? 0).toBe(0);
    // the old pages went back to the free pool: the VM still owns exactly its 512 pages
    expect(on.monitor.memmap.pagesOwnedBy(0)).toBe(512);
    // the VM's own misses (credited while its vCPUs ran) are the CPUs' misses, and more local
    const vmMisses = (r: NumaRun) => r.monitor.acct.vms[0].misses;
    const cpuMisses = (r: NumaRun) => [0, 1].reduce((a, c) => ({ local: a.local + r.machine.timing.counters(c).localMisses, remote: a.remote + r.machine.timing.counters(c).remoteMisses }), { local: 0, remote: 0 });
    expect(vmMisses(on)).toEqual(cpuMisses(on));
    expect(vmMisses(on).local / (vmMisses(on).local + vmMisses(on).remote)).toBeGreaterThan(vmMisses(off).local / (vmMisses(off).local + vmMisses(off).remote));
    // pages per node after each policy run: 512 in all; at the end node 1 holds the two pages
    const samples = on.monitor.numa!.samples;
    expect(samples.length).toBe(on.monitor.policies.calls[0]);
    for (const x of samples) expect(x.pagesPerNode.reduce((a, b) => a + b, 0)).toBe(512);
    expect(samples.at(-1)!.pagesPerNode).toEqual([510, 2]);
  });
});

describe('NUMA policy: replication', () => {
  it('a read-shared page is replicated to the reading node; a write collapses the replicas and the other CPU reads the write', () => {
    const off = run('replicate', false), on = run('replicate', true);
    expect(off.exitCode).not.toBe(99);
    expect(on.exitCode).not.toBe(99);   // 99: vCPU 1 read a stale replica
    expect(on.out).toBe(off.out);
    expect(on.exitCode).toBe(off.exitCode);
    const mv = on.monitor.memory.moves, pmap = on.monitor.vms[0].pmap, table = on.sym('table') / 4096;
    expect(mv.replications).toBeGreaterThanOrEqual(2);
    expect(mv.migrations).toBe(0);
    expect(mv.collapses).toBeGreaterThanOrEqual(1);
    expect(pmap.replicas.has(table)).toBe(false);          // written: collapsed, one writable page again
    const second = pmap.replicas.get(table + 1);            // never written: still replicated on node 1
    expect(second).toBeDefined();
    expect(on.monitor.memmap.nodeOf(second![1])).toBe(1);
    expect(on.monitor.memmap.replicaOf[second![1]]).toBe(pmap.mpn[table + 1]);
    // replica pages in use = the copies the pmap lists (the code page, read by both, may be one)
    expect(mv.replicaPages).toBe([...pmap.replicas.values()].reduce((n, set) => n + set.filter((m) => m >= 0).length, 0));
    expect(mv.replicaPagesPeak).toBeGreaterThanOrEqual(mv.replicaPages + 1);
    expect(localFraction(on, 1)).toBeGreaterThan(localFraction(off, 1) + 0.3);
  });

  it('a write by the monitor itself (DMA, a monitor call) collapses the replicas first', () => {
    const on = run('replicate', true);
    const vm = on.monitor.vms[0], pmap = vm.pmap, page = on.sym('table') / 4096 + 1;
    const copy = pmap.replicas.get(page)![1];
    const before = on.monitor.memory.moves.collapses;
    expect(on.monitor.copyToGuest(vm, (page << 12) + 8, new Uint8Array([0, 0, 0, 7]), on.machine.cpus[0])).toBe(true);
    expect(pmap.replicas.has(page)).toBe(false);
    expect(on.monitor.memory.moves.collapses).toBe(before + 1);
    expect(on.monitor.memmap.owner[copy]).toBe(-2);   // the copy is free again
    expect(on.machine.memory.words[(pmap.mpn[page] << 10) + 2]).toBe(7);
  });
});

describe('NUMA policy: pages that must not move', () => {
  it('a page written by both nodes stays where it is (write-shared)', () => {
    const off = run('writeShared', false, {}, 1000), on = run('writeShared', true, {}, 1000);
    expect(on.out).toBe(off.out);
    expect(on.exitCode).toBe(off.exitCode);
    expect(on.out).toContain(`sum=${(2 * 1000 * 64 + (0 ^ 0x55) + (1 ^ 0x55)).toString(16).padStart(8, '0')}`);   // + the initial words
    const pmap = on.monitor.vms[0].pmap, table = on.sym('table') / 4096;
    expect(on.monitor.numa!.decisions.writeShared).toBeGreaterThan(0);
    expect(pmap.moves[table]).toBe(0);
    expect(pmap.replicas.has(table)).toBe(false);
    expect(nodeOfGuestPage(on, on.sym('table'))).toBe(0);
  });

  it('no page moves more than numaMaxMoves times (a page used by each node in turn)', () => {
    // replication off: a page read by both nodes in the interval where the turn passes would be
    // replicated, and a replicated page is already where every reader is — it would stop moving
    const free = run('pingPong', true, { numaMaxMoves: 255, numaReplicate: 0 }, 800), limited = run('pingPong', true, { numaMaxMoves: 2, numaReplicate: 0 }, 800);
    expect(limited.out).toBe(free.out);
    const priv = limited.sym('priv') / 4096;
    expect(free.monitor.vms[0].pmap.moves[priv]).toBeGreaterThan(2);
    expect(limited.monitor.vms[0].pmap.moves[priv]).toBe(2);
    expect(limited.monitor.vms[0].pmap.moves[priv + 1]).toBeLessThanOrEqual(2);
    expect(limited.monitor.numa!.decisions.atLimit).toBeGreaterThan(0);
  });

  it('is deterministic: the same run twice moves the same pages at the same times', () => {
    const a = run('replicate', true), b = run('replicate', true);
    expect(b.cycles).toBe(a.cycles);
    expect(b.monitor.memory.moves).toEqual(a.monitor.memory.moves);
    expect(Array.from(b.monitor.vms[0].pmap.mpn)).toEqual(Array.from(a.monitor.vms[0].pmap.mpn));
    expect(b.machine.cpuReports()).toEqual(a.machine.cpuReports());
  });
});
