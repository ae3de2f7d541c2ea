/**
 * Reference documentation generated from the tables (docs/isa.md is this function's output;
 * `npx tsx scripts/gen-isa-doc.ts` rewrites it and a test checks it is current).
 */
import { CP0_REGISTERS, GPR_NAMES } from '../isa/registers';
import { INSTRUCTIONS } from '../isa/table';
import { DIRECTIVES } from './directives';
import { syntaxOf } from './encode';
import { PSEUDO, ZERO_DEST_SYNTAX } from './pseudo';

const esc = (s: string) => s.replace(/\|/g, '\\|');
const hex = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');

export function isaMarkdown(): string {
  const out: string[] = [
    '# MIPS32 instruction set reference (generated)',
    '',
    '<!-- Generated from src/core/isa/table.ts, src/core/asm/pseudo.ts and src/core/asm/directives.ts',
    '     by `npx tsx scripts/gen-isa-doc.ts`. Do not edit by hand. -->',
    '',
    `The ${INSTRUCTIONS.length} instructions of the simulated CPU: the MIPS32 Release 1 integer ISA plus the privileged`,
    'instructions Disco virtualises. **Priv.** marks instructions that need CP0 access: in supervisor or user mode they',
    'raise Coprocessor Unusable, so under Disco (guest kernel in supervisor mode) each execution traps to the monitor.',
    'An instruction word `w` is an instruction iff `(w & mask) == match`. **Slot**: `branch` = delay slot,',
    '`likely` = delay slot nullified when not taken. Operand syntax is in the table below the list.',
    '',
  ];
  const cats = [...new Set(INSTRUCTIONS.map((s) => s.category))];
  for (const c of cats) {
    out.push(`## ${c}`, '', '| syntax | match | mask | priv. | slot | description | operation |', '|---|---|---|---|---|---|---|');
    for (const s of INSTRUCTIONS.filter((x) => x.category === c)) {
      const syn = ZERO_DEST_SYNTAX.has(s.mnemonic) ? `${s.mnemonic} $zero, rs, rt` : syntaxOf(s);
      out.push(`| \`${esc(syn)}\` | \`${hex(s.match)}\` | \`${hex(s.mask)}\` | ${s.privileged ? 'yes' : ''} | ${s.delay ?? ''}${s.links ? ' (links $ra)' : ''} | ${esc(s.description)} | ${esc(s.operation)} |`);
    }
    out.push('');
  }
  out.push('## Operand syntax', '', '| name | written | encoding |', '|---|---|---|',
    '| rd, rs, rt | `$t0`, `$8`, `$zero` | 5-bit register fields 15:11, 25:21, 20:16 |',
    '| sa | `0`..`31` | 10:6 |',
    '| imm (signed) | `-32768`..`65535` (gas accepts 0x8000..0xffff as the same 16 bits) | 15:0 |',
    '| imm (unsigned: andi, ori, xori, lui) | `0`..`0xffff` | 15:0 |',
    '| offset(base) | `-4($sp)`, `($a0)`, `%lo(sym)($t0)` | offset 15:0 signed, base 25:21 |',
    '| label (branch) | a label or address | 15:0 = (target − (pc + 4)) / 4, ±128 KB |',
    '| target (jump) | a label or address | 25:0 = target / 4 within the 256 MB region of pc + 4 |',
    '| code (syscall) | optional, 0..0xfffff | 25:6 |',
    '| code[, code2] (break) | optional, each 0..0x3ff | 25:16, 15:6 |',
    '| code (traps) | optional, 0..0x3ff | 15:6 |',
    '| cp0reg [, sel] | `$12` [, `0`..`7`] | 15:11, 2:0 |',
    '| op (cache, pref) | `0`..`31` | 20:16 |',
    '| stype (sync), code (wait) | optional | 10:6, 24:6 |',
    '');
  out.push('## Registers', '', GPR_NAMES.map((n, i) => `\`$${i}\`=\`$${n}\``).join(' · ') + ' (also `$s8` = `$fp`)', '', '| CP0 | name | meaning |', '|---|---|---|');
  for (const [n, [name, d]] of Object.entries(CP0_REGISTERS)) out.push(`| \`$${n}\` | ${name} | ${esc(d)} |`);
  out.push('', '## Pseudo-instructions and macro forms', '', 'Expansions are those of `mips-linux-gnu-as -march=mips32 -O0` (checked byte-for-byte by the differential tests).', '`$at` is the scratch register; forms that use it are errors after `.set noat`.', '', '| syntax | expansion |', '|---|---|');
  for (const f of PSEUDO) out.push(`| \`${esc(f.syntax)}\` | ${esc(f.expansion)} |`);
  out.push('', '## Directives', '', '| syntax | meaning |', '|---|---|');
  for (const d of DIRECTIVES) out.push(`| \`${esc(d.syntax)}\` | ${esc(d.description)}${d.ignored ? ' *(accepted and ignored)*' : ''} |`);
  return out.join('\n') + '\n';
}
