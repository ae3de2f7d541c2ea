import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/main';
import { RUN_RECORD_SCHEMA } from '../../../src/core/experiment/run-record-schema';
import { validateJson } from '../../../src/core/experiment/json-schema';

const ROOT = join(__dirname, '..', '..', '..');
const EXAMPLE = join(ROOT, 'resources/examples/experiments/bare-hello.json');
const tmp = mkdtempSync(join(tmpdir(), 'disco-run-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(...args: string[]) {
  let out = '', err = '';
  const code = await runCli(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: tmp });
  return { code, out, err };
}

function writeExp(name: string, exp: unknown): string {
  const p = join(tmp, name);
  writeFileSync(p, typeof exp === 'string' ? exp : JSON.stringify(exp));
  return p;
}

const PROGRAM = join(ROOT, 'resources/examples/programs/bare-hello.s');
/** Waits forever with the timer interrupt unmasked and Compare = 0xFFFFFFFF. */
const IDLE = '        .text\n        .globl __start\n__start:\n        li $t0, -1\n        mtc0 $t0, $11\n        li $t0, 0x8000\n        mtc0 $t0, $12\n1:      wait\n        b 1b\n        nop\n';

describe('disco-lab run', () => {
  it('is listed in --help', async () => {
    const r = await cli('--help');
    expect(r.out).toMatch(/\n {2}run +run an experiment/);
  });

  it('runs the bare-metal example: console output, summary, record written atomically', async () => {
    const r = await cli('run', EXAMPLE, '--json', 'out/../rec.json');
    expect(r.err).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.out).toContain('hello from CPU 0 on node 0\n');
    expect(r.out).toContain('hello from CPU 7 on node 3\n');
    expect(r.out).toMatch(/bare-hello: flash-4x2 \(8 CPUs on 4 nodes, timing, 200 MHz\): exit 0 \(CPU 7\)/);
    expect(r.out).toMatch(/ cpu node {2}user% {2}kernel% {2}monitor% {2}idle%/);
    expect(r.out).toMatch(/\n all +0\.0 +\d+\.\d +0\.0 +\d+\.\d/);
    const rec = JSON.parse(readFileSync(join(tmp, 'rec.json'), 'utf8'));
    expect(validateJson(RUN_RECORD_SCHEMA, rec)).toEqual([]);
    expect(rec.host.seconds).toBeGreaterThan(0);
    expect(rec.machine.name).toBe('flash-4x2');
    expect(readdirSync(tmp).filter((f) => f.includes('disco-tmp'))).toEqual([]);
  });

  it('--quiet prints only the console output', async () => {
    const r = await cli('run', EXAMPLE, '--quiet');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter(Boolean)).toHaveLength(9);
  });

  it('exits with the program\'s status, and 124 for a run stopped by a limit', async () => {
    const p = writeExp('limit.json', { name: 'limit', machine: 'uma-smp4', mode: 'native', programs: [PROGRAM], limits: { maxCycles: 5000 } });
    const r = await cli('run', p, '--json', 'limit-rec.json');
    expect(r.code).toBe(124);
    expect(r.out).toContain('partial run');
    expect(JSON.parse(readFileSync(join(tmp, 'limit-rec.json'), 'utf8')).partial).toBe(true);
    const src = join(tmp, 'exit7.s');
    writeFileSync(src, '.text\n.globl __start\n__start:\n lui $s0, 0xbf00\n li $t0, 7\n sw $t0, 0x3000($s0)\n1: b 1b\n nop\n');
    const q = writeExp('exit7.json', { name: 'x', machine: 'uma-smp4', mode: 'native', programs: ['exit7.s'] });
    expect((await cli('run', q, '--quiet')).code).toBe(7);
  });

  it('prints field-level errors as file: path: message and exits 1', async () => {
    const p = writeExp('bad.json', { name: 'bad', machine: 'flash-4x2', mode: 'native', programs: [], limits: { maxCycles: -1 } });
    const r = await cli('run', p);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`bad.json: programs: must have at least 1 item\nbad.json: limits.maxCycles: must be ≥ 1, got -1\n`.replace(/bad\.json/g, p));
  });

  it('reports machine errors against the machine file, inline ones against the experiment', async () => {
    const mfile = join(tmp, 'm.json');
    writeFileSync(mfile, JSON.stringify({ name: 'm', nodes: 2, distance: [[1, 2], [3]] }));
    const p = writeExp('mfile.json', { name: 'x', machine: './m.json', mode: 'native', programs: [PROGRAM] });
    const r = await cli('run', p);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${mfile}: distance[1]: must have 2 entries (one per node), got 1\n`);
    const q = writeExp('inline.json', { name: 'x', machine: { cpuModel: 'slow' }, mode: 'native', programs: [PROGRAM] });
    expect((await cli('run', q)).err).toBe(`inline.json: machine.cpuModel: must be one of 'fast', 'timing', got "slow"\n`.replace('inline.json', q));
  });

  it('rejects unknown presets, unreadable files, bad JSON and bad programs', async () => {
    const a = await cli('run', writeExp('nopreset.json', { name: 'x', machine: 'cray-1', mode: 'native', programs: [PROGRAM] }));
    expect(a).toMatchObject({ code: 1, err: expect.stringContaining("machine: no machine preset 'cray-1'") });
    expect(await cli('run', 'missing.json')).toMatchObject({ code: 1, err: 'run: missing.json does not exist\n' });
    expect((await cli('run', writeExp('syntax.json', '{ nope'))).err).toMatch(/invalid JSON/);
    copyFileSync(EXAMPLE, join(tmp, 'copy.json'));
    const b = await cli('run', 'copy.json');
    expect(b).toMatchObject({ code: 1, err: 'copy.json: programs[0]: ../programs/bare-hello.s does not exist\n' });
    writeFileSync(join(tmp, 'junk.elf'), 'junk');
    const c = await cli('run', writeExp('junk.json', { name: 'x', machine: 'uma-smp4', mode: 'native', programs: ['junk.elf'] }));
    expect(c.err).toMatch(/programs\[0\]: junk.elf: not an ELF file/);
  });

  it('assembles .s programs with the project assembler and reports its diagnostics', async () => {
    writeFileSync(join(tmp, 'five.s'), '.text\n.globl __start\n__start:\n lui $s0, 0xbf00\n li $t0, 5\n sw $t0, 0x3000($s0)\n');
    const ok = await cli('run', writeExp('five.json', { name: 'five', machine: 'uma-smp4', mode: 'native', programs: ['five.s'] }), '--quiet');
    expect(ok).toMatchObject({ code: 5, err: '' });
    writeFileSync(join(tmp, 'typo.s'), '.text\n__start:\n addiu $t0, $t0\n');
    writeExp('typo.json', { name: 'typo', machine: 'uma-smp4', mode: 'native', programs: ['typo.s'] });
    const bad = await cli('run', 'typo.json');
    expect(bad.code).toBe(1);
    // paths as the user gave them (relative to the working directory), so editors can open them
    expect(bad.err).toMatch(/^typo\.json: programs\[0\]: typo\.s:3:\d+: invalid operands/);
  });

  it('refuses a disco experiment with more vCPUs than the monitor can run, by field, before running', async () => {
    const p = writeExp('vcpus.json', { name: 'v', machine: 'flash-4x2', mode: 'disco', guest: {}, vms: [{ memoryMB: 2, vcpus: 32, copies: 8 }] });
    const r = await cli('run', p);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toBe(`${p}: vms: at most 255 vCPUs in total (the monitor keeps one HAL page per vCPU in its 256 reserved pages), got 256\n`);
  });

  it('refuses a folder (or a file in a missing folder) as --json OUT before running', async () => {
    mkdirSync(join(tmp, 'recs'));
    const before = readdirSync(tmp).sort();
    const dir = await cli('run', EXAMPLE, '--json', 'recs');
    expect(dir).toEqual({ code: 2, out: '', err: 'run: --json recs: is a folder; give the record\'s file name, e.g. --json recs/bare-hello.json\n' });
    expect((await cli('run', EXAMPLE, '--json', 'recs/')).code).toBe(2);
    expect((await cli('run', EXAMPLE, '--json', 'new/')).err).toMatch(/^run: --json new\/: is a folder; /);
    expect(await cli('run', EXAMPLE, '--json', 'nowhere/rec.json')).toEqual({ code: 2, out: '', err: `run: --json nowhere/rec.json: the folder ${join(tmp, 'nowhere')} does not exist\n` });
    expect(readdirSync(tmp).sort()).toEqual(before); // no temp file beside the folder
    expect(readdirSync(join(tmp, 'recs'))).toEqual([]);
    expect((await cli('run', EXAMPLE, '--quiet', '--json', 'recs/bare-hello.json')).code).toBe(0);
    expect(readdirSync(join(tmp, 'recs'))).toEqual(['bare-hello.json']);
  });

  it('stops a program that never exits at the default cycle limit and says how to raise it', async () => {
    // Every CPU waits with its timer unmasked (Compare never reached): cheap to simulate, never ends.
    writeFileSync(join(tmp, 'idle.s'), IDLE);
    const r = await cli('run', writeExp('idle.json', { name: 'idle', machine: 'uma-smp4', mode: 'native', programs: ['idle.s'] }), '--json', 'idle-rec.json');
    expect(r.code).toBe(124);
    expect(r.err).toBe('run: stopped at the default limit of 50,000,000 cycles; raise it with limits.maxCycles in the experiment\n');
    expect(JSON.parse(readFileSync(join(tmp, 'idle-rec.json'), 'utf8'))).toMatchObject({ cycles: 50_000_000, partial: true, limits: { maxCycles: 50_000_000 }, status: { reason: 'maxCycles' } });
    const own = await cli('run', writeExp('idle-own.json', { name: 'idle', machine: 'uma-smp4', mode: 'native', programs: ['idle.s'], limits: { maxCycles: 100_000 } }));
    expect(own).toMatchObject({ code: 124, err: '' });
  });

  it('usage errors exit 2', async () => {
    expect((await cli('run')).code).toBe(2);
    expect((await cli('run', EXAMPLE, '--bogus')).code).toBe(2);
    expect((await cli('run', EXAMPLE, '--json')).code).toBe(2);
    expect((await cli('run', EXAMPLE, EXAMPLE)).code).toBe(2);
  });

  it('a persistent disk keeps what its VM wrote (the image file is replaced); a non-persistent one does not', async () => {
    // the copy-on-write test guest (test/fixtures/disco/cow.s) as writer: it reads disk page 0,
    // stores MARK into it and writes the page back to sectors 0–7
    const cow = readFileSync(join(ROOT, 'test/fixtures/disco/cow.s'), 'utf8');
    writeFileSync(join(tmp, 'writer.s'), '.set WRITER, 1\n' + cow);
    const image = () => { const d = new Uint8Array(64 * 1024); new DataView(d.buffer).setUint32(0, 0x0a1b2c3d); return d; };
    const first = () => new DataView(new Uint8Array(readFileSync(join(tmp, 'p.img'))).buffer).getUint32(0);
    const exp = (persistent: boolean) => writeExp('persist.json', { name: 'persist', machine: 'flash-4x2', machineOverrides: { nodes: 1, cpusPerNode: 1, cpuModel: 'fast' }, mode: 'disco', vms: [{ name: 'w', memoryMB: 1, kernel: 'writer.s', disk: { image: 'p.img', persistent } }], limits: { maxCycles: 200_000_000 } });
    writeFileSync(join(tmp, 'p.img'), image());
    const off = await cli('run', exp(false), '--quiet');
    expect(off.code, off.err).toBe(0);
    expect(off.out).toBe('a=0a1b2c3d b=4d41524b c=4d41524b\n');   // it reads its own write back (its overlay)
    expect(first()).toBe(0x0a1b2c3d);                                  // the file is as it was
    const on = await cli('run', exp(true), '--quiet');
    expect(on.code, on.err).toBe(0);
    expect(on.out).toBe('a=0a1b2c3d b=4d41524b c=4d41524b\n');
    expect(on.err).toContain('run: p.img: 8 sector(s) written by w (persistent disk), saved');
    expect(first()).toBe(0x4d41524b);                                  // MARK, in the file
    expect(readFileSync(join(tmp, 'p.img')).length).toBe(64 * 1024);
    // the next boot reads what the last one wrote
    const again = await cli('run', exp(true), '--quiet');
    expect(again.out).toBe('a=4d41524b b=4d41524b c=4d41524b\n');
  }, 60_000);
});
