import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MACHINE_PARAMS, MAX_CPUS } from '../../../../src/core/machine/config/params';
import { defaultMachineConfig, formatConfigErrors, mergeConfig, validateMachineConfig } from '../../../../src/core/machine/config/validate';
import { cpuCount, nsToCycles, ramBytes } from '../../../../src/core/machine/config/types';
import { ROOT, readPreset } from '../helpers/bare';

function setPath(path: string, v: unknown): Record<string, unknown> {
  const parts = path.split('.');
  const root: Record<string, unknown> = {};
  let o = root;
  for (let i = 0; i < parts.length - 1; i++) { o[parts[i]] = {}; o = o[parts[i]] as Record<string, unknown>; }
  o[parts[parts.length - 1]] = v;
  return root;
}

function errorsOf(input: unknown) {
  const r = validateMachineConfig(input);
  return r.ok ? [] : r.errors;
}

describe('machine config validation', () => {
  it('fills every default for an empty config', () => {
    const c = defaultMachineConfig();
    for (const p of MACHINE_PARAMS) {
      if (p.default === undefined) continue;
      const v = p.path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], c);
      expect(v, p.path).toBe(p.default);
    }
    expect(c.distance).toEqual([[300]]);
    expect(cpuCount(c)).toBe(1);
    expect(ramBytes(c)).toBe(16 * 1024 * 1024);
    expect(nsToCycles(c, 300)).toBe(60);
  });

  it('every parameter has a description and numeric ones a unit', () => {
    for (const p of MACHINE_PARAMS) {
      expect(p.description.length, p.path).toBeGreaterThan(10);
      if ((p.type === 'integer' || p.type === 'number') && p.path !== 'seed') expect(p.unit, p.path).not.toBe('');
    }
  });

  // Each field: a value of the wrong type, and values outside its range, give an error at its path.
  for (const p of MACHINE_PARAMS) {
    it(`reports a field-level error for a bad ${p.path}`, () => {
      const wrongType = p.type === 'string' || p.type === 'enum' ? 42 : 'x';
      const e = errorsOf(setPath(p.path, wrongType));
      expect(e.map((x) => x.path)).toContain(p.path);
      expect(e.find((x) => x.path === p.path)!.message).toMatch(/must be/);
      if (p.min !== undefined) expect(errorsOf(setPath(p.path, p.min - 1)).map((x) => x.path)).toContain(p.path);
      if (p.max !== undefined) expect(errorsOf(setPath(p.path, p.max + 1)).map((x) => x.path)).toContain(p.path);
      if (p.type === 'integer' && !p.powerOfTwo) expect(errorsOf(setPath(p.path, (p.min ?? 0) + 1.5)).map((x) => x.path)).toContain(p.path);
      if (p.powerOfTwo) expect(errorsOf(setPath(p.path, 3 * (p.min ?? 1))).find((x) => x.path === p.path)?.message).toMatch(/power of two/);
      if (p.type === 'enum') expect(errorsOf(setPath(p.path, 'nope'))[0].message).toMatch(/one of 'fast', 'timing'/);
    });
  }

  it('reports every error, not only the first', () => {
    const e = errorsOf({ nodes: 0, clockMHz: -1, cpuModel: 'slow', caches: { l1d: { sizeKB: 33 } } });
    expect(e.map((x) => x.path).sort()).toEqual(['caches.l1d.sizeKB', 'clockMHz', 'cpuModel', 'nodes']);
  });

  it('rejects unknown fields and non-objects', () => {
    expect(errorsOf({ node: 2 })).toEqual([{ path: 'node', message: 'unknown field' }]);
    expect(errorsOf({ caches: { l3: {} } })).toEqual([{ path: 'caches.l3', message: 'unknown field' }]);
    expect(errorsOf({ caches: 5 })[0]).toMatchObject({ path: 'caches', message: expect.stringMatching(/object/) });
    expect(errorsOf([1, 2])[0]).toMatchObject({ path: '' });
    expect(errorsOf(null)[0]).toMatchObject({ path: '' });
    expect(errorsOf({ $schema: 'x.json' })).toEqual([]);
  });

  it('checks cross-field limits', () => {
    expect(errorsOf({ nodes: 8, cpusPerNode: 8 })[0]).toMatchObject({ path: 'cpusPerNode', message: expect.stringContaining(`${MAX_CPUS}`) });
    expect(errorsOf({ nodes: 4, memoryPerNodeMB: 128 })[0]).toMatchObject({ path: 'memoryPerNodeMB', message: expect.stringContaining('0x1F000000') });
    expect(errorsOf({ caches: { l1d: { lineBytes: 256 } } })[0]).toMatchObject({ path: 'caches.l1d.lineBytes' });
    expect(errorsOf({ caches: { l1i: { sizeKB: 2048 } } })[0]).toMatchObject({ path: 'caches.l1i.sizeKB' });
    expect(errorsOf({ caches: { l1d: { sizeKB: 1, lineBytes: 128, assoc: 16 }, l2: { lineBytes: 128 } } })[0]).toMatchObject({ path: 'caches.l1d.assoc' });
  });

  it('validates the distance matrix with indexed paths', () => {
    expect(errorsOf({ nodes: 2, distance: [[100, 200], [200, 'x']] })).toEqual([{ path: 'distance[1][1]', message: 'must be a number (ns), got a string' }]);
    expect(errorsOf({ nodes: 2, distance: [[100, 200], [-1, 100]] })[0].path).toBe('distance[1][0]');
    expect(errorsOf({ nodes: 2, distance: [[100, 200]] })[0]).toMatchObject({ path: 'distance', message: 'must have 2 rows (one per node), got 1' });
    expect(errorsOf({ nodes: 2, distance: [[100, 200], [100]] })[0]).toMatchObject({ path: 'distance[1]' });
    expect(errorsOf({ nodes: 2, distance: [[100, 200], 7] })[0]).toMatchObject({ path: 'distance[1]' });
    expect(errorsOf({ distance: 'near' })[0]).toMatchObject({ path: 'distance' });
  });

  it('builds distance from local/remote latency, or takes the given matrix', () => {
    const a = validateMachineConfig({ nodes: 3, latency: { localNs: 100, remoteNs: 250 } });
    expect(a.ok && a.value.distance).toEqual([[100, 250, 250], [250, 100, 250], [250, 250, 100]]);
    const b = validateMachineConfig({ nodes: 2, distance: [[10, 20], [30, 40]] });
    expect(b.ok && b.value.distance).toEqual([[10, 20], [30, 40]]);
  });

  it('formats errors as file: path: message', () => {
    expect(formatConfigErrors('m.json', [{ path: 'nodes', message: 'must be ≥ 1, got 0' }, { path: '', message: 'bad' }]))
      .toBe('m.json: nodes: must be ≥ 1, got 0\nm.json: (document): bad');
  });

  it('merges overrides deeply, replacing arrays and recomputing distance when latency changes', () => {
    const base = validateMachineConfig(readPreset('flash-4x2'));
    expect(base.ok).toBe(true);
    if (!base.ok) return;
    const m = validateMachineConfig(mergeConfig(base.value, { cpuModel: 'fast', caches: { l2: { sizeKB: 512 } }, latency: { remoteNs: 600 } }));
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.value.cpuModel).toBe('fast');
    expect(m.value.caches.l2).toEqual({ sizeKB: 512, lineBytes: 128, assoc: 2, hitNs: 50 });
    expect(m.value.distance[0][1]).toBe(600);
  });

  describe('presets', () => {
    const files = readdirSync(join(ROOT, 'resources', 'machines')).filter((f) => f.endsWith('.json'));
    it('ships the four presets of the issue, flash-4x2 and uma-smp8 (Figure 8\'s UMA machine)', () => {
      expect(files.sort()).toEqual(['flash-4x2.json', 'flash-8node.json', 'numa-2socket.json', 'uma-smp4.json', 'uma-smp8.json']);
    });
    for (const f of files) {
      it(`${f} is valid and named after its file`, () => {
        const r = validateMachineConfig(readPreset(f.replace('.json', '')));
        expect(r.ok ? [] : r.errors).toEqual([]);
        if (r.ok) expect(r.value.name).toBe(f.replace('.json', ''));
      });
    }
    it('FLASH presets use the paper\'s latencies and caches', () => {
      for (const n of ['flash-8node', 'flash-4x2']) {
        const r = validateMachineConfig(readPreset(n));
        if (!r.ok) throw new Error('invalid');
        expect(r.value.latency).toEqual({ localNs: 300, remoteNs: 900 });
        expect(r.value.caches.l1i.sizeKB + r.value.caches.l1d.sizeKB).toBe(64);
        expect(r.value.caches.l2.sizeKB).toBe(1024);
        expect(cpuCount(r.value)).toBe(8);
      }
      const u = validateMachineConfig(readPreset('uma-smp4'));
      expect(u.ok && u.value.distance).toEqual([[300]]);
    });
  });
});
