/**
 * JSON schema of a run record's load section (summary.ts `LoadRecord`): `denali.load` of a
 * Denali run and `load` of a Disco run whose VMs serve the load generator. Part of
 * docs/run-record.schema.json.
 */
import type { JsonSchema } from '../experiment/json-schema';

const obj = (description: string, properties: Record<string, JsonSchema>): JsonSchema => ({ type: 'object', description, additionalProperties: false, required: Object.keys(properties), properties });
const int = (d: string): JsonSchema => ({ type: 'integer', minimum: 0, description: d });
const num = (d: string): JsonSchema => ({ type: 'number', minimum: 0, description: d });
const numOrNull = (d: string): JsonSchema => ({ type: ['number', 'null'], minimum: 0, description: d });
const counts = (d: string): JsonSchema => ({ type: 'object', description: d, additionalProperties: { type: 'integer', minimum: 0 } });

export const LOAD_RECORD_SCHEMA: JsonSchema = obj('The load generator', {
  clients: int('Clients (clientsPerVm × VMs)'), sent: int('Requests sent'), responses: int('Responses received'), badResponses: int('Responses of the wrong size or sequence number'),
  throughputPerSecond: num('Responses per second of simulated time, from the first request\'s sending to the last response [1/s]'),
  meanResponseUs: numOrNull('Mean time from a request\'s sending to its response\'s arrival [µs]'),
  loadEndCycle: { type: ['integer', 'null'], minimum: 0, description: 'When every client was done (the run then powers off) [cycles]' },
  loadStartCycle: { type: ['integer', 'null'], minimum: 0, description: 'When the first request was sent, null without requests (a guest OS boots first: its clients begin when it listens) [cycles]' },
  cpuCyclesPerRequest: numOrNull('Busy CPU time (user + kernel + monitor, every CPU) from the first request\'s arrival to the last response, per response [cycles]'),
  byType: counts('Responses by request type'),
  latencyUs: {
    anyOf: [
      obj('Response-time percentiles, from the histogram (the middle of the bin: ±2.2 %) [µs]', { p50: num('Median [µs]'), p90: num('90th percentile [µs]'), p99: num('99th percentile [µs]'), max: num('Upper end of the slowest response\'s bin [µs]') }),
      { type: 'null', description: 'No responses' },
    ],
    description: 'Response-time percentiles [µs], null without responses',
  },
  latencyHistogram: { type: 'array', description: 'The response-time distribution: the non-empty bins (16 per doubling)', items: obj('One bin', { fromUs: num('Lower edge [µs]'), toUs: num('Upper edge [µs]'), count: int('Responses') }) },
  throughputOverTime: { type: 'array', description: 'Responses per second over the run, at most 100 spans of equal length', items: obj('One span', { fromMs: num('Start [ms]'), toMs: num('End [ms]'), perSecond: num('Mean responses per second of simulated time in the span [1/s]') }) },
});
