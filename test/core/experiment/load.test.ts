// The one experiment loader (src/core/experiment/load.ts) over an in-memory FileSource: what it
// reads, what it returns (structured-cloneable run inputs), and its field-level errors naming
// the file each problem is in. The CLI and the workspace adapters are tested in test/main.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemorySource, errorsInExperiment, formatLoadErrors, loadExperiment, type FileSource } from '../../../src/core/experiment/load';
import { runExperiment } from '../../../src/core/experiment/run';
import { ROOT } from '../machine/helpers/bare';

const PRESETS = Object.fromEntries(readdirSync(join(ROOT, 'resources/machines')).filter((f) => f.endsWith('.json'))
  .map((f) => [f.replace(/\.json$/, ''), readFileSync(join(ROOT, 'resources/machines', f), 'utf8')]));
const example = (p: string) => readFileSync(join(ROOT, 'resources/examples', p));
const EXIT = (status: string) => `        .text\n        .globl __start\n__start:\n        lui     $s0, 0xbf00\n        li      $t0, ${status}\n        sw      $t0, 0x3000($s0)\n1:      b       1b\n        nop\n`;

function source(files: Record<string, string | Uint8Array | object>): FileSource {
  const text = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v instanceof Uint8Array || typeof v === 'string' ? v : JSON.stringify(v)]));
  return createMemorySource(text, PRESETS);
}

async function load(files: Record<string, string | Uint8Array | object>, path = 'experiments/x.json') {
  return loadExperiment(source(files), path);
}

