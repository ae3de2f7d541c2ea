/**
 * Reading assembly sources out of the workspace for the (synchronous, platform-free) assembler:
 * `.include "name"` directives are found up front, read through the confined workspace, and
 * served to `assemble` from a map. Names resolve relative to the including file, like gas.
 */
import type { SourceFile } from '../../core/asm/types';
import type { Workspace } from '../workspace/workspace';

/** Workspace-relative `/` path join + normalisation; undefined when it climbs above the root. */
export function joinWorkspacePath(fromFile: string, rel: string): string | undefined {
  if (rel.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(rel) || rel.includes('\\')) return undefined;
  const out = fromFile.split('/').slice(0, -1);
  for (const part of rel.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!out.length) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.length ? out.join('/') : undefined;
}

// [^\S\n]: whitespace within the line (`\s*` at a line start would scan on across every
// following blank line: quadratic in a file of empty lines)
const INCLUDE_RE = /^[^\S\n]*\.include[^\S\n]+"([^"\n]+)"/gm;
const MAX_INCLUDES = 64;

/**
 * Reads every file `.include`d (transitively) by `root` through the confined workspace, at most
 * MAX_INCLUDES. Unreadable or escaping names are simply absent: the assembler then reports its
 * own located "cannot find include file" diagnostic.
 */
export async function readIncludes(ws: Workspace, root: SourceFile): Promise<SourceFile[]> {
  const files = new Map<string, SourceFile>();
  const queue: SourceFile[] = [root];
  while (queue.length && files.size < MAX_INCLUDES) {
    const f = queue.shift()!;
    for (const m of f.text.matchAll(INCLUDE_RE)) {
      const p = joinWorkspacePath(f.path, m[1]);
      if (!p || files.has(p) || p === root.path) continue;
      try {
        const c = await ws.read(p);
        const sf = { path: p, text: c.content };
        files.set(p, sf);
        queue.push(sf);
      } catch {
        /* reported by the assembler */
      }
    }
  }
  return [...files.values()];
}

/** The `include` callback the assembler wants, serving `root` and the files read by `readIncludes`. */
export function includeResolver(root: SourceFile, files: readonly SourceFile[]): (name: string, from: string) => SourceFile | undefined {
  const byPath = new Map(files.map((f) => [f.path, f]));
  return (name, from) => {
    const p = joinWorkspacePath(from, name);
    if (!p) return undefined;
    if (p === root.path) return root;
    return byPath.get(p);
  };
}

/** `readIncludes` + `includeResolver`: everything `assemble` needs to resolve `.include`. */
export async function gatherIncludes(ws: Workspace, root: SourceFile): Promise<(name: string, from: string) => SourceFile | undefined> {
  return includeResolver(root, await readIncludes(ws, root));
}
