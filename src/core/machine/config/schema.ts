/**
 * Generates the published JSON Schema of machine configs (`docs/machine-config.schema.json`)
 * from the parameter table. Regenerate with `npx tsx scripts/gen-schemas.ts`; a test fails when
 * the committed file differs from this output.
 *
 * Units and defaults appear in each property's `description` and `default`; gem5-style extra
 * keywords `x-unit` carry the unit for tools (JSON Schema ignores unknown keywords).
 * Cross-field rules (CPU and RAM limits, inclusive L2, matrix shape) are checked only by the
 * validator and are listed in the schema's top-level description.
 */
import { DISTANCE_PARAM, MACHINE_PARAMS, MAX_CPUS, MAX_RAM_MB, type ParamSpec } from './params';

type Json = Record<string, unknown>;

/** JSON Schema of one parameter: type, description with the unit, `x-unit`, default, range (also used for the monitor's options). */
export function leafSchema(p: ParamSpec): Json {
  const s: Json = {};
  if (p.type === 'enum') { s.type = 'string'; s.enum = [...p.values!]; } else s.type = p.type;
  s.description = p.unit ? `${p.description} [${p.unit}]` : p.description;
  if (p.unit) s['x-unit'] = p.unit;
  if (p.default !== undefined) s.default = p.default;
  if (p.min !== undefined) s.minimum = p.min;
  if (p.max !== undefined) s.maximum = p.max;
  if (p.powerOfTwo) s['x-powerOfTwo'] = true;
  return s;
}

const GROUP_DESCRIPTIONS: Record<string, string> = {
  caches: 'Per-CPU cache hierarchy: split L1 (instruction, data) and an inclusive board cache (L2)',
  'caches.l1i': 'First-level instruction cache of each CPU',
  'caches.l1d': 'First-level data cache of each CPU',
  'caches.l2': 'Second-level (board) cache of each CPU',
  latency: 'Minimum cache-miss latencies used to build the distance matrix when `distance` is absent',
};

export function machineConfigJsonSchema(): Json {
  const root: Json = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://disco-lab.invalid/schemas/machine-config.schema.json',
    title: 'Disco Lab machine config',
    description: `A FLASH-like ccNUMA MIPS multiprocessor. Also checked by the validator: nodes × cpusPerNode ≤ ${MAX_CPUS}; nodes × memoryPerNodeMB ≤ ${MAX_RAM_MB}; L1 sizes and lines ≤ L2's; each cache holds at least one set; distance is nodes × nodes. Generated from src/core/machine/config/params.ts — do not edit by hand.`,
    type: 'object',
    additionalProperties: false,
    properties: { $schema: { type: 'string', description: 'URI or path of this schema (ignored by the validator)' } } as Json,
  };
  for (const p of MACHINE_PARAMS) {
    const parts = p.path.split('.');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const props = node.properties as Json;
      const sub = parts.slice(0, i + 1).join('.');
      if (!props[parts[i]]) props[parts[i]] = { type: 'object', description: GROUP_DESCRIPTIONS[sub] ?? sub, additionalProperties: false, properties: {} };
      node = props[parts[i]] as Json;
    }
    (node.properties as Json)[parts[parts.length - 1]] = leafSchema(p);
  }
  (root.properties as Json).distance = {
    type: 'array',
    description: `${DISTANCE_PARAM.description} [${DISTANCE_PARAM.unit}]`,
    'x-unit': DISTANCE_PARAM.unit,
    minItems: 1,
    items: { type: 'array', minItems: 1, items: { type: 'number', minimum: DISTANCE_PARAM.min, maximum: DISTANCE_PARAM.max } },
  };
  return root;
}

/** The schema as the committed file's text (2-space JSON plus a newline). */
export function machineConfigSchemaText(): string {
  return JSON.stringify(machineConfigJsonSchema(), null, 2) + '\n';
}

/** The parameter table as Markdown (the body of docs/machine-config.md, generated). */
export function machineConfigMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = MACHINE_PARAMS.map((p) => {
    const type = p.type === 'enum' ? p.values!.map((v) => `'${v}'`).join(' \\| ') : p.type + (p.powerOfTwo ? ' (power of 2)' : '');
    const range = p.min !== undefined || p.max !== undefined ? `${p.min ?? ''} … ${p.max ?? ''}` : '';
    return `| \`${p.path}\` | ${type} | ${p.unit} | ${p.default === undefined ? '—' : `\`${JSON.stringify(p.default)}\``} | ${range} | ${esc(p.description)} |`;
  });
  return [
    '# Machine configuration',
    '',
    '<!-- Generated from src/core/machine/config/params.ts by `npx tsx scripts/gen-schemas.ts`; do not edit. -->',
    '',
    'A machine config is a JSON file (`resources/machines/*.json` presets, or a workspace\'s',
    '`machines/*.json`) validated against [machine-config.schema.json](machine-config.schema.json).',
    'Every field is optional; absent fields take the default below. The validator reports every',
    'problem as `path: message` (e.g. `caches.l1d.sizeKB: must be a power of two, got 33`).',
    '',
    '| parameter | type | unit | default | range | description |',
    '|---|---|---|---|---|---|',
    ...rows,
    `| \`distance\` | number[][] | ${DISTANCE_PARAM.unit} | from \`latency\` | ${DISTANCE_PARAM.min} … ${DISTANCE_PARAM.max} | ${esc(DISTANCE_PARAM.description)} |`,
    '',
    'Rules across fields: ' + `nodes × cpusPerNode ≤ ${MAX_CPUS}; nodes × memoryPerNodeMB ≤ ${MAX_RAM_MB} MiB (RAM ends below`,
    'the device window at 0x1F000000); the L2 is inclusive, so L1 sizes and line sizes must not exceed',
    'the L2\'s; every cache must hold at least one set (sizeKB × 1024 ≥ lineBytes × assoc); `distance`',
    'is nodes × nodes.',
    '',
    'Nanosecond latencies become cycles at `clockMHz`, rounded to the nearest cycle (FLASH at',
    '200 MHz: 300 ns local = 60 cycles, 900 ns remote = 180 cycles, 50 ns L2 hit = 10 cycles).',
    '',
    '## Presets',
    '',
    '| preset | shape | notes |',
    '|---|---|---|',
    '| `flash-8node` | 8 nodes × 1 CPU, 32 MiB each | FLASH as in the Disco paper\'s SimOS runs: 200 MHz, 32 KB split L1, 1 MB board cache, 300/900 ns |',
    '| `flash-4x2` | 4 nodes × 2 CPUs, 64 MiB each | the same machine with two CPUs per node |',
    '| `uma-smp4` | 1 node × 4 CPUs, 128 MiB | UMA reference: every miss 300 ns ("IRIX on UMA" in the paper\'s Figure 8) |',
    '| `uma-smp8` | 1 node × 8 CPUs, 256 MiB | the UMA machine the size of `flash-8node` (the `figure8` lab\'s "IRIX on UMA") |',
    '| `numa-2socket` | 2 nodes × 4 CPUs, 128 MiB each | a scaled-down modern 2-socket box: 2 GHz, 64 B lines, 90/140 ns as an explicit `distance` matrix |',
    '',
  ].join('\n');
}
