/** Consistency of the instruction table itself (independent of any assembler). */
import { describe, expect, it } from 'vitest';
import { decode, decodeIndex } from '../../../src/core/isa/decode';
import { FIELDS } from '../../../src/core/isa/fields';
import { BY_MNEMONIC, INSTRUCTIONS } from '../../../src/core/isa/table';

/** Bits an operand kind occupies. */
function operandBits(kind: string): number {
  switch (kind) {
    case 'mem': return 0x03e0ffff;
    case 'branch': return 0xffff;
    case 'jtarget': return 0x3ffffff;
    case 'brkcode': return 0x03ffffc0;
    default: { const f = FIELDS[kind as keyof typeof FIELDS]!; return ((2 ** f.width - 1) * 2 ** f.shift) >>> 0; }
  }
}

describe('instruction table', () => {
  it('has unique lower-case mnemonics and BY_MNEMONIC covers them', () => {
    const names = INSTRUCTIONS.map((s) => s.mnemonic);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) { expect(n).toBe(n.toLowerCase()); expect(BY_MNEMONIC.get(n)?.mnemonic).toBe(n); }
    expect(INSTRUCTIONS.length).toBe(100);
  });

  it('every entry: match lies within mask, operands only use free bits, text fields are filled', () => {
    for (const s of INSTRUCTIONS) {
      expect((s.match & ~s.mask) >>> 0, s.mnemonic).toBe(0);
      let used = 0;
      for (const k of s.operands) {
        const b = operandBits(k);
        expect((b & s.mask) >>> 0, `${s.mnemonic} ${k} overlaps fixed bits`).toBe(0);
        if (k !== 'rt' || s.tie !== 'rt=rd') expect((b & used) >>> 0, `${s.mnemonic} ${k} overlaps another operand`).toBe(0);
        used |= b;
      }
      if (s.tie === 'rt=rd') used |= operandBits('rt');
      // every bit is either fixed or an operand (no silently ignored bits)
      expect((used | s.mask) >>> 0, `${s.mnemonic} has bits that are neither fixed nor operands`).toBe(0xffffffff);
      expect(s.description.length).toBeGreaterThan(5);
      expect(s.operation.length).toBeGreaterThan(2);
    }
  });

  it('decode(match | random operand bits) finds the entry itself (no two entries overlap)', () => {
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (const s of INSTRUCTIONS) {
      expect(decode(s.match)?.mnemonic).toBe(s.mnemonic);
      for (let i = 0; i < 200; i++) {
        const w = (s.match | (rnd() & ~s.mask)) >>> 0;
        expect(decode(w)?.mnemonic, `0x${w.toString(16)}`).toBe(s.mnemonic);
      }
    }
  });

  it('flags: branches and jumps have delay slots, linking forms link, privileged set is exactly CP0/TLB/eret/wait/cache', () => {
    for (const s of INSTRUCTIONS) {
      expect(!!s.delay, s.mnemonic).toBe(s.category === 'branch' || s.category === 'jump');
      expect(s.delay === 'likely', s.mnemonic).toBe(/^b.*l$/.test(s.mnemonic) && s.mnemonic !== 'bal' && s.mnemonic !== 'bltzal' && s.mnemonic !== 'bgezal');
    }
    expect(INSTRUCTIONS.filter((s) => s.links).map((s) => s.mnemonic).sort()).toEqual(['bgezal', 'bgezall', 'bltzal', 'bltzall', 'jal']);
    expect(INSTRUCTIONS.filter((s) => s.privileged).map((s) => s.mnemonic).sort()).toEqual(['cache', 'eret', 'mfc0', 'mtc0', 'tlbp', 'tlbr', 'tlbwi', 'tlbwr', 'wait']);
  });

  it('decode agrees with a first-match scan of the whole table (int32 masks, words as signed or unsigned numbers)', () => {
    let seed = 777;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const scan = (w: number) => INSTRUCTIONS.find((s) => ((w & s.mask) >>> 0) === s.match);
    const words = [0, 0xffffffff, 0x80000000, ...INSTRUCTIONS.map((s) => s.match)];
    for (let i = 0; i < 20000; i++) words.push(rnd());
    for (const w of words) {
      expect(decode(w), `0x${w.toString(16)}`).toBe(scan(w));
      expect(decode(w | 0)).toBe(scan(w));
      expect(decodeIndex(w)).toBe(scan(w) ? INSTRUCTIONS.indexOf(scan(w)!) : -1);
    }
  });

  it('reserved encodings decode to undefined', () => {
    expect(decode(0xfc000000)).toBeUndefined(); // opcode 0x3f
    expect(decode(0x00000001)).toBeUndefined(); // SPECIAL funct 0x01 (MOVCI: FPU)
    expect(decode(0x00000021 | (1 << 6))).toBeUndefined(); // addu with sa != 0
  });
});
