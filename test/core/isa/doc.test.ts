import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isaMarkdown } from '../../../src/core/asm/docs';
import { INSTRUCTIONS } from '../../../src/core/isa/table';

describe('docs/isa.md', () => {
  it('is generated from the current tables (run: npx tsx scripts/gen-isa-doc.ts)', () => {
    expect(readFileSync(new URL('../../../docs/isa.md', import.meta.url), 'utf8')).toBe(isaMarkdown());
  });
  it('documents every instruction', () => {
    const md = isaMarkdown();
    for (const s of INSTRUCTIONS) expect(md).toContain(`\`${s.mnemonic}`);
  });
});
