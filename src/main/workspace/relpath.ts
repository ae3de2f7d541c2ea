/**
 * Syntactic checks of a workspace-relative path, before the file system is touched.
 *
 *   - NUL or other control characters           → E_INVALID_INPUT
 *   - absolute (`/x`, `\\x`, `C:x`, `//host/x`)  → E_PATH_ESCAPE
 *   - any `..` segment (even `a/../b`)           → E_PATH_ESCAPE (refused, not normalised away)
 *   - `\` is treated as a separator (Windows habits), `.` and empty segments are dropped
 *
 * Symlinks are the job of ./confine.ts.
 */
import { fail } from '../../shared/api/errors';

const MAX_SEGMENT = 255;

/** Returns the path's segments (possibly none, meaning the workspace root). */
export function splitRelPath(input: string): string[] {
  if (/[\u0000-\u001f\u007f]/.test(input)) throw fail('E_INVALID_INPUT', 'path contains NUL or control characters');
  const p = input.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) throw fail('E_PATH_ESCAPE', `absolute paths are not allowed: ${input}`);
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..')) throw fail('E_PATH_ESCAPE', `'..' is not allowed in workspace paths: ${input}`);
  if (parts.some((s) => s.length > MAX_SEGMENT)) throw fail('E_INVALID_INPUT', 'a path segment is longer than 255 characters');
  return parts;
}

/** The canonical form used in results and events: segments joined by `/`. */
export function joinRel(parts: readonly string[]): string {
  return parts.join('/');
}
