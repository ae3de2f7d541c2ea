/**
 * Round trip for every table entry: random valid words → disassemble → reassemble → the same
 * word (seeded, deterministic). Also every table mnemonic, pseudo mnemonic and directive occurs
 * in the differential corpus.
 */
import { describe, expect, it } from 'vitest';
import { assemble, disassemble, DIRECTIVES, PSEUDO } from '../../../src/core/asm/index';
import { INSTRUCTIONS } from '../../../src/core/isa/table';
import type { InstructionSpec } from '../../../src/core/isa/types';
import { AUX, CORPUS, load, mnemonicsIn } from './corpus';

const PC = 0x00400000;

function prng(seed: number) {
  let s = seed >>> 0;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

/** A random word of `spec` that gas accepts (constraints: see src/core/asm/checks.ts). */
function randomWord(spec: InstructionSpec, rnd: () => number): number {
  for (;;) {
    let w = (spec.match | (rnd() & ~spec.mask)) >>> 0;
    if (spec.tie === 'rt=rd') w = ((w & ~(31 << 16)) | (((w >>> 11) & 31) << 16)) >>> 0;
    const rs = (w >>> 21) & 31, rd = (w >>> 11) & 31;
    if (spec.links && spec.operands[0] === 'rs' && rs === 31) continue;
    if (spec.mnemonic === 'jalr' && rs === rd) continue;
    if (spec.operands.includes('jtarget') && (w & 0x3ffffff) === 0) continue;
    return w;
  }
}

describe('disassemble → reassemble round trip', () => {
  const rnd = prng(0xd15c0);
  for (const spec of INSTRUCTIONS) {
    it(spec.mnemonic, () => {
      const words = Array.from({ length: 25 }, () => randomWord(spec, rnd));
      const text = ['.set noreorder', '.set noat', ...words.map((w, i) => disassemble(w, PC + 4 * i))].join('\n');
      const r = assemble([{ path: 'rt.s', text }], { textBase: PC, elf: false });
      expect(r.diagnostics.filter((d) => d.severity === 'error'), text).toEqual([]);
      const bytes = r.image!.segments[0].bytes;
      const back = words.map((_, i) => ((bytes[4 * i] << 24) | (bytes[4 * i + 1] << 16) | (bytes[4 * i + 2] << 8) | bytes[4 * i + 3]) >>> 0);
      expect(back.map((x) => x.toString(16))).toEqual(words.map((x) => x.toString(16)));
    });
  }

  it('a word no entry decodes prints as .word and reassembles', () => {
    expect(disassemble(0xfc000000, PC)).toBe('.word 0xfc000000');
  });
});

describe('corpus coverage', () => {
  const all = [...CORPUS.flat(), ...AUX].map((p) => load(p).text);
  const used = new Set(all.flatMap((t) => [...mnemonicsIn(t)]));
  it('every instruction table entry appears in the corpus', () => {
    expect(INSTRUCTIONS.map((s) => s.mnemonic).filter((m) => !used.has(m))).toEqual([]);
  });
  it('every pseudo-instruction form appears in the corpus (by mnemonic and shape)', () => {
    const pseudo = load('pseudo.s').text;
    expect([...new Set(PSEUDO.map((f) => f.mnemonic))].filter((m) => !used.has(m))).toEqual([]);
    // the shapes of each form: a line with the mnemonic and that many operands
    const missing = PSEUDO.filter((f) => {
      const n = f.shape ? f.shape.split(',').length : 0;
      return !pseudo.split('\n').some((l) => {
        const m = /^\s*(?:\w+:)?\s*([a-z]+)\s*(.*)$/.exec(l);
        return m && m[1] === f.mnemonic && (m[2].trim() ? m[2].split(',').length : 0) === n;
      });
    }).map((f) => f.syntax);
    expect(missing).toEqual([]);
  });
  it('every directive appears in the corpus', () => {
    const missing = DIRECTIVES.map((d) => d.name).filter((n) => !all.some((t) => new RegExp(`(^|\\s)${n.replace('.', '\\.')}(\\s|$)`, 'm').test(t)));
    expect(missing).toEqual([]);
  });
});
