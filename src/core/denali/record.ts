/**
 * The `denali` section of a run record (docs/run-record.schema.json): what the isolation kernel
 * and the load generator did, memory per VM, and the VMs that stopped (with their reasons).
 */
import type { DenaliMonitor } from './monitor';
import { metadataBytes } from './vm';
import type { ResolvedDenaliOptions } from './options';
import { LATENCY_BINS_PER_DOUBLING, THROUGHPUT_BUCKET_CYCLES } from './loadgen';

export interface DenaliRecord {
  options: Omit<ResolvedDenaliOptions, 'costs'>;
  costs: Record<string, number>;
  vmCount: number;
  groups: { name: string; count: number; memoryKB: number; exited: number; stopped: number; requests: number }[];
  memory: {
    machineMB: number; reservedMB: number; guestKBPerVm: number; metadataBytesPerVm: number;
    residentVmsAtEnd: number; residentVmsPeak: number; guestMBTotal: number;
  };
  load: {
    clients: number; sent: number; responses: number; badResponses: number;
    throughputPerSecond: number; meanResponseUs: number | null; loadEndCycle: number | null;
    byType: Record<string, number>;
    /** Response-time percentiles [µs] (from the histogram: the middle of the bin, ±2.2 %); null without responses. */
    latencyUs: { p50: number; p90: number; p99: number; max: number } | null;
    /** The response-time distribution: non-empty bins, [fromUs, toUs) and count. */
    latencyHistogram: { fromUs: number; toUs: number; count: number }[];
    /** Responses per second over the run, at most 100 points: each the mean over [fromMs, toMs). */
    throughputOverTime: { fromMs: number; toMs: number; perSecond: number }[];
  };
  interrupts: { posted: number; kicks: number; preemptions: number };
  calls: Record<string, number>;
  traps: Record<string, number>;
  switches: number;
  tlbFlushes: number;
  asidRollovers: number;
  refills: number;
  /** Monitor cycles of the switches (schedule + schedule.tlbFlush) per switch [cycles], null without switches. */
  switchCycles: number | null;
  switchUs: number | null;
  /** The same plus the TLB refills the VMs took (refills follow switches: the TLB holds few VMs' pages) [µs], null without switches. */
  switchWithRefillsUs: number | null;
  swap: { admitted: number; swapIns: number; swapOuts: number; pagesIn: number; pagesOut: number; diskBusyMs: number; meanSwapInWaitMs: number | null; noVictim: number };
  perVmRequests: { min: number; mean: number; max: number };
  /** Up to 100 VMs that the kernel stopped, with the reason (the rest are counted in groups). */
  stopped: { name: string; reason: string; cycle: number | null }[];
}

const sortKeys = <T>(o: Record<string, T>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

const binLow = (k: number) => 2 ** (k / LATENCY_BINS_PER_DOUBLING);
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Percentiles and the non-empty bins of the response-time histogram (cycles → µs). */
function latencySummary(bins: Float64Array, clockMHz: number): Pick<DenaliRecord['load'], 'latencyUs' | 'latencyHistogram'> {
  const total = bins.reduce((a, b) => a + b, 0);
  const us = (cycles: number) => round3(cycles / clockMHz);
  const latencyHistogram: DenaliRecord['load']['latencyHistogram'] = [];
  bins.forEach((c, k) => { if (c > 0) latencyHistogram.push({ fromUs: us(binLow(k)), toUs: us(binLow(k + 1)), count: c }); });
  if (total === 0) return { latencyUs: null, latencyHistogram };
  const at = (q: number) => {
    let seen = 0;
    for (let k = 0; k < bins.length; k++) { seen += bins[k]; if (seen >= q * total) return us(Math.sqrt(binLow(k) * binLow(k + 1))); }
    return 0;
  };
  let last = bins.length - 1;
  while (bins[last] === 0) last--;
  return { latencyUs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: us(binLow(last + 1)) }, latencyHistogram };
}

/** Responses per second in at most 100 spans of equal length over the buckets. */
function throughputSeries(perBucket: readonly number[], clockMHz: number): DenaliRecord['load']['throughputOverTime'] {
  const per = Math.max(1, Math.ceil(perBucket.length / 100)), bucketMs = THROUGHPUT_BUCKET_CYCLES / clockMHz / 1000, out: DenaliRecord['load']['throughputOverTime'] = [];
  for (let i = 0; i < perBucket.length; i += per) {
    const n = Math.min(per, perBucket.length - i);
    let sum = 0;
    for (let j = i; j < i + n; j++) sum += perBucket[j];
    out.push({ fromMs: round3(i * bucketMs), toMs: round3((i + n) * bucketMs), perSecond: round3(sum / (n * bucketMs / 1000)) });
  }
  return out;
}

