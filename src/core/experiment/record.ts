/**
 * The run record (`disco-lab/run@1`): everything a run produced, as plain JSON. Documented field
 * by field in `docs/run-record.schema.json` (generated from `RUN_RECORD_SCHEMA` in
 * ./run-record-schema.ts); a test validates produced records against it.
 *
 * A record is a pure function of the resolved inputs, except `host` (wall-clock seconds and
 * simulator speed), which the caller fills in because src/core has no clock. Two runs of the
 * same experiment give records equal everywhere but `host`.
 */
import type { TimeBuckets } from '../machine/contracts';
import type { MachineConfig } from '../machine/config/types';
import { MEMORY_STATS, type CacheCounters } from '../machine/memory/numa';
import { STOP_REASONS, type Machine, type RunResult, type StopReason } from '../machine/machine';
import type { StatSpec } from '../machine/stats';
import type { ExperimentConfig } from './config';
import type { Monitor } from '../disco/monitor';
import { MONITOR_PARAMS, type MonitorParamName } from '../disco/options';
import { sumGuestStats, type GuestStats } from '../machine/devices/gstat';
import type { DenaliMonitor } from '../denali/monitor';
import { denaliRecord, type DenaliRecord } from '../denali/record';
import { loadRecord, type LoadRecord } from '../load/summary';
import { MONITOR_RESERVED_PAGES } from '../disco/monitor';
import { MONITOR_VM } from '../disco/memmap';
import type { SharingCounts } from '../disco/sharing';

/** One VM of a disco-mode run (docs/run-record.schema.json `vms[]`). */
export interface VmRecord {
  name: string;
  vcpus: number;
  memoryMB: number;
  /** KERNBASE the monitor used (vector base; 0xC0000000 = ksseg mapped by the monitor). */
  kernbase: number;
  status: 'running' | 'exited' | 'stopped';
  exitCode: number | null;
  stopReason: string | null;
  /** Cycle at which it exited or was stopped (null if still running at the end). */
  endCycle: number | null;
  /** Physical-CPU time credited to this VM (see docs/disco.md "Accounting"). */
  buckets: TimeBuckets;
  monitor: { byCause: Record<string, number> };
  console: { output: string; bytes: number };
  counters: { traps: number; emulated: number; reflected: number; switchesIn: number; l2tlb: { hits: number; misses: number; inserts: number } };
  disk: { reads: number; writes: number; sectorsRead: number; sectorsWritten: number; errors: number; readsMapped: number; persistent: boolean };
  /** Machine pages backing its guest-physical memory. */
  machinePages: number;
  /** Its interface on the virtual network: messages sent and received, pages delivered to it by remapping, bytes by copying. */
  network: { sent: number; received: number; pagesRemapped: number; bytesCopied: number; requests?: number };
  /** Its memory footprint at the end [pages]: guest pages it has used (V, its own view) and, of those, the ones mapping a page shared with other VMs. */
  footprint: { pages: number; sharedPages: number };
  /** L2 misses its vCPUs took, served by the CPU's own node / another node, and local / (local + remote) (null without misses). */
  misses: { local: number; remote: number; localFraction: number | null };
  /** Its guest kernel's time per service (its virtual guest-statistics device); empty without marks. */
  guestStats: GuestStats;
}

/** The monitor part of a disco-mode run (`monitor` in the record). */
export interface MonitorRecord extends Partial<Record<MonitorParamName, number>> {
  byCause: Record<string, number>;
  /** Monitor cycles by cause per physical CPU. */
  perCpu?: Record<string, number>[];
  /** The resolved cost table [cycles]. */
  costs?: Record<string, number>;
  /** Vcpu moves between physical CPUs (stealing). */
  migrations?: number;
  /** Monitor entries by ExcCode name, emulated privileged instructions by mnemonic, monitor calls by name. */
  traps?: Record<string, number>;
  emulated?: Record<string, number>;
  hypercalls?: Record<string, number>;
  switches?: number;
  tlbFlushes?: number;
  /** Machine pages released by "page is free" hints, and guest pages re-backed on their next use. */
  pagesFreed?: number;
  pagesBacked?: number;
  /** The monitor's own references through the caches (monitorMemoryRefs; 0 with it off or the fast CPU model). */
  memoryReferences?: number;
  /** Of those, the ones that missed in the L1 (stalled). */
  memoryMisses?: number;
  /** Their stall [cycles], part of the monitor bucket (charged to the action's cause) and of `stall`. */
  memoryStallCycles?: number;
  /** Time not credited to any VM (CPUs that never ran a vCPU) [cycles]. */
  unattributed?: TimeBuckets;
  /** The NUMA policy's work (present when the `numaPolicy` option is 1). */
  numa?: NumaRecord;
  /** Memory sharing between VMs and the machine's footprint (docs/disco.md "Memory sharing"). */
  sharing?: SharingRecord;
}

