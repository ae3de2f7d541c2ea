/** The differential corpus (test/fixtures/asm): groups of files assembled and linked together. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '../../../src/core/asm/index';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/asm');

/** Each entry is linked as one program: its files in order. */
export const CORPUS: string[][] = [
  ['isa-all.s'], ['pseudo.s'], ['pseudo-edge.s'], ['directives.s'], ['expressions.s'], ['local-labels.s'], ['macros.s'], ['noreorder.s'], ['conditionals.s'],
  ['multi-a.s', 'multi-b.s'], ['multi-align-a.s', 'multi-align-b.s'],
];
/** Files reached only through `.include`. */
export const AUX = ['inc/defs.inc'];

export const load = (p: string): SourceFile => ({ path: p, text: readFileSync(join(FIXTURES, p), 'utf8') });

/** `.include` resolver relative to the including file, inside the fixtures directory. */
export function fixtureInclude(name: string, from: string): SourceFile | undefined {
  const p = join(FIXTURES, dirname(from), name);
  return existsSync(p) ? { path: relative(FIXTURES, p), text: readFileSync(p, 'utf8') } : undefined;
}

/** Mnemonics used in a source text (first word of each statement after labels; directives excluded). */
export function mnemonicsIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.split('\n')) {
    for (const stmt of raw.replace(/#.*/, '').split(';')) {
      const m = /^\s*(?:[\w.$]+:\s*)*([a-z][\w.]*)/i.exec(stmt);
      if (m) out.add(m[1].toLowerCase());
    }
  }
  return out;
}
