/**
 * Fuzz: thousands of random and mutated sources. The assembler must never throw, never take
 * longer than FUZZ_TIME_LIMIT_MS on one input, and every diagnostic must point at a real
 * location: a line of an input file and a column within (or just after) that line.
 *
 * Seeded: the seed is $DISCO_FUZZ_SEED, else the day number (UTC), so CI tries new inputs every
 * day while a failure names the seed and input that reproduce it:
 *     DISCO_FUZZ_SEED=<seed> npx vitest run test/core/asm/fuzz.test.ts
 */
import { FUZZ_SEED, prng as uint32 } from '../../helpers/fuzz';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble, type SourceFile } from '../../../src/core/asm/index';
import { INSTRUCTIONS } from '../../../src/core/isa/table';
import { DIRECTIVES, PSEUDO } from '../../../src/core/asm/index';
import { CORPUS, load } from './corpus';

const SEED = FUZZ_SEED;
console.log(`asm fuzz: seed ${SEED} (DISCO_FUZZ_SEED=${SEED} reproduces this run)`);

/** Longest one input may take [ms]: generous for a loaded CI machine; the bugs this guards against took minutes to forever. */
const FUZZ_TIME_LIMIT_MS = 3_000;

/** Uniform in [0, 1). */
function prng(seed: number) {
  const next = uint32(seed);
  return () => next() / 4294967296;
}

const VOCAB = [
  ...INSTRUCTIONS.map((s) => s.mnemonic), ...PSEUDO.map((p) => p.mnemonic), ...DIRECTIVES.map((d) => d.name),
  '.set', 'noreorder', 'reorder', 'noat', 'push', 'pop', '.macro', '.endm', '.include', '"x.s"', '"self.s"',
  '$t0', '$zero', '$31', '$32', '$', '$fp', '$at', 'lab', 'lab:', '1:', '1b', '1f', '2f', '.', '0', '1', '-1', '0x7fff', '0xffffffff',
  '0x123456789abcdef0', '077', '0b101', "'a'", "'", '"str"', '"unterminated', '\\', '\\@', '\\a', '(', ')', ',', ',', ',', '+', '-', '*', '/', '%', '<<',
  '>>', '&', '|', '^', '~', '!', '==', '&&', '=', ':', ';', '#', '%hi(', '%lo(', '%got(', '@', '`', 'é', '\t', '  ', '4($sp)', '($a0)',
  '0x100000', '0x7fffffffff', '99999999999999999999999',
];

/** Checks one assembly: no throw, in time, diagnostics well-formed and located in the inputs. */
function check(what: string, files: SourceFile[], extra: Record<string, string>): void {
  const texts = new Map<string, string[]>([...files.map((f) => [f.path, f.text.split('\n')] as const), ...Object.entries(extra).map(([p, t]) => [p, t.split('\n')] as const)]);
  const repro = () => `${what} (DISCO_FUZZ_SEED=${SEED}); input: ${JSON.stringify(files[0].text.slice(0, 400))}`;
  const t0 = performance.now();
  let r;
  try {
    r = assemble(files, { include: (name) => (name in extra ? { path: name, text: extra[name] } : undefined) });
  } catch (e) {
    throw new Error(`assemble threw ${String(e)} on ${repro()}`);
  }
  const ms = performance.now() - t0;
  if (ms > FUZZ_TIME_LIMIT_MS) throw new Error(`assemble took ${Math.round(ms)} ms on ${repro()}`);
  for (const d of r.diagnostics) {
    const lines = texts.get(d.file);
    const text = lines?.[d.line - 1];
    if (text === undefined || !(d.col >= 1) || d.col > text.length + 1 || !(d.endCol > d.col) || !d.message) {
      throw new Error(`bad diagnostic ${JSON.stringify(d)} for ${repro()}`);
    }
  }
  expect(r.ok).toBe(!r.diagnostics.some((d) => d.severity === 'error'));
  if (r.ok) expect(r.image).toBeDefined();
}

/** One random edit of `t`: delete, insert a token, duplicate a line (into macro bodies too), truncate. */
function mutate(t: string, rnd: () => number): string {
  const p = Math.floor(rnd() * t.length);
  const k = rnd();
  if (k < 0.3) return t.slice(0, p) + t.slice(p + 1 + Math.floor(rnd() * 5));
  if (k < 0.6) return t.slice(0, p) + VOCAB[Math.floor(rnd() * VOCAB.length)] + t.slice(p);
  if (k < 0.9) { const ls = t.split('\n'); const a = Math.floor(rnd() * ls.length); ls.splice(Math.floor(rnd() * ls.length), 0, ls[a]); return ls.join('\n'); }
  return t.slice(0, p);
}

