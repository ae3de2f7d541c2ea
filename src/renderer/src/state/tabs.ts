/**
 * Open files (centre tabs). Unsaved edits are also kept as *drafts* in localStorage (per
 * workspace and path, written half a second after the last keystroke) so a crash or a closed
 * window loses nothing: opening the file again restores the draft as an unsaved change.
 * Saving, or closing a tab without saving (after the confirmation), drops the draft.
 * A tab keeps the text being edited and the text last read from or
 * written to disk; it is dirty when they differ. Changes on disk reload clean tabs and flag
 * dirty ones (`changedOnDisk`) so the user decides. A file deleted on disk flags its tab
 * (`deletedOnDisk`): saving is refused until the user chooses to keep it (`keep`, then Ctrl+S
 * recreates the file) or closes the tab — a save never silently recreates a deleted file.
 * The open tabs (paths and the active one) are remembered per workspace, so a reload reopens them.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { WorkspaceChange } from '../../../shared/api';
import { api } from '../api';
import { isApiError } from '../../../shared/api';
import { describeError, type Log } from './log';

export interface Tab {
  path: string;
  text: string;
  saved: string;
  mtimeMs: number;
  loading: boolean;
  saving: boolean;
  changedOnDisk: boolean;
  /** The file was deleted on disk while open (the banner offers keep / close). */
  deletedOnDisk?: boolean;
  error?: string;
}

export const isDirty = (t: Tab) => !t.loading && t.text !== t.saved;

let draftScope = '';
/** Drafts are per workspace: App sets the workspace root here. */
export function setDraftScope(root: string): void {
  draftScope = root;
}
const draftKey = (path: string) => `disco-lab.draft:${draftScope}:${path}`;
export const drafts = {
  get: (path: string): string | null => { try { return localStorage.getItem(draftKey(path)); } catch { return null; } },
  put: (path: string, text: string) => { try { localStorage.setItem(draftKey(path), text); } catch { /* quota: the beforeunload guard remains */ } },
  drop: (path: string) => { try { localStorage.removeItem(draftKey(path)); } catch { /* ignore */ } },
};
const DRAFT_DELAY_MS = 500;

/** The open tabs of a workspace (paths, active), kept across reloads. */
const openKey = () => `disco-lab.tabs:${draftScope}`;
export const openTabs = {
  get: (): { paths: string[]; active?: string } => {
    try {
      const v = JSON.parse(localStorage.getItem(openKey()) ?? 'null') as { paths?: unknown; active?: unknown } | null;
      const paths = Array.isArray(v?.paths) ? v.paths.filter((p): p is string => typeof p === 'string') : [];
      return { paths, active: typeof v?.active === 'string' ? v.active : undefined };
    } catch {
      return { paths: [] };
    }
  },
  put: (paths: string[], active: string | undefined) => { try { localStorage.setItem(openKey(), JSON.stringify({ paths, active })); } catch { /* storage unavailable */ } },
};

const notFound = (e: unknown) => isApiError(e) && e.code === 'E_NOT_FOUND';

