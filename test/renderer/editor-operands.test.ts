// The MIPS editor's operand context (issue #12.4): which operand a column is in, so a register in
// a CP0 operand (`mtc0 $t0, $12`) is documented as the CP0 register, not as a GPR.
import { describe, expect, it } from 'vitest';
import { operandContext } from '../../src/renderer/src/editor/labels';
import { cp0DocFor, docFor, isCp0Operand } from '../../src/renderer/src/editor/mips-docs';

describe('operand context', () => {
  const line = 'loop:   mtc0    $t0, $12      # Status';
  const col = (s: string) => line.indexOf(s) + 1;
  it('finds the mnemonic and the operand index, skipping labels; nothing in comments', () => {
    expect(operandContext(line, col('mtc0'))).toEqual({ mnemonic: 'mtc0', index: -1 });
    expect(operandContext(line, col('$t0'))).toEqual({ mnemonic: 'mtc0', index: 0 });
    expect(operandContext(line, col('$12'))).toEqual({ mnemonic: 'mtc0', index: 1 });
    expect(operandContext(line, col('Status'))).toBeUndefined();
    expect(operandContext(line, col('loop'))).toBeUndefined();
    expect(operandContext('        lw $t0, 4($sp)', 19)).toEqual({ mnemonic: 'lw', index: 1 }); // inside parentheses: still operand 1
    expect(operandContext('        MFC0 $t0, $14', 19)).toEqual({ mnemonic: 'mfc0', index: 1 });
  });

  it('documents a CP0 operand as the CP0 register, in any spelling', () => {
    expect(isCp0Operand('mtc0', 1)).toBe(true);
    expect(isCp0Operand('mtc0', 0)).toBe(false);
    expect(isCp0Operand('addu', 1)).toBe(false);
    expect(cp0DocFor('$12')).toMatch(/^\*\*CP0 register 12: Status\*\* — CU 31:28/);
    expect(cp0DocFor('$t4')).toMatch(/CP0 register 12: Status\*\* \(written `\$t4`, which is number 12\)/);
    expect(cp0DocFor('$7')).toMatch(/not one of the CP0 registers/);
    expect(cp0DocFor('$nope')).toBeUndefined();
    expect(docFor('$12')).toMatch(/general-purpose register 12/); // elsewhere it is a GPR
  });
});
