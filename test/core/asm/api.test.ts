/** The result contract of `assemble`: image, symbols, source map, listing, options, includes. */
import { describe, expect, it } from 'vitest';
import { assemble, formatListing, disassembleBytes } from '../../../src/core/asm/index';

const SRC = `# demo
	.text
	.globl	__start
helper:	jr	$ra
__start:
	la	$a0, msg
	jal	helper
	.data
msg:	.asciiz	"hi"
	.equ	K, 42
	.bss
buf:	.space	8
`;

describe('assemble result', () => {
  const r = assemble([{ path: 'demo.s', text: SRC }]);

  it('is plain data (survives structuredClone / JSON-like IPC)', () => {
    expect(r.ok).toBe(true);
    const c = structuredClone(r);
    expect(c.image!.symbols).toEqual(r.image!.symbols);
    expect(JSON.parse(JSON.stringify(r.diagnostics))).toEqual(r.diagnostics);
  });

  it('segments at the default addresses, entry = __start', () => {
    const segs = r.image!.segments.map((s) => [s.name, s.vaddr.toString(16), s.bytes.length]);
    expect(segs).toEqual([['.text', '400000', 32], ['.data', '10000000', 16], ['.bss', '10000010', 16]]);
    expect(r.image!.entry).toBe(0x400008);
  });

  it('symbol table: labels with sections, constants, global flags', () => {
    const byName = Object.fromEntries(r.image!.symbols.map((s) => [s.name, s]));
    expect(byName.__start).toMatchObject({ value: 0x400008, kind: 'label', section: '.text', global: true, file: 'demo.s', line: 5 });
    expect(byName.helper).toMatchObject({ value: 0x400000, global: false });
    expect(byName.msg).toMatchObject({ value: 0x10000000, section: '.data' });
    expect(byName.buf).toMatchObject({ value: 0x10000010, section: '.bss' });
    expect(byName.K).toMatchObject({ value: 42, kind: 'equ' });
    expect(byName.K.section).toBeUndefined();
  });

  it('source map: address → file:line for every emitted statement, sorted', () => {
    const m = r.image!.sourceMap;
    expect(m.map((e) => [e.addr.toString(16), e.size, e.line])).toEqual([
      ['400000', 8, 4], ['400008', 8, 6], ['400010', 8, 7], ['10000000', 3, 9], ['10000010', 8, 12],
    ]);
  });

  it('listing: words with disassembly, labels and source lines', () => {
    const l = r.listing.filter((x) => x.addr < 0x10000000);
    expect(l.map((x) => `${x.addr.toString(16)} ${x.hex} ${x.text.replace('\t', ' ')} :${x.line}${x.labels ? ' <' + x.labels.join(',') + '>' : ''}`)).toEqual([
      '400000 03e00008 jr $ra :4 <helper>',
      '400004 00000000 sll $zero,$zero,0x0 :4',
      '400008 3c041000 lui $a0,0x1000 :6 <__start>',
      '40000c 24840000 addiu $a0,$a0,0 :6',
      '400010 0c100000 jal 0x400000 :7',
      '400014 00000000 sll $zero,$zero,0x0 :7',
    ]);
  });

  it('entry falls back to the start of .text without __start', () => {
    expect(assemble([{ path: 'a.s', text: 'nop\nmain: nop\n' }]).image!.entry).toBe(0x400000);
  });

  it('--text/--data overrides move sections and addresses', () => {
    const o = assemble([{ path: 'demo.s', text: SRC }], { textBase: 0x80001000, dataBase: 0x80100000 });
    expect(o.image!.segments.map((s) => s.vaddr.toString(16))).toEqual(['80001000', '80100000', '80100010']);
    expect(o.image!.symbols.find((s) => s.name === 'msg')!.value).toBe(0x80100000);
    const bad = assemble([{ path: 'demo.s', text: SRC }], { textBase: 0x1002 });
    expect(bad.ok).toBe(false);
  });

  it('.include goes through the caller-provided resolver, with the included file in diagnostics', () => {
    const seen: string[] = [];
    const files: Record<string, string> = { 'lib/defs.inc': '.equ N, 7\nfrob\n' };
    const o = assemble([{ path: 'main.s', text: '.include "defs.inc"\nli $t0, N\n' }], {
      include: (name, from) => { seen.push(`${name} from ${from}`); const p = `lib/${name}`; return p in files ? { path: p, text: files[p] } : undefined; },
    });
    expect(seen).toEqual(['defs.inc from main.s']);
    expect(o.diagnostics.map((d) => `${d.file}:${d.line}`)).toEqual(['lib/defs.inc:2']);
  });

  it('elf: false skips the ELF bytes', () => {
    expect(assemble([{ path: 'a.s', text: 'nop' }], { elf: false }).elf).toBeUndefined();
  });

  it('formatListing renders an objdump-like listing', () => {
    const t = r.image!.segments[0];
    const text = formatListing(disassembleBytes(t.bytes, t.vaddr, { labels: (a) => (a === 0x400000 ? ['helper'] : undefined) }));
    expect(text).toContain('00400000 <helper>:\n  400000:\t03e00008 \tjr\t$ra\n');
  });
});
