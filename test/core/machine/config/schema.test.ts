import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { machineConfigJsonSchema, machineConfigMarkdown, machineConfigSchemaText } from '../../../../src/core/machine/config/schema';
import { EXPERIMENT_SCHEMA } from '../../../../src/core/experiment/config';
import { runRecordSchemaText } from '../../../../src/core/experiment/run-record-schema';
import { undescribed, validateJson } from '../../../../src/core/experiment/json-schema';
import { ROOT, readPreset } from '../helpers/bare';
import { withMonitorOptionsTable } from '../../../../src/core/disco/options';
import { LAB_SCHEMA, validateLab } from '../../../../src/core/labs/lab';

const doc = (name: string) => readFileSync(join(ROOT, 'docs', name), 'utf8');

describe('published schemas', () => {
  it('docs/machine-config.schema.json is generated from the parameter table (run npx tsx scripts/gen-schemas.ts)', () => {
    expect(doc('machine-config.schema.json')).toBe(machineConfigSchemaText());
  });
  it('docs/machine-config.md (the parameter table) is current', () => {
    expect(doc('machine-config.md')).toBe(machineConfigMarkdown());
  });
  it('docs/experiment.schema.json is current', () => {
    expect(doc('experiment.schema.json')).toBe(JSON.stringify(EXPERIMENT_SCHEMA, null, 2) + '\n');
  });
  it('docs/run-record.schema.json is current', () => {
    expect(doc('run-record.schema.json')).toBe(runRecordSchemaText());
  });
  it('docs/disco.md\'s monitor-option table is current', () => {
    expect(doc('disco.md')).toBe(withMonitorOptionsTable(doc('disco.md')));
  });
  it('docs/lab.schema.json is current, and every shipped lab validates', () => {
    expect(doc('lab.schema.json')).toBe(JSON.stringify(LAB_SCHEMA, null, 2) + '\n');
    const dir = join(ROOT, 'resources', 'examples', 'labs');
    const labs = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(labs.length).toBeGreaterThanOrEqual(3);
    for (const f of labs) {
      const lab = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      expect(validateLab(lab).ok ? [] : (validateLab(lab) as { errors: unknown[] }).errors, f).toEqual([]);
      expect(validateJson(LAB_SCHEMA, lab), f).toEqual([]);
      expect(`${lab.name}.json`).toBe(f);
    }
  });
  it('every property of every schema has a description', () => {
    expect(undescribed(machineConfigJsonSchema())).toEqual([]);
    expect(undescribed(EXPERIMENT_SCHEMA)).toEqual([]);
    expect(undescribed(LAB_SCHEMA)).toEqual([]);
    expect(undescribed(JSON.parse(runRecordSchemaText()))).toEqual([]);
  });
  it('every preset validates against the machine schema too', () => {
    for (const f of readdirSync(join(ROOT, 'resources', 'machines'))) {
      expect(validateJson(machineConfigJsonSchema(), readPreset(f.replace('.json', ''))), f).toEqual([]);
    }
  });
  it('the schema rejects what the validator rejects field by field', () => {
    const e = validateJson(machineConfigJsonSchema(), { nodes: 0, caches: { l1d: { assoc: 'two' } }, bogus: 1 });
    expect(e.map((x) => x.path).sort()).toEqual(['bogus', 'caches.l1d.assoc', 'nodes']);
  });
});