export function useTabs(log: Log, onClosed?: (path: string) => void) {
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [active, setActive] = useState<string>();
  const tabsRef = useRef(tabs);
  tabsRef.current = tabs;

  const patch = useCallback((path: string, p: Partial<Tab>) => setTabs((ts) => ts.map((t) => (t.path === path ? { ...t, ...p } : t))), []);

  const load = useCallback(
    async (path: string, opts: { restoring?: boolean } = {}) => {
      try {
        const f = await api.workspace.read(path);
        const draft = drafts.get(path);
        const restore = draft !== null && draft !== f.content && !tabsRef.current.find((t) => t.path === path && !t.loading);
        patch(path, { text: restore ? draft : f.content, saved: f.content, mtimeMs: f.mtimeMs, loading: false, changedOnDisk: false, deletedOnDisk: false, error: undefined });
        if (restore) log.info(`Restored unsaved changes to ${path} from a draft (save to keep them, or close the tab to discard them)`);
        else if (draft !== null) drafts.drop(path);
      } catch (e) {
        if (opts.restoring && notFound(e)) {
          // A tab of the last session whose file is gone: drop it quietly.
          setTabs((ts) => ts.filter((t) => t.path !== path));
          setActive((a) => (a === path ? undefined : a));
          log.info(`${path} no longer exists; its tab was not reopened`);
          return;
        }
        patch(path, { loading: false, error: notFound(e) ? `${path} does not exist (deleted or renamed outside Disco Lab).` : describeError(e) });
        log.error(notFound(e) ? `Could not open ${path}: it does not exist` : `Could not open ${path}: ${describeError(e)}`);
      }
    },
    [log, patch],
  );

  const open = useCallback(
    (path: string, opts: { restoring?: boolean; background?: boolean } = {}) => {
      if (!opts.background) setActive(path);
      if (tabsRef.current.some((t) => t.path === path)) return;
      tabsRef.current = [...tabsRef.current, { path, text: '', saved: '', mtimeMs: 0, loading: true, saving: false, changedOnDisk: false }];
      setTabs((ts) => (ts.some((t) => t.path === path) ? ts : [...ts, { path, text: '', saved: '', mtimeMs: 0, loading: true, saving: false, changedOnDisk: false }]));
      void load(path, opts);
    },
    [load],
  );

  /** Reopens the tabs of the last session (once the workspace is known). */
  const restore = useCallback(() => {
    const { paths, active: a } = openTabs.get();
    for (const p of paths) open(p, { restoring: true, background: true });
    if (a && paths.includes(a)) setActive(a);
  }, [open]);

  const close = useCallback((path: string) => {
    const ts = tabsRef.current;
    const i = ts.findIndex((t) => t.path === path);
    if (i < 0) return;
    const rest = ts.filter((t) => t.path !== path);
    drafts.drop(path);
    clearTimeout(draftTimers.current.get(path));
    onClosed?.(path);
    setTabs(rest);
    setActive((a) => (a === path ? rest[Math.min(i, rest.length - 1)]?.path : a));
  }, []);

  const draftTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const edit = useCallback(
    (path: string, text: string) => {
      patch(path, { text });
      clearTimeout(draftTimers.current.get(path));
      draftTimers.current.set(path, setTimeout(() => {
        const t = tabsRef.current.find((x) => x.path === path);
        if (t && isDirty(t)) drafts.put(path, t.text);
        else drafts.drop(path);
      }, DRAFT_DELAY_MS));
    },
    [patch],
  );

  const save = useCallback(
    async (path: string | undefined) => {
      const t = tabsRef.current.find((x) => x.path === path);
      if (!t || t.loading) return false;
      if (t.deletedOnDisk) {
        log.error(`Not saved: ${t.path} was deleted on disk. Choose "Keep editing" in the banner to recreate it with Ctrl+S, or close the tab.`);
        return false;
      }
      patch(t.path, { saving: true });
      try {
        const st = await api.workspace.write(t.path, t.text);
        patch(t.path, { saved: t.text, mtimeMs: st.mtimeMs, saving: false, changedOnDisk: false });
        clearTimeout(draftTimers.current.get(t.path));
        if (tabsRef.current.find((x) => x.path === t.path)?.text === t.text) drafts.drop(t.path);
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

  /** The user keeps a tab whose file was deleted on disk: it becomes an unsaved new file (Ctrl+S recreates it). */
  const keep = useCallback((path: string) => {
    patch(path, { deletedOnDisk: false, changedOnDisk: false, saved: '', mtimeMs: 0 });
    log.info(`Keeping ${path} open as an unsaved file: Ctrl+S recreates it`);
  }, [log, patch]);

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
            if (!cur) return;
            if (cur.deletedOnDisk) patch(t.path, { deletedOnDisk: false }); // recreated outside
            if (f.content === cur.saved) return;
            if (isDirty(cur) || cur.deletedOnDisk) patch(t.path, { changedOnDisk: true, deletedOnDisk: false });
            else patch(t.path, { text: f.content, saved: f.content, mtimeMs: f.mtimeMs });
          },
          (e) => {
            const cur = tabsRef.current.find((x) => x.path === t.path);
            if (!cur) return;
            if (notFound(e)) {
              if (!cur.deletedOnDisk) log.info(`${t.path} was deleted on disk`);
              patch(t.path, { deletedOnDisk: true, changedOnDisk: false });
            } else patch(t.path, { changedOnDisk: true });
          },
        );
      }
    },
    [patch, log],
  );

  // Remember the open tabs (after the first restore, so an empty start does not erase them).
  const restored = useRef(false);
  useEffect(() => {
    if (tabs.length) restored.current = true;
    if (restored.current && draftScope) openTabs.put(tabs.map((t) => t.path), active);
  }, [tabs, active]);

  return { tabs, active, setActive, open, close, edit, save, load, keep, restore, renamed, onDiskChange };
}
export type Tabs = ReturnType<typeof useTabs>;
