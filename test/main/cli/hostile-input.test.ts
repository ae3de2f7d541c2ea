// Issue #11.5–6: crafted ELF files and bad input paths give a clear error (exit 1) quickly and
// in bounded memory — never a hang, an out-of-memory crash or a stack trace (exit 70).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readElf } from '../../../src/core/asm/index';
import { parseElf as machineParseElf } from '../../../src/core/machine/elf';
import { runCli, userError } from '../../../src/main/cli/main';
import { MAX_INPUT_BYTES, readInputFile } from '../../../src/main/input';
import { craftElf, hugeSegment, phdrBomb, symtabBomb } from '../elf-craft';

/** A temp folder for the whole file (helpers' tempDir is removed after each test). */
const made: string[] = [];
afterAll(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });
function tempDir(): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), 'disco-hostile-')));
  made.push(d);
  return d;
}

const ROOT = resolve(import.meta.dirname, '../../..');

async function cli(cwd: string, ...argv: string[]) {
  let out = '', err = '';
  const t0 = performance.now();
  const code = await runCli(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd });
  return { code, out, err, ms: performance.now() - t0 };
}

/** Writes the crafted files into a temp folder (with an experiment that runs each on a machine). */
function files() {
  const dir = tempDir();
  const bombs: Record<string, Uint8Array> = {
    'phdr-bomb.elf': phdrBomb(),
    'sym-bomb.elf': symtabBomb(),
    'sym-bomb-4k.elf': symtabBomb(2 << 20, 4000),
    'huge-seg.elf': hugeSegment(),
    'kseg0.elf': craftElf({ phdrs: [{ vaddr: 0x80001000, memsz: 16, filesz: 16, offset: 84 }], body: new Uint8Array(16) }),
  };
  for (const [name, bytes] of Object.entries(bombs)) {
    writeFileSync(join(dir, name), bytes);
    writeFileSync(join(dir, name.replace('.elf', '.json')), JSON.stringify({ name: 'bomb', machine: { nodes: 1, cpusPerNode: 1 }, mode: 'native', programs: [name] }));
  }
  return dir;
}

/** Every case must answer within this [ms] (they took > 90 s, or crashed, before the fix). */
const FAST = 5_000;

describe('crafted ELF files', () => {
  const dir = files();

  it('a program-header bomb (65,535 × 256 MB segments) is refused at once by run, run-user and disasm', async () => {
    for (const argv of [['run-user', 'phdr-bomb.elf'], ['disasm', 'phdr-bomb.elf'], ['run', 'phdr-bomb.json', '--quiet']]) {
      const r = await cli(dir, ...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err).toMatch(/phdr-bomb\.elf: .*declare more memory than the \d+(\.\d)? MiB available/);
      expect(r.ms).toBeLessThan(FAST);
    }
  }, 60_000);

  it('symbol-table bombs are refused by run-user and disasm without building huge names', async () => {
    for (const [file, msg] of [['sym-bomb.elf', /symbol name not terminated within 4096 bytes/], ['sym-bomb-4k.elf', /symbol names are longer in total/]] as const) {
      for (const cmd of ['run-user', 'disasm']) {
        const r = await cli(dir, cmd, file);
        expect(r.code, `${cmd} ${file}`).toBe(1);
        expect(r.err).toMatch(msg);
        expect(r.ms).toBeLessThan(FAST);
      }
    }
  }, 60_000);

  it('many symbols at one address do not make disasm quadratic', async () => {
    // 100,000 symbols named "a", all at the entry point
    const n = 100_000, off = 52 + 32 + 3 * 40;
    const body = new Uint8Array(16 + n * 16 + 4);
    const dv = new DataView(body.buffer);
    for (let i = 1; i < n; i++) { dv.setUint32(16 + i * 16, 1); dv.setUint32(16 + i * 16 + 4, 0x400000); body[16 + i * 16 + 12] = 0x12; dv.setUint16(16 + i * 16 + 14, 1); }
    body.set([0, 0x61, 0, 0], 16 + n * 16);
    writeFileSync(join(dir, 'same.elf'), craftElf({
      phdrs: [{ vaddr: 0x400000, memsz: 16, filesz: 16, offset: off }],
      shdrs: [{ type: 0, offset: 0, size: 0 }, { type: 2, offset: off + 16, size: n * 16, link: 2 }, { type: 3, offset: off + 16 + n * 16, size: 4 }],
      body,
    }));
    const r = await cli(dir, 'disasm', 'same.elf');
    expect(r.code).toBe(0);
    expect(r.out).toContain('00400000 <a>:\n');
    expect(r.ms).toBeLessThan(FAST);
  }, 60_000);

  it('a 256 MB zero-fill segment: disasm lists the file bytes only; run-user refuses what does not fit its memory', async () => {
    const d = await cli(dir, 'disasm', 'huge-seg.elf');
    expect(d.code).toBe(0);
    expect(d.out.length).toBeLessThan(2000);
    expect(d.out).toContain('400000:\t00000000 \tsll\t$zero,$zero,0');
    expect(d.out).toContain('... (268435440 bytes of zero fill from 0x400010, not disassembled)');
    expect(d.ms).toBeLessThan(FAST);
    const u = await cli(dir, 'run-user', 'huge-seg.elf');
    expect(u.code).toBe(1);
    expect(u.err).toMatch(/declare more memory than the 128 MiB available/);
    expect(u.ms).toBeLessThan(FAST);
  }, 60_000);

  it('run-user refuses segments outside user space instead of running without them', async () => {
    const r = await cli(dir, 'run-user', 'kseg0.elf');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/segment at 0x80001000 .* outside user space/);
  });

  it('readElf checks headers against the file and the memory bound before allocating', () => {
    expect(readElf(hugeSegment(), { maxLoadBytes: 1 << 20 })).toMatchObject({ ok: false, message: expect.stringMatching(/declare more memory than the 1 MiB available/) });
    expect(readElf(craftElf({ phdrs: [{ vaddr: 0xfffff000, memsz: 0x2000 }] }))).toMatchObject({ ok: false, message: expect.stringMatching(/wraps around/) });
    expect(readElf(craftElf({ phdrs: [{ vaddr: 0x400000, memsz: 64, filesz: 64, offset: 1 << 20 }] }))).toMatchObject({ ok: false, message: 'truncated ELF file (segment data)' });
    expect(readElf(phdrBomb(1025, 16))).toMatchObject({ ok: false, message: 'more than 1024 loadable segments' });
    // the machine's loader bounds Σ p_memsz by the machine's memory
    expect(machineParseElf(hugeSegment(), { memoryBytes: 16 << 20 })).toMatchObject({ ok: false, message: expect.stringMatching(/16 MiB/) });
    expect(machineParseElf(phdrBomb())).toMatchObject({ ok: false });
  });
});

