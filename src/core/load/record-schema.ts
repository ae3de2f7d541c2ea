/**
 * JSON schema of a run record's load section (summary.ts `LoadRecord`): `denali.load` of a
 * Denali run and `load` of a Disco run whose VMs serve the load generator. Part of
 * docs/run-record.schema.json.
 */
import type { JsonSchema } from '../experiment/json-schema';
import { recordCounts, recordInt, recordNum, recordNumOrNull, recordObject } from '../experiment/schema-build';

export const LOAD_RECORD_SCHEMA: JsonSchema = recordObject('The load generator', {
  clients: recordInt('Clients (clientsPerVm × VMs)'), sent: recordInt('Requests sent'), responses: recordInt('Responses received'), badResponses: recordInt('Responses of the wrong size or sequence number'),
  throughputPerSecond: recordNum('Responses per second of simulated time, from the first request\'s sending to the last response [1/s]'),
  meanResponseUs: recordNumOrNull('Mean time from a request\'s sending to its response\'s arrival [µs]'),
  loadEndCycle: { type: ['integer', 'null'], minimum: 0, description: 'When every client was done (the run then powers off) [cycles]' },
  loadStartCycle: { type: ['integer', 'null'], minimum: 0, description: 'When the first request was sent, null without requests (a guest OS boots first: its clients begin when it listens) [cycles]' },
  cpuCyclesPerRequest: recordNumOrNull('Busy CPU time (user + kernel + monitor, every CPU) from the first request\'s arrival to the last response, per response [cycles]'),
  byType: recordCounts('Responses by request type'),
  latencyUs: {
    anyOf: [
      recordObject('Response-time percentiles, from the histogram (the middle of the bin: ±2.2 %) [µs]', { p50: recordNum('Median [µs]'), p90: recordNum('90th percentile [µs]'), p99: recordNum('99th percentile [µs]'), max: recordNum('Upper end of the slowest response\'s bin [µs]') }),
      { type: 'null', description: 'No responses' },
    ],
    description: 'Response-time percentiles [µs], null without responses',
  },
  latencyHistogram: { type: 'array', description: 'The response-time distribution: the non-empty bins (16 per doubling)', items: recordObject('One bin', { fromUs: recordNum('Lower edge [µs]'), toUs: recordNum('Upper edge [µs]'), count: recordInt('Responses') }) },
  throughputOverTime: { type: 'array', description: 'Responses per second over the run, at most 100 spans of equal length', items: recordObject('One span', { fromMs: recordNum('Start [ms]'), toMs: recordNum('End [ms]'), perSecond: recordNum('Mean responses per second of simulated time in the span [1/s]') }) },
});
