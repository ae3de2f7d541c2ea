/**
 * The centre: tabs of open files and the view of the active one — the Monaco MIPS editor for
 * `.s` files, forms for machines and experiments, the results view for run records, and the
 * Monaco text editor (JSON with the published schemas) for every file's Source. Tab strip with
 * dirty markers (●), the changed-on-disk and deleted-on-disk banners, the welcome page.
 */
import { forwardRef, useImperativeHandle, useRef, useState, type ReactNode } from 'react';
import { isDirty, type Tab } from '../state/tabs';
import type { TemplateId } from '../templates';
import { CodeEditor, type CodeEditorHandle } from './CodeEditor';
import { TextEditor, type TextEditorHandle } from './TextEditor';

/** Files shown in the Monaco MIPS editor. */
export const isAsmFile = (path: string) => /\.(s|S|asm)$/.test(path);

export interface EditorHandle {
  focus(): void;
}

interface Props {
  tabs: Tab[];
  theme: 'light' | 'dark';
  /**
   * A richer view of some files (run records → results, machines → form); the text stays
   * available as "Source". `label` names the view's toggle button.
   */
  viewFor?(path: string): string | undefined;
  renderView?(path: string, text: string, onEdit: (text: string) => void): ReactNode;
  active?: string;
  onSelect(path: string): void;
  onClose(path: string): void;
  onEdit(path: string, text: string): void;
  onSave(path: string): void;
  onReload(path: string): void;
  /** Keep a tab whose file was deleted on disk (Ctrl+S then recreates it). */
  onKeep(path: string): void;
  /** Welcome page actions. */
  onNewFile(template: TemplateId): void;
  onExamples(): void;
}

export const EditorArea = forwardRef<EditorHandle, Props>(function EditorArea(props, ref) {
  const { tabs, active } = props;
  const tab = tabs.find((t) => t.path === active);
  const textEd = useRef<TextEditorHandle>(null);
  const code = useRef<CodeEditorHandle>(null);
  const strip = useRef<HTMLDivElement>(null);
  const [sourceOf, setSourceOf] = useState<Record<string, boolean>>({});
  useImperativeHandle(ref, () => ({
    focus: () => {
      if (code.current) return code.current.focus();
      if (textEd.current) return textEd.current.focus();
      (strip.current?.querySelector<HTMLElement>('[aria-selected="true"]') ?? strip.current)?.focus();
    },
  }));
  const viewLabel = tab && props.renderView ? props.viewFor?.(tab.path) : undefined;
  const showView = Boolean(tab && viewLabel && !sourceOf[tab.path]);

  const onTabKey = (e: React.KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.path === active);
    const go = (j: number) => {
      const t = tabs[(j + tabs.length) % tabs.length];
      if (t) {
        props.onSelect(t.path);
        requestAnimationFrame(() => strip.current?.querySelector<HTMLElement>(`[data-path="${CSS.escape(t.path)}"]`)?.focus());
      }
    };
    if (e.key === 'ArrowRight') go(i + 1);
    else if (e.key === 'ArrowLeft') go(i - 1);
    else if (e.key === 'Delete' && active) props.onClose(active);
    else return;
    e.preventDefault();
  };

  return (
    <>
      <div className="tab-strip" role="tablist" aria-label="Open files" ref={strip} onKeyDown={onTabKey}>
        {tabs.map((t) => {
          const sel = t.path === active;
          const name = t.path.split('/').pop();
          return (
            <div
              key={t.path}
              role="tab"
              data-path={t.path}
              aria-selected={sel}
              aria-controls="editor-tabpanel"
              tabIndex={sel ? 0 : -1}
              className={`tab${sel ? ' selected' : ''}`}
              title={t.path}
              onClick={() => props.onSelect(t.path)}
              onAuxClick={(e) => e.button === 1 && props.onClose(t.path)}
            >
              <span className="tab-name">{name}</span>
              {isDirty(t) ? (
                <span className="tab-dirty" aria-label="unsaved changes" title="Unsaved changes">●</span>
              ) : null}
              <button
                type="button"
                className="tab-close"
                tabIndex={-1}
                aria-label={`Close ${name}`}
                title="Close"
                onClick={(e) => { e.stopPropagation(); props.onClose(t.path); }}
              >
                ×
              </button>
            </div>
          );
        })}
      </div>
      <div className="editor-body" id="editor-tabpanel" role="tabpanel" aria-label={tab ? `Editor: ${tab.path}` : 'Editor'}>
        {!tab && <Welcome onNewFile={props.onNewFile} onExamples={props.onExamples} />}
        {tab?.loading && <div className="placeholder">Loading {tab.path}…</div>}
        {tab?.error && <div className="placeholder error-text">{tab.error}</div>}
        {tab && tab.deletedOnDisk && (
          <div className="banner warn" role="alert" data-testid="deleted-banner">
            {tab.path} was deleted on disk (outside Disco Lab).
            <button type="button" onClick={() => props.onKeep(tab.path)}>Keep editing (Ctrl+S recreates it)</button>
            <button type="button" onClick={() => props.onClose(tab.path)}>Close the tab</button>
          </div>
        )}
        {tab && tab.changedOnDisk && !tab.deletedOnDisk && (
          <div className="banner" role="alert">
            {tab.path} changed on disk.
            <button type="button" onClick={() => props.onReload(tab.path)}>Reload from disk</button>
            <button type="button" onClick={() => props.onSave(tab.path)}>Keep mine and save</button>
          </div>
        )}
        {tab && !tab.loading && !tab.error && viewLabel && (
          <div className="view-switch">
            <button type="button" className={!sourceOf[tab.path] ? 'selected' : ''} aria-pressed={!sourceOf[tab.path]} onClick={() => setSourceOf((s) => ({ ...s, [tab.path]: false }))}>{viewLabel}</button>
            <button type="button" className={sourceOf[tab.path] ? 'selected' : ''} aria-pressed={Boolean(sourceOf[tab.path])} onClick={() => setSourceOf((s) => ({ ...s, [tab.path]: true }))}>Source</button>
          </div>
        )}
        {tab && !tab.loading && !tab.error && showView && props.renderView!(tab.path, tab.text, (t) => props.onEdit(tab.path, t))}
        {tab && !tab.loading && !tab.error && isAsmFile(tab.path) && (
          <CodeEditor key={tab.path} ref={code} path={tab.path} text={tab.text} theme={props.theme} onEdit={(t) => props.onEdit(tab.path, t)} onSave={() => props.onSave(tab.path)} />
        )}
        {tab && !tab.loading && !tab.error && !isAsmFile(tab.path) && !showView && (
          <TextEditor key={tab.path} ref={textEd} path={tab.path} text={tab.text} theme={props.theme} onEdit={(t) => props.onEdit(tab.path, t)} onSave={() => props.onSave(tab.path)} />
        )}
      </div>
    </>
  );
});

