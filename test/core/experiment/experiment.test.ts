import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, MAX_TOTAL_VCPUS, defaultLimitNote, resolveExperiment, validateExperiment, type ExperimentConfig } from '../../../src/core/experiment/config';
import { MONITOR_RESERVED_PAGES } from '../../../src/core/disco/monitor';
import { RUN_RECORD_SCHEMA } from '../../../src/core/experiment/run-record-schema';
import { validateJson } from '../../../src/core/experiment/json-schema';
import { runExperiment, encodeUtf8 } from '../../../src/core/experiment/run';
import { withHostSpeed, type RunRecord } from '../../../src/core/experiment/record';
import { ROOT, assembleBare, readPreset } from '../machine/helpers/bare';

const EXAMPLE = JSON.parse(readFileSync(join(ROOT, 'resources/examples/experiments/bare-hello.json'), 'utf8'));
const HELLO = assembleBare(readFileSync(join(ROOT, 'resources/examples/programs/bare-hello.s'), 'utf8'));

function errorsOf(x: unknown) {
  const r = validateExperiment(x);
  return r.ok ? [] : r.errors;
}

function resolved(exp: ExperimentConfig, machine = readPreset(exp.machine as string)) {
  const r = resolveExperiment(exp, machine);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

function runHello(overrides: Partial<ExperimentConfig> = {}): RunRecord {
  const v = validateExperiment({ ...EXAMPLE, ...overrides });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  const r = runExperiment(resolved(v.value, readPreset('flash-4x2')), { programs: [{ elf: HELLO }] });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value.record;
}

describe('experiment validation', () => {
  it('accepts the example and normalises programs', () => {
    const r = validateExperiment(EXAMPLE);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.programs).toEqual([{ path: '../programs/bare-hello.s' }]);
  });

  it('reports field-level errors', () => {
    expect(errorsOf({})).toEqual(['name', 'machine', 'mode'].map((p) => ({ path: p, message: 'is required' })));
    expect(errorsOf({ name: 'x', machine: 'm', mode: 'native' })).toEqual([{ path: 'programs', message: 'is required in mode "native" (or give `guest` to boot the guest OS)' }]);
    expect(errorsOf({ ...EXAMPLE, mode: 'vm' })).toEqual([{ path: 'mode', message: "must be one of 'native', 'disco', 'denali', got 'vm'" }]);
    expect(errorsOf({ ...EXAMPLE, programs: [] })).toEqual([{ path: 'programs', message: 'must have at least 1 item' }]);
    expect(errorsOf({ ...EXAMPLE, programs: [{ path: 'a.elf', extra: 1 }] })).toEqual([{ path: 'programs[0].extra', message: 'unknown field' }]);
    expect(errorsOf({ ...EXAMPLE, programs: [3] })[0].path).toBe('programs[0]');
    expect(errorsOf({ ...EXAMPLE, limits: { maxCycles: 0 } })).toEqual([{ path: 'limits.maxCycles', message: 'must be ≥ 1, got 0' }]);
    expect(errorsOf({ ...EXAMPLE, limits: { maxCycle: 5 } })).toEqual([{ path: 'limits.maxCycle', message: 'unknown field' }]);
    expect(errorsOf({ ...EXAMPLE, seed: 1.5 })[0].path).toBe('seed');
    expect(errorsOf({ ...EXAMPLE, machine: 7 })[0].path).toBe('machine');
    expect(errorsOf({ ...EXAMPLE, name: '' })).toEqual([{ path: 'name', message: 'must not be empty' }]);
    expect(errorsOf({ ...EXAMPLE, programs: [{ path: 'a', entry: true }, { path: 'b', entry: true }] })[0].path).toBe('programs');
    expect(errorsOf([])[0].path).toBe('');
  });

  it('rejects more vCPUs than the monitor can run (one HAL page each), counting copies', () => {
    const disco = (vms: object[]) => ({ name: 'x', machine: 'flash-4x2', mode: 'disco', vms });
    expect(MAX_TOTAL_VCPUS).toBe(MONITOR_RESERVED_PAGES - 1);
    expect(errorsOf(disco([{ memoryMB: 1, kernel: 'k.elf', vcpus: 32, copies: 8 }]))).toEqual([
      { path: 'vms', message: `at most ${MAX_TOTAL_VCPUS} vCPUs in total (the monitor keeps one HAL page per vCPU in its ${MONITOR_RESERVED_PAGES} reserved pages), got 256` },
    ]);
    expect(errorsOf(disco([{ memoryMB: 1, kernel: 'k.elf', vcpus: 32, copies: 7 }, { memoryMB: 1, kernel: 'k.elf', vcpus: 31 }]))).toEqual([]);
  });

  it('resolves a preset with overrides and the experiment seed', () => {
    const v = validateExperiment({ ...EXAMPLE, machineOverrides: { cpuModel: 'fast' }, seed: 42 });
    if (!v.ok) throw new Error('invalid');
    const r = resolved(v.value);
    expect(r.machine.cpuModel).toBe('fast');
    expect(r.machine.seed).toBe(42);
    expect(r.machine.name).toBe('flash-4x2');
    expect(r.limits).toEqual({ maxCycles: 10_000_000 });
  });

  it('applies the default cycle limit when the experiment sets none, and notes only that one', () => {
    const { limits: _, ...unlimited } = EXAMPLE;
    const v = validateExperiment(unlimited);
    if (!v.ok) throw new Error('invalid');
    const r = resolved(v.value);
    expect(r.limits).toEqual({ maxCycles: 50_000_000 });
    expect(DEFAULT_LIMITS.maxCycles).toBe(50_000_000);
    expect(defaultLimitNote(r, 'maxCycles')).toBe('stopped at the default limit of 50,000,000 cycles; raise it with limits.maxCycles in the experiment');
    expect(defaultLimitNote(r, 'exit')).toBeUndefined();
    expect(defaultLimitNote(resolved({ ...v.value, limits: { maxCycles: 50_000_000 } }), 'maxCycles')).toBeUndefined();
    expect(defaultLimitNote(resolved({ ...v.value, limits: { maxInstructions: 10 } }), 'maxCycles')).toMatch(/default limit/);
  });

  it('puts machine errors in the right file with the right path', () => {
    const bad = resolveExperiment({ ...EXAMPLE, machine: { nodes: 0 } });
    expect(bad).toMatchObject({ ok: false, machineErrorsIn: 'experiment', errors: [{ path: 'machine.nodes' }] });
    const ov = resolveExperiment({ ...EXAMPLE, machineOverrides: { caches: { l1d: { sizeKB: 3 } } } }, readPreset('flash-4x2'));
    expect(ov).toMatchObject({ ok: false, machineErrorsIn: 'experiment', errors: [{ path: 'machineOverrides.caches.l1d.sizeKB' }] });
    const file = resolveExperiment(EXAMPLE, { nodes: 2, clockMHz: 'fast' });
    expect(file).toMatchObject({ ok: false, machineErrorsIn: 'machine', errors: [{ path: 'clockMHz' }] });
  });
});

