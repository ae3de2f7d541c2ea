/**
 * Confinement: maps a workspace-relative path to a real path that is guaranteed to lie inside
 * the workspace, following symlinks component by component.
 *
 * Every existing component is `lstat`ed; a symlink is resolved with `realpath` and must land
 * inside the workspace's real root, else `E_PATH_ESCAPE` — this covers a link as the final
 * component and a symlinked parent folder alike. A dangling symlink is `E_PATH_ESCAPE` when its
 * target would be outside, else `E_NOT_FOUND`. Components below the first missing one do not
 * exist, so they cannot be links.
 *
 * Limits (documented, not hidden): the check and the later operation are not atomic, so a
 * process that swaps a folder for a symlink in between could win a race; hard links cannot be
 * told apart from ordinary files. The renderer cannot create symlinks through the API.
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fail } from '../../shared/api/errors';
import { joinRel, splitRelPath } from './relpath';

export interface Resolved {
  /** Canonical relative path (`a/b.s`); `''` for the root. */
  rel: string;
  parts: string[];
  /** The entry itself: confined real parent + last name (a final symlink is NOT followed). */
  entry: string;
  /** The entry with a final symlink followed (equals `entry` when not a link). */
  target: string;
  /** Whether `target` exists. */
  exists: boolean;
  /** Whether the final component is a symlink. */
  isLink: boolean;
}

export function isInside(realRoot: string, p: string): boolean {
  return p === realRoot || p.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
}

async function lstatOrNull(p: string) {
  try {
    return await lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Follows the symlink at `p` (which exists as a link); returns its confined real path. */
async function followLink(realRoot: string, p: string, rel: string): Promise<string> {
  try {
    const real = await realpath(p);
    if (!isInside(realRoot, real)) throw fail('E_PATH_ESCAPE', `${rel} is a symlink that leads outside the workspace`);
    return real;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ELOOP') throw e;
    const lexical = resolve(dirname(p), await readlink(p));
    if (!isInside(realRoot, lexical)) throw fail('E_PATH_ESCAPE', `${rel} is a symlink that leads outside the workspace`);
    throw fail('E_NOT_FOUND', `${rel} is a dangling symlink`);
  }
}

/** Resolves `input` under `realRoot` (which must already be a real path). */
export async function confine(realRoot: string, input: string): Promise<Resolved> {
  const parts = splitRelPath(input);
  const rel = joinRel(parts);
  if (parts.length === 0) return { rel, parts, entry: realRoot, target: realRoot, exists: true, isLink: false };
  let dir = realRoot;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = join(dir, parts[i]);
    const st = await lstatOrNull(p);
    const here = joinRel(parts.slice(0, i + 1));
    if (!st) {
      const entry = join(p, ...parts.slice(i + 1));
      return { rel, parts, entry, target: entry, exists: false, isLink: false };
    }
    if (st.isSymbolicLink()) dir = await followLink(realRoot, p, here);
    else if (st.isDirectory()) dir = p;
    else throw fail('E_NOT_DIRECTORY', `${here} is not a folder`);
  }
  const entry = join(dir, parts[parts.length - 1]);
  const st = await lstatOrNull(entry);
  if (!st) return { rel, parts, entry, target: entry, exists: false, isLink: false };
  if (!st.isSymbolicLink()) return { rel, parts, entry, target: entry, exists: true, isLink: false };
  const target = await followLink(realRoot, entry, rel);
  return { rel, parts, entry, target, exists: true, isLink: true };
}
