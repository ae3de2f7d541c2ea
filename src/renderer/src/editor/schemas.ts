/**
 * The published JSON schemas in the JSON editor: machine configs (machines/*.json), experiments
 * (experiments/*.json) and run records (runs/*.json), as the host serves them
 * (`machine.schema()`, `experiment.schema()`, `runs.schema()` — the same objects that generate
 * docs/*.schema.json). Monaco's JSON worker validates, completes and hovers from them; nothing is
 * fetched (schema requests are off, the CSP forbids them anyway).
 *
 * A file may name its schema itself (`"$schema": "../../../docs/experiment.schema.json"`, as the
 * shipped examples do); Monaco then looks the schema up by that reference resolved against the
 * file's URI, so each such resolved URI is registered too (`noteSchemaReference`).
 */
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import { api } from '../api';

type Kind = 'machine' | 'experiment' | 'run';
const FILES: Record<Kind, { file: string; fileMatch: string[] }> = {
  machine: { file: 'machine-config.schema.json', fileMatch: ['machines/*.json'] },
  experiment: { file: 'experiment.schema.json', fileMatch: ['experiments/*.json', 'experiments/**/*.json'] },
  run: { file: 'run-record.schema.json', fileMatch: ['runs/*.json'] },
};

const schemas: Partial<Record<Kind, Record<string, unknown>>> = {};
const extraUris: Record<Kind, Set<string>> = { machine: new Set(), experiment: new Set(), run: new Set() };
let loading: Promise<void> | undefined;

function apply(): void {
  const entries = [];
  for (const kind of Object.keys(FILES) as Kind[]) {
    const schema = schemas[kind];
    if (!schema) continue;
    entries.push({ uri: `https://disco-lab.invalid/schemas/${FILES[kind].file}`, fileMatch: FILES[kind].fileMatch, schema });
    for (const uri of extraUris[kind]) entries.push({ uri, schema });
  }
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    trailingCommas: 'error',
    enableSchemaRequest: false,
    schemaRequest: 'ignore',
    schemaValidation: 'error',
    schemas: entries,
  });
}

/** Loads the three schemas from the host once (later calls wait for the same load). */
export function loadSchemas(): Promise<void> {
  loading ??= Promise.all([
    api.machine.schema().then((s) => { schemas.machine = s; }, () => {}),
    api.experiment.schema().then((s) => { schemas.experiment = s; }, () => {}),
    api.runs.schema().then((s) => { schemas.run = s; }, () => {}),
  ]).then(apply);
  return loading;
}

/** `joinPath` + `normalizePath` of Monaco's JSON worker: how it resolves a relative `$schema`. */
export function resolveAgainst(modelUri: string, ref: string): string {
  const m = /^([a-z][\w+.-]*:)(\/\/[^/]*)?(.*)$/i.exec(modelUri);
  if (!m) return ref;
  const [, scheme, authority = '', path] = m;
  const base = ref.startsWith('/') ? [] : path.split('/').slice(0, -1);
  const out: string[] = [];
  for (const part of [...base, ...ref.split('/')]) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `${scheme}${authority}/${out.join('/')}`;
}

/**
 * Registers the schema a JSON file names in its `$schema` (resolved against its model URI) when
 * it is one of the published three; returns whether anything changed.
 */
export function noteSchemaReference(modelUri: string, text: string): boolean {
  const m = /"\$schema"\s*:\s*"([^"]+)"/.exec(text.slice(0, 2000));
  if (!m || /^[a-z][\w+.-]*:/i.test(m[1])) return false;
  const name = m[1].split('/').pop();
  const kind = (Object.keys(FILES) as Kind[]).find((k) => FILES[k].file === name);
  if (!kind) return false;
  const uri = resolveAgainst(modelUri, m[1]);
  if (extraUris[kind].has(uri)) return false;
  extraUris[kind].add(uri);
  apply();
  return true;
}
