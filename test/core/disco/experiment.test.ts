/**
 * `mode: "disco"` experiments: validation (field-level errors), runs through runExperiment with
 * the run record's `vms[]` and `monitor` parts (validated against docs/run-record.schema.json),
 * accounting identities, determinism, and the shipped example experiments.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveExperiment, validateExperiment, type ExperimentConfig } from '../../../src/core/experiment/config';
import { runExperiment } from '../../../src/core/experiment/run';
import { RUN_RECORD_SCHEMA } from '../../../src/core/experiment/run-record-schema';
import { validateJson } from '../../../src/core/experiment/json-schema';
import type { RunRecord } from '../../../src/core/experiment/record';
import { FIX, ROOT } from './helpers';

const preset = (name: string) => JSON.parse(readFileSync(join(ROOT, 'resources', 'machines', `${name}.json`), 'utf8'));
const BASE = {
  name: 'basic-disco', machine: 'flash-4x2', machineOverrides: { cpuModel: 'fast', nodes: 1 }, mode: 'disco',
  vms: [{ name: 'g', vcpus: 1, memoryMB: 2, kernel: 'basic.s', copies: 2 }],
  monitor: { l2tlbEntries: 64, costs: { trap: 50 } },
};

function errorsOf(x: unknown) { const r = validateExperiment(x); return r.ok ? [] : r.errors; }

function run(exp: unknown = BASE): RunRecord {
  const v = validateExperiment(exp);
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  const r = resolveExperiment(v.value, preset('flash-4x2'));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const src = { path: 'basic.s', text: readFileSync(join(FIX, 'basic.s'), 'utf8') };
  const out = runExperiment(r.value, { programs: [], vms: (v.value.vms ?? []).map(() => ({ kernel: { source: src } })) });
  if (!out.ok) throw new Error(JSON.stringify(out.errors));
  return out.value.record;
}

describe('disco experiments: validation', () => {
  it('accepts a disco experiment without programs', () => {
    expect(errorsOf(BASE)).toEqual([]);
  });
  it('reports mode-specific and field-level errors', () => {
    const { vms: _vms, monitor: _mon, ...bare } = BASE;
    expect(errorsOf(bare)).toEqual([{ path: 'vms', message: 'is required in mode "disco"' }]);
    expect(errorsOf({ ...BASE, vms: [{ memoryMB: 0, kernel: 'k.elf' }] }).map((e) => e.path)).toEqual(['vms[0].memoryMB']);
    expect(errorsOf({ ...BASE, vms: [{ memoryMB: 4, kernel: 'k.elf', copies: 9 }] }).map((e) => e.path)).toContain('vms[0].copies');
    expect(errorsOf({ ...BASE, vms: [{ memoryMB: 4, kernel: 'k', copies: 8 }, { memoryMB: 4, kernel: 'k', copies: 8 }, { memoryMB: 4, kernel: 'k' }] })[0].message).toMatch(/at most 16 VMs, got 17/);
    // a file server must be another VM of the experiment, and the guest OS must be the guest
    const G = { ...BASE, guest: { init: 'pmake 1 1' }, vms: [{ name: 'nfs', memoryMB: 4 }, { name: 'vm', memoryMB: 4, copies: 2, fileServer: 'nfs' }] };
    expect(errorsOf(G)).toEqual([]);
    expect(errorsOf({ ...G, vms: [{ name: 'nfs', memoryMB: 4 }, { name: 'vm', memoryMB: 4, fileServer: 'nope' }] })).toEqual([{ path: 'vms[1].fileServer', message: "names no VM ('nope'; the VMs: nfs, vm)" }]);
    expect(errorsOf({ ...G, vms: [{ name: 'vm', memoryMB: 4, copies: 2, fileServer: 'vm0' }] })).toEqual([{ path: 'vms[0].fileServer', message: 'a VM cannot serve its own files' }]);
    expect(errorsOf({ ...BASE, vms: [{ name: 'a', memoryMB: 4, kernel: 'k' }, { name: 'b', memoryMB: 4, kernel: 'k', fileServer: 'a' }] })).toEqual([{ path: 'vms[1].fileServer', message: 'applies with `guest` only (the guest OS has the network file client)' }]);
    // a persistent disk: an image of its own, one VM
    const P = (vms: unknown[], extra: object = {}) => errorsOf({ ...BASE, ...extra, vms });
    expect(P([{ memoryMB: 4, kernel: 'k', disk: { image: 'a.img', persistent: true } }, { memoryMB: 4, kernel: 'k', disk: { image: 'b.img' } }])).toEqual([]);
    expect(P([{ memoryMB: 4, kernel: 'k', disk: { persistent: true } }])).toEqual([{ path: 'vms[0].disk.persistent', message: 'needs a disk image file (vms[].disk.image or disk.image) to write back to' }]);
    expect(P([{ memoryMB: 4, kernel: 'k', copies: 2, disk: { image: 'a.img', persistent: true } }])).toEqual([{ path: 'vms[0].disk.persistent', message: 'a persistent disk belongs to one VM: not with copies' }]);
    expect(P([{ memoryMB: 4, kernel: 'k', disk: { persistent: true } }, { memoryMB: 4, kernel: 'k' }], { disk: { image: 'a.img' } })).toEqual([{ path: 'vms[0].disk.persistent', message: 'a persistent disk belongs to one VM: another VM uses a.img too' }]);
    expect(P([{ memoryMB: 4, disk: { persistent: true } }], { guest: {} })).toEqual([{ path: 'vms[0].disk.persistent', message: 'does not apply with `guest` (the run builds the guest\'s disk image: there is no file to keep)' }]);
    expect(errorsOf({ ...BASE, vms: [{ name: 'a', memoryMB: 4, kernel: 'k' }, { name: 'a', memoryMB: 4, kernel: 'k' }] })[0].message).toMatch(/unique/);
    expect(errorsOf({ ...BASE, monitor: { costs: { tarp: 5 } } })).toEqual([expect.objectContaining({ path: 'monitor.costs.tarp' })]);
    expect(errorsOf({ ...BASE, mode: 'native', programs: ['a.s'] }).map((e) => e.path)).toEqual(['vms', 'monitor']);
    expect(errorsOf({ ...bare, mode: 'native' })).toEqual([{ path: 'programs', message: 'is required in mode "native" (or give `guest` to boot the guest OS)' }]);
  });
  it('validates every shipped experiment, and disco ones exist for each workload in 1 and 2 VMs', () => {
    const dir = join(ROOT, 'resources', 'examples', 'experiments');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    for (const f of files) expect(errorsOf(JSON.parse(readFileSync(join(dir, f), 'utf8'))), f).toEqual([]);
    for (const w of ['pmake', 'engineering', 'raytrace', 'database']) {
      for (const v of [1, 2]) expect(files).toContain(`${w}-disco-1cpu-${v}vm.json`);
      expect(files).toContain(`${w}-native-1cpu.json`);
    }
  });
});

describe('disco experiments: run records', () => {
  const rec = run();
  it('validate against docs/run-record.schema.json', () => {
    expect(validateJson(RUN_RECORD_SCHEMA, JSON.parse(JSON.stringify(rec)))).toEqual([]);
  });
  it('hold per-VM results, console output and monitor time by cause', () => {
    expect(rec.mode).toBe('disco');
    expect(rec.vms.map((v) => [v.name, v.status, v.exitCode])).toEqual([['g0', 'exited', 0], ['g1', 'exited', 0]]);
    for (const v of rec.vms) {
      expect(v.console.output).toMatch(/^disco guest on vcpu 0\nhello from user\nsum=[0-9A-F]{8}\n$/);
      expect(v.monitor.byCause['emulate.mtc0']).toBeGreaterThan(0);
      expect(v.monitor.byCause.mmio).toBeGreaterThan(0);
      expect(v.monitor.byCause.hypercall).toBeGreaterThan(0);
    }
    expect(rec.console.output).toContain('[g0] hello from user\n');
    expect(rec.console.output).toContain('[g1] hello from user\n');
    expect(rec.monitor.costs!.trap).toBe(50);
    expect(rec.monitor.byCause.trap % 50).toBe(0);   // the override is in effect
    expect(rec.monitor.byCause.trap).toBeGreaterThan(50 * 100);
    expect(rec.monitor.emulated!.tlbwr).toBeGreaterThan(0);
    expect(rec.monitor.l2tlbEntries).toBe(64);
  });
  it('account every cycle: per CPU, per VM, and by cause', () => {
    for (const c of rec.cpus) expect(c.buckets.user + c.buckets.kernel + c.buckets.monitor + c.buckets.idle).toBe(rec.cycles);
    const t = rec.totals.buckets, u = rec.monitor.unattributed!;
    for (const k of ['user', 'kernel', 'monitor', 'idle'] as const) expect(rec.vms.reduce((s, v) => s + v.buckets[k], 0) + u[k]).toBe(t[k]);
    expect(Object.values(rec.monitor.byCause).reduce((a, b) => a + b, 0)).toBe(t.monitor);
    const perVm = rec.vms.reduce((s, v) => s + Object.values(v.monitor.byCause).reduce((a, b) => a + b, 0), 0);
    expect(perVm).toBe(t.monitor);
  });
  it('are deterministic', () => {
    expect({ ...run(), host: null }).toEqual({ ...rec, host: null });
  });
  it('report an unloadable kernel as a field error', () => {
    const v = validateExperiment(BASE);
    if (!v.ok) throw new Error('invalid');
    const r = resolveExperiment(v.value, preset('flash-4x2'));
    if (!r.ok) throw new Error('unresolved');
    const out = runExperiment(r.value, { programs: [], vms: [{ kernel: { elf: new Uint8Array(8) } }] });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.errors[0].path).toBe('vms[0].kernel');
  });
});
