/**
 * How an instruction's operands are written in syntax strings (`addu rd, rs, rt`,
 * `syscall [code]`): used by the assembler's diagnostics, the generated docs/isa.md and the
 * editor's completion and hovers. Pure data + one pure function; imports only `types.ts`.
 */
import { OPTIONAL_OPERANDS, type InstructionSpec, type OperandKind } from './types';

/** Names used in syntax strings, per operand kind. */
export const OPERAND_SYNTAX: Readonly<Record<OperandKind, string>> = {
  rd: 'rd', rs: 'rs', rt: 'rt', sa: 'sa', simm16: 'imm', uimm16: 'imm', mem: 'offset(base)', branch: 'label',
  jtarget: 'target', code20: 'code', brkcode: 'code[, code2]', trapcode: 'code', c0reg: 'cp0reg', sel: 'sel',
  cacheop: 'op', stype: 'stype', waitcode: 'code',
};

/** `addu rd, rs, rt`, `syscall [code]`, ... (optional operands in brackets). */
export function syntaxOf(spec: InstructionSpec): string {
  let s = spec.mnemonic;
  spec.operands.forEach((k, i) => {
    const name = OPERAND_SYNTAX[k];
    s += OPTIONAL_OPERANDS.has(k) ? (i === 0 ? ` [${name}]` : ` [, ${name}]`) : (i === 0 ? ' ' : ', ') + name;
  });
  return s;
}