describe('bad input paths: a message and exit 1, never a stack trace', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'folder.elf'));
  mkdirSync(join(dir, 'folder.s'));

  it('disasm and run-user on a directory', async () => {
    for (const argv of [['disasm', 'folder.elf'], ['run-user', 'folder.elf'], ['run-user', 'folder.s']]) {
      const r = await cli(dir, ...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err).toBe(`${argv[1]}: error: is a directory\n`);
    }
  });

  it('/dev/zero as a program or an ELF is refused without reading it', async () => {
    for (const argv of [['disasm', '/dev/zero'], ['run-user', '/dev/zero']]) {
      const r = await cli(dir, ...argv);
      expect(r.code).toBe(1);
      expect(r.err).toBe('/dev/zero: error: is a device, not a regular file\n');
      expect(r.ms).toBeLessThan(FAST);
    }
  });

  it('asm, and run for the files an experiment names (program, disk image), refuse devices and FIFOs too', async () => {
    const a = await cli(dir, 'asm', '/dev/zero', '-o', join(dir, 'z.elf'));
    expect(a.code).toBe(1);
    expect(a.err).toBe('/dev/zero: error: is a device, not a regular file\n');
    writeFileSync(join(dir, 'devdisk.json'), JSON.stringify({ name: 'd', machine: { nodes: 1, cpusPerNode: 1 }, mode: 'native', programs: ['kseg0.elf'], disk: { image: '/dev/zero' } }));
    writeFileSync(join(dir, 'devprog.json'), JSON.stringify({ name: 'd', machine: { nodes: 1, cpusPerNode: 1 }, mode: 'native', programs: ['/dev/zero'] }));
    for (const exp of ['devdisk.json', 'devprog.json']) {
      const r = await cli(dir, 'run', exp, '--quiet');
      expect(r.code, exp).toBe(1);
      expect(r.err, exp).toMatch(/\/dev\/zero: is a device, not a regular file/);
      expect(r.ms).toBeLessThan(FAST);
    }
    const fifo = join(dir, 'pipe.img');
    if (spawnSync('mkfifo', [fifo]).status === 0) {
      writeFileSync(join(dir, 'fifo.json'), JSON.stringify({ name: 'd', machine: { nodes: 1, cpusPerNode: 1 }, mode: 'native', programs: ['kseg0.elf'], disk: { image: 'pipe.img' } }));
      const r = await cli(dir, 'run', 'fifo.json', '--quiet');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/pipe\.img: is a pipe, not a regular file/);
    }
  });

  it('a FIFO is refused without blocking; a file over the limit is refused', () => {
    const fifo = join(dir, 'pipe.s');
    if (spawnSync('mkfifo', [fifo]).status === 0) expect(readInputFile(fifo, 'pipe.s')).toEqual({ ok: false, message: 'pipe.s: error: is a pipe, not a regular file' });
    writeFileSync(join(dir, 'big.s'), 'x'.repeat(2048));
    expect(readInputFile(join(dir, 'big.s'), 'big.s', 1024)).toMatchObject({ ok: false, message: expect.stringMatching(/^big\.s: error: larger than/) });
    expect(readInputFile(join(dir, 'missing.s'), 'missing.s')).toEqual({ ok: false, message: 'missing.s: error: no such file' });
    expect(MAX_INPUT_BYTES).toBe(64 << 20);
  });

  it('the CLI turns file-system errors a command lets escape into exit 1; bugs still reject', async () => {
    expect(userError(Object.assign(new Error('EISDIR: illegal operation on a directory, read'), { code: 'EISDIR', syscall: 'read' }))).toBe('is a directory');
    expect(userError(Object.assign(new Error('x'), { code: 'EACCES', syscall: 'open', path: '/x' }))).toBe('/x: permission denied');
    expect(userError(new RangeError('Array buffer allocation failed'))).toMatch(/input too large/);
    expect(userError(new TypeError('undefined is not a function'))).toBeUndefined();
    // `asm` reads with readFileSync (its own code): a directory must still give exit 1
    const r = await cli(dir, 'asm', 'folder.s', '-o', 'x.elf');
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('the real CLI process exits 1 with one line for a directory (it printed a stack and exited 70)', () => {
    const p = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/cli/index.ts'), 'disasm', dir], { encoding: 'utf8', timeout: 60_000 });
    expect(p.status).toBe(1);
    expect(p.stderr).toBe(`${dir}: error: is a directory\n`);
  }, 60_000);
});