describe(`fuzz (seed ${SEED}): the assembler never throws, stays in time and always locates its diagnostics`, () => {
  it('2000 random token soups', () => {
    const rnd = prng(SEED);
    const extra = { 'x.s': 'nop\n.word lab\n', 'self.s': '.include "self.s"\n' };
    for (let i = 0; i < 2000; i++) {
      const nLines = 1 + Math.floor(rnd() * 12);
      const text = Array.from({ length: nLines }, () => Array.from({ length: Math.floor(rnd() * 8) }, () => VOCAB[Math.floor(rnd() * VOCAB.length)]).join(rnd() < 0.7 ? ' ' : '')).join('\n');
      check(`token soup #${i}`, [{ path: `r${i}.s`, text }], extra);
    }
  });

  it('1000 mutations of corpus files', () => {
    const rnd = prng(SEED ^ 0xbeef);
    const sources = CORPUS.flat().map(load).filter((f) => f.text.length < 6000);
    const extra = { 'inc/defs.inc': load('inc/defs.inc').text };
    for (let i = 0; i < 1000; i++) {
      const f = sources[i % sources.length];
      let t = f.text;
      const edits = 1 + Math.floor(rnd() * 6);
      for (let e = 0; e < edits; e++) t = mutate(t, rnd);
      check(`corpus mutation #${i} of ${f.path}`, [{ path: f.path, text: t }], extra);
    }
  });

  it('600 mutations of the shipped guest programs and their runtime (macros and includes included)', () => {
    // issue #11 measured 20 of 100,000 such mutations hanging the assembler (e.g. a CHECK use
    // duplicated into the CHECK macro); every run tries new ones
    const guest = join(import.meta.dirname, '../../../resources');
    const read = (p: string) => readFileSync(join(guest, p), 'utf8');
    const programs = ['hello', 'systest', 'tests', 'pmake', 'cc', 'raytrace', 'rtworker', 'dbclient', 'database', 'engsim', 'engineering', 'loop', 'crash', 'badptr']
      .map((n) => ({ path: `programs/${n}.s`, text: read(`guest/programs/${n}.s`) }));
    const runtime = read('guest/lib/runtime.s');
    const kernel = { path: 'kernel/kernel.s', text: read('guest/kernel/kernel.s') };
    const rnd = prng(SEED ^ 0x5eed);
    for (let i = 0; i < 600; i++) {
      const f = i % 100 === 99 ? kernel : programs[Math.floor(rnd() * programs.length)];
      let t = f.text;
      let rt = runtime;
      const edits = 1 + Math.floor(rnd() * 4);
      for (let e = 0; e < edits; e++) {
        if (rnd() < 0.2) rt = mutate(rt, rnd); // the included runtime is edited too (it may come to include itself)
        else t = mutate(t, rnd);
      }
      check(`guest mutation #${i} of ${f.path}`, [{ path: f.path, text: t }], { 'lib/runtime.s': rt });
    }
  });

  it('pathological inputs', () => {
    const extra = { 'self.s': '.include "self.s"\n', 'self2.s': '.include "self2.s"\n.include "self2.s"\n' };
    for (const text of ['', '\n\n\n', ':', '::', '1:1:1:', '.macro', '.macro m\nm\n.endm\nm\n', '.macro m\n m\n.endm\n m\n', '.include "self.s"', '.include "self2.s"',
      'x = x + 1\n.word x', '.equ a, b\n.equ b, a\n.word a', '.space 0x7fffffff', '.align 16\n.align 16', 'li $t0, %hi(', '"'.repeat(1000),
      '('.repeat(5000) + '1', '-'.repeat(200000) + '1', '.word ' + '1+'.repeat(200000) + '1', 'li $t0, ' + '~'.repeat(100000) + '0', 'b .\n'.repeat(100), '\u0000\u0001\u0002', 'j 3\nb 2\n.word 1/0, 1%0', '\\\\\\',
      '.macro m a\n m \\a\n m \\a\n.endm\n m 1\n', '.macro m a\n m \\a\\a\n.endm\n m x\n', `li $t0, ${'9'.repeat(1_000_000)}`, '.data\n.space 0x1000000\n.space 0x1000000\n.space 0x1000000\n',
      '.word a0\n' + Array.from({ length: 1500 }, (_, i) => `a${i} = a${i + 1} + 1`).join('\n') + '\na1500 = 1\n', '\n'.repeat(1_000_000), `.macro m a=x${' '.repeat(100_000)}y, b\n.endm\n m\n`]) {
      check('pathological input', [{ path: 'p.s', text }], extra);
    }
  });
});