/** Memory sharing over a run and the footprint at its end (the paper's Figure 6: V and M). */
export interface SharingRecord extends SharingCounts {
  /** Disk reads completed without the disk: every page of the request was in memory and was mapped [requests]. */
  diskReadsAvoided: number;
  /** V: guest pages the VMs use, summed over VMs (each VM's own view) [pages]. */
  vmPages: number;
  /** M: distinct machine pages behind them (each shared page once, replicas included) [pages]. */
  machinePages: number;
  /** Machine pages the monitor keeps for itself (its reserved pages and its data) [pages]. */
  monitorPages: number;
}

/** What the NUMA policy did (the units of the paper's Table 3). */
export interface NumaRecord {
  policyRuns: number;
  /** Hot pages examined over the run (a page hot in k intervals counts k times). */
  hotPages: number;
  migrations: number;
  replications: number;
  collapses: number;
  /** Per second of simulated time [1/s]. */
  migrationsPerSecond: number;
  replicationsPerSecond: number;
  /** Average cost of one, everything included (bookkeeping, copy, shootdowns) [µs]; null if none. */
  migrationCostUs: number | null;
  replicationCostUs: number | null;
  /** Replica pages at the end and at most [pages]. */
  replicaPages: number;
  replicaPagesPeak: number;
  /** Why hot pages stayed: write-shared, at the move limit, already where they should be, no memory on the node. */
  stayed: { writeShared: number; atLimit: number; alreadyPlaced: number; spread: number; noMemory: number };
  /** After each policy run: machine pages given to VMs (replicas included) on each node. */
  pagesPerNode: { cycle: number; pages: number[] }[];
}

export const RUN_RECORD_SCHEMA_ID = 'disco-lab/run@1';

export interface CounterSet {
  instructions: number;
  tlbMisses: { refill: number; invalid: number; modified: number };
  exceptions: Record<string, number>;
  cache: CacheCounters;
}

export interface CpuRecord {
  id: number;
  node: number;
  state: 'running' | 'waiting' | 'halted';
  buckets: TimeBuckets;
  counters: CounterSet;
}

export interface RunRecord {
  schema: typeof RUN_RECORD_SCHEMA_ID;
  name: string;
  mode: string;
  experiment: ExperimentConfig;
  machine: MachineConfig;
  seed: number;
  limits: { maxCycles?: number; maxInstructions?: number };
  status: { reason: StopReason; description: string; exitCode: number | null; exitCpu: number | null };
  partial: boolean;
  cycles: number;
  simulatedSeconds: number;
  cpuCount: number;
  cpus: CpuRecord[];
  totals: { buckets: TimeBuckets; counters: CounterSet; localMissFraction: number | null };
  vms: VmRecord[];
  monitor: MonitorRecord;
  console: { output: string; bytes: number; truncated: boolean };
  devices: {
    disk: { reads: number; writes: number; sectorsRead: number; sectorsWritten: number; errors: number };
    ipi: { sent: number };
    mmioAccesses: Record<string, number>;
  };
  stats: StatSpec[];
  /**
   * Guest kernel time per service, from the guest-statistics device (docs/guest-os.md "Kernel
   * time per service"): the machine's natively, the sum over the VMs under Disco; empty when the
   * guest wrote no marks.
   */
  guestStats: GuestStats;
  /** Mode "denali": the isolation kernel, the load and memory per VM (absent otherwise). */
  denali?: DenaliRecord;
  /** Mode "disco" with a `load`: what its clients saw (the shape of `denali.load`; absent otherwise). */
  load?: LoadRecord;
  /** `memoryMB`: the host process's peak resident memory, when the host measured it. */
  host: { seconds: number | null; guestMips: number | null; simulatedMHz: number | null; memoryMB?: number | null };
}

