/**
 * The centre: tabs of open files and the editor of the active one. Until the editor issue
 * lands this is a plain monospace textarea; the tab strip, dirty markers (●), the
 * changed-on-disk banner and saving are the real thing.
 */
import { forwardRef, useImperativeHandle, useRef } from 'react';
import { isDirty, type Tab } from '../state/tabs';

export interface EditorHandle {
  focus(): void;
}

interface Props {
  tabs: Tab[];
  active?: string;
  onSelect(path: string): void;
  onClose(path: string): void;
  onEdit(path: string, text: string): void;
  onSave(path: string): void;
  onReload(path: string): void;
}

export const EditorArea = forwardRef<EditorHandle, Props>(function EditorArea(props, ref) {
  const { tabs, active } = props;
  const tab = tabs.find((t) => t.path === active);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const strip = useRef<HTMLDivElement>(null);
  useImperativeHandle(ref, () => ({
    focus: () => (textarea.current ?? strip.current?.querySelector<HTMLElement>('[aria-selected="true"]') ?? strip.current)?.focus(),
  }));

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
        {!tab && <Welcome />}
        {tab?.loading && <div className="placeholder">Loading {tab.path}…</div>}
        {tab?.error && <div className="placeholder error-text">{tab.error}</div>}
        {tab && tab.changedOnDisk && (
          <div className="banner" role="alert">
            {tab.path} changed on disk.
            <button type="button" onClick={() => props.onReload(tab.path)}>Reload from disk</button>
            <button type="button" onClick={() => props.onSave(tab.path)}>Keep mine and save</button>
          </div>
        )}
        {tab && !tab.loading && !tab.error && (
          <textarea
            key={tab.path}
            ref={textarea}
            className="editor"
            data-testid="editor"
            aria-label={`Contents of ${tab.path}`}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            wrap="off"
            value={tab.text}
            onChange={(e) => props.onEdit(tab.path, e.target.value)}
          />
        )}
      </div>
    </>
  );
});

function Welcome() {
  return (
    <div className="welcome">
      <h1>Disco Lab</h1>
      <p>Open a file from the workspace on the left.</p>
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