describe('run records', () => {
  const rec = runHello();

  it('validate against docs/run-record.schema.json', () => {
    expect(validateJson(RUN_RECORD_SCHEMA, JSON.parse(JSON.stringify(withHostSpeed(rec, 0.5))))).toEqual([]);
    expect(validateJson(RUN_RECORD_SCHEMA, JSON.parse(JSON.stringify(rec)))).toEqual([]);
  });

  it('the schema validator catches a broken record', () => {
    const broken = JSON.parse(JSON.stringify(rec));
    delete broken.cycles;
    broken.cpus[0].buckets.idle = 'lots';
    broken.status.reason = 'tired';
    expect(validateJson(RUN_RECORD_SCHEMA, broken).map((e) => e.path).sort()).toEqual(['cpus[0].buckets.idle', 'cycles', 'status.reason']);
  });

  it('hold the resolved config, status, buckets, counters and console output', () => {
    expect(rec.schema).toBe('disco-lab/run@1');
    expect(rec.machine.distance).toHaveLength(4);
    expect(rec.status).toMatchObject({ reason: 'exit', exitCode: 0, exitCpu: 7 });
    expect(rec.partial).toBe(false);
    expect(rec.simulatedSeconds).toBeCloseTo(rec.cycles / 200e6, 15);
    expect(rec.console.output).toContain('hello from CPU 5 on node 2');
    expect(rec.cpus).toHaveLength(8);
    expect(rec.devices.ipi.sent).toBe(7);
    expect(rec.stats.find((s) => s.name === 'counters.cache.remoteMisses')?.unit).toBe('misses');
    expect(rec.totals.localMissFraction).toBeGreaterThan(0);
    expect(rec.totals.localMissFraction).toBeLessThan(1);
  });

  it('buckets sum to cycles × CPUs exactly, per CPU and in total', () => {
    for (const c of rec.cpus) expect(c.buckets.user + c.buckets.kernel + c.buckets.monitor + c.buckets.idle).toBe(rec.cycles);
    const t = rec.totals.buckets;
    expect(t.user + t.kernel + t.monitor + t.idle).toBe(rec.cycles * rec.cpuCount);
    expect(rec.totals.counters.instructions).toBe(rec.cpus.reduce((s, c) => s + c.counters.instructions, 0));
  });

  it('are identical for identical inputs (except the host fields)', () => {
    const a = withHostSpeed(runHello(), 0.25), b = withHostSpeed(runHello(), 0.75);
    expect(a.host).not.toEqual(b.host);
    expect({ ...a, host: null }).toEqual({ ...b, host: null });
    expect(JSON.stringify({ ...a, host: null })).toBe(JSON.stringify({ ...b, host: null }));
  });

  it('mark early stops as partial', () => {
    const r = runHello({ limits: { maxCycles: 20_000 } });
    expect(r.partial).toBe(true);
    expect(r.status.reason).toBe('maxCycles');
    expect(r.status.exitCode).toBeNull();
    expect(validateJson(RUN_RECORD_SCHEMA, JSON.parse(JSON.stringify(r)))).toEqual([]);
  });

  it('computes host speed from the measured seconds', () => {
    const h = withHostSpeed(rec, 2).host;
    expect(h.seconds).toBe(2);
    expect(h.guestMips).toBeCloseTo(rec.totals.counters.instructions / 2e6, 9);
    expect(h.simulatedMHz).toBeCloseTo(rec.cycles / 2e6, 9);
  });

  it('assembles source programs with the project assembler at the bare-metal bases', () => {
    const v = validateExperiment({ ...EXAMPLE, programs: ['exit.s'] });
    if (!v.ok) throw new Error('invalid');
    const text = '.text\n.globl __start\n__start:\n lui $s0, 0xbf00\n li $t0, 9\n sw $t0, 0x3000($s0)\n';
    const r = runExperiment(resolved(v.value, readPreset('flash-4x2')), { programs: [{ source: { path: 'exit.s', text } }] });
    expect(r.ok && r.value.record.status).toMatchObject({ reason: 'exit', exitCode: 9 });
    const bad = runExperiment(resolved(v.value, readPreset('flash-4x2')), { programs: [{ source: { path: 'exit.s', text: 'bogus $t0\n' } }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatchObject({ path: 'programs[0]', message: expect.stringMatching(/^exit\.s:1:\d+: /) });
  });

  it('reports unloadable programs as field errors', () => {
    const v = validateExperiment(EXAMPLE);
    if (!v.ok) throw new Error('invalid');
    const r = runExperiment(resolved(v.value), { programs: [{ elf: encodeUtf8('not an elf') }] });
    expect(r).toEqual({ ok: false, errors: [{ path: 'programs[0]', message: '../programs/bare-hello.s: not an ELF file' }] });
  });
});
