// Regenerates docs/isa.md from the instruction, pseudo-instruction and directive tables.
// Run: npx tsx scripts/gen-isa-doc.ts   (test/core/isa/doc.test.ts fails when the file is stale)
import { writeFileSync } from 'node:fs';
import { isaMarkdown } from '../src/core/asm/docs';

writeFileSync(new URL('../docs/isa.md', import.meta.url), isaMarkdown());
console.log('wrote docs/isa.md');
