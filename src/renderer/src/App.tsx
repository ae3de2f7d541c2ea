/**
 * The workbench shell: header, file tree (left), tabbed editor (centre), configuration (right),
 * results (bottom), status bar — panels resizable with keyboard-accessible splitters. All host
 * access goes through `api` (src/api.ts).
 *
 * Running a program (F5 on a `.s` file, or its Run button): the Run dialog picks bare metal, the
 * guest OS natively or under Disco (or both, then Compare); the app writes the experiment file
 * (`experiments/<program>-<kind>.json`, asking before it replaces a different one), starts the
 * run and shows its console. F5 on an experiment runs it as it is.
 *
 * Labs (labs/*.json) open in the Labs view (header *Labs*, Ctrl+Alt+P, View → Labs): the figure
 * beside the paper's, the shape checks, Run / Stop with progress; each point opens its run record.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { APP_COMMANDS, isApiError, type AppCommand, type FileNode, type RunFinished } from '../../shared/api';
import { api, hasNativeMenu, onConnectionStatus } from './api';
import { ConfigPanel } from './components/ConfigPanel';
import { Dialog, type DialogRequest } from './components/Dialog';
import { EditorArea, isAsmFile, type EditorHandle } from './components/EditorArea';
import { ExamplesDialog } from './components/ExamplesDialog';
import { FileTree, type FileTreeHandle } from './components/FileTree';
import { HelpOverlay } from './components/HelpOverlay';
import { NewFileDialog } from './components/NewFileDialog';
import { ResultsPanel, type ResultsView } from './components/ResultsPanel';
import { RunDialog, type RunChoice } from './components/RunDialog';
import { RunView } from './components/RunView';
import { MachineForm } from './components/MachineForm';
import { CompareView } from './components/CompareView';
import { ExperimentForm } from './components/ExperimentForm';
import { Splitter } from './components/Splitter';
import type { ConfigError } from '../../shared/api';
import { useRuns } from './state/runs';
import { isLabLive, useLabs } from './state/labs';
import { LabView } from './components/LabView';
import { DebugView, type DebugControls } from './components/debug/DebugView';
import { commandForKey } from './shortcuts';
import { describeError, messageAbout, useLog } from './state/log';
import { DEFAULT_LAYOUT, LAYOUT_LIMITS, useLayout } from './state/layout';
import { isDirty, setDraftScope, useTabs } from './state/tabs';
import { disposeModel } from './editor/models';
import { useTheme } from './state/theme';
import { allFiles, useWorkspace } from './state/workspace';
import { bareProgramText, duplicateName, guestProgramText, programName, runExperiment, runExperimentPath, schemaHasGuest, uniqueName, type RunOptions, type TemplateId } from './templates';

const join = (folder: string, name: string) => (folder ? `${folder}/${name}` : name);
const isExperimentPath = (p: string) => /^experiments\/.+\.json$/.test(p);
const isLabPath = (p: string) => /^labs\/[^/]+\.json$/.test(p);
/** Run records: runs/*.json, and the records labs save in runs/<lab>/. */
const isRunRecordPath = (p: string) => /^runs\/(?:[^/]+\/)?[^/]+\.json$/.test(p);
const LAST_LAB_KEY = 'disco-lab.lastLab';