function Welcome({ onNewFile, onExamples }: { onNewFile(t: TemplateId): void; onExamples(): void }) {
  return (
    <div className="welcome" data-testid="welcome">
      <h1>Disco Lab</h1>
      <p>Write a guest program, run it natively and under Disco, compare where the time goes.</p>
      <div className="welcome-actions">
        <button type="button" className="primary" onClick={() => onNewFile('guest-program')}>New guest program</button>
        <button type="button" onClick={() => onNewFile('bare-program')}>New bare-metal program</button>
        <button type="button" onClick={() => onNewFile('experiment-disco')}>New experiment</button>
        <button type="button" onClick={onExamples}>Examples…</button>
      </div>
      <ol className="welcome-steps">
        <li><b>New guest program</b> creates <code>programs/untitled.s</code> from a template (Linux o32 <code>write</code>/<code>exit</code>).</li>
        <li><kbd>F5</kbd> asks how to run it: bare metal, on the guest OS natively, under Disco in several VMs — or both, then compare.</li>
        <li>The output appears in <b>Console</b>; each run's record opens as results, normalised to the matching native run.</li>
      </ol>
      <ul>
        <li><b>programs/</b> — guest programs in MIPS assembly (<code>.s</code>)</li>
        <li><b>machines/</b> — machine configurations: nodes, CPUs, memory, latencies (<code>.json</code>)</li>
        <li><b>experiments/</b> — what to run: native or under Disco, which VMs (<code>.json</code>)</li>
        <li><b>runs/</b> — run records: time buckets, monitor costs, counters (<code>.json</code>)</li>
      </ul>
      <p className="muted">Press <kbd>Ctrl</kbd>+<kbd>/</kbd> for keyboard shortcuts.</p>
    </div>
  );
}
