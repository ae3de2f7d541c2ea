// The one experiment loader (src/core/experiment/load.ts) over an in-memory FileSource: what it
// reads, what it returns (structured-cloneable run inputs), and its field-level errors naming
// the file each problem is in. The CLI and the workspace adapters are tested in test/main.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemorySource, errorsInExperiment, formatLoadErrors, loadExperiment, type FileSource } from '../../../src/core/experiment/load';
import { runExperiment } from '../../../src/core/experiment/run';
import { ROOT } from '../machine/helpers/bare';

const PRESETS = Object.fromEntries(readdirSync(join(ROOT, 'resources/machines')).filter((f) => f.endsWith('.json'))
  .map((f) => [f.replace(/\.json$/, ''), readFileSync(join(ROOT, 'resources/machines', f), 'utf8')]));
const example = (p: string) => readFileSync(join(ROOT, 'resources/examples', p));
const GUEST_DIR = join(ROOT, 'resources/guest');
const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.s') ? [join(d, e.name)] : []));
const GUEST = Object.fromEntries(walk(GUEST_DIR).map((f) => [relative(GUEST_DIR, f).split('\\').join('/'), readFileSync(f, 'utf8')]));
/** A Linux o32 program (as run-user runs it): writes its first argument's length in stars, exits 3. */
const STARS = `        .text
        .globl  __start
__start:
        lw      $t0, 0($sp)             # argc
        li      $a0, 9
        slti    $t1, $t0, 2
        bnez    $t1, 2f
        lw      $t2, 8($sp)             # argv[1]
        la      $t3, buf
1:      lbu     $t4, 0($t2)
        beqz    $t4, 2f
        li      $t5, '*'
        sb      $t5, 0($t3)
        addiu   $t2, $t2, 1
        addiu   $t3, $t3, 1
        b       1b
2:      li      $t5, 10
        sb      $t5, 0($t3)
        la      $a1, buf
        subu    $a2, $t3, $a1
        addiu   $a2, $a2, 1
        li      $a0, 1
        li      $v0, 4004
        syscall
        li      $a0, 3
        li      $v0, 4001
        syscall
        .data
buf:    .space  64
`;
const EXIT = (status: string) => `        .text\n        .globl __start\n__start:\n        lui     $s0, 0xbf00\n        li      $t0, ${status}\n        sw      $t0, 0x3000($s0)\n1:      b       1b\n        nop\n`;

function source(files: Record<string, string | Uint8Array | object>): FileSource {
  const text = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v instanceof Uint8Array || typeof v === 'string' ? v : JSON.stringify(v)]));
  return createMemorySource(text, PRESETS, GUEST);
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

