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

const INCLUDE_RE = /^\s*\.include\s+"([^"\n]+)"/gm;
const MAX_INCLUDES = 64;

/**
 * Reads every file `.include`d (transitively) by `root`; returns the `include` callback the
 * assembler wants. Unreadable or escaping names are simply absent: the assembler then reports
 * its own located "cannot include" diagnostic.
 */
export async function gatherIncludes(ws: Workspace, root: SourceFile): Promise<(name: string, from: string) => SourceFile | undefined> {
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
  return (name, from) => {
    const p = joinWorkspacePath(from, name);
    if (!p) return undefined;
    if (p === root.path) return root;
    return files.get(p);
  };
}
