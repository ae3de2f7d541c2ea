/**
 * Watches a workspace folder and reports changed entries, debounced: events arriving within
 * `debounceMs` of each other are merged into one call with the deduplicated, sorted,
 * workspace-relative paths. Dot-files (temp files of atomic writes, .git) are ignored.
 *
 * Uses `fs.watch(root, { recursive: true })` (Linux since Node 20, macOS, Windows); where that
 * is unavailable it falls back to watching the root and each top-level folder.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface WatchHandle {
  close(): void;
}

export function watchWorkspace(root: string, onChange: (paths: string[]) => void, debounceMs = 100): WatchHandle {
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const watchers: FSWatcher[] = [];

  const record = (prefix: string) => (_event: string, filename: string | Buffer | null) => {
    if (closed || filename == null) return;
    const rel = (prefix ? `${prefix}/` : '') + String(filename).replace(/\\/g, '/');
    if (rel.split('/').some((s) => s.startsWith('.'))) return;
    pending.add(rel);
    clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  };
  const flush = () => {
    if (closed || pending.size === 0) return;
    const paths = [...pending].sort();
    pending.clear();
    onChange(paths);
  };
  const add = (dir: string, prefix: string, recursive: boolean) => {
    const w = watch(dir, { recursive, persistent: false }, record(prefix));
    w.on('error', () => { /* folder vanished or watcher limit: keep the others */ });
    watchers.push(w);
  };

  try {
    add(root, '', true);
  } catch {
    add(root, '', false);
    for (const name of readdirSync(root)) {
      if (name.startsWith('.')) continue;
      try {
        if (statSync(join(root, name)).isDirectory()) add(join(root, name), name, false);
      } catch { /* skip */ }
    }
  }

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
