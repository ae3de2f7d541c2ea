/**
 * Whole-machine snapshots: `snapshot({ machine, monitor? })` → a `MachineSnapshot` (plain data
 * and typed arrays), `restore(target, snap)` into a machine (and monitor) built from the same
 * inputs — the experiment, its files, the seed — so that running on from the restored machine
 * gives exactly what running on from the original would have (tests check the run records).
 *
 * What is in it: everything reachable from the machine and the monitor (./graph.ts): every CPU's
 * registers, CP0, TLB, counters and buckets; LL reservations; physical memory; caches,
 * directory and the per-page per-node miss counters; every device (registers, console buffers,
 * the disk image); the event queue (posted events only: devices post their completions); and
 * the Disco monitor — vCPUs with their virtual CP0 and TLB, pmaps, L2 TLBs, memmap, scheduler,
 * accounting, NUMA policy state, virtual devices. What is not: derived caches the CPU rebuilds
 * (decoded and compiled code, soft-TLBs; `Cpu.restoreDerived`) and functions.
 *
 * A snapshot is taken between `machine.run` calls (or while a debugger holds the machine paused,
 * src/core/debug) — never from inside a device or monitor callback.
 */
import type { CauseTally } from '../machine/cpu/cause-tally';
import type { Machine } from '../machine/machine';
import type { Cpu } from '../machine/cpu/index';
import type { SimEventQueue, EventQueueState } from '../machine/events';
import type { Monitor } from '../disco/monitor';
import { applyGraph, captureGraph, SnapshotError, type ClassRule, type Node } from './graph';

export { SnapshotError } from './graph';

export const SNAPSHOT_FORMAT = 'disco-lab/snapshot@1';

/** What a snapshot is taken of and restored into. */
export interface SnapshotTarget {
  machine: Machine;
  /** Disco mode: the monitor installed on `machine`. */
  monitor?: Monitor;
}

export interface MachineSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** Machine time when taken. */
  time: number;
  /** Instructions of all CPUs when taken. */
  instructions: number;
  /** Disco mode: a monitor is part of it. */
  disco: boolean;
  /** Machine shape (restore checks it): CPUs, memory bytes. */
  cpus: number;
  memoryBytes: number;
  graph: Node;
  /** Prototypes of the classes met at capture (in-process restores only; not serialised). */
  protos?: Map<string, object>;
}

/** Per-class rules (class names as the code declares them). */
const RULES = new Map<string, ClassRule>([
  ['Cpu', {
    // derived caches and host links, rebuilt by restoreDerived (or kept: the same host)
    skip: ['host', 'mem', 'u8', 'u16', 'timing', 'codePages', 'fpBase', 'fpWords', 'fpOps', 'fpPage', 'softSets',
      'ftag', 'fbase', 'ltag', 'lbase', 'stag', 'sbase', 'lastErl', 'jx', 'timingFast', 'jit', 'jitThreshold',
      // compiled code's return values (read right after it returns)
      'bpc', 'bnpc', 'bslot', 'bstall'],
    afterRestore: (c) => (c as Cpu).restoreDerived(),
  }],
  // cause ids are per process: written down by name (cpu/cause-tally.ts)
  ['CauseTally', {
    capture: (t) => (t as CauseTally).getState(),
    restore: (t, s) => (t as CauseTally).setState(s as [string, number][]),
  }],
  ['SimEventQueue', {
    capture: (q) => {
      const s = (q as SimEventQueue).getState();
      if (!s) throw new SnapshotError('an event scheduled as a closure is pending (only posted events can be snapshotted)');
      return s;
    },
    restore: (q, s) => (q as SimEventQueue).setState(s as EventQueueState),
  }],
]);

/** Takes a snapshot of `t` (see the file comment). Throws `SnapshotError` if the machine holds something it cannot write down. */
export function snapshot(t: SnapshotTarget): MachineSnapshot {
  const protos = new Map<string, object>();
  const graph = captureGraph(root(t), RULES, protos);
  const snap: MachineSnapshot = {
    format: SNAPSHOT_FORMAT, time: t.machine.time, instructions: t.machine.instructions(), disco: t.monitor !== undefined,
    cpus: t.machine.cpus.length, memoryBytes: t.machine.memory.bytes, graph,
  };
  Object.defineProperty(snap, 'protos', { value: protos, enumerable: false });
  return snap;
}

/**
 * Makes `t` (a machine, and monitor, built from the same inputs as the snapshot's) equal to the
 * snapshot. Throws `SnapshotError` when the snapshot does not fit (another shape or mode).
 */
export function restore(t: SnapshotTarget, snap: MachineSnapshot): void {
  if (snap.format !== SNAPSHOT_FORMAT) throw new SnapshotError(`not a snapshot (${String(snap.format)})`);
  if (snap.disco !== (t.monitor !== undefined)) throw new SnapshotError(`a ${snap.disco ? 'disco' : 'native'}-mode snapshot cannot be restored into a ${t.monitor ? 'disco' : 'native'}-mode machine`);
  if (snap.cpus !== t.machine.cpus.length || snap.memoryBytes !== t.machine.memory.bytes) {
    throw new SnapshotError(`the snapshot is of a machine with ${snap.cpus} CPU(s) and ${snap.memoryBytes} bytes of memory, this one has ${t.machine.cpus.length} and ${t.machine.memory.bytes}`);
  }
  applyGraph(root(t), snap.graph, RULES, new Map(snap.protos ?? []));
}

function root(t: SnapshotTarget): object {
  return t.monitor ? { machine: t.machine, monitor: t.monitor } : { machine: t.machine };
}