export function denaliRecord(m: DenaliMonitor, cycles: number, clockMHz: number, machineBytes: number, reservedPages: number): DenaliRecord {
  const { costs, ...options } = m.options;
  const ls = m.load.stats;
  const byCause: Record<string, number> = {};
  for (const a of m.acct.vms) for (const [k, v] of Object.entries(a.byCause)) byCause[k] = (byCause[k] ?? 0) + v;
  const sw = (byCause.schedule ?? 0) + (byCause['schedule.tlbFlush'] ?? 0);
  const reqs = m.vms.map((v) => v.stats.requests);
  const end = ls.lastResponse > 0 ? ls.lastResponse : cycles;
  const g = m.gate.stats;
  const guestKB = m.vms.reduce((s, v) => s + v.memBytes / 1024, 0);
  return {
    options, costs: { ...costs },
    vmCount: m.vms.length,
    groups: m.groups.map((gr, i) => {
      const vs = m.vms.filter((v) => v.group === i);
      return { name: gr.name, count: gr.count, memoryKB: gr.memoryKB, exited: vs.filter((v) => v.status === 'exited').length, stopped: vs.filter((v) => v.status === 'stopped').length, requests: vs.reduce((s, v) => s + v.stats.requests, 0) };
    }),
    memory: {
      machineMB: machineBytes / 1048576, reservedMB: reservedPages / 256,
      guestKBPerVm: m.vms.length ? guestKB / m.vms.length : 0,
      metadataBytesPerVm: m.vms.length ? m.vms.reduce((s, v) => s + metadataBytes(v.pages.length, v.asid.length), 0) / m.vms.length : 0,
      residentVmsAtEnd: m.gate.residentVms, residentVmsPeak: g.residentPeak, guestMBTotal: guestKB / 1024,
    },
    load: {
      clients: m.load.clients, sent: ls.sent, responses: ls.responses, badResponses: ls.badResponses,
      throughputPerSecond: end > 0 ? ls.responses / (end / (clockMHz * 1e6)) : 0,
      meanResponseUs: ls.responses ? ls.responseCycles / ls.responses / clockMHz : null,
      loadEndCycle: m.loadDoneAt,
      byType: Object.fromEntries(m.load.spec.mix.map((t, i) => [t.name, ls.byType[i]])),
      ...latencySummary(m.load.latencyBins, clockMHz),
      throughputOverTime: throughputSeries(m.load.perBucket, clockMHz),
    },
    interrupts: { posted: m.counts.posted, kicks: m.counts.kicks, preemptions: m.counts.preemptions },
    calls: sortKeys(m.counts.calls),
    traps: sortKeys(m.counts.traps),
    switches: m.counts.switches,
    tlbFlushes: m.counts.tlbFlushes,
    asidRollovers: m.asids.stats.rollovers,
    refills: m.counts.refills,
    switchCycles: m.counts.switches ? sw / m.counts.switches : null,
    switchUs: m.counts.switches ? sw / m.counts.switches / clockMHz : null,
    switchWithRefillsUs: m.counts.switches ? (sw + (byCause['tlb.refill'] ?? 0)) / m.counts.switches / clockMHz : null,
    swap: {
      admitted: g.admitted, swapIns: g.swapIns, swapOuts: g.swapOuts, pagesIn: g.pagesIn, pagesOut: g.pagesOut,
      diskBusyMs: g.diskBusyCycles / clockMHz / 1000, meanSwapInWaitMs: g.swapIns ? g.waitCycles / g.swapIns / clockMHz / 1000 : null, noVictim: g.noVictim,
    },
    perVmRequests: { min: reqs.length ? Math.min(...reqs) : 0, mean: reqs.length ? reqs.reduce((a, b) => a + b, 0) / reqs.length : 0, max: reqs.length ? Math.max(...reqs) : 0 },
    stopped: m.vms.filter((v) => v.status === 'stopped').slice(0, 100).map((v) => ({ name: v.name, reason: v.stopReason ?? '', cycle: v.endCycle })),
  };
}
