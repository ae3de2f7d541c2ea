/**
 * Differential tests against GNU binutils: every corpus program assembled by us and by
 * `mips-linux-gnu-as -march=mips32 -O0` + `ld` at the same addresses must give byte-identical
 * sections; objdump must read our ELF and list the same words with the same disassembly
 * (normalised, see `normObjdump`); our ELF loader must read GNU ld's output.
 */
import { describe, expect, it } from 'vitest';
import { assemble, disassemble, readElf } from '../../../src/core/asm/index';
import { AUX, CORPUS, fixtureInclude, load } from './corpus';
import { gnuBuild, gnuTools, objdump } from './gnu';

const tools = gnuTools();

/** objdump's CP0 register names for mips32 (index = register number). */
const C0 = ['index', 'random', 'entrylo0', 'entrylo1', 'context', 'pagemask', 'wired', '', 'badvaddr', 'count', 'entryhi', 'compare', 'status',
  'cause', 'epc', 'prid', 'config', 'lladdr', 'watchlo', 'watchhi', 'xcontext', '', '', 'debug', 'depc', 'perfcnt', 'errctl', 'cacheerr', 'taglo',
  'taghi', 'errorepc', 'desave'];

/**
 * Brings objdump's and our disassembly to one form. Deliberate differences: we write `$`
 * before registers, `$fp` where objdump writes `s8`, CP0 registers as `$n` (objdump: `c0_name`),
 * branch targets as `0x...` (objdump: `400010 <sym+0x10>`), and `subu rd,$zero,rt` where
 * objdump keeps the alias `negu` even with `-M no-aliases`.
 */
export function normObjdump(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/ <[^>]*>/, '').trim()
    .replace(/\bc0_(\w+)/g, (_, n: string) => '$' + C0.indexOf(n))
    .replace(/^(\S+ (?:.*,)?)([0-9a-f]{5,8})$/, (_, a: string, h: string) => /^(j|jal|b\w*)\s/.test(a) ? `${a}0x${h}` : a + h)
    .replace(/^negu (\w+),(\w+)$/, 'subu $1,zero,$2').replace(/^neg (\w+),(\w+)$/, 'sub $1,zero,$2')
    .replace(/\bs8\b/g, 'fp');
}
const normOurs = (s: string) => s.replace(/\$(?=[a-z])/g, '').replace(/\s+/g, ' ').trim();

describe.skipIf(!tools.ok)('assembler vs GNU as/ld (byte-identical)', () => {
  let words = 0;
  let lines = 0;
  for (const group of CORPUS) {
    const name = group.join(' + ');
    it(`${name}: sections identical to GNU as -O0 + ld`, () => {
      const files = group.map(load);
      const r = assemble(files, { include: fixtureInclude });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const g = gnuBuild(files, 0x400000, 0x10000000, AUX.map(load));
      expect(g.ok, g.stderr).toBe(true);
      for (const sec of ['.text', '.rdata', '.data', '.bss']) {
        const ours = r.image!.segments.find((s) => s.name === sec);
        const theirs = g.sections[sec];
        if (!theirs?.bytes.length) { expect(ours, `${sec} only in ours`).toBeUndefined(); continue; }
        expect(ours, `${sec} missing`).toBeDefined();
        expect(ours!.vaddr.toString(16)).toBe(theirs.addr.toString(16));
        expect(Buffer.from(ours!.bytes).toString('hex')).toBe(Buffer.from(theirs.bytes).toString('hex'));
        if (sec === '.text') words += ours!.bytes.length / 4;
      }
      lines += files.reduce((n, f) => n + f.text.split('\n').length, 0);
      // gas warnings appear in ours too (e.g. `used $at`), at least by count
      const gasWarnings = (g.stderr.match(/Warning:/g) ?? []).length;
      expect(r.diagnostics.filter((d) => d.severity === 'warning').length).toBe(gasWarnings);
    });

    it(`${name}: objdump reads our ELF and disassembles the same`, () => {
      const r = assemble(group.map(load), { include: fixtureInclude });
      const d = objdump(r.elf!);
      expect(d.ok, d.stderr).toBe(true);
      const ourInsns = r.listing.filter((l) => l.hex.length === 8 && !l.text.startsWith('.'));
      const text = r.image!.segments.find((s) => s.name === '.text')!;
      const inText = d.lines.filter((l) => l.addr >= text.vaddr && l.addr < text.vaddr + text.bytes.length);
      // every instruction we emitted appears at its address with its word
      const byAddr = new Map(inText.map((l) => [l.addr, l]));
      for (const l of ourInsns.filter((x) => x.addr < text.vaddr + text.bytes.length)) {
        const o = byAddr.get(l.addr);
        expect(o, `objdump lists 0x${l.addr.toString(16)}`).toBeDefined();
        expect(o!.word.toString(16).padStart(8, '0')).toBe(l.hex);
      }
      for (const l of inText) expect(`${l.addr.toString(16)}: ${normOurs(disassemble(l.word, l.addr))}`).toBe(`${l.addr.toString(16)}: ${normObjdump(l.text)}`);
    });

    it(`${name}: our ELF loader reads GNU ld's executable`, () => {
      const files = group.map(load);
      const g = gnuBuild(files, 0x400000, 0x10000000, AUX.map(load));
      const e = readElf(g.elf!);
      expect(e.ok).toBe(true);
      if (!e.ok) return;
      const r = assemble(files, { include: fixtureInclude });
      expect(e.entry.toString(16)).toBe(r.image!.entry.toString(16));
      // every byte of our image is in GNU's loadable segments at the same address
      for (const s of r.image!.segments) {
        const seg = e.segments.find((x) => s.vaddr >= x.vaddr && s.vaddr + s.bytes.length <= x.vaddr + x.bytes.length);
        expect(seg, `segment containing ${s.name}`).toBeDefined();
        const off = s.vaddr - seg!.vaddr;
        expect(Buffer.from(seg!.bytes.subarray(off, off + s.bytes.length)).equals(Buffer.from(s.bytes))).toBe(true);
      }
      // global labels agree
      for (const s of r.image!.symbols.filter((x) => x.global)) {
        expect(e.symbols.find((x) => x.name === s.name)?.value.toString(16), s.name).toBe(s.value.toString(16));
      }
    });
  }
  it('address overrides (kseg0 kernel layout) also match GNU ld -T', () => {
    for (const group of [['pseudo.s'], ['directives.s'], ['local-labels.s'], ['conditionals.s'], ['multi-a.s', 'multi-b.s']]) {
      const files = group.map(load);
      const r = assemble(files, { textBase: 0x80001000, dataBase: 0x80200000 });
      const g = gnuBuild(files, 0x80001000, 0x80200000);
      expect(g.ok, g.stderr).toBe(true);
      for (const s of r.image!.segments) {
        expect(g.sections[s.name]?.addr.toString(16)).toBe(s.vaddr.toString(16));
        expect(Buffer.from(s.bytes).toString('hex'), `${group[0]} ${s.name}`).toBe(Buffer.from(g.sections[s.name].bytes).toString('hex'));
      }
    }
  });

  it('corpus size (printed)', () => {
    console.log(`differential corpus: ${CORPUS.length} programs, ${lines} source lines, ${words} .text words compared byte-identical`);
    expect(words).toBeGreaterThan(500);
  });
});
