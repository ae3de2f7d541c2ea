/**
 * The load generator's parameters as an experiment gives them (`denali.load`, or `load` of a
 * Disco experiment whose VMs serve it): the schema, the defaults and the checks the schema
 * cannot express. One definition for both monitors.
 */
import type { ConfigError } from '../machine/config/types';
import { DEFAULT_MIX, type LoadSpec } from './loadgen';
import { configInt, configNum } from '../experiment/schema-build';

export const DEFAULT_LOAD: LoadSpec = { clientsPerVm: 1, requestsPerClient: 10, thinkTimeUs: 1000, networkLatencyUs: 50, durationMs: 0, mix: DEFAULT_MIX.map((t) => ({ ...t })) };

/** The full spec: defaults for what `l` leaves out, each mix entry named (`type<i>`) and weighted (1). */
export function resolveLoad(l: Partial<LoadSpec> = {}): LoadSpec {
  const mix = (l.mix ?? DEFAULT_LOAD.mix).map((t, i) => ({ name: t.name ?? `type${i}`, responseBytes: t.responseBytes, weight: t.weight ?? 1 }));
  return { ...DEFAULT_LOAD, ...l, mix };
}

/** The JSON schema of a load object. */
export function loadSchema(): Record<string, unknown> {
  return {
    type: 'object', additionalProperties: false, description: 'The load generator: closed-loop clients on the other side of the virtual network',
    properties: {
      clientsPerVm: configInt('Clients per VM, each with one request outstanding at a time', 0, 1024, DEFAULT_LOAD.clientsPerVm),
      requestsPerClient: configInt('Requests each client sends, then stops (0: no limit — then durationMs or limits.maxCycles ends the run)', 0, 1e9, DEFAULT_LOAD.requestsPerClient),
      thinkTimeUs: configNum('Mean think time between a response and the client\'s next request, drawn uniformly from [0.5, 1.5] × this [µs]', 0, 1e9, DEFAULT_LOAD.thinkTimeUs),
      networkLatencyUs: configNum('One-way network latency [µs]', 0, 1e6, DEFAULT_LOAD.networkLatencyUs),
      durationMs: configNum('Clients send no request after this much simulated time (0: no limit) [ms]', 0, 1e9, DEFAULT_LOAD.durationMs),
      mix: {
        type: 'array', minItems: 1, maxItems: 32, description: 'The request mix: each request\'s type is drawn by weight',
        items: {
          type: 'object', additionalProperties: false, required: ['responseBytes'], description: 'One request type',
          properties: {
            name: { type: 'string', description: 'Its name' },
            responseBytes: configInt('Size of the response the guest must send (12 … 4096) [bytes]', 12, 4096),
            weight: configNum('Relative frequency (default 1)', 0, 1e9, 1),
          },
        },
      },
    },
  };
}

/** Checks the schema cannot express; `prefix` is the load object's path (`denali.load`, `load`). */
export function validateLoad(l: Partial<LoadSpec> | undefined, prefix: string): ConfigError[] {
  const errors: ConfigError[] = [];
  (l?.mix ?? []).forEach((t, i) => { if ((t.weight ?? 1) <= 0) errors.push({ path: `${prefix}.mix[${i}].weight`, message: 'must be > 0' }); });
  return errors;
}
