/**
 * Open files (centre tabs). A tab keeps the text being edited and the text last read from or
 * written to disk; it is dirty when they differ. Changes on disk reload clean tabs and flag
 * dirty ones (`changedOnDisk`) so the user decides.
 */
import { useCallback, useRef, useState } from 'react';
import type { WorkspaceChange } from '../../../shared/api';
import { api } from '../api';
import { describeError, type Log } from './log';

export interface Tab {
  path: string;
  text: string;
  saved: string;
  mtimeMs: number;
  loading: boolean;
  saving: boolean;
  changedOnDisk: boolean;
  error?: string;
}

export const isDirty = (t: Tab) => !t.loading && t.text !== t.saved;

export function useTabs(log: Log) {
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [active, setActive] = useState<string>();
  const tabsRef = useRef(tabs);
  tabsRef.current = tabs;

  const patch = useCallback((path: string, p: Partial<Tab>) => setTabs((ts) => ts.map((t) => (t.path === path ? { ...t, ...p } : t))), []);

  const load = useCallback(
    async (path: string) => {
      try {
        const f = await api.workspace.read(path);
        patch(path, { text: f.content, saved: f.content, mtimeMs: f.mtimeMs, loading: false, changedOnDisk: false, error: undefined });
      } catch (e) {
        patch(path, { loading: false, error: describeError(e) });
        log.error(`Could not open ${path}: ${describeError(e)}`);
      }
    },
    [log, patch],
  );

  const open = useCallback(
    (path: string) => {
      setActive(path);
      if (tabsRef.current.some((t) => t.path === path)) return;
      setTabs((ts) => [...ts, { path, text: '', saved: '', mtimeMs: 0, loading: true, saving: false, changedOnDisk: false }]);
      void load(path);
    },
    [load],
  );

  const close = useCallback((path: string) => {
    const ts = tabsRef.current;
    const i = ts.findIndex((t) => t.path === path);
    if (i < 0) return;
    const rest = ts.filter((t) => t.path !== path);
    setTabs(rest);
    setActive((a) => (a === path ? rest[Math.min(i, rest.length - 1)]?.path : a));
  }, []);

  const edit = useCallback((path: string, text: string) => patch(path, { text }), [patch]);

  const save = useCallback(
    async (path: string | undefined) => {
      const t = tabsRef.current.find((x) => x.path === path);
      if (!t || t.loading) return false;
      patch(t.path, { saving: true });
      try {
        const st = await api.workspace.write(t.path, t.text);
        patch(t.path, { saved: t.text, mtimeMs: st.mtimeMs, saving: false, changedOnDisk: false });
        log.info(`Saved ${t.path} (${st.size} bytes)`);
        return true;
      } catch (e) {
        patch(t.path, { saving: false });
        log.error(`Could not save ${t.path}: ${describeError(e)}`);
        return false;
      }
    },
    [log, patch],
  );

  /** Follows a rename/move in the tree. */
  const renamed = useCallback((from: string, to: string) => {
    const move = (p: string) => (p === from ? to : p.startsWith(from + '/') ? to + p.slice(from.length) : p);
    setTabs((ts) => ts.map((t) => ({ ...t, path: move(t.path) })));
    setActive((a) => (a ? move(a) : a));
  }, []);

  /** Reacts to `onWorkspaceChanged`. */
  const onDiskChange = useCallback(
    (c: WorkspaceChange) => {
      if (c.reset) {
        setTabs([]);
        setActive(undefined);
        return;
      }
      for (const t of tabsRef.current) {
        if (!c.paths.includes(t.path) || t.loading || t.saving) continue;
        void api.workspace.read(t.path).then(
          (f) => {
            const cur = tabsRef.current.find((x) => x.path === t.path);
            if (!cur || f.content === cur.saved) return;
            if (isDirty(cur)) patch(t.path, { changedOnDisk: true });
            else patch(t.path, { text: f.content, saved: f.content, mtimeMs: f.mtimeMs });
          },
          () => patch(t.path, { changedOnDisk: true }),
        );
      }
    },
    [patch],
  );

  return { tabs, active, setActive, open, close, edit, save, load, renamed, onDiskChange };
}
export type Tabs = ReturnType<typeof useTabs>;
