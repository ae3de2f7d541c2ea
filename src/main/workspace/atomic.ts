/**
 * Atomic file replacement: write a temp file in the same folder, fsync it, rename it over the
 * target. Readers see the old content or the new, never a partial file. On any failure the
 * temp file is removed and the target is untouched. An existing target's permission bits are
 * kept. Temp names start with `.` and contain `.disco-tmp-` so listings and the watcher skip them.
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
}
const realFs: AtomicFs = { open: fsp.open, rename: fsp.rename, unlink: fsp.unlink, stat: fsp.stat };

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
