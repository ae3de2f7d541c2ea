/**
 * Removing temp files that atomic writes (./atomic.ts) left behind when their process was
 * killed between creating the temp file and renaming it. Runs when a host opens a workspace.
 *
 * A temp file is `.<name>.disco-tmp-<pid>-<hex>`. It is stale — and removed — when it is older
 * than {@link STALE_MIN_AGE_MS} and either its writer `<pid>` is no longer running on this
 * machine, or it is older than {@link STALE_MAX_AGE_MS} (a pid reused by another process, or a
 * writer on another machine sharing the folder). A write in progress is never touched: it is
 * young, and its writer is alive. Only regular files with exactly that name shape are removed;
 * symbolic links are neither followed nor removed; the walk is bounded like listings are.
 */
import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_LIST_ENTRIES } from './workspace';

/** Younger temp files are never removed (a write may be in progress) [ms]. */
export const STALE_MIN_AGE_MS = 60_000;
/** Older temp files are removed whoever wrote them [ms]. */
export const STALE_MAX_AGE_MS = 24 * 3600_000;

/** `.<name>.disco-tmp-<pid>-<hex>` as written by `tempPathFor` (TEMP_MARKER = '.disco-tmp-'). */
export const TEMP_NAME = /^\..+\.disco-tmp-(\d+)-[0-9a-f]+$/;
/** Folders that are never workspace content. */
const SKIP_DIRS = new Set(['.git', 'node_modules']);

export interface StaleOptions {
  now?: number;
  /** Is process `pid` running? (injectable for tests) */
  alive?: (pid: number) => boolean;
  maxEntries?: number;
}

export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, but not ours
  }
}

/** Removes stale temp files under `root`; returns their workspace-relative paths. Never throws. */
export async function cleanStaleTempFiles(root: string, opts: StaleOptions = {}): Promise<string[]> {
  const now = opts.now ?? Date.now();
  const alive = opts.alive ?? processAlive;
  let budget = opts.maxEntries ?? MAX_LIST_ENTRIES;
  const removed: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    let names: string[];
    try { names = await readdir(dir); } catch { return; }
    for (const name of names) {
      if (--budget < 0) return;
      const p = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      let st;
      try { st = await lstat(p); } catch { continue; }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(name)) await walk(p, r);
        continue;
      }
      const m = TEMP_NAME.exec(name);
      if (!m || !st.isFile()) continue;
      const age = now - st.mtimeMs;
      if (age < STALE_MIN_AGE_MS) continue;
      if (age < STALE_MAX_AGE_MS && alive(Number(m[1]))) continue;
      try {
        await unlink(p);
        removed.push(r);
      } catch { /* gone already, or not ours to remove */ }
    }
  };
  await walk(root, '');
  return removed;
}
