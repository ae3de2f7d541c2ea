/**
 * What the load generator saw, for a run record (`denali.load` of a Denali run, `load` of a
 * Disco run whose VMs serve it — one shape, so the compare view sets them side by side):
 * throughput, response times as percentiles and a histogram, throughput over time.
 */
import { LATENCY_BINS_PER_DOUBLING, THROUGHPUT_BUCKET_CYCLES, type LoadGenerator } from './loadgen';

export interface LoadRecord {
  clients: number; sent: number; responses: number; badResponses: number;
  /** Responses per second of simulated time from the first request's sending to the last response [1/s]. */
  throughputPerSecond: number; meanResponseUs: number | null; loadEndCycle: number | null;
  /** The first request's sending [cycles], null without requests (a guest OS boots first: its clients begin when it listens). */
  loadStartCycle: number | null;
  /** Busy CPU time (user + kernel + monitor, every CPU) from the first request's arrival to the last response, per response [cycles]; null without responses. */
  cpuCyclesPerRequest: number | null;
  byType: Record<string, number>;
  /** Response-time percentiles [µs] (from the histogram: the middle of the bin, ±2.2 %); null without responses. */
  latencyUs: { p50: number; p90: number; p99: number; max: number } | null;
  /** The response-time distribution: non-empty bins, [fromUs, toUs) and count. */
  latencyHistogram: { fromUs: number; toUs: number; count: number }[];
  /** Responses per second over the run, at most 100 points: each the mean over [fromMs, toMs). */
  throughputOverTime: { fromMs: number; toMs: number; perSecond: number }[];
}

const binLow = (k: number) => 2 ** (k / LATENCY_BINS_PER_DOUBLING);
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Percentiles and the non-empty bins of the response-time histogram (cycles → µs). */
function latencySummary(bins: Float64Array, clockMHz: number): Pick<LoadRecord, 'latencyUs' | 'latencyHistogram'> {
  const total = bins.reduce((a, b) => a + b, 0);
  const us = (cycles: number) => round3(cycles / clockMHz);
  const latencyHistogram: LoadRecord['latencyHistogram'] = [];
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
function throughputSeries(perBucket: readonly number[], clockMHz: number): LoadRecord['throughputOverTime'] {
  const per = Math.max(1, Math.ceil(perBucket.length / 100)), bucketMs = THROUGHPUT_BUCKET_CYCLES / clockMHz / 1000, out: LoadRecord['throughputOverTime'] = [];
  for (let i = 0; i < perBucket.length; i += per) {
    const n = Math.min(per, perBucket.length - i);
    let sum = 0;
    for (let j = i; j < i + n; j++) sum += perBucket[j];
    out.push({ fromMs: round3(i * bucketMs), toMs: round3((i + n) * bucketMs), perSecond: round3(sum / (n * bucketMs / 1000)) });
  }
  return out;
}

/** The record of `gen` at the end of a run of `cycles`; `loadEndCycle` = when every client was done (null: not yet). */
export function loadRecord(gen: LoadGenerator, cycles: number, clockMHz: number, loadEndCycle: number | null): LoadRecord {
  const ls = gen.stats;
  const start = Math.max(0, ls.firstSent), end = ls.lastResponse > 0 ? ls.lastResponse : cycles;
  return {
    clients: gen.clients, sent: ls.sent, responses: ls.responses, badResponses: ls.badResponses,
    throughputPerSecond: end > start ? ls.responses / ((end - start) / (clockMHz * 1e6)) : 0,
    meanResponseUs: ls.responses ? ls.responseCycles / ls.responses / clockMHz : null,
    loadEndCycle,
    loadStartCycle: ls.firstSent >= 0 ? ls.firstSent : null,
    cpuCyclesPerRequest: ls.responses && ls.busyAtFirst >= 0 ? (ls.busyAtLast - ls.busyAtFirst) / ls.responses : null,
    byType: Object.fromEntries(gen.spec.mix.map((t, i) => [t.name, ls.byType[i]])),
    ...latencySummary(gen.latencyBins, clockMHz),
    throughputOverTime: throughputSeries(gen.perBucket, clockMHz),
  };
}
