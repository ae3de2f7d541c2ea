// Issue #11.5: fuzzing the ELF path — readElf, both loaders, the user-mode runner and
// `disco-lab disasm` — with a few thousand files per run: half mutations of valid executables,
// half built from random headers (bomb-like counts, sizes, offsets and symbol names). Every input must
// give a result or a clear error (never an exception), within a bounded time.
//
// Seeded (test/helpers/fuzz.ts): DISCO_FUZZ_SEED=<n> reproduces a run; otherwise the day number
// (a new corpus each day). The seed is printed; a failure names seed, case and input
// (DISCO_FUZZ_DUMP=FILE also writes a too-slow input to FILE). DISCO_FUZZ_CASES sets the count.
// Before the fix (issue #11) this test never finished: the first program-header bomb hung.
import { FUZZ_SEED, prng as uint32 } from '../helpers/fuzz';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble, readElf } from '../../src/core/asm/index';
import { parseElf as machineParseElf } from '../../src/core/machine/elf';
import { parseElf as userParseElf } from '../../src/core/machine/user/elf';
import { UserProcess, checkUserImage } from '../../src/core/machine/user/runner';
import { runCli } from '../../src/main/cli/main';
import { craftElf, hugeSegment, symtabBomb } from './elf-craft';

const CASES = Number(process.env.DISCO_FUZZ_CASES ?? 2000);
const SEED = FUZZ_SEED;
/** Most host time one input may take through every consumer [ms] (typical: < 5 ms). */
const MAX_MS_PER_INPUT = 2000;
/** Memory of the processes and machines the fuzzed files are loaded into. */
const MEM = 4 << 20;

/** Uniform in [0, 1). */
function prng(seed: number) {
  const next = uint32(seed);
  return () => next() / 4294967296;
}

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'disco-elf-fuzz-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HELLO = `	.text
	.globl	__start
__start:
	li	$a0, 1
	la	$a1, msg
	li	$a2, 6
	li	$v0, 4004
	syscall
loop:	addiu	$t0, $t0, 1
	bne	$t0, $zero, loop
	nop
	li	$v0, 4001
	syscall
	.rdata
msg:	.ascii	"hello\\n"
	.data
word:	.word	1, 2, 3
	.bss
