/**
 * What the editor knows about the MIPS dialect, read from the pure-data core modules the
 * renderer may import (scripts/check-layers.mjs RENDERER_CORE_ALLOW): the instruction table,
 * register names and directive docs. Only the short list of pseudo-instructions is kept here,
 * because the assembler's pseudo table (src/core/asm/pseudo.ts) carries code, not just data.
 */
import { DIRECTIVES, type DirectiveDoc } from '../../../core/asm/directives';
import { CP0_REGISTERS, GPR_ALIASES, GPR_NAMES } from '../../../core/isa/registers';
import { INSTRUCTIONS } from '../../../core/isa/table';
import type { InstructionSpec } from '../../../core/isa/types';
import { syntaxOf } from '../../../core/isa/syntax';

/** `addu rd, rs, rt`, `syscall [code]`: the assembler's own syntax strings. */
export const signature = syntaxOf;

export interface PseudoDoc { mnemonic: string; syntax: string; description: string }

/** The assembler's pseudo-instructions (see src/core/asm/pseudo.ts for the exact expansions). */
export const PSEUDOS: readonly PseudoDoc[] = [
  { mnemonic: 'nop', syntax: 'nop', description: 'No operation (sll $0, $0, 0).' },
  { mnemonic: 'ssnop', syntax: 'ssnop', description: 'Superscalar no-op (sll $0, $0, 1).' },
  { mnemonic: 'ehb', syntax: 'ehb', description: 'Execution hazard barrier (sll $0, $0, 3; a nop before Release 2).' },
  { mnemonic: 'li', syntax: 'li rt, imm', description: 'Load a 32-bit constant (addiu, ori, lui or lui + ori).' },
  { mnemonic: 'la', syntax: 'la rt, addr', description: 'Load an address (lui %hi + addiu %lo).' },
  { mnemonic: 'move', syntax: 'move rd, rs', description: 'Copy a register (or rd, rs, $0).' },
  { mnemonic: 'b', syntax: 'b label', description: 'Unconditional branch (beq $0, $0, label).' },
  { mnemonic: 'bal', syntax: 'bal label', description: 'Branch and link (bgezal $0, label).' },
  { mnemonic: 'beqz', syntax: 'beqz rs, label', description: 'Branch if zero (beq rs, $0, label).' },
  { mnemonic: 'bnez', syntax: 'bnez rs, label', description: 'Branch if not zero (bne rs, $0, label).' },
  { mnemonic: 'neg', syntax: 'neg rd, rs', description: 'Negate (sub rd, $0, rs).' },
  { mnemonic: 'negu', syntax: 'negu rd, rs', description: 'Negate without overflow trap (subu rd, $0, rs).' },
  { mnemonic: 'not', syntax: 'not rd, rs', description: 'Bitwise NOT (nor rd, rs, $0).' },
  { mnemonic: 'abs', syntax: 'abs rd, rs', description: 'Absolute value (with its own branch).' },
  { mnemonic: 'mul', syntax: 'mul rd, rs, rt', description: 'Multiply, low word to rd.' },
  { mnemonic: 'seq', syntax: 'seq rd, rs, rt', description: 'Set rd to 1 if rs = rt.' },
  { mnemonic: 'sne', syntax: 'sne rd, rs, rt', description: 'Set rd to 1 if rs ≠ rt.' },
];

export const INSTRUCTION_BY_NAME: ReadonlyMap<string, InstructionSpec> = new Map(INSTRUCTIONS.map((s) => [s.mnemonic, s]));
export const PSEUDO_BY_NAME: ReadonlyMap<string, PseudoDoc> = new Map(PSEUDOS.map((p) => [p.mnemonic, p]));
export const DIRECTIVE_BY_NAME: ReadonlyMap<string, DirectiveDoc> = new Map(DIRECTIVES.map((d) => [d.name, d]));
export const MNEMONICS: readonly string[] = [...new Set([...INSTRUCTIONS.map((s) => s.mnemonic), ...PSEUDOS.map((p) => p.mnemonic)])];
export { DIRECTIVES, INSTRUCTIONS };