async function errors(files: Record<string, string | Uint8Array | object>, path = 'experiments/x.json') {
  const r = await load(files, path);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('loadExperiment', () => {
  it('loads the bare-metal example: preset machine, .s program; the run exits 0', async () => {
    const r = await load({ 'experiments/bare-hello.json': example('experiments/bare-hello.json').toString(), 'programs/bare-hello.s': example('programs/bare-hello.s').toString() }, 'experiments/bare-hello.json');
    if (!r.ok) throw new Error(formatLoadErrors(r.errors));
    expect(r.value.resolved.machine.name).toBe('flash-4x2');
    expect(r.value.resolved.limits.maxCycles).toBe(10_000_000);
    expect(r.value.inputs.programs).toEqual([{ source: { path: 'programs/bare-hello.s', text: expect.any(String) }, includes: [] }]);
    // plain data: it can be posted to a worker as it is
    expect(structuredClone(r.value)).toEqual(r.value);
    const run = runExperiment(r.value.resolved, r.value.inputs);
    expect(run.ok && run.value.record.status).toMatchObject({ reason: 'exit', exitCode: 0 });
  });

  it('reads .include files transitively, relative to the including file, and the run uses them', async () => {
    const r = await load({
      'experiments/x.json': { name: 'x', machine: 'uma-smp4', mode: 'native', programs: ['../programs/main.s'] },
      'programs/main.s': `        .include "inc/a.inc"\n${EXIT('A + B')}`,
      'programs/inc/a.inc': '        .include "b.inc"\n        .equ A, 40\n',
      'programs/inc/b.inc': '        .equ B, 2\n',
    });
    if (!r.ok) throw new Error(formatLoadErrors(r.errors));
    const p = r.value.inputs.programs[0];
    expect('source' in p && p.includes?.map((i) => [i.from, i.name, i.file.path])).toEqual([
      ['programs/main.s', 'inc/a.inc', 'programs/inc/a.inc'],
      ['programs/inc/a.inc', 'b.inc', 'programs/inc/b.inc'],
    ]);
    const run = runExperiment(r.value.resolved, r.value.inputs);
    expect(run.ok && run.value.record.status.exitCode).toBe(42);
  });

  it('reads ELF programs and disk images as bytes, a machine file relative to the experiment, overrides and seed', async () => {
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46]);
    const r = await load({
      'experiments/x.json': { name: 'x', machine: '../machines/m.json', machineOverrides: { cpuModel: 'fast' }, seed: 9, mode: 'native', programs: ['../bin/p.elf'], disk: { image: '../disk.img' } },
      'machines/m.json': { name: 'm', nodes: 2 },
      'bin/p.elf': elf,
      'disk.img': new Uint8Array([1, 2, 3]),
    });
    if (!r.ok) throw new Error(formatLoadErrors(r.errors));
    expect(r.value.resolved.machine).toMatchObject({ name: 'm', nodes: 2, cpuModel: 'fast', seed: 9 });
    expect(r.value.inputs).toEqual({ programs: [{ elf }], diskImage: new Uint8Array([1, 2, 3]) });
  });

  it('disco mode: one kernel and disk image per vms entry (the entry\'s own image, else the experiment\'s)', async () => {
    const r = await load({
      'experiments/x.json': { name: 'x', machine: 'flash-4x2', mode: 'disco', disk: { image: 'common.img' }, vms: [{ memoryMB: 4, kernel: 'k.elf', copies: 2 }, { memoryMB: 4, kernel: 'k.elf', disk: { image: 'own.img' } }] },
      'experiments/k.elf': new Uint8Array([7]),
      'experiments/common.img': new Uint8Array([1]),
      'experiments/own.img': new Uint8Array([2]),
    });
    if (!r.ok) throw new Error(formatLoadErrors(r.errors));
    expect(r.value.inputs).toEqual({ programs: [], vms: [{ kernel: { elf: new Uint8Array([7]) }, diskImage: new Uint8Array([1]) }, { kernel: { elf: new Uint8Array([7]) }, diskImage: new Uint8Array([2]) }] });
  });

  it('reports a broken experiment once, without repeating its path in the message', async () => {
    const e = await errors({ 'experiments/x.json': '{ "name": ' });
    expect(e).toEqual([{ file: 'experiments/x.json', path: '', message: expect.stringMatching(/^invalid JSON: /) }]);
    expect(formatLoadErrors(e)).toMatch(/^experiments\/x\.json: \(document\): invalid JSON: [^\n]*$/);
    expect(errorsInExperiment('experiments/x.json', e)[0].message).not.toContain('experiments/x.json');
  });

  it('rejects when the experiment itself cannot be read (the host keeps its error)', async () => {
    await expect(loadExperiment(source({}), 'experiments/none.json')).rejects.toThrow('experiments/none.json does not exist');
  });

  it('reports schema errors by field', async () => {
    expect(await errors({ 'experiments/x.json': { name: 'x', machine: 'flash-4x2', mode: 'native', programs: [], limits: { maxCycles: -1 } } })).toEqual([
      { file: 'experiments/x.json', path: 'programs', message: 'must have at least 1 item' },
      { file: 'experiments/x.json', path: 'limits.maxCycles', message: 'must be ≥ 1, got -1' },
    ]);
  });

  it('reports every unreadable file at once, by field, with machine errors in the machine file', async () => {
    const e = await errors({
      'experiments/x.json': { name: 'x', machine: 'm.json', mode: 'native', programs: ['gone.s', '../../etc/passwd.s', { path: 'gone.elf', entry: true }], disk: { image: 'gone.img' } },
      'experiments/m.json': { nodes: 2, distance: [[10, 20], [20]] },
    });
    expect(e).toEqual([
      { file: 'experiments/m.json', path: 'distance[1]', message: 'must have 2 entries (one per node), got 1' },
      { file: 'experiments/x.json', path: 'programs[0]', message: 'experiments/gone.s does not exist' },
      { file: 'experiments/x.json', path: 'programs[1]', message: '../../etc/passwd.s: outside the workspace' },
      { file: 'experiments/x.json', path: 'programs[2]', message: 'experiments/gone.elf does not exist' },
      { file: 'experiments/x.json', path: 'disk.image', message: 'experiments/gone.img does not exist' },
    ]);
    expect(errorsInExperiment('experiments/x.json', e)[0]).toEqual({ path: 'machine', message: 'experiments/m.json: distance[1]: must have 2 entries (one per node), got 1' });
  });

  it('names unknown presets, unreadable and broken machine files, and inline/override mistakes in the experiment', async () => {
    const prog = { 'experiments/p.s': EXIT('0') };
    const exp = (e: object) => ({ 'experiments/x.json': { name: 'x', mode: 'native', programs: ['p.s'], ...e }, ...prog });
    expect(await errors(exp({ machine: 'cray-1' }))).toEqual([{ file: 'experiments/x.json', path: 'machine', message: "no machine preset 'cray-1' in resources/machines" }]);
    expect(await errors(exp({ machine: 'none.json' }))).toEqual([{ file: 'experiments/x.json', path: 'machine', message: 'experiments/none.json does not exist' }]);
    expect(await errors({ ...exp({ machine: 'bad.json' }), 'experiments/bad.json': '{' })).toEqual([{ file: 'experiments/bad.json', path: '', message: expect.stringMatching(/^invalid JSON/) }]);
    expect(await errors(exp({ machine: { cpuModel: 'slow' } }))).toEqual([{ file: 'experiments/x.json', path: 'machine.cpuModel', message: "must be one of 'fast', 'timing', got \"slow\"" }]);
    expect(await errors(exp({ machine: 'flash-4x2', machineOverrides: { nodes: 0 } }))).toEqual([{ file: 'experiments/x.json', path: 'machineOverrides.nodes', message: expect.stringMatching(/^must be ≥ 1/) }]);
  });

  it('leaves unreadable .include files to the assembler, which reports them located', async () => {
    const r = await load({ 'experiments/x.json': { name: 'x', machine: 'uma-smp4', mode: 'native', programs: ['p.s'] }, 'experiments/p.s': `        .include "missing.inc"\n${EXIT('0')}` });
    if (!r.ok) throw new Error(formatLoadErrors(r.errors));
    const run = runExperiment(r.value.resolved, r.value.inputs);
    expect(run).toMatchObject({ ok: false, errors: [{ path: 'programs[0]', message: expect.stringMatching(/^experiments\/p\.s:1:\d+: .*missing\.inc/) }] });
  });
});