/** Descriptions of every number the record reports (gem5 `stats.txt` style). */
export const RUN_STATS: readonly StatSpec[] = [
  { name: 'cycles', description: 'Simulated time of the run (every CPU\'s buckets sum to it)', unit: 'cycles' },
  { name: 'simulatedSeconds', description: 'cycles / (clockMHz × 10^6)', unit: 's' },
  { name: 'buckets.user', description: 'Cycles executing in user mode (including its memory stall)', unit: 'cycles' },
  { name: 'buckets.kernel', description: 'Cycles executing in kernel or supervisor mode on the CPU itself (guest or bare-metal kernel)', unit: 'cycles' },
  { name: 'buckets.monitor', description: 'Cycles charged to the monitor (Disco) by its cost model', unit: 'cycles' },
  { name: 'buckets.idle', description: 'Cycles waiting (after `wait`, halted, or at the end of the run)', unit: 'cycles' },
  { name: 'buckets.stall', description: 'Memory stall cycles; already included in the user/kernel/monitor bucket that stalled', unit: 'cycles' },
  { name: 'counters.instructions', description: 'Instructions issued', unit: 'instructions' },
  { name: 'counters.tlbMisses.refill', description: 'TLB refill exceptions (no matching entry)', unit: 'misses' },
  { name: 'counters.tlbMisses.invalid', description: 'TLB invalid exceptions (matching entry with V = 0)', unit: 'misses' },
  { name: 'counters.tlbMisses.modified', description: 'TLB modified exceptions (store to an entry with D = 0)', unit: 'misses' },
  { name: 'counters.exceptions', description: 'Exceptions by ExcCode name (Int, TLBL, Sys, …)', unit: 'exceptions' },
  ...MEMORY_STATS.map((s) => ({ ...s, name: `counters.cache.${s.name}` })),
  { name: 'devices.disk.reads', description: 'Completed disk READ commands (disk → memory DMA)', unit: 'commands' },
  { name: 'devices.disk.writes', description: 'Completed disk WRITE commands (memory → disk DMA)', unit: 'commands' },
  { name: 'devices.disk.sectorsRead', description: 'Sectors transferred disk → memory', unit: 'sectors' },
  { name: 'devices.disk.sectorsWritten', description: 'Sectors transferred memory → disk', unit: 'sectors' },
  { name: 'devices.disk.errors', description: 'Rejected disk commands', unit: 'commands' },
  { name: 'devices.ipi.sent', description: 'Inter-processor interrupts sent (one per target CPU)', unit: 'IPIs' },
  { name: 'devices.mmioAccesses', description: 'Device register reads and writes, per device', unit: 'accesses' },
  { name: 'console.bytes', description: 'Bytes written to the console', unit: 'bytes' },
  { name: 'guestStats.<service>.calls', description: 'Calls of a guest kernel service that ended (marked by a guest booted with +stats)', unit: 'calls' },
  { name: 'guestStats.<service>.cycles', description: 'Cycles in the service, exclusive of nested services and of sleeping', unit: 'cycles' },
  { name: 'guestStats.<service>.cyclesPerCall', description: 'cycles / calls (0 without calls)', unit: 'cycles' },
  { name: 'totals.localMissFraction', description: 'localMisses / (localMisses + remoteMisses) over all CPUs; null without misses', unit: 'ratio' },
  { name: 'host.seconds', description: 'Wall-clock time of the run on the host', unit: 's' },
  { name: 'host.guestMips', description: 'Simulated instructions per host second, in millions', unit: 'MIPS' },
  { name: 'host.simulatedMHz', description: 'Simulated cycles per host second, in millions', unit: 'MHz' },
];

function addBuckets(a: TimeBuckets, b: TimeBuckets): TimeBuckets {
  return { user: a.user + b.user, kernel: a.kernel + b.kernel, monitor: a.monitor + b.monitor, idle: a.idle + b.idle, stall: a.stall + b.stall };
}

