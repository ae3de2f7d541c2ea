// Regenerates the published JSON Schemas from their single sources in src/core:
//   docs/machine-config.schema.json  ← src/core/machine/config/params.ts
//   docs/machine-config.md           ← the same table, as Markdown
//   docs/experiment.schema.json      ← src/core/experiment/config.ts
//   docs/run-record.schema.json      ← src/core/experiment/run-record-schema.ts
//   docs/disco.md (option table)     ← src/core/disco/options.ts
//   docs/lab.schema.json             ← src/core/labs/lab.ts
// Run: npx tsx scripts/gen-schemas.ts   (test/core/machine/config/schema.test.ts checks they are current)
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineConfigMarkdown, machineConfigSchemaText } from '../src/core/machine/config/schema';
import { EXPERIMENT_SCHEMA } from '../src/core/experiment/config';
import { runRecordSchemaText } from '../src/core/experiment/run-record-schema';
import { withMonitorOptionsTable } from '../src/core/disco/options';
import { LAB_SCHEMA } from '../src/core/labs/lab';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');
const files: [string, string][] = [
  ['machine-config.schema.json', machineConfigSchemaText()],
  ['machine-config.md', machineConfigMarkdown()],
  ['experiment.schema.json', JSON.stringify(EXPERIMENT_SCHEMA, null, 2) + '\n'],
  ['run-record.schema.json', runRecordSchemaText()],
  ['lab.schema.json', JSON.stringify(LAB_SCHEMA, null, 2) + '\n'],
];
files.push(['disco.md', withMonitorOptionsTable(readFileSync(join(docs, 'disco.md'), 'utf8'))]);
for (const [name, text] of files) {
  writeFileSync(join(docs, name), text);
  console.log(`wrote docs/${name}`);
}
