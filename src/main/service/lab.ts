/**
 * The lab part of the service: assembler checks, runs, run records, machine and experiment
 * validation. Split from service.ts to keep the workspace part readable.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EXPERIMENT_SCHEMA, validateExperiment } from '../../core/experiment/config';
import { validateJson } from '../../core/experiment/json-schema';
import { RUN_RECORD_SCHEMA } from '../../core/experiment/run-record-schema';
import { machineConfigJsonSchema } from '../../core/machine/config/schema';
import { MONITOR_CAUSES } from '../../core/disco/causes';
import type { RunRecord } from '../../core/experiment/record';
import { DISTANCE_PARAM, MACHINE_PARAMS } from '../../core/machine/config/params';
import { validateMachineConfig } from '../../core/machine/config/validate';
import { fail, machineKey, workloadKey, type DiscoService, type FileNode, type MachinePreset, type RunSummary } from '../../shared/api';
import { readMachinePreset, resourcesDir } from '../resources';
import type { RunManager } from '../run/manager';
import type { Workspace } from '../workspace/workspace';
import { assembleInWorkspace } from './asm';
import { copyExample, listExamples } from './examples';

type Lab = Pick<DiscoService, 'asm' | 'runs' | 'machine' | 'experiment' | 'monitor' | 'examples'>;

/** Parses and checks a run record; E_INVALID_INPUT names the first problems. */
export function parseRunRecord(text: string, path: string): RunRecord {
  let v: unknown;
  try { v = JSON.parse(text); } catch (e) { throw fail('E_INVALID_INPUT', `${path}: invalid JSON: ${(e as Error).message}`); }
  if (!v || typeof v !== 'object' || (v as { schema?: unknown }).schema !== 'disco-lab/run@1') throw fail('E_INVALID_INPUT', `${path}: not a run record (schema disco-lab/run@1)`);
  const errors = validateJson(RUN_RECORD_SCHEMA, v);
  if (errors.length) throw fail('E_INVALID_INPUT', `${path}: ${errors.slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return v as RunRecord;
}

/** The examples folder: resources/examples of this Disco Lab (undefined when not found). */
function defaultExamplesDir(): string | undefined {
  const r = resourcesDir();
  return r ? join(r, 'examples') : undefined;
}

export function createLabPart(ws: () => Workspace, runs: RunManager, examplesDir: string | undefined = defaultExamplesDir()): Lab {
  return {
    asm: {
      assemble: ({ path, text }) => assembleInWorkspace(ws(), path, text),
    },
    runs: {
      start: (path) => runs.start(path),
      stop: (id) => runs.stop(id),
      active: () => runs.active(),
      list: async () => {
        let tree: FileNode;
        try { tree = (await ws().list('runs')).root; } catch { return []; }
        const files = (tree.children ?? []).filter((f) => f.kind === 'file' && f.name.endsWith('.json'));
        const out: RunSummary[] = [];
        for (const f of files) {
          try {
            const r = parseRunRecord((await ws().read(f.path)).content, f.path);
            out.push({
              path: f.path, name: r.name, mode: r.mode, partial: r.partial, reason: r.status.reason, cycles: r.cycles, cpuCount: r.cpuCount, mtimeMs: f.mtimeMs,
              workload: workloadKey(r.experiment), machineKey: machineKey(r.machine), hostSeconds: r.host?.seconds ?? null,
            });
          } catch { /* not a run record: skipped */ }
        }
        return out.sort((a, b) => b.mtimeMs - a.mtimeMs || b.path.localeCompare(a.path));
      },
      read: async (path) => parseRunRecord((await ws().read(path)).content, path),
      schema: () => RUN_RECORD_SCHEMA as Record<string, unknown>,
    },
    machine: {
      params: () => [
        ...MACHINE_PARAMS.map((p) => ({ path: p.path, type: p.type, unit: p.unit, default: p.default, min: p.min, max: p.max, values: p.values, description: p.description })),
        { path: DISTANCE_PARAM.path, type: 'matrix', unit: DISTANCE_PARAM.unit, min: DISTANCE_PARAM.min, max: DISTANCE_PARAM.max, description: DISTANCE_PARAM.description },
      ],
      presets: async () => {
        const dir = resourcesDir();
        if (!dir) return [];
        const out: MachinePreset[] = [];
        for (const file of (await readdir(join(dir, 'machines'))).filter((n) => n.endsWith('.json')).sort()) {
          const name = file.replace(/\.json$/, '');
          const p = await readMachinePreset(name, dir);
          try {
            if (!p) continue;
            const config = JSON.parse(p.text) as Record<string, unknown>;
            delete config.$schema;
            out.push({ name, config });
          } catch { /* a broken preset is skipped */ }
        }
        return out;
      },
      validate: (config) => {
        const r = validateMachineConfig(stripSchema(config));
        return r.ok ? { ok: true, errors: [] } : { ok: false, errors: r.errors };
      },
      schema: () => machineConfigJsonSchema(),
    },
    experiment: {
      schema: () => EXPERIMENT_SCHEMA as Record<string, unknown>,
      validate: (config) => {
        const r = validateExperiment(config);
        return r.ok ? { ok: true, errors: [] } : { ok: false, errors: r.errors };
      },
    },
    monitor: {
      causes: () => ({ ...MONITOR_CAUSES }),
    },
    examples: {
      list: () => listExamples(ws(), examplesDir),
      copy: (path) => copyExample(ws(), examplesDir, path),
    },
  };
}

function stripSchema(v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v) && '$schema' in v) {
    const { $schema: _, ...rest } = v as Record<string, unknown>;
    return rest;
  }
  return v;
}
