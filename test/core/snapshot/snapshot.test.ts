/**
 * Whole-machine snapshots (issue #17): a snapshot taken at cycle X and restored into a fresh
 * machine built from the same inputs runs on to exactly the record of the uninterrupted run, for
 * native and Disco runs of shipped workloads on one and two CPUs, on both CPU models.
 */
import { describe, expect, it } from 'vitest';
import { restore, snapshot, SnapshotError } from '../../../src/core/snapshot/machine';
import { decodeSnapshot, encodeSnapshot } from '../../../src/core/snapshot/codec';
import { experiment, simulated } from './helpers';

const CASES: { name: string; model: 'fast' | 'timing'; at: number; edit?: (e: Record<string, unknown>) => void }[] = [
  { name: 'pmake-native-1cpu', model: 'fast', at: 7_000_000 },
  { name: 'pmake-disco-1cpu-1vm', model: 'fast', at: 9_000_000 },
  { name: 'pmake-disco-1cpu-1vm', model: 'timing', at: 6_000_000 },
  // two CPUs, two VMs
  { name: 'pmake-disco-4cpu-2vm', model: 'fast', at: 5_000_000, edit: (e) => { e.machineOverrides = { ...(e.machineOverrides as object), nodes: 2, memoryPerNodeMB: 64 }; } },
];

describe('snapshot at cycle X, restore in a fresh machine, run on: the uninterrupted run\'s record', () => {
  for (const c of CASES) {
    it(`${c.name} ${c.model} at ${c.at}`, async () => {
      const fresh = await experiment(c.name, (e) => { e.machineOverrides = { ...(e.machineOverrides as object), cpuModel: c.model }; c.edit?.(e); });
      const whole = simulated(fresh().run().record);

      const a = fresh();
      a.machine.run({ maxCycles: c.at });
      expect(a.machine.time).toBe(c.at);
      const snap = snapshot(a);
      const r1 = simulated(a.run().record);
      expect(r1).toEqual(whole);

      const b = fresh();
      restore(b, snap);
      expect(b.machine.time).toBe(c.at);
      expect(simulated(b.run().record)).toEqual(whole);
    }, 300_000);
  }

  it('the file form: encoded, decoded and restored, it runs on to the same record; it is compact', async () => {
    const fresh = await experiment('pmake-disco-1cpu-1vm');
    const whole = simulated(fresh().run().record);
    const a = fresh();
    a.machine.run({ maxCycles: 4_000_000 });
    const file = encodeSnapshot(snapshot(a));
    // far below the machine's memory and the VM's disk, which are mostly zeros
    expect(file.length).toBeLessThan(a.machine.memory.bytes / 2);
    const b = fresh();
    restore(b, decodeSnapshot(file));
    expect(simulated(b.run().record)).toEqual(whole);
  }, 300_000);

  it('a snapshot with a disk transfer in flight holds the posted event and completes it after a restore', async () => {
    const fresh = await experiment('pmake-native-1cpu');
    const whole = simulated(fresh().run().record);
    const a = fresh();
    // run quantum by quantum until the disk is busy (a completion event pending)
    let at = 0;
    do { at += 1000; a.machine.run({ maxCycles: at }); } while (a.machine.events.size === 0 && at < 20_000_000);
    expect(a.machine.events.size).toBeGreaterThan(0);
    const b = fresh();
    restore(b, decodeSnapshot(encodeSnapshot(snapshot(a))));
    expect(b.machine.events.size).toBe(a.machine.events.size);
    expect(simulated(b.run().record)).toEqual(whole);
  }, 300_000);

  it('refuses files that are not snapshots, cut short or of another format (typed errors)', () => {
    expect(() => decodeSnapshot(new Uint8Array([1, 2, 3]))).toThrow(SnapshotError);
    const bad = new Uint8Array([0x44, 0x4c, 0x53, 0x4e, 0x41, 0x50, 0x30, 0x31, 200, 0, 0, 0, 0x7b]);
    expect(() => decodeSnapshot(bad)).toThrow(SnapshotError);
    const json = new TextEncoder().encode('{"format":"x"}');
    const other = new Uint8Array(12 + json.length);
    other.set([0x44, 0x4c, 0x53, 0x4e, 0x41, 0x50, 0x30, 0x31, json.length, 0, 0, 0]); other.set(json, 12);
    expect(() => decodeSnapshot(other)).toThrow(SnapshotError);
  });

  it('refuses a snapshot of the other mode or shape (typed error)', async () => {
    const native = await experiment('pmake-native-1cpu');
    const disco = await experiment('pmake-disco-1cpu-1vm');
    const n = native();
    n.machine.run({ maxCycles: 1000 });
    const snap = snapshot(n);
    expect(() => restore(disco(), snap)).toThrow(SnapshotError);
  }, 120_000);
});
