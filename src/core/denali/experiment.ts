/**
 * The `denali` object of a `mode: "denali"` experiment (docs/denali.md "Experiments"): the VM
 * groups, the load generator and the kernel's options. Its schema is part of the experiment
 * schema (src/core/experiment/config.ts) and so of docs/experiment.schema.json.
 */
import type { ConfigError } from '../machine/config/types';
import { denaliOptionsSchema, type DenaliOptionsInput } from './options';
import { DENALI_DEFAULT_COSTS } from './cost-model';
import type { LoadSpec } from '../load/loadgen';
import { loadSchema, validateLoad } from '../load/spec';
import { configInt } from '../experiment/schema-build';

export interface DenaliVmGroup {
  /** Name (default vm<i>); with count > 1 the VMs are <name>0, <name>1, … */
  name?: string;
  /** How many identical VMs (default 1). */
  count?: number;
  /** Each VM's memory [KiB] (default 32). */
  memoryKB?: number;
  /** The guest: a `.s` source or ELF linked at 0x1000, relative to the experiment (default: the built-in Ilwaco web server, resources/guest/denali/httpd.s). */
  program?: string;
}

export interface ExperimentDenali {
  vms: DenaliVmGroup[];
  load?: Partial<LoadSpec>;
  options?: DenaliOptionsInput;
}

/** At most this many VMs in one run. */
export const MAX_DENALI_VMS = 100_000;
export const DEFAULT_DENALI_MEMORY_KB = 32;
/** The built-in guest (resources/guest/denali/). */
export const DENALI_GUEST = { main: 'denali/httpd.s', dir: 'denali/' } as const;

export function denaliExperimentSchema(): Record<string, unknown> {
  return {
    type: 'object', additionalProperties: false, required: ['vms'],
    description: 'Mode "denali": lightweight paravirtual VMs under the Denali isolation kernel (docs/denali.md)',
    properties: {
      vms: {
        type: 'array', minItems: 1, maxItems: 64, description: `Groups of identical VMs (at most ${MAX_DENALI_VMS.toLocaleString('en-US')} VMs in all)`,
        items: {
          type: 'object', additionalProperties: false, description: 'One group of VMs',
          properties: {
            name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_.-]+$', description: 'Name (default vm<i>); with count > 1 the VMs are <name>0, <name>1, …' },
            count: configInt('How many identical VMs (default 1)', 1, MAX_DENALI_VMS, 1),
            memoryKB: configInt(`Each VM's memory, a multiple of 4 (default ${DEFAULT_DENALI_MEMORY_KB}; page 0 is its virtual-registers page, its program from 0x1000, its stack at the top) [KiB]`, 8, 65536, DEFAULT_DENALI_MEMORY_KB),
            program: { type: 'string', minLength: 1, description: 'The guest: a .s source (assembled with .text at 0x1000, .data at 0x2000) or an ELF linked there, relative to the experiment file; default the built-in Ilwaco web server (resources/guest/denali/httpd.s)' },
          },
        },
      },
      load: loadSchema(),
      options: denaliOptionsSchema(),
    },
  };
}

/** Checks the schema cannot express; `prefix` = 'denali'. */
export function validateDenali(d: ExperimentDenali): ConfigError[] {
  const errors: ConfigError[] = [];
  const n = d.vms.reduce((s, g) => s + (g.count ?? 1), 0);
  if (n > MAX_DENALI_VMS) errors.push({ path: 'denali.vms', message: `at most ${MAX_DENALI_VMS.toLocaleString('en-US')} VMs, got ${n.toLocaleString('en-US')}` });
  d.vms.forEach((g, i) => {
    if ((g.memoryKB ?? DEFAULT_DENALI_MEMORY_KB) % 4 !== 0) errors.push({ path: `denali.vms[${i}].memoryKB`, message: `must be a multiple of 4 (whole pages), got ${g.memoryKB}` });
  });
  const names = d.vms.map((g, i) => g.name ?? `vm${i}`);
  const dup = names.find((x, i) => names.indexOf(x) !== i);
  if (dup) errors.push({ path: 'denali.vms', message: `group names must be unique ('${dup}' appears twice)` });
  errors.push(...validateLoad(d.load, 'denali.load'));
  for (const k of Object.keys(d.options?.costs ?? {})) {
    if (!(k in DENALI_DEFAULT_COSTS)) errors.push({ path: `denali.options.costs.${k}`, message: `unknown cost '${k}' (known: ${Object.keys(DENALI_DEFAULT_COSTS).join(', ')})` });
  }
  return errors;
}
