/**
 * Fuzz: thousands of random and mutated sources (seeded, deterministic). The assembler must
 * never throw, and every diagnostic must point at a real line of a real input file.
 */
import { describe, expect, it } from 'vitest';
import { assemble, type SourceFile } from '../../../src/core/asm/index';
import { INSTRUCTIONS } from '../../../src/core/isa/table';
import { DIRECTIVES, PSEUDO } from '../../../src/core/asm/index';
import { CORPUS, load } from './corpus';

function prng(seed: number) {
  let s = seed >>> 0;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

const VOCAB = [
  ...INSTRUCTIONS.map((s) => s.mnemonic), ...PSEUDO.map((p) => p.mnemonic), ...DIRECTIVES.map((d) => d.name),
  '.set', 'noreorder', 'reorder', 'noat', 'push', 'pop', '.macro', '.endm', '.include', '"x.s"', '"self.s"',
  '$t0', '$zero', '$31', '$32', '$', '$fp', '$at', 'lab', 'lab:', '1:', '1b', '1f', '2f', '.', '0', '1', '-1', '0x7fff', '0xffffffff',
  '0x123456789abcdef0', '077', '0b101', "'a'", "'", '"str"', '"unterminated', '\\', '\\@', '\\a', '(', ')', ',', ',', ',', '+', '-', '*', '/', '%', '<<',
  '>>', '&', '|', '^', '~', '!', '==', '&&', '=', ':', ';', '#', '%hi(', '%lo(', '%got(', '@', '`', 'é', '\t', '  ', '4($sp)', '($a0)',
];

/** Checks one assembly: no throw, diagnostics well-formed and located in the inputs. */
function check(files: SourceFile[], extra: Record<string, string>): void {
  const lines = new Map<string, number>([...files.map((f) => [f.path, f.text.split('\n').length] as const), ...Object.entries(extra).map(([p, t]) => [p, t.split('\n').length] as const)]);
  const r = assemble(files, { include: (name) => (name in extra ? { path: name, text: extra[name] } : undefined) });
  for (const d of r.diagnostics) {
    const n = lines.get(d.file);
    if (n === undefined || d.line < 1 || d.line > n || !(d.col >= 1) || !(d.endCol > d.col) || !d.message) {
      throw new Error(`bad diagnostic ${JSON.stringify(d)} for ${JSON.stringify(files[0].text.slice(0, 400))}`);
    }
  }
  expect(r.ok).toBe(!r.diagnostics.some((d) => d.severity === 'error'));
  if (r.ok) expect(r.image).toBeDefined();
}

describe('fuzz: the assembler never throws and always locates its diagnostics', () => {
  it('2000 random token soups', () => {
    const rnd = prng(0xf00d);
    const extra = { 'x.s': 'nop\n.word lab\n', 'self.s': '.include "self.s"\n' };
    for (let i = 0; i < 2000; i++) {
      const nLines = 1 + Math.floor(rnd() * 12);
      const text = Array.from({ length: nLines }, () => Array.from({ length: Math.floor(rnd() * 8) }, () => VOCAB[Math.floor(rnd() * VOCAB.length)]).join(rnd() < 0.7 ? ' ' : '')).join('\n');
      check([{ path: `r${i}.s`, text }], extra);
    }
  });

  it('1000 mutations of corpus files', () => {
    const rnd = prng(0xbeef);
    const sources = CORPUS.flat().map(load).filter((f) => f.text.length < 6000);
    const extra = { 'inc/defs.inc': load('inc/defs.inc').text };
    for (let i = 0; i < 1000; i++) {
      const f = sources[i % sources.length];
      let t = f.text;
      const edits = 1 + Math.floor(rnd() * 6);
      for (let e = 0; e < edits; e++) {
        const p = Math.floor(rnd() * t.length);
        const k = rnd();
        if (k < 0.3) t = t.slice(0, p) + t.slice(p + 1 + Math.floor(rnd() * 5));
        else if (k < 0.6) t = t.slice(0, p) + VOCAB[Math.floor(rnd() * VOCAB.length)] + t.slice(p);
        else if (k < 0.8) { const ls = t.split('\n'); const a = Math.floor(rnd() * ls.length); ls.splice(Math.floor(rnd() * ls.length), 0, ls[a]); t = ls.join('\n'); }
        else t = t.slice(0, p);
      }
      check([{ path: f.path, text: t }], extra);
    }
  });

  it('pathological inputs', () => {
    const extra = { 'self.s': '.include "self.s"\n' };
    for (const text of ['', '\n\n\n', ':', '::', '1:1:1:', '.macro', '.macro m\nm\n.endm\nm\n', '.macro m\n m\n.endm\n m\n', '.include "self.s"',
      'x = x + 1\n.word x', '.equ a, b\n.equ b, a\n.word a', '.space 0x7fffffff', '.align 16\n.align 16', 'li $t0, %hi(', '"'.repeat(1000),
      '('.repeat(5000) + '1', '-'.repeat(200000) + '1', '.word ' + '1+'.repeat(200000) + '1', 'li $t0, ' + '~'.repeat(100000) + '0', 'b .\n'.repeat(100), '\u0000\u0001\u0002', 'j 3\nb 2\n.word 1/0, 1%0', '\\\\\\']) {
      check([{ path: 'p.s', text }], extra);
    }
  });
});