buf:	.space	4096
`;

function corpus(): Uint8Array[] {
  const ours = assemble([{ path: 'hello.s', text: HELLO }]);
  if (!ours.ok || !ours.elf) throw new Error('corpus: hello.s does not assemble');
  return [
    ours.elf,
    symtabBomb(4096, 64),
    hugeSegment(0x20000),
    craftElf({ phdrs: [{ vaddr: 0x400000, memsz: 32, filesz: 32, offset: 84 }, { vaddr: 0x10000000, memsz: 64, filesz: 8, offset: 84, flags: 6 }], body: new Uint8Array(32).fill(0x24) }),
  ];
}

const INTERESTING = [0, 1, 2, 4, 16, 31, 32, 40, 52, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0x7fff, 0x8000, 0xffff, 0x10000, 0x0fffffff, 0x10000000, 0x10000001,
  0x7fffffff, 0x80000000, 0xbfc00000, 0xfffff000, 0xfffffff0, 0xffffffff];
/** Offsets of header fields worth hitting: ELF header, first program and section headers. */
function fieldOffsets(b: Uint8Array): { off: number; size: 2 | 4 }[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const f: { off: number; size: 2 | 4 }[] = [24, 28, 32].map((off) => ({ off, size: 4 as const }));
  for (const off of [42, 44, 46, 48, 50]) f.push({ off, size: 2 });
  if (b.length < 52) return f;
  const phoff = dv.getUint32(28), shoff = dv.getUint32(32), phnum = dv.getUint16(44), shnum = dv.getUint16(48);
  for (let i = 0; i < Math.min(phnum, 4); i++) for (let k = 0; k < 8; k++) if (phoff + i * 32 + k * 4 + 4 <= b.length) f.push({ off: phoff + i * 32 + k * 4, size: 4 });
  for (let i = 0; i < Math.min(shnum, 8); i++) for (let k = 0; k < 10; k++) if (shoff + i * 40 + k * 4 + 4 <= b.length) f.push({ off: shoff + i * 40 + k * 4, size: 4 });
  return f;
}

function mutate(base: Uint8Array, rnd: () => number): Uint8Array {
  let b = base.slice();
  const edits = 1 + Math.floor(rnd() * 4);
  for (let e = 0; e < edits; e++) {
    const k = rnd();
    if (k < 0.55) {
      // a header field := an interesting value, the file's length (±), or a random word
      const fields = fieldOffsets(b);
      const { off, size } = fields[Math.floor(rnd() * fields.length)];
      if (off + size > b.length) continue;
      const pick = rnd();
      const v = pick < 0.6 ? INTERESTING[Math.floor(rnd() * INTERESTING.length)] : pick < 0.8 ? b.length + Math.floor(rnd() * 9) - 4 : Math.floor(rnd() * 4294967296);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      if (size === 2) dv.setUint16(off, v & 0xffff); else dv.setUint32(off, v >>> 0);
    } else if (k < 0.8) {
      for (let i = 0; i < 1 + Math.floor(rnd() * 8); i++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    } else if (k < 0.92) {
      b = b.slice(0, Math.floor(rnd() * b.length)); // truncated
    } else {
      const grown = new Uint8Array(b.length + Math.floor(rnd() * 4096));
      grown.set(b);
      for (let i = b.length; i < grown.length; i++) grown[i] = rnd() < 0.5 ? 0 : Math.floor(rnd() * 256);
      b = grown;
    }
  }
  return b;
}

/**
 * A file built from random headers: a few (sometimes tens of thousands of) program headers with
 * extreme sizes and offsets, and a symbol table whose names point anywhere into a string table
 * with few or many NULs — the shapes of the bombs in issue #11, at random.
 */
function crafted(rnd: () => number): Uint8Array {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const small = (n: number) => Math.floor(rnd() * n);
  const value = () => (rnd() < 0.5 ? pick(INTERESTING) : small(rnd() < 0.5 ? 0x1000 : 0x20000000));
  const phnum = rnd() < 0.95 ? small(7) : pick([100, 1025, 65535]);
  const nsyms = rnd() < 0.9 ? small(64) : small(rnd() < 0.7 ? 4096 : 65536);
  const strSize = 1 + small(rnd() < 0.8 ? 512 : 65536);
  const nulEvery = pick([0, 2, 16, 4000, 5000]);
  const shnum = 3, body = new Uint8Array(64 + nsyms * 16 + strSize);
  const bodyOff = 52 + phnum * 32 + shnum * 40;
  const dv = new DataView(body.buffer);
  for (let i = 0; i < 64; i++) body[i] = small(256);
  for (let i = 1; i < nsyms; i++) {
    const o = 64 + i * 16;
    dv.setUint32(o, rnd() < 0.9 ? small(strSize) : value() >>> 0);
    dv.setUint32(o + 4, rnd() < 0.7 ? 0x400000 + 4 * small(16) : value() >>> 0);
    body[o + 12] = small(256);
    dv.setUint16(o + 14, rnd() < 0.8 ? 1 : small(0x10000));
  }
  for (let i = 64 + nsyms * 16; i < body.length; i++) body[i] = nulEvery && (i % nulEvery === 0 || rnd() < 1 / nulEvery) ? 0 : 0x41 + small(26);
  const sameHeader = rnd() < 0.5;
  let first: { vaddr: number; memsz: number; filesz: number; offset: number } | undefined;
  const phdrs = Array.from({ length: phnum }, () => {
    if (sameHeader && first) return first;
    const memsz = rnd() < 0.5 ? small(0x100) : value() >>> 0;
    const h = { type: rnd() < 0.9 ? 1 : small(8), vaddr: rnd() < 0.7 ? 0x400000 + 0x1000 * small(4) : value() >>> 0, memsz,
      filesz: rnd() < 0.8 ? Math.min(memsz, small(64)) : value() >>> 0, offset: rnd() < 0.8 ? bodyOff + small(64) : value() >>> 0, flags: small(8) };
    first ??= h;
    return h;
  });
  return craftElf({
    entry: 0x400000, phdrs,
    shdrs: [{ type: 0, offset: 0, size: 0 },
      { type: 2, offset: bodyOff + 64, size: rnd() < 0.9 ? nsyms * 16 : value() >>> 0, link: rnd() < 0.9 ? 2 : small(5) },
      { type: 3, offset: bodyOff + 64 + nsyms * 16, size: rnd() < 0.9 ? strSize : value() >>> 0 }],
    shstrndx: rnd() < 0.5 ? 2 : small(4),
    body,
  });
}

/** Runs one input through every consumer; throws on a contract violation. */
async function consume(bytes: Uint8Array, phases: Record<string, number> = {}): Promise<void> {
  let t = performance.now();
  const lap = (name: string) => { const n = performance.now(); phases[name] = n - t; t = n; };
  const r = readElf(bytes);
  lap('readElf');
  if (!r.ok) expect(r.message).toMatch(/\S/);
  else expect(r.segments.reduce((s, g) => s + g.bytes.length, 0)).toBeLessThanOrEqual(512 << 20);

  const m = machineParseElf(bytes, { memoryBytes: MEM });
  if (!m.ok) expect(m.message).toMatch(/\S/);
  lap('machine parseElf');

  const u = userParseElf(bytes, { memoryBytes: MEM });
  if ('error' in u) expect(u.error).toMatch(/\S/);
  else if (checkUserImage(u, MEM) === undefined) {
    const p = new UserProcess(u, { memoryBytes: MEM, argv: ['fuzz'], io: { write: () => {}, read: () => new Uint8Array(0) } });
    const res = p.run(2000);
    expect(['exited', 'fault', 'limit']).toContain(res.outcome.kind);
  }
  lap('user process');

  writeFileSync(join(dir, 'f.elf'), bytes);
  let out = 0, err = '';
  const code = await runCli(['disasm', '--all', 'f.elf'], { out: (t) => { out += t.length; }, err: (t) => { err += t; }, cwd: dir });
  if (code !== 0) {
    expect(code).toBe(1);
    expect(err).toMatch(/^f\.elf: error: \S.*\n$/);
  } else expect(out).toBeGreaterThan(0);
  lap('disasm');
}

describe(`ELF fuzz (seed ${SEED}, ${CASES} cases; DISCO_FUZZ_SEED=${SEED} reproduces)`, () => {
  it('every crafted or mutated ELF gives a result or a clear error, quickly', async () => {
    console.log(`ELF fuzz: seed ${SEED}, ${CASES} cases (set DISCO_FUZZ_SEED to reproduce)`);
    const rnd = prng(SEED);
    const bases = corpus();
    let slowest = 0, loaded = 0;
    for (let i = 0; i < CASES; i++) {
      const input = i % 2 ? crafted(rnd) : mutate(bases[(i >> 1) % bases.length], rnd);
      const t0 = performance.now();
      const phases: Record<string, number> = {};
      try {
        await consume(input, phases);
      } catch (e) {
        if (process.env.DISCO_FUZZ_DUMP) writeFileSync(process.env.DISCO_FUZZ_DUMP, input);
        throw new Error(`ELF fuzz seed ${SEED} case ${i}: ${(e as Error).message}\ninput (base64): ${Buffer.from(input).toString('base64').slice(0, 20000)}`);
      }
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      if (ms > MAX_MS_PER_INPUT && process.env.DISCO_FUZZ_DUMP) writeFileSync(process.env.DISCO_FUZZ_DUMP, input);
      if (ms > MAX_MS_PER_INPUT) throw new Error(`ELF fuzz seed ${SEED} case ${i}: took ${ms.toFixed(0)} ms (limit ${MAX_MS_PER_INPUT}; ${Object.entries(phases).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ')}; ${input.length} bytes)\ninput (base64): ${Buffer.from(input).toString('base64').slice(0, 20000)}`);
      if (readElf(input).ok) loaded++;
    }
    console.log(`ELF fuzz: slowest input ${slowest.toFixed(1)} ms; ${loaded} of ${CASES} inputs were readable ELF files`);
    expect(loaded).toBeGreaterThan(CASES / 20); // the mutations must not only produce garbage
  }, 300_000);
});
