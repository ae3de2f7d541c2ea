// New-file templates and the Run dialog's experiments (issue #12.2–3): every template is a valid
// starting point — programs assemble and run (the guest program with Linux o32 calls under
// run-user, the bare-metal one on the machine), machines and experiments validate.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/asm/assemble';
import { EXPERIMENT_SCHEMA, validateExperiment } from '../../src/core/experiment/config';
import { validateMachineConfig } from '../../src/core/machine/config/validate';
import { runCli } from '../../src/main/cli/main';
import { bareProgramText, defaultTemplate, duplicateName, experimentTemplate, guestProgramText, initLine, machineText, programName, runExperiment, runExperimentPath, schemaHasGuest, uniqueName, vmMemoryMB, type RunKind } from '../../src/renderer/src/templates';
import flash from '../../resources/machines/flash-4x2.json';

const tmp = mkdtempSync(join(tmpdir(), 'disco-templates-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
async function cli(...args: string[]) {
  let out = '', err = '';
  const code = await runCli(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: tmp });
  return { code, out, err };
}
/** With the schema of this build: `guest` is accepted once the guest-programs half has landed. */
const GUEST = schemaHasGuest(EXPERIMENT_SCHEMA);

describe('program templates', () => {
  it('the guest user program assembles and runs under run-user with its output and exit 0', async () => {
    const text = guestProgramText('mytest');
    expect(assemble([{ path: 'mytest.s', text }]).diagnostics).toEqual([]);
    writeFileSync(join(tmp, 'mytest.s'), text);
    const r = await cli('run-user', 'mytest.s');
    expect(r).toMatchObject({ code: 0, out: 'hello from mytest\nmytest: done\n' });
  });

  it('the bare-metal program assembles and runs on the machine, powering off with 0', async () => {
    mkdirSync(join(tmp, 'programs'), { recursive: true });
    writeFileSync(join(tmp, 'programs/bare.s'), bareProgramText('bare'));
    mkdirSync(join(tmp, 'experiments'), { recursive: true });
    const e = runExperiment({ kind: 'bare', program: 'programs/bare.s', cpus: 2, vms: 1, vcpus: 1, args: '' });
    expect(validateExperiment(e)).toMatchObject({ ok: true });
    writeFileSync(join(tmp, 'experiments/bare-bare.json'), JSON.stringify(e));
    const r = await cli('run', 'experiments/bare-bare.json', '--json', join(tmp, 'r.json'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('hello from bare on bare metal');
  });

  it('names: the default template per folder, the guest name, unique and duplicate names', () => {
    expect(defaultTemplate('programs')).toBe('guest-program');
    expect(defaultTemplate('experiments/sub')).toBe('experiment-native');
    expect(defaultTemplate('machines')).toBe('machine');
    expect(defaultTemplate('')).toBe('empty');
    expect(programName('programs/my-test.s')).toBe('my-test');
    const taken = new Set(['programs/untitled.s', 'programs/untitled-2.s', 'experiments/a-copy.json']);
    expect(uniqueName('programs', 'untitled.s', taken)).toBe('programs/untitled-3.s');
    expect(uniqueName('programs', 'x.s', taken)).toBe('programs/x.s');
    expect(duplicateName('experiments/a.json', taken)).toBe('experiments/a-copy-2.json');
    expect(duplicateName('README', new Set())).toBe('README-copy');
  });
});

describe('machine and experiment templates', () => {
  it('a machine from a preset validates under its new name', () => {
    const m = JSON.parse(machineText({ name: 'flash-4x2', config: flash as Record<string, unknown> }, 'mine'));
    expect(m.name).toBe('mine');
    expect(m.description).toMatch(/flash-4x2 preset/);
    expect(m.$schema).toBeUndefined();
    expect(validateMachineConfig(m)).toMatchObject({ ok: true });
  });

  it('experiments without guest programs validate as they are', () => {
    for (const kind of ['native', 'disco'] as const) {
      const e = JSON.parse(experimentTemplate(kind, `t-${kind}`, { guest: false }));
      expect(validateExperiment(e), kind).toMatchObject({ ok: true });
      expect(e).toMatchObject({ name: `t-${kind}`, mode: kind });
      expect(e.description).toMatch(/^What this experiment shows/);
    }
  });

  it('the Run dialog writes the contract\'s shape: guest {programs, init} natively and under Disco, on one machine', () => {
    const o = { program: 'programs/mytest.s', cpus: 1, vms: 2, vcpus: 1, args: ' 3 ' };
    const native = runExperiment({ ...o, kind: 'guest-native' });
    const disco = runExperiment({ ...o, kind: 'guest-disco' });
    expect(native).toMatchObject({ name: 'mytest-native', mode: 'native', machine: 'flash-8node', machineOverrides: { nodes: 1 }, guest: { programs: ['../programs/mytest.s'], init: 'mytest 3' } });
    expect(native.programs).toBeUndefined();
    expect(disco).toMatchObject({ name: 'mytest-disco', mode: 'disco', machine: 'flash-8node', machineOverrides: { nodes: 1 }, guest: { programs: ['../programs/mytest.s'], init: 'mytest 3' }, vms: [{ name: 'vm', vcpus: 1, memoryMB: 12, variant: 'ksseg', copies: 2 }] });
    expect((disco.vms as { kernel?: string }[])[0].kernel).toBeUndefined();
    expect(runExperimentPath({ kind: 'guest-disco', program: 'programs/mytest.s' })).toBe('experiments/mytest-disco.json');
    expect(runExperimentPath({ kind: 'bare', program: 'programs/a/b.s' })).toBe('experiments/b-bare.json');
    expect(initLine({ program: 'programs/x.s', args: '' })).toBe('x');
    expect(vmMemoryMB(1, 2)).toBe(12);
    expect(vmMemoryMB(1, 8)).toBe(3);
    expect(vmMemoryMB(4, 2)).toBe(12);
    for (const kind of ['guest-native', 'guest-disco'] as RunKind[]) {
      const v = validateExperiment(runExperiment({ ...o, kind }));
      if (GUEST) expect(v, kind).toMatchObject({ ok: true });
      // Until the schema has `guest`, the validator objects to `guest` and to what it replaces — nothing else.
      else expect(v.ok ? [] : v.errors.map((e) => e.path).filter((p) => !/^(guest|programs|vms\[0\]\.kernel|)$/.test(p))).toEqual([]);
    }
  });

  it('detects guest support from a schema', () => {
    expect(schemaHasGuest({ properties: { guest: { type: 'object' } } })).toBe(true);
    expect(schemaHasGuest({ properties: {} })).toBe(false);
    expect(schemaHasGuest(undefined)).toBe(false);
  });
});