/** Register spellings: `$0`..`$31`, `$zero`, `$t0`, ..., `$s8`. */
export const REGISTERS: readonly { name: string; number: number; abi: string }[] = [
  ...GPR_NAMES.map((abi, n) => ({ name: `$${abi}`, number: n, abi })),
  ...Object.entries(GPR_ALIASES).map(([a, n]) => ({ name: `$${a}`, number: n, abi: GPR_NAMES[n] })),
  ...GPR_NAMES.map((abi, n) => ({ name: `$${n}`, number: n, abi })),
];
export const REGISTER_BY_NAME: ReadonlyMap<string, { name: string; number: number; abi: string }> = new Map(REGISTERS.map((r) => [r.name, r]));
export { CP0_REGISTERS };

/** Instructions whose operand `index` names a CP0 register, not a general-purpose one (`mtc0 rt, rd`). */
export const CP0_OPERAND: Readonly<Record<string, number>> = { mfc0: 1, mtc0: 1 };

/** Whether operand `index` of `mnemonic` is a CP0 register. */
export function isCp0Operand(mnemonic: string, index: number): boolean {
  return CP0_OPERAND[mnemonic.toLowerCase()] === index;
}

/** Markdown hover of a register spelling used as a CP0 register operand (`$12` → Status). */
export function cp0DocFor(word: string): string | undefined {
  const r = REGISTER_BY_NAME.get(word.toLowerCase());
  if (!r) return undefined;
  const c = CP0_REGISTERS[r.number];
  const spelled = word === `$${r.number}` ? '' : ` (written \`${word}\`, which is number ${r.number})`;
  return c
    ? `**CP0 register ${r.number}: ${c[0]}**${spelled} — ${c[1]}\n\nIn \`mfc0\`/\`mtc0\` the second operand is a coprocessor-0 register. Under Disco the guest kernel's access traps and the monitor emulates it on the virtual CP0.`
    : `**CP0 register ${r.number}**${spelled} — not one of the CP0 registers this machine implements.`;
}

const PRIVILEGED_NOTE =
  'Privileged (CP0): allowed in kernel mode only. **Under Disco it traps to the monitor** — the guest kernel runs in supervisor mode, so each execution raises Coprocessor Unusable and Disco emulates it (monitor time).';

/** Markdown hover text of a mnemonic or directive, or undefined. */
export function docFor(word: string): string | undefined {
  const w = word.toLowerCase();
  const spec = INSTRUCTION_BY_NAME.get(w);
  if (spec) {
    const lines = [
      `**${spec.mnemonic}** — ${spec.description}`,
      '```\n' + signature(spec) + '\n```',
      `Operation: ${spec.operation}`,
      `Category: ${spec.category}${spec.delay ? ` · has a branch delay slot${spec.delay === 'likely' ? ' (likely: nullified when not taken)' : ''}` : ''}`,
      spec.privileged ? PRIVILEGED_NOTE : 'Unprivileged: runs directly on the CPU under Disco (no trap to the monitor).',
    ];
    return lines.join('\n\n');
  }
  const p = PSEUDO_BY_NAME.get(w);
  if (p) return `**${p.mnemonic}** (pseudo-instruction) — ${p.description}\n\n\`\`\`\n${p.syntax}\n\`\`\``;
  const d = DIRECTIVE_BY_NAME.get(w);
  if (d) return `**${d.name}** (directive) — ${d.description}${d.ignored ? ' *(accepted and ignored)*' : ''}\n\n\`\`\`\n${d.syntax}\n\`\`\``;
  const r = REGISTER_BY_NAME.get(w);
  if (r) return `**$${r.abi}** — general-purpose register ${r.number} (\`$${r.number}\`)`;
  return undefined;
}
