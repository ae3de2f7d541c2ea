// The editor's pure helpers (no DOM, no Monaco): the label index behind go-to-definition,
// find-references and completion, and the hover docs read from the instruction table.
import { describe, expect, it } from 'vitest';
import { codeOf, definitions, occurrences } from '../../src/renderer/src/editor/labels';
import { docFor, INSTRUCTIONS, MNEMONICS, REGISTER_BY_NAME, signature } from '../../src/renderer/src/editor/mips-docs';

const SRC = [
  '        .text',
  'main:   la   $a0, msg      # msg: not a definition in a comment',
  'loop:   addiu $t0, $t0, -1',
  '        bnez $t0, loop',
  '        .equ COUNT, 10',
  'LIMIT = 4',
  'a: b:   nop',
  '        .data',
  'msg:    .asciiz "loop: in a string"',
].join('\n');

describe('label index', () => {
  it('finds label and constant definitions with 1-based columns', () => {
    expect(definitions(SRC).map((d) => [d.name, d.line, d.col, d.endCol, d.kind])).toEqual([
      ['main', 2, 1, 5, 'label'], ['loop', 3, 1, 5, 'label'], ['COUNT', 5, 14, 19, 'equ'], ['LIMIT', 6, 1, 6, 'equ'],
      ['a', 7, 1, 2, 'label'], ['b', 7, 4, 5, 'label'], ['msg', 9, 1, 4, 'label'],
    ]);
  });

  it('finds references outside comments and strings', () => {
    expect(occurrences(SRC, 'loop').map((o) => [o.line, o.col])).toEqual([[3, 1], [4, 19]]);
    expect(occurrences(SRC, 'msg').map((o) => o.line)).toEqual([2, 9]);
    expect(codeOf('li $t0, 1 # x')).toBe('li $t0, 1 ');
    expect(codeOf('.ascii "a#b" # c')).toBe('.ascii "   " ');
  });
});

describe('hover docs from the instruction table', () => {
  it('describes instructions and says which trap to the monitor under Disco', () => {
    const tlbwr = INSTRUCTIONS.find((s) => s.mnemonic === 'tlbwr')!;
    expect(tlbwr.privileged).toBe(true);
    expect(docFor('tlbwr')).toContain('traps to the monitor');
    expect(docFor('addu')).toContain('no trap to the monitor');
    expect(docFor('ADDU')).toContain(INSTRUCTIONS.find((s) => s.mnemonic === 'addu')!.description);
    expect(signature(INSTRUCTIONS.find((s) => s.mnemonic === 'lw')!)).toBe('lw rt, offset(base)');
    expect(docFor('.asciiz')).toContain('directive');
    expect(docFor('li')).toContain('pseudo-instruction');
    expect(docFor('$sp')).toContain('register 29');
    expect(docFor('nosuchthing')).toBeUndefined();
  });

  it('knows every table mnemonic and all register spellings', () => {
    for (const s of INSTRUCTIONS) expect(MNEMONICS).toContain(s.mnemonic);
    expect(REGISTER_BY_NAME.get('$s8')?.number).toBe(30);
    expect(REGISTER_BY_NAME.get('$31')?.abi).toBe('ra');
  });
});
