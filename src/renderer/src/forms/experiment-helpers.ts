/**
 * Pure helpers of the experiment form (unit-tested in test/renderer/forms.test.ts): console input
 * shown and typed with escapes, the files offered for each path field, the mode the form shows.
 */
import type { FileNode } from '../../../shared/api';

/**
 * Console input as typed in a one-line field: `\n` newline, `\t` tab, `\r`, `\\` a backslash,
 * `\xHH` any byte. `escapeInput` is the inverse (what the field shows for a stored value).
 */
export function unescapeInput(typed: string): string {
  return typed.replace(/\\(x[0-9a-fA-F]{2}|[ntr0\\])/g, (_, e: string) =>
    e[0] === 'x' ? String.fromCharCode(parseInt(e.slice(1), 16)) : ({ n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\' } as Record<string, string>)[e]);
}

export function escapeInput(value: string): string {
  return value.replace(/[\\\n\t\r\0]|[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/g, (c) =>
    ({ '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\0': '\\0' } as Record<string, string>)[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `experiments/a.json` + `programs/x.s` → `../programs/x.s`. */
export function relFrom(expPath: string, target: string): string {
  const up = expPath.split('/').length - 1;
  return '../'.repeat(up) + target;
}

/** Programs an experiment can load: assembly sources and ELF executables (not disk images). */
export function programChoices(files: readonly FileNode[], expPath: string): string[] {
  const progs = files.filter((f) => /\.(s|S|asm|elf)$/.test(f.name)).map((f) => f.path);
  // Workspace programs first (programs/), then the rest (guest kernels, …).
  progs.sort((a, b) => Number(!a.startsWith('programs/')) - Number(!b.startsWith('programs/')) || a.localeCompare(b));
  return progs.map((p) => relFrom(expPath, p));
}

/** Disk images: `.img` files. */
export function diskChoices(files: readonly FileNode[], expPath: string): string[] {
  return files.filter((f) => /\.img$/i.test(f.name)).map((f) => relFrom(expPath, f.path));
}

/** The program "Add program" proposes: the first workspace program not listed yet. */
export function nextProgram(choices: readonly string[], listed: readonly unknown[]): string {
  const have = new Set(listed.map((p) => (typeof p === 'string' ? p : (p as { path?: unknown })?.path)));
  return choices.find((c) => /(^|\/)programs\//.test(c) && /\.(s|S|asm)$/.test(c) && !have.has(c)) ?? choices.find((c) => !have.has(c)) ?? '../programs/hello.s';
}

/** The mode the form shows as selected: only a valid one — never a default the file does not have. */
export function modeOf(e: Record<string, unknown>): 'native' | 'disco' | 'denali' | undefined {
  return e.mode === 'native' || e.mode === 'disco' || e.mode === 'denali' ? e.mode : undefined;
}
