/**
 * Atomic file replacement: write a temp file in the same folder, fsync it, rename it over the
 * target. Readers see the old content or the new, never a partial file. On any failure the
 * temp file is removed and the target is untouched. An existing target's permission bits are
 * kept. Temp names start with `.` and contain `.disco-tmp-` so listings and the watcher skip them;
 * a temp file left by a killed process is removed when a workspace is next opened (./stale.ts).
 */
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const TEMP_MARKER = '.disco-tmp-';

/** The file-system calls used, injectable so tests can make each step fail. */
export interface AtomicFs {
  open: typeof fsp.open;
  rename: typeof fsp.rename;
  unlink: typeof fsp.unlink;
  stat: typeof fsp.stat;
  /** Used by atomicCreateFile only (default fs.promises.link). */
  link?: typeof fsp.link;
}
const realFs: AtomicFs = { open: fsp.open, rename: fsp.rename, unlink: fsp.unlink, stat: fsp.stat, link: fsp.link };

export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`);
}

export async function atomicWriteFile(target: string, data: string | Uint8Array, fs: AtomicFs = realFs): Promise<void> {
  let mode = 0o666;
  try {
    mode = (await fs.stat(target)).mode & 0o7777;
  } catch {
    /* new file: default mode (minus umask) */
  }
  const tmp = tempPathFor(target);
  let created = false;
  try {
    const fh = await fs.open(tmp, 'wx', mode);
    created = true;
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, target);
    created = false;
  } finally {
    if (created) await fs.unlink(tmp).catch(() => {});
  }
}

/** `link()` errors meaning "this file system has no hard links" (FAT, some network shares). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Creates `target` with `data`, atomically and **never overwriting**: fails with `EEXIST` when
 * `target` exists, even if another writer creates it at the same moment. The data goes to a
 * temp file (fsync'd) that is then hard-linked to `target` — `link()` refuses an existing name
 * and publishes complete content in one step. Where the file system has no hard links, `target`
 * is reserved with an exclusive create and the temp file renamed over it (readers may then see
 * an empty file for a moment). The temp file is always removed.
 */
export async function atomicCreateFile(target: string, data: string | Uint8Array, fs: AtomicFs = realFs): Promise<void> {
  const tmp = tempPathFor(target);
  let created = false;
  try {
    const fh = await fs.open(tmp, 'wx', 0o666);
    created = true;
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await (fs.link ?? fsp.link)(tmp, target);
    } catch (e) {
      if (!NO_LINKS.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
      await (await fs.open(target, 'wx', 0o666)).close(); // EEXIST if taken
      await fs.rename(tmp, target);
      created = false;
    }
  } finally {
    if (created) await fs.unlink(tmp).catch(() => {});
  }
}