describe('loadExperiment with `guest`', () => {
  const guestExp = (e: object) => ({ name: 'g', machine: 'flash-8node', machineOverrides: { nodes: 1, cpuModel: 'fast' }, ...e });

  it('native: reads the guest sources and the user programs; the run boots the kseg0 kernel and runs init', async () => {
    const r = await load({ 'experiments/x.json': guestExp({ mode: 'native', guest: { programs: ['../programs/stars.s'], init: 'stars abcd' } }), 'programs/stars.s': STARS });
    if (!r.ok) throw new Error(formatLoadErrors(r.errors));
    expect(r.value.inputs.programs).toEqual([]);
    expect(r.value.inputs.guest).toMatchObject({ dir: 'resources/guest', programs: [{ name: 'stars', path: 'programs/stars.s', program: { source: { path: 'programs/stars.s' }, includes: [] } }] });
    expect(Object.keys(r.value.inputs.guest!.sources)).toEqual(expect.arrayContaining(['kernel/kernel.s', 'lib/runtime.s', 'programs/pmake.s']));
    expect(structuredClone(r.value)).toEqual(r.value);
    const run = runExperiment(r.value.resolved, r.value.inputs);
    if (!run.ok) throw new Error(JSON.stringify(run.errors));
    expect(run.value.record.status).toMatchObject({ reason: 'exit', exitCode: 3 });
    expect(run.value.record.console.output).toMatch(/^disco-guest kernel \(kseg0\) booting on 1 CPU\(s\), 32 MiB RAM\nfs: 27 files\ninit: stars abcd\n\*\*\*\*\ninit exited with status 3; .* output=5\n$/);
  });

  it('disco: VMs without a kernel boot the build of their variant (default ksseg) and the built disk', async () => {
    const r = await load({ 'experiments/x.json': guestExp({ mode: 'disco', machineOverrides: { nodes: 2, cpuModel: 'fast' }, vms: [{ name: 'a', memoryMB: 8 }, { name: 'b', memoryMB: 8, variant: 'hal' }], guest: { programs: ['../programs/stars.s'], init: 'stars xy' } }), 'programs/stars.s': STARS });
    if (!r.ok) throw new Error(formatLoadErrors(r.errors));
    expect(r.value.inputs.vms).toEqual([{ diskImage: undefined }, { diskImage: undefined }]);
    const run = runExperiment(r.value.resolved, r.value.inputs);
    if (!run.ok) throw new Error(JSON.stringify(run.errors));
    expect(run.value.record.vms.map((v) => [v.name, v.status, v.exitCode])).toEqual([['a', 'exited', 3], ['b', 'exited', 3]]);
    expect(run.value.record.vms[0].console.output).toContain('disco-guest kernel (ksseg) booting');
    expect(run.value.record.vms[1].console.output).toContain('disco-guest kernel (hal) booting');
    for (const v of run.value.record.vms) expect(v.console.output).toContain('init: stars xy\n**\ninit exited with status 3');
  });

  it('reports what does not fit `guest` by field, before reading anything', async () => {
    expect(await errors({ 'experiments/x.json': guestExp({ mode: 'native', programs: ['p.s'], guest: {}, disk: { image: 'd.img' } }) })).toEqual([
      { file: 'experiments/x.json', path: 'disk.image', message: 'does not apply with `guest` (the run builds the guest\'s disk image)' },
      { file: 'experiments/x.json', path: 'programs', message: 'does not apply with `guest` (the guest OS kernel is built and booted; add your programs to guest.programs)' },
    ]);
    expect(await errors({ 'experiments/x.json': guestExp({ mode: 'disco', vms: [{ memoryMB: 4 }] }) })).toEqual([
      { file: 'experiments/x.json', path: 'vms[0].kernel', message: 'is required (or give the experiment `guest` to boot the guest OS kernel of `variant`)' },
    ]);
    expect(await errors({ 'experiments/x.json': guestExp({ mode: 'disco', guest: {}, vms: [{ memoryMB: 4, disk: { image: 'd.img' } }] }) })).toEqual([
      { file: 'experiments/x.json', path: 'vms[0].disk.image', message: 'does not apply with `guest` (every VM boots the guest\'s disk image)' },
    ]);
    expect(await errors({ 'experiments/x.json': guestExp({ mode: 'native', guest: { programs: ['a name.s', 'x'.repeat(30) + '.s'], init: ' lead' } }) })).toEqual([
      { file: 'experiments/x.json', path: 'guest.init', message: 'must be printable ASCII and start with a program name' },
    ]);
    expect(await errors({ 'experiments/x.json': guestExp({ mode: 'native', guest: { programs: ['a name.s', 'x'.repeat(30) + '.s'] } }) })).toEqual([
      { file: 'experiments/x.json', path: 'guest.programs[0]', message: "the program name 'a name' must be printable ASCII without spaces (the guest's file names)" },
      { file: 'experiments/x.json', path: 'guest.programs[1]', message: expect.stringMatching(/is longer than 23 characters/) },
    ]);
    expect(await errors({ 'experiments/x.json': guestExp({ mode: 'native', guest: { programs: ['../programs/gone.s'] } }) })).toEqual([
      { file: 'experiments/x.json', path: 'guest.programs[0]', message: 'programs/gone.s does not exist' },
    ]);
  });

  it('build problems come back from the run as fields: the program\'s assembler errors, an unknown init program', async () => {
    const bad = await load({ 'experiments/x.json': guestExp({ mode: 'native', guest: { programs: ['../programs/bad.s'], init: 'bad' } }), 'programs/bad.s': '        .text\n        frob $t0\n' });
    if (!bad.ok) throw new Error(formatLoadErrors(bad.errors));
    expect(runExperiment(bad.value.resolved, bad.value.inputs)).toMatchObject({ ok: false, errors: [{ path: 'guest.programs[0]', message: expect.stringMatching(/^programs\/bad\.s:2:\d+: /) }] });
    const none = await load({ 'experiments/x.json': guestExp({ mode: 'native', guest: { init: 'nosuch' } }) });
    if (!none.ok) throw new Error(formatLoadErrors(none.errors));
    expect(runExperiment(none.value.resolved, none.value.inputs)).toMatchObject({ ok: false, errors: [{ path: 'guest.init', message: expect.stringMatching(/^'nosuch' is not a program on the guest's disk/) }] });
  });

  it('a host without the guest sources says so', async () => {
    const src = createMemorySource({ 'experiments/x.json': JSON.stringify(guestExp({ mode: 'native', guest: {} })) }, PRESETS);
    const r = await loadExperiment(src, 'experiments/x.json');
    expect(r).toEqual({ ok: false, errors: [{ file: 'experiments/x.json', path: 'guest', message: "this host has no guest OS sources (Disco Lab's resources/guest)" }] });
  });
});