function addCounters(a: CounterSet, b: CounterSet): CounterSet {
  const exceptions: Record<string, number> = { ...a.exceptions };
  for (const [k, v] of Object.entries(b.exceptions)) exceptions[k] = (exceptions[k] ?? 0) + v;
  const cache = { ...a.cache };
  for (const k of Object.keys(cache) as (keyof CacheCounters)[]) cache[k] += b.cache[k];
  return {
    instructions: a.instructions + b.instructions,
    tlbMisses: { refill: a.tlbMisses.refill + b.tlbMisses.refill, invalid: a.tlbMisses.invalid + b.tlbMisses.invalid, modified: a.tlbMisses.modified + b.tlbMisses.modified },
    exceptions: sortKeys(exceptions),
    cache,
  };
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

export interface RecordInputs {
  experiment: ExperimentConfig;
  machine: Machine;
  result: RunResult;
  limits: { maxCycles?: number; maxInstructions?: number };
  /** Disco mode: the monitor (after `monitor.finish`). */
  monitor?: Monitor;
  /** Denali mode: the isolation kernel (after `finish`). */
  denali?: DenaliMonitor;
}

type Footprint = ReturnType<Monitor['memory']['footprint']>;

function vmRecords(mon: Monitor, fp: Footprint): VmRecord[] {
  return mon.vms.map((vm) => {
    const acct = mon.acct.vms[vm.id];
    const st = { traps: 0, emulated: 0, reflected: 0, switchesIn: 0 }, l2 = { hits: 0, misses: 0, inserts: 0 };
    for (const v of vm.vcpus) {
      st.traps += v.stats.traps; st.emulated += v.stats.emulated; st.reflected += v.stats.reflected; st.switchesIn += v.stats.switchesIn;
      const s = mon.l2[v.gid].stats; l2.hits += s.hits; l2.misses += s.misses; l2.inserts += s.inserts;
    }
    const d = vm.dev.disk;
    return {
      name: vm.name, vcpus: vm.vcpus.length, memoryMB: vm.memBytes / 1048576, kernbase: vm.kernbase >>> 0,
      status: vm.status, exitCode: vm.exitCode, stopReason: vm.stopReason, endCycle: vm.endCycle,
      buckets: { ...acct.buckets }, monitor: { byCause: sortKeys(acct.byCause) },
      console: { output: vm.consoleText(), bytes: vm.consoleOut.length },
      counters: { ...st, l2tlb: l2 },
      disk: { reads: d.reads, writes: d.writes, sectorsRead: d.sectorsRead, sectorsWritten: d.sectorsWritten, errors: d.errors, readsMapped: d.readsMapped, persistent: d.persistent },
      machinePages: vm.pmap.pages,
      footprint: fp.vms[vm.id],
      network: { sent: vm.dev.nic.sent, received: vm.dev.nic.received, pagesRemapped: vm.dev.nic.pagesRemapped, bytesCopied: vm.dev.nic.bytesCopied, ...(mon.clients ? { requests: mon.clients.answered[vm.id] } : {}) },
      misses: { ...acct.misses, localFraction: acct.misses.local + acct.misses.remote ? acct.misses.local / (acct.misses.local + acct.misses.remote) : null },
      guestStats: vm.dev.gstat.report(),
    };
  });
}

function sharingRecord(mon: Monitor, fp: Footprint): SharingRecord {
  const mm = mon.memmap;
  const zero: SharingCounts = { diskPagesMapped: 0, diskPagesRegistered: 0, imagePagesMapped: 0, cowCopies: 0, cowHandovers: 0, cowCycles: 0, sharedPages: 0, sharedPagesPeak: 0 };
  const c = mon.memory.shared?.counts ?? zero;
  return {
    ...c, diskReadsAvoided: mon.vms.reduce((n, vm) => n + vm.dev.disk.readsMapped, 0),
    vmPages: fp.vms.reduce((n, v) => n + v.pages, 0), machinePages: fp.machinePages, monitorPages: mm.pagesOwnedBy(MONITOR_VM),
  };
}

function numaRecord(mon: Monitor, seconds: number, clockMHz: number): NumaRecord {
  const m = mon.memory.moves, d = mon.numa!.decisions;
  const us = (cycles: number, n: number) => (n ? cycles / n / clockMHz : null);
  const rate = (n: number) => (seconds > 0 ? n / seconds : 0);
  return {
    policyRuns: mon.policies.calls[0] ?? 0, hotPages: d.hot,
    migrations: m.migrations, replications: m.replications, collapses: m.collapses,
    migrationsPerSecond: rate(m.migrations), replicationsPerSecond: rate(m.replications),
    migrationCostUs: us(m.migrationCycles, m.migrations), replicationCostUs: us(m.replicationCycles, m.replications),
    replicaPages: m.replicaPages, replicaPagesPeak: m.replicaPagesPeak,
    stayed: { writeShared: d.writeShared, atLimit: d.atLimit, alreadyPlaced: d.alreadyPlaced, spread: d.spread, noMemory: d.noMemory },
    pagesPerNode: mon.numa!.samples.map((x) => ({ cycle: x.cycle, pages: [...x.pagesPerNode] })),
  };
}

export function buildRunRecord({ experiment, machine, result, limits, monitor: mon, denali: den }: RecordInputs): RunRecord {
  const cfg = machine.config;
  const cpus: CpuRecord[] = machine.cpuReports().map((r) => ({
    id: r.id, node: r.node, state: r.state, buckets: r.buckets,
    counters: { instructions: r.instructions, tlbMisses: r.tlbMisses, exceptions: r.exceptions, cache: r.cache },
  }));
  const zeroB: TimeBuckets = { user: 0, kernel: 0, monitor: 0, idle: 0, stall: 0 };
  const zeroC: CounterSet = { instructions: 0, tlbMisses: { refill: 0, invalid: 0, modified: 0 }, exceptions: {}, cache: Object.fromEntries(MEMORY_STATS.map((s) => [s.name, 0])) as unknown as CacheCounters };
  const buckets = cpus.reduce((s, c) => addBuckets(s, c.buckets), zeroB);
  const counters = cpus.reduce((s, c) => addCounters(s, c.counters), zeroC);
  const misses = counters.cache.localMisses + counters.cache.remoteMisses;
  // the memory footprint (a walk over every VM's pmap), once for the VMs' records and the machine's
  const fp = mon ? mon.memory.footprint(mon.vms) : undefined;
  const vms = mon ? vmRecords(mon, fp!) : [];
  const byCause: Record<string, number> = {};
  for (const r of machine.cpuReports()) for (const [k, v] of Object.entries(r.monitorByCause)) byCause[k] = (byCause[k] ?? 0) + v;
  return {
    schema: RUN_RECORD_SCHEMA_ID,
    name: experiment.name,
    mode: experiment.mode,
    experiment,
    machine: cfg,
    seed: cfg.seed,
    limits,
    status: { reason: result.reason, description: STOP_REASONS[result.reason], exitCode: result.exitCode, exitCpu: result.exitCpu },
    partial: result.partial,
    cycles: result.cycles,
    simulatedSeconds: result.cycles / (cfg.clockMHz * 1e6),
    cpuCount: cpus.length,
    cpus,
    totals: { buckets, counters, localMissFraction: misses ? counters.cache.localMisses / misses : null },
    vms,
    monitor: mon ? {
      byCause: sortKeys(byCause),
      perCpu: machine.cpuReports().map((r) => sortKeys(r.monitorByCause)),
      costs: { ...mon.costs },
      ...Object.fromEntries(MONITOR_PARAMS.map((p) => [p.path, mon.options[p.path]])),
      traps: sortKeys(mon.counts.traps),
      emulated: sortKeys(mon.counts.emulated),
      hypercalls: sortKeys(mon.counts.hypercalls),
      switches: mon.counts.switches,
      migrations: mon.counts.migrations,
      tlbFlushes: mon.counts.tlbFlushes,
      pagesFreed: mon.counts.pagesFreed,
      pagesBacked: mon.counts.pagesBacked,
      memoryReferences: mon.mem?.counts.references ?? 0,
      memoryMisses: mon.mem?.counts.misses ?? 0,
      memoryStallCycles: mon.mem?.counts.stallCycles ?? 0,
      unattributed: { ...mon.acct.unattributed },
      ...(mon.numa ? { numa: numaRecord(mon, result.cycles / (cfg.clockMHz * 1e6), cfg.clockMHz) } : {}),
      sharing: sharingRecord(mon, fp!),
    } : den ? {
      byCause: sortKeys(byCause),
      perCpu: machine.cpuReports().map((r) => sortKeys(r.monitorByCause)),
      costs: { ...den.costs },
      traps: sortKeys(den.counts.traps),
      switches: den.counts.switches,
      migrations: den.counts.migrations,
      tlbFlushes: den.counts.tlbFlushes,
      unattributed: { ...den.acct.unattributed },
    } : { byCause: sortKeys(byCause) },
    console: { output: machine.console.text(), bytes: machine.console.outputBytes, truncated: machine.console.truncated },
    devices: {
      disk: { ...machine.disk.counters },
      ipi: { sent: machine.ipi.sent.reduce((a, b) => a + b, 0) },
      mmioAccesses: { ...machine.bus.accesses },
    },
    stats: RUN_STATS.map((s) => ({ ...s })),
    guestStats: mon ? sumGuestStats(vms.map((v) => v.guestStats)) : machine.gstat.clock.report(),
    ...(den ? { denali: denaliRecord(den, result.cycles, cfg.clockMHz, machine.memory.bytes, MONITOR_RESERVED_PAGES) } : {}),
    ...(mon?.clients ? { load: loadRecord(mon.clients.gen, result.cycles, cfg.clockMHz, mon.clients.doneAt) } : {}),
    host: { seconds: null, guestMips: null, simulatedMHz: null },
  };
}

/** Fills the host-speed fields from the wall-clock seconds the caller measured. */
export function withHostSpeed(record: RunRecord, seconds: number, memoryMB?: number): RunRecord {
  const ok = seconds > 0;
  return {
    ...record,
    host: {
      seconds,
      guestMips: ok ? record.totals.counters.instructions / seconds / 1e6 : null,
      simulatedMHz: ok ? record.cycles / seconds / 1e6 : null,
      ...(memoryMB !== undefined ? { memoryMB } : {}),
    },
  };
}
