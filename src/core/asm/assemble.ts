/**
 * `assemble`: source files → diagnostics, a loadable image, an ELF32 executable and a listing.
 *
 * Each input file is a translation unit (its own labels, local labels and macros); `.globl`
 * symbols are shared between units, as when gas assembles each file and ld links them in
 * order. Never throws on any input: every problem is a located diagnostic.
 */
import { Diags } from './diagnostics';
import { writeElf } from './elf-write';
import { link } from './pass2';
import { Pass1 } from './pass1';
import { Preprocessor } from './preprocess';
import type { AssembleOptions, AssembleResult, SourceFile } from './types';
import { newUnit } from './unit';

export const DEFAULT_TEXT_BASE = 0x00400000;
export const DEFAULT_DATA_BASE = 0x10000000;

export function assemble(files: readonly SourceFile[], opts: AssembleOptions = {}): AssembleResult {
  const diags = new Diags();
  const textBase = (opts.textBase ?? DEFAULT_TEXT_BASE) >>> 0;
  const dataBase = (opts.dataBase ?? DEFAULT_DATA_BASE) >>> 0;
  for (const [name, v] of [['textBase', textBase], ['dataBase', dataBase]] as const) {
    if (v % 16) diags.error({ file: files[0]?.path ?? '<options>', line: 1 }, 0, 1, `${name} 0x${v.toString(16)} must be a multiple of 16`);
  }
  const pre = new Preprocessor(diags, opts.include);
  const units = files.map((f, i) => {
    const u = newUnit(i, f.path);
    const stmts = pre.unit(f);
    // a unit cut short by an expansion limit is not assembled: its error is the answer
    if (!pre.stopped) new Pass1(u, diags).run(stmts);
    return u;
  });
  // (after a limit stopped preprocessing, linking the rest would only add follow-on errors)
  const linked = pre.stopped ? undefined : link(units, textBase, dataBase, diags, opts.listing !== false);
  const ok = diags.errorCount === 0;
  // by input file (in order of first appearance), then line and column; stable otherwise
  const fileRank = new Map<string, number>();
  for (const d of diags.list) if (!fileRank.has(d.file)) fileRank.set(d.file, fileRank.size);
  const diagnostics = [...diags.list].sort((a, b) => fileRank.get(a.file)! - fileRank.get(b.file)! || a.line - b.line || a.col - b.col);
  if (!ok || !linked) return { ok: false, diagnostics, listing: linked?.listing ?? [] };
  const image = { segments: linked.segments, entry: linked.entry, symbols: linked.symbols, sourceMap: linked.sourceMap };
  return {
    ok, diagnostics, image, listing: linked.listing,
    ...(opts.elf === false ? {} : { elf: writeElf(linked.segments, linked.symbols, linked.entry) }),
  };
}

/** `file:line:col: error: message` lines, as the CLI prints them. */
export function formatDiagnostics(d: AssembleResult['diagnostics']): string {
  return d.map((x) => `${x.file}:${x.line}:${x.col}: ${x.severity}: ${x.message}\n`).join('');
}
