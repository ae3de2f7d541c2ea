/**
 * The workbench shell: header, file tree (left), tabbed editor (centre), configuration (right),
 * results (bottom), status bar. All host access goes through `api` (src/api.ts).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { APP_COMMANDS, type AppCommand, type FileNode } from '../../shared/api';
import { api, hasNativeMenu, onConnectionStatus } from './api';
import { ConfigPanel } from './components/ConfigPanel';
import { Dialog, type DialogRequest } from './components/Dialog';
import { EditorArea, type EditorHandle } from './components/EditorArea';
import { FileTree, type FileTreeHandle } from './components/FileTree';
import { HelpOverlay } from './components/HelpOverlay';
import { ResultsPanel } from './components/ResultsPanel';
import { RunView } from './components/RunView';
import { MachineForm } from './components/MachineForm';
import { CompareView } from './components/CompareView';
import { ExperimentForm } from './components/ExperimentForm';
import type { ConfigError } from '../../shared/api';
import { useRuns } from './state/runs';
import { commandForKey } from './shortcuts';
import { describeError, useLog } from './state/log';
import { isDirty, setDraftScope, useTabs } from './state/tabs';
import { disposeModel } from './components/CodeEditor';
import { useTheme } from './state/theme';
import { allFiles, useWorkspace } from './state/workspace';

const join = (folder: string, name: string) => (folder ? `${folder}/${name}` : name);

export function App() {
  const { entries, log } = useLog();
  const { theme, toggle: toggleTheme } = useTheme();
  const tabs = useTabs(log, disposeModel);
  const ws = useWorkspace(log, tabs.onDiskChange);
  const runs = useRuns(log, tabs.open);
  const [dialog, setDialog] = useState<DialogRequest>();
  /** Runs shown in the Compare view (replaces the editor while open). */
  const [compare, setCompare] = useState<string[]>();
  /** Files whose form reports validation errors: they cannot be saved. */
  const [invalid, setInvalid] = useState<Record<string, ConfigError[]>>({});
  const onValidity = useCallback((path: string, errors: ConfigError[] | undefined) => {
    setInvalid((m) => {
      if (!errors && !(path in m)) return m;
      const next = { ...m };
      if (errors) next[path] = errors;
      else delete next[path];
      return next;
    });
  }, []);
  const invalidRef = useRef(invalid);
  invalidRef.current = invalid;
  /** Saves a tab unless its form has field errors. */
  const saveTab = useCallback(
    async (path: string | undefined) => {
      const errs = path ? invalidRef.current[path] : undefined;
      if (path && errs) {
        log.error(`Not saved: ${path} has ${errs.length} invalid field${errs.length === 1 ? '' : 's'} (${errs.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).slice(0, 3).join('; ')})`);
        return false;
      }
      return tabs.save(path);
    },
    [log, tabs],
  );
  const [help, setHelp] = useState(false);
  const [connected, setConnected] = useState(true);
  const treeRef = useRef<FileTreeHandle>(null);
  const editorRef = useRef<EditorHandle>(null);
  const configRef = useRef<HTMLElement>(null);
  const resultsRef = useRef<HTMLElement>(null);

  const activeTab = tabs.tabs.find((t) => t.path === tabs.active);
  const dirtyPaths = useMemo(() => new Set(tabs.tabs.filter(isDirty).map((t) => t.path)), [tabs.tabs]);
  // The runs/ listing changes when records are written or deleted: refresh the summaries.
  const runFiles = useMemo(() => allFiles(ws.tree).filter((f) => f.path.startsWith('runs/') && f.name.endsWith('.json')).map((f) => `${f.path}@${f.mtimeMs}`).join('|'), [ws.tree]);
  const refreshRuns = runs.refresh;
  useEffect(() => void refreshRuns(), [runFiles, refreshRuns]);
  /** Runs an experiment file, saving its tab first when it has unsaved edits. */
  const startRun = async (path: string) => {
    const t = tabs.tabs.find((x) => x.path === path);
    if (t && isDirty(t) && !(await saveTab(path))) return;
    await runs.start(path);
  };

  if (ws.info) setDraftScope(ws.info.root);
  const refresh = ws.refresh;
  useEffect(
    () =>
      onConnectionStatus((c) => {
        setConnected(c);
        if (c) void refresh(); // after a reconnect the host may have changed under us
      }),
    [refresh],
  );
  useEffect(() => {
    document.title = `${activeTab ? `${isDirty(activeTab) ? '● ' : ''}${activeTab.path} — ` : ''}${ws.info?.name ?? 'Disco Lab'} — Disco Lab`;
  }, [activeTab, ws.info]);

  const run = useCallback(
    (c: AppCommand) => {
      switch (c) {
        case 'file.save': void saveTab(tabs.active); break;
        case 'view.toggleTheme': toggleTheme(); break;
        case 'view.focusFiles': treeRef.current?.focus(); break;
        case 'view.focusEditor': editorRef.current?.focus(); break;
        case 'view.focusConfig': configRef.current?.focus(); break;
        case 'view.focusResults': resultsRef.current?.focus(); break;
        case 'help.shortcuts': setHelp((h) => !h); break;
      }
    },
    [tabs, toggleTheme, saveTab],
  );
  const runRef = useRef(run);
  runRef.current = run;

  // Menu commands (Electron) or keyboard shortcuts (browser mode) — one source per host.
  useEffect(() => api.onCommand((c) => (APP_COMMANDS as readonly string[]).includes(c) && runRef.current(c)), []);
  useEffect(() => {
    if (hasNativeMenu) return;
    const onKey = (e: KeyboardEvent) => {
      const c = commandForKey(e);
      if (!c) return;
      e.preventDefault();
      runRef.current(c);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  // Warn before losing unsaved edits (browser tab close / reload).
  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => {
      if (dirtyPaths.size) e.preventDefault();
    };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [dirtyPaths]);

  /** Runs a workspace action, logs the outcome, refreshes the tree; resolves true on success. */
  const attempt = async (what: string, f: () => Promise<unknown>): Promise<boolean> => {
    try {
      await f();
      log.info(what);
      await ws.refresh();
      return true;
    } catch (e) {
      log.error(`${what} failed: ${describeError(e)}`);
      return false;
    }
  };

  const onNew = (kind: 'file' | 'dir', folder: string) =>
    setDialog({
      title: kind === 'file' ? 'New file' : 'New folder',
      message: `In ${folder ? folder + '/' : 'the workspace root'}`,
      value: kind === 'file' ? (folder === 'programs' ? 'untitled.s' : folder ? 'untitled.json' : 'untitled.txt') : 'new-folder',
      confirmLabel: 'Create',
      onConfirm: (name) => {
        const path = join(folder, name);
        void attempt(`Created ${path}`, () => api.workspace.create(path, kind)).then((ok) => ok && kind === 'file' && tabs.open(path));
      },
    });
  const onRename = (n: FileNode) =>
    setDialog({
      title: `Rename ${n.name}`,
      message: 'New name (or a path relative to the workspace, to move it):',
      value: n.path,
      confirmLabel: 'Rename',
      onConfirm: (to) => {
        if (to === n.path) return;
        void attempt(`Renamed ${n.path} → ${to}`, async () => {
          await api.workspace.rename(n.path, to);
          tabs.renamed(n.path, to);
        });
      },
    });
  const onDelete = (n: FileNode) =>
    setDialog({
      title: `Delete ${n.name}?`,
      message: n.kind === 'dir' ? `The folder ${n.path}/ and everything in it will be deleted.` : `${n.path} will be deleted.`,
      confirmLabel: 'Delete',
      danger: true,
      onConfirm: () =>
        void attempt(`Deleted ${n.path}`, async () => {
          await api.workspace.delete(n.path, { recursive: n.kind === 'dir' });
          for (const t of tabs.tabs) if (t.path === n.path || t.path.startsWith(n.path + '/')) tabs.close(t.path);
        }),
    });
  const closeTab = (path: string) => {
    const t = tabs.tabs.find((x) => x.path === path);
    if (!t || !isDirty(t)) return tabs.close(path);
    setDialog({
      title: `Close ${path.split('/').pop()}?`,
      message: `${path} has unsaved changes. They will be lost.`,
      confirmLabel: 'Close without saving',
      danger: true,
      onConfirm: () => tabs.close(path),
    });
  };
  const openWorkspace = (create: boolean) =>
    void api.workspace.open({ create }).then(
      (i) => log.info(`Opened workspace ${i.root}`),
      (e) => describeError(e).startsWith('E_CANCELLED') || log.error(`Could not open a workspace: ${describeError(e)}`),
    );

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Disco Lab</span>
        <span className="workspace-name" title={ws.info?.root}>{ws.info?.name ?? '…'}</span>
        <span className="spacer" />
        {ws.app?.capabilities.openWorkspace && (
          <>
            <button type="button" onClick={() => openWorkspace(true)}>New workspace…</button>
            <button type="button" onClick={() => openWorkspace(false)}>Open workspace…</button>
          </>
        )}
        <button type="button" onClick={() => run('file.save')} disabled={!activeTab || !isDirty(activeTab) || Boolean(invalid[activeTab.path])} title={activeTab && invalid[activeTab.path] ? 'Fix the invalid fields first' : 'Save (Ctrl+S)'}>
          Save
        </button>
        <button type="button" data-testid="theme-toggle" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`} title="Toggle theme (Ctrl+Alt+L)">
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
        <button type="button" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts and about" title="Help (Ctrl+/)">?</button>
      </header>

      <nav className="panel files" aria-label="Files">
        <h2 className="panel-title">Files</h2>
        <FileTree
          ref={treeRef}
          root={ws.tree}
          activePath={tabs.active}
          dirtyPaths={dirtyPaths}
          onOpen={tabs.open}
          onNew={onNew}
          onRename={onRename}
          onDelete={onDelete}
          onRefresh={() => void ws.refresh()}
        />
        {ws.truncated && <p className="muted small">Listing truncated: too many files.</p>}
      </nav>

      <main className="panel center" aria-label="Editor">
        {compare && <CompareView paths={compare} onClose={() => setCompare(undefined)} onOpen={(p) => { setCompare(undefined); tabs.open(p); }} />}
        <div className="center-inner" hidden={Boolean(compare)}>
        <EditorArea
          ref={editorRef}
          tabs={tabs.tabs}
          theme={theme}
          viewFor={(path) => (/^runs\/[^/]+\.json$/.test(path) ? 'Results' : /^(machines|experiments)\/[^/]+\.json$/.test(path) ? 'Form' : undefined)}
          renderView={(path, text, onEdit) =>
            path.startsWith('runs/') ? <RunView path={path} text={text} records={runs.records} />
              : path.startsWith('machines/') ? <MachineForm path={path} text={text} onEdit={onEdit} onValidity={onValidity} />
              : <ExperimentForm path={path} text={text} files={allFiles(ws.tree)} onEdit={onEdit} onValidity={onValidity} />
          }
          active={tabs.active}
          onSelect={tabs.setActive}
          onClose={closeTab}
          onEdit={tabs.edit}
          onSave={(p) => void saveTab(p)}
          onReload={(p) => void tabs.load(p)}
        />
        </div>
      </main>

      <aside className="panel config-panel" aria-label="Configuration" tabIndex={-1} ref={configRef}>
        <h2 className="panel-title">Configuration</h2>
        <ConfigPanel tab={activeTab} workspace={ws.info} runs={runs.live} onStartRun={(p) => void startRun(p)} onStopRun={(id) => void runs.stop(id)} onOpen={tabs.open} />
      </aside>

      <section className="panel results" aria-label="Results" tabIndex={-1} ref={resultsRef}>
        <ResultsPanel log={entries} runs={runs.records} live={runs.live} onOpen={tabs.open} onClear={log.clear} onCompare={setCompare} />
      </section>

      <footer className="statusbar" role="status">
        <span>{ws.app ? (ws.app.host === 'electron' ? 'Desktop' : 'Browser mode') : 'Starting…'}</span>
        {!connected && <span className="error-text">Disconnected from the web host — reconnecting…</span>}
        <span className="mono">{ws.info?.root}</span>
        <span className="spacer" />
        {activeTab && <span>{isDirty(activeTab) ? 'Modified' : 'Saved'}</span>}
        <span>{theme === 'dark' ? 'Dark' : 'Light'}</span>
      </footer>

      {dialog && <Dialog request={dialog} onClose={() => setDialog(undefined)} />}
      {help && <HelpOverlay app={ws.app} onClose={() => setHelp(false)} />}
    </div>
  );
}
