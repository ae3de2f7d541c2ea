/**
 * Operand constraints gas enforces beyond operand shapes, per mnemonic (a table, checked on
 * the instructions the user writes, not on macro expansions).
 */
import type { Arg } from './pseudo';

type Check = (a: readonly Arg[]) => string | undefined;
const reg = (a: Arg | undefined) => (a && a.k === 'r' ? a.n : -1);

const linkNot31: Check = (a) => (reg(a[0]) === 31 ? 'the source register must not be $31 (the link register)' : undefined);

export const OPERAND_CHECKS: Readonly<Record<string, Check>> = {
  bltzal: linkNot31, bgezal: linkNot31, bltzall: linkNot31, bgezall: linkNot31,
  jalr: (a) => (a.length === 2 && reg(a[0]) === reg(a[1]) ? 'source and destination must be different' : undefined),
};