export function App() {
  const { entries, log } = useLog();
  const { theme, toggle: toggleTheme } = useTheme();
  const tabs = useTabs(log, disposeModel);
  const ws = useWorkspace(log, tabs.onDiskChange);
  const { layout, set: setLayout } = useLayout();
  const [resultsView, setResultsView] = useState<ResultsView>('output');
  const [consoleRun, setConsoleRun] = useState<string>();
  /** Runs started together to be compared when both have records: runId → record path. */
  const pendingCompare = useRef<{ ids: string[]; paths: Record<string, string> }[]>([]);
  /** Runs shown in the Compare view (replaces the editor while open). */
  const [compare, setCompare] = useState<string[]>();
  const onRecord = useCallback((path: string, f: RunFinished) => {
    const group = pendingCompare.current.find((g) => g.ids.includes(f.runId));
    if (!group) return tabs.open(path);
    group.paths[f.runId] = path;
    if (group.ids.every((id) => group.paths[id])) {
      pendingCompare.current = pendingCompare.current.filter((g) => g !== group);
      setCompare(group.ids.map((id) => group.paths[id]));
    }
  }, [tabs.open]);
  const runs = useRuns(log, onRecord);
  const labs = useLabs(log);
  const [dialog, setDialog] = useState<DialogRequest>();
  const [newFile, setNewFile] = useState<{ folder: string; template?: TemplateId }>();
  const [runDialog, setRunDialog] = useState<string>();
  const [examples, setExamples] = useState(false);
  /** The experiment open in the Debug view (replaces the editor while open). */
  const [debugExp, setDebugExp] = useState<string>();
  const debugControls = useRef<DebugControls | null>(null);
  /** Whether the host runs workspace programs on the guest OS (`guest` in the experiment schema). */
  const [guest, setGuest] = useState<boolean | null>(null);
  useEffect(() => { void api.experiment.schema().then((s) => setGuest(schemaHasGuest(s)), () => setGuest(false)); }, []);
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
  const files = useMemo(() => allFiles(ws.tree), [ws.tree]);
  const filePaths = useMemo(() => new Set(files.map((f) => f.path)), [files]);
  // The runs/ listing changes when records are written or deleted: refresh the summaries.
  const runFiles = useMemo(() => files.filter((f) => f.path.startsWith('runs/') && f.name.endsWith('.json')).map((f) => `${f.path}@${f.mtimeMs}`).join('|'), [files]);
  const refreshRuns = runs.refresh;
  useEffect(() => void refreshRuns(), [runFiles, refreshRuns]);
  // Likewise the labs/ listing: the Labs view's picker.
  const labFiles = useMemo(() => files.filter((f) => isLabPath(f.path)).map((f) => `${f.path}@${f.mtimeMs}`).join('|'), [files]);
  const refreshLabs = labs.refreshList;
  useEffect(() => void refreshLabs(), [labFiles, refreshLabs]);
  // The lab shown last: the Labs command returns to it.
  useEffect(() => { if (tabs.active && isLabPath(tabs.active)) try { localStorage.setItem(LAST_LAB_KEY, tabs.active); } catch { /* no storage */ } }, [tabs.active]);

  /** The Labs view: the active lab, else the last one shown, else the first lab of the workspace. */
  const openLabs = async () => {
    if (tabs.active && isLabPath(tabs.active)) return;
    let last: string | null = null;
    try { last = localStorage.getItem(LAST_LAB_KEY); } catch { /* no storage */ }
    const list = labs.list.length ? labs.list : await api.labs.list().catch(() => []);
    const target = (last && list.some((l) => l.path === last) ? last : undefined) ?? list.find((l) => l.valid)?.path ?? list[0]?.path;
    if (!target) return log.info('No labs in labs/ — a lab is a JSON file there (docs/labs.md); new workspaces get every built-in lab (figure5, table2, tlb-reach, …)');
    tabs.open(target);
  };
  /** Runs a lab, saving its tab first when it has unsaved edits. */
  const startLab = async (path: string) => {
    const t = tabs.tabs.find((x) => x.path === path);
    if (t && isDirty(t) && !(await saveTab(path))) return;
    await labs.start(path);
  };
  /** Opens the run record of a lab's point (written from the cache when runs/ lacks it). */
  const openPoint = async (lab: string, pointId: string) => {
    try {
      tabs.open(await api.labs.record(lab, pointId));
    } catch (e) {
      log.error(`No run record for ${pointId} of ${lab}: ${messageAbout(lab, e)}`);
    }
  };

  /** Runs an experiment file, saving its tab first when it has unsaved edits; `showConsole` brings its console up. */
  const startRun = async (path: string, showConsole = false) => {
    const t = tabs.tabs.find((x) => x.path === path);
    if (t && isDirty(t) && !(await saveTab(path))) return undefined;
    const id = await runs.start(path);
    if (id) {
      setConsoleRun(id);
      if (showConsole) { setResultsView('console'); setLayout({ resultsHidden: false }); }
    }
    return id;
  };

  /** Asks how to treat an experiment file that exists with other content. */
  const askReplace = (path: string) =>
    new Promise<'overwrite' | 'existing' | 'cancel'>((resolve) =>
      setDialog({
        title: `${path} exists`,
        message: <>It differs from what the Run dialog would write now (it was edited, or other settings were chosen). Replace it, or run it as it is?</>,
        confirmLabel: 'Replace and run',
        danger: true,
        choices: [{ label: 'Run it as it is', value: 'existing' }],
        onConfirm: (v) => resolve(v === 'existing' ? 'existing' : 'overwrite'),
        onCancel: () => resolve('cancel'),
      }),
    );

  /** Writes the Run dialog's experiment(s) for a program and runs them (then compares both). */
  const runProgram = async (o: RunOptions, choice: RunChoice) => {
    const t = tabs.tabs.find((x) => x.path === o.program);
    if (t && isDirty(t) && !(await saveTab(o.program))) return;
    const kinds = choice === 'compare' ? (['guest-native', 'guest-disco'] as const) : [o.kind];
    const paths: string[] = [];
    for (const kind of kinds) {
      const path = runExperimentPath({ kind, program: o.program });
      const text = JSON.stringify(runExperiment({ ...o, kind }), null, 2) + '\n';
      try {
        const existing = await api.workspace.read(path).then((f) => f.content, (e) => (isApiError(e) && e.code === 'E_NOT_FOUND' ? undefined : Promise.reject(e)));
        if (existing === undefined) {
          await api.workspace.create(path, 'file', text);
          log.info(`Wrote ${path}`);
        } else if (existing !== text) {
          const a = await askReplace(path);
          if (a === 'cancel') return;
          if (a === 'overwrite') { await api.workspace.write(path, text); log.info(`Replaced ${path}`); }
        }
      } catch (e) {
        log.error(`Could not write ${path}: ${messageAbout(path, e)}`);
        return;
      }
      paths.push(path);
    }
    if (choice === 'compare') return runAndCompare(paths);
    void ws.refresh();
    for (const p of paths) await startRun(p, true);
  };

  /** Runs experiments together; Compare opens when every one has its record (the Examples' service pair). */
  const runAndCompare = async (paths: string[]) => {
    void ws.refresh();
    const ids: string[] = [];
    for (const p of paths) {
      const id = await startRun(p, true);
      if (id) ids.push(id);
    }
    if (ids.length === paths.length && ids.length > 1) pendingCompare.current.push({ ids, paths: {} });
  };

  /** Opens the Debug view on an experiment, saving its tab first when it has unsaved edits. */
  const openDebug = async (path: string | undefined) => {
    if (!path || !isExperimentPath(path)) return log.info('Debug (Ctrl+Alt+D) opens an experiment in the debugger: open one first (Examples → tlb-miss-walkthrough is a start)');
    const t = tabs.tabs.find((x) => x.path === path);
    if (t && isDirty(t) && !(await saveTab(path))) return;
    setCompare(undefined);
    setDebugExp(path);
  };

  /** F5 / Run: a program opens the Run dialog, an experiment runs as it is. */
  const runActive = () => {
    const p = tabs.active;
    if (!p) return log.info('F5 runs the active file: open a program (.s) or an experiment first');
    if (isAsmFile(p)) return setRunDialog(p);
    if (isExperimentPath(p)) return void startRun(p);
    log.info(`F5 runs programs (.s) and experiments; ${p} is neither`);
  };

  if (ws.info) setDraftScope(ws.info.root);
  // Reopen the last session's tabs once the workspace is known.
  const restoredFor = useRef<string>(undefined);
  useEffect(() => {
    if (!ws.info || restoredFor.current === ws.info.root) return;
    restoredFor.current = ws.info.root;
    tabs.restore();
  }, [ws.info, tabs]);
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

  const folderOfActive = () => (tabs.active?.includes('/') ? tabs.active.slice(0, tabs.active.lastIndexOf('/')) : 'programs');
  const run = (c: AppCommand) => {
    switch (c) {
      case 'file.save': void saveTab(tabs.active); break;
      case 'file.new': setNewFile({ folder: folderOfActive() }); break;
      case 'run.start': if (debugExp) debugControls.current?.act('continue'); else runActive(); break;
      case 'run.debug': void openDebug(tabs.active); break;
      case 'view.toggleTheme': toggleTheme(); break;
      case 'view.focusFiles': treeRef.current?.focus(); break;
      case 'view.focusEditor': editorRef.current?.focus(); break;
      case 'view.focusConfig': configRef.current?.focus(); break;
      case 'view.focusResults': setLayout({ resultsHidden: false }); resultsRef.current?.focus(); break;
      case 'view.toggleResults': setLayout({ resultsHidden: !layout.resultsHidden }); break;
      case 'view.labs': void openLabs(); break;
      case 'help.examples': setExamples(true); break;
      case 'help.shortcuts': setHelp((h) => !h); break;
    }
  };
  const runRef = useRef(run);
  runRef.current = run;
  const modalOpen = Boolean(dialog || newFile || runDialog || examples || help);
  const modalRef = useRef(modalOpen);
  modalRef.current = modalOpen;

  // Menu commands (Electron) or keyboard shortcuts (browser mode) — one source per host.
  useEffect(() => api.onCommand((c) => (APP_COMMANDS as readonly string[]).includes(c) && !modalRef.current && runRef.current(c)), []);
  useEffect(() => {
    if (hasNativeMenu) return;
    const onKey = (e: KeyboardEvent) => {
      const c = commandForKey(e);
      if (!c) return;
      e.preventDefault(); // also keeps F5 from reloading the page
      if (modalRef.current && c !== 'help.shortcuts') return;
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
  const attempt = async (what: string, f: () => Promise<unknown>, about?: string): Promise<boolean> => {
    try {
      await f();
      log.info(what);
      await ws.refresh();
      return true;
    } catch (e) {
      log.error(`${what} failed: ${about ? messageAbout(about, e) : describeError(e)}`);
      return false;
    }
  };

  const createFile = (path: string, text: string) =>
    void attempt(`Created ${path}`, () => api.workspace.create(path, 'file', text), path).then((ok) => ok && tabs.open(path));
  /** Welcome page: programs are created at once (a free name), other templates ask. */
  const quickNew = (t: TemplateId) => {
    if (t === 'guest-program' || t === 'bare-program') {
      const path = uniqueName('programs', t === 'guest-program' ? 'untitled.s' : 'bare.s', filePaths);
      const stem = programName(path);
      return createFile(path, t === 'guest-program' ? guestProgramText(stem) : bareProgramText(stem));
    }
    setNewFile({ folder: t.startsWith('experiment') ? 'experiments' : 'programs', template: t });
  };
  const onNew = (kind: 'file' | 'dir', folder: string) =>
    kind === 'file'
      ? setNewFile({ folder })
      : setDialog({
        title: 'New folder',
        message: `In ${folder ? folder + '/' : 'the workspace root'}`,
        value: 'new-folder',
        confirmLabel: 'Create',
        onConfirm: (name) => {
          const path = join(folder, name);
          void attempt(`Created ${path}`, () => api.workspace.create(path, 'dir'), path);
        },
      });
  const onDuplicate = (n: FileNode) => {
    const to = duplicateName(n.path, filePaths);
    setDialog({
      title: `Duplicate ${n.name}`,
      message: 'Name of the copy (a path relative to the workspace):',
      value: to,
      confirmLabel: 'Duplicate',
      onConfirm: (target) =>
        void attempt(`Duplicated ${n.path} → ${target}`, async () => {
          const open = tabs.tabs.find((t) => t.path === n.path);
          const text = open ? open.text : (await api.workspace.read(n.path)).content;
          await api.workspace.create(target, 'file', text);
        }, target).then((ok) => ok && tabs.open(target)),
    });
  };
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
        }, n.path);
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
        }, n.path),
    });
  const closeTab = (path: string) => {
    const t = tabs.tabs.find((x) => x.path === path);
    if (!t || !isDirty(t) || t.deletedOnDisk) return tabs.close(path);
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
  const running = runs.live.filter((l) => l.state === 'running' || l.state === 'stopping');
  const runningLabs = Object.values(labs.live).filter(isLabLive);
  const results = layout.resultsHidden ? 0 : layout.results;

  return (
    <div
      className={`app${layout.resultsHidden ? ' results-hidden' : ''}`}
      style={{
        gridTemplateColumns: `${layout.files}px 5px minmax(0, 1fr) 5px ${layout.config}px`,
        gridTemplateRows: `36px minmax(0, 1fr) ${layout.resultsHidden ? '0px 0px' : `5px ${results}px`} 24px`,
      }}
    >
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
        <button type="button" onClick={() => setExamples(true)} title="The shipped workloads (Ctrl+Alt+E)">Examples</button>
        <button type="button" onClick={() => void openLabs()} aria-pressed={Boolean(tabs.active && isLabPath(tabs.active))} title="Labs: the paper's figures reproduced, with shape checks (Ctrl+Alt+P)">Labs</button>
        <button type="button" onClick={() => runActive()} disabled={!activeTab || !(isAsmFile(activeTab.path) || isExperimentPath(activeTab.path))} title="Run the active program or experiment (F5)">▶ Run</button>
        <button type="button" onClick={() => void openDebug(tabs.active)} disabled={!activeTab || !isExperimentPath(activeTab.path)} aria-pressed={Boolean(debugExp)} title="Debug the active experiment: breakpoints, stepping, registers, TLBs, the TLB-miss path (Ctrl+Alt+D)">Debug</button>
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
          onDuplicate={onDuplicate}
          onRename={onRename}
          onDelete={onDelete}
          onRefresh={() => void ws.refresh()}
        />
        {ws.truncated && <p className="muted small">Listing truncated: too many files.</p>}
      </nav>
      <Splitter orientation="vertical" label="Resize the file tree" className="split-files" value={layout.files} min={LAYOUT_LIMITS.files[0]} max={LAYOUT_LIMITS.files[1]} defaultValue={DEFAULT_LAYOUT.files} direction={1} onChange={(v) => setLayout({ files: v })} />

      <main className="panel center" aria-label="Editor">
        {compare && <CompareView paths={compare} records={runs.records} onClose={() => setCompare(undefined)} onOpen={(p) => { setCompare(undefined); tabs.open(p); }} />}
        {debugExp && !compare && <DebugView key={debugExp} experiment={debugExp} controls={debugControls} onClose={() => { setDebugExp(undefined); debugControls.current = null; }} onError={log.error} />}
        <div className="center-inner" hidden={Boolean(compare || debugExp)}>
        <EditorArea
          ref={editorRef}
          tabs={tabs.tabs}
          theme={theme}
          viewFor={(path) => (isRunRecordPath(path) ? 'Results' : isLabPath(path) ? 'Lab' : /^(machines|experiments)\/[^/]+\.json$/.test(path) ? 'Form' : undefined)}
          renderView={(path, text, onEdit) =>
            path.startsWith('runs/') ? <RunView path={path} text={text} records={runs.records} />
              : path.startsWith('labs/') ? (() => {
                const t = tabs.tabs.find((x) => x.path === path);
                return <LabView key={path} path={path} saved={t?.saved ?? text} dirty={Boolean(t && isDirty(t))} labs={labs.list} live={labs.live[path]} onRun={(p) => void startLab(p)} onStop={(id) => void labs.stop(id)} onOpen={tabs.open} onOpenPoint={(l, id) => void openPoint(l, id)} />;
              })()
              : path.startsWith('machines/') ? <MachineForm path={path} text={text} onEdit={onEdit} onValidity={onValidity} />
              : <ExperimentForm path={path} text={text} files={files} onEdit={onEdit} onValidity={onValidity} />
          }
          active={tabs.active}
          onSelect={tabs.setActive}
          onClose={closeTab}
          onEdit={tabs.edit}
          onSave={(p) => void saveTab(p)}
          onReload={(p) => void tabs.load(p)}
          onKeep={tabs.keep}
          onNewFile={quickNew}
          onExamples={() => setExamples(true)}
        />
        </div>
      </main>
      <Splitter orientation="vertical" label="Resize the configuration panel" className="split-config" value={layout.config} min={LAYOUT_LIMITS.config[0]} max={LAYOUT_LIMITS.config[1]} defaultValue={DEFAULT_LAYOUT.config} direction={-1} onChange={(v) => setLayout({ config: v })} />

      <aside className="panel config-panel" aria-label="Configuration" tabIndex={-1} ref={configRef}>
        <h2 className="panel-title">Configuration</h2>
        <ConfigPanel tab={activeTab} workspace={ws.info} runs={runs.live} records={runs.records} files={files.map((f) => f.path)} onStartRun={(p) => void startRun(p)} onStopRun={(id) => void runs.stop(id)} onRunProgram={(p) => setRunDialog(p)} onOpen={tabs.open} onDebug={(p) => void openDebug(p)} />
      </aside>

      {!layout.resultsHidden && (
        <Splitter orientation="horizontal" label="Resize the results panel" className="split-results" value={layout.results} min={LAYOUT_LIMITS.results[0]} max={LAYOUT_LIMITS.results[1]} defaultValue={DEFAULT_LAYOUT.results} direction={-1} onChange={(v) => setLayout({ results: v })} />
      )}
      <section className="panel results" aria-label="Results" tabIndex={-1} ref={resultsRef} hidden={layout.resultsHidden}>
        <ResultsPanel
          view={resultsView}
          onView={setResultsView}
          log={entries}
          runs={runs.records}
          live={runs.live}
          onOpen={tabs.open}
          onClear={log.clear}
          onCompare={setCompare}
          onStop={(id) => void runs.stop(id)}
          consoleRun={consoleRun}
          onConsoleRun={setConsoleRun}
        />
      </section>

      <footer className="statusbar" role="status">
        <span>{ws.app ? (ws.app.host === 'electron' ? 'Desktop' : 'Browser mode') : 'Starting…'}</span>
        {!connected && <span className="error-text">Disconnected from the web host — reconnecting…</span>}
        {running.length > 0 && (
          <button type="button" className="link-button status-runs" onClick={() => { setLayout({ resultsHidden: false }); setResultsView('runs'); }}>
            ● {running.length} run{running.length === 1 ? '' : 's'} running
          </button>
        )}
        {runningLabs.map((l) => (
          <button key={l.labRunId} type="button" className="link-button status-runs" onClick={() => tabs.open(l.path)} title={`Open ${l.path}`}>
            ● lab {l.name} {l.progress ? `${l.progress.done}/${l.progress.total}` : '…'}
          </button>
        ))}
        <span className="mono">{ws.info?.root}</span>
        <span className="spacer" />
        {layout.resultsHidden && <button type="button" className="link-button" onClick={() => setLayout({ resultsHidden: false })}>Show results (Ctrl+J)</button>}
        {activeTab && <span>{activeTab.deletedOnDisk ? 'Deleted on disk' : isDirty(activeTab) ? 'Modified' : 'Saved'}</span>}
        <span>{theme === 'dark' ? 'Dark' : 'Light'}</span>
      </footer>

      {dialog && <Dialog request={dialog} onClose={() => setDialog(undefined)} />}
      {newFile && <NewFileDialog folder={newFile.folder} initial={newFile.template} taken={filePaths} onCreate={createFile} onClose={() => setNewFile(undefined)} />}
      {runDialog && (
        <RunDialog
          program={runDialog}
          text={tabs.tabs.find((t) => t.path === runDialog)?.text ?? ''}
          guest={guest}
          onRun={(o, c) => void runProgram(o, c)}
          onClose={() => setRunDialog(undefined)}
        />
      )}
      {examples && <ExamplesDialog onOpen={tabs.open} onDebug={(p) => { tabs.open(p); setCompare(undefined); setDebugExp(p); }} onRunCompare={(ps) => void runAndCompare(ps)} onError={log.error} onClose={() => setExamples(false)} />}
      {help && <HelpOverlay app={ws.app} onClose={() => setHelp(false)} />}
    </div>
  );
}
