/**
 * The Monaco editor for `.s` files. One model per open file (undo history survives tab
 * switches); edits flow up through `onEdit`; the assembler checks the text through the API
 * (`asm.assemble`, debounced) and its diagnostics become markers; Ctrl/Cmd+S saves.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { AsmCheck } from '../../../shared/api';
import { api } from '../api';
import { monaco } from '../editor/monaco';
import { editorOptions, existingModel, setThemeAndRetokenize, modelFor, viewState } from '../editor/models';

export interface CodeEditorHandle {
  focus(): void;
}

interface Props {
  path: string;
  text: string;
  theme: 'light' | 'dark';
  onEdit(text: string): void;
  onSave(): void;
}

/** Delay between the last keystroke and the assembler check [ms]. */
export const CHECK_DELAY_MS = 350;

export { disposeModel } from '../editor/models';

type Status = { kind: 'checking' } | { kind: 'done'; check: AsmCheck } | { kind: 'failed'; message: string };

export const CodeEditor = forwardRef<CodeEditorHandle, Props>(function CodeEditor({ path, text, theme, onEdit, onSave }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor>(null);
  const cb = useRef({ onEdit, onSave });
  cb.current = { onEdit, onSave };
  const [status, setStatus] = useState<Status>({ kind: 'checking' });
  /** Texts this editor reported through onEdit that the `text` prop has not caught up with. */
  const emitted = useRef(new Set<string>());

  useImperativeHandle(ref, () => ({ focus: () => editor.current?.focus() }));

  // The editor instance, once per mounted file.
  useEffect(() => {
    const model = modelFor(path, text);
    if (model.getValue() !== text) model.setValue(text);
    const ed = monaco.editor.create(host.current!, {
      ...editorOptions(),
      model,
      theme: theme === 'dark' ? 'disco-dark' : 'disco-light',
      tabSize: 8,
      insertSpaces: true,
      ariaLabel: `Contents of ${path}`,
    });
    editor.current = ed;
    const vs = viewState.get(path);
    if (vs) ed.restoreViewState(vs);
    ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => cb.current.onSave());
    const sub = model.onDidChangeContent(() => {
      const v = model.getValue();
      emitted.current.add(v);
      cb.current.onEdit(v);
    });

    // Live diagnostics: the real assembler through the API, latest answer wins.
    let timer: ReturnType<typeof setTimeout> | undefined;
    let seq = 0;
    const check = () => {
      const my = ++seq;
      const version = model.getVersionId();
      setStatus({ kind: 'checking' });
      api.asm.assemble({ path, text: model.getValue() }).then(
        (r) => {
          if (my !== seq || model.isDisposed() || model.getVersionId() !== version) return;
          const markers = r.diagnostics
            .filter((d) => d.file === path)
            .map((d) => ({
              severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
              message: d.message,
              startLineNumber: d.line,
              startColumn: d.col,
              endLineNumber: d.line,
              endColumn: Math.max(d.endCol, d.col + 1),
              source: 'assembler',
            }));
          // Problems in included files are shown on line 1 of this file.
          for (const d of r.diagnostics.filter((x) => x.file !== path && x.severity === 'error')) {
            markers.push({ severity: monaco.MarkerSeverity.Error, message: `${d.file}:${d.line}:${d.col}: ${d.message}`, startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 2, source: 'assembler' });
          }
          monaco.editor.setModelMarkers(model, 'asm', markers);
          setStatus({ kind: 'done', check: r });
        },
        (e: { message?: string }) => my === seq && setStatus({ kind: 'failed', message: e?.message ?? String(e) }),
      );
    };
    const sub2 = model.onDidChangeContent(() => {
      clearTimeout(timer);
      timer = setTimeout(check, CHECK_DELAY_MS);
    });
    check();
    return () => {
      clearTimeout(timer);
      seq++;
      sub.dispose();
      sub2.dispose();
      if (!model.isDisposed()) viewState.set(path, ed.saveViewState());
      ed.dispose();
      editor.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one editor per file; text syncs below
  }, [path]);

  // Text changed from outside (reload from disk, restored draft): update the model in place.
  useEffect(() => {
    const m = existingModel(path);
    if (!m) return;
    // Our own edits echo back through the tab state, possibly a few keystrokes late: not external.
    if (emitted.current.has(text)) {
      if (m.getValue() === text) emitted.current.clear();
      return;
    }
    emitted.current.clear();
    if (m.getValue() !== text) m.pushEditOperations([], [{ range: m.getFullModelRange(), text }], () => null);
  }, [path, text]);

  useEffect(() => setThemeAndRetokenize(theme === 'dark' ? 'disco-dark' : 'disco-light', editor.current), [theme]);

  const errors = status.kind === 'done' ? status.check.diagnostics.filter((d) => d.severity === 'error').length : 0;
  const warnings = status.kind === 'done' ? status.check.diagnostics.filter((d) => d.severity === 'warning').length : 0;
  const first = status.kind === 'done' ? status.check.diagnostics[0] : undefined;
  return (
    <div className="code-editor-wrap">
      <div className="code-editor" data-testid="code-editor" ref={host} />
      <div className="asm-status" data-testid="asm-status" role="status" aria-live="polite">
        {status.kind === 'checking' && <span className="muted">Assembling…</span>}
        {status.kind === 'failed' && <span className="error-text">Could not check: {status.message}</span>}
        {status.kind === 'done' && (status.check.ok && !warnings ? (
          <span className="ok-text">✓ Assembles: {status.check.bytes} bytes, {status.check.symbols.length} symbols</span>
        ) : (
          <>
            <span className={errors ? 'error-text' : 'warn-text'}>
              {errors} error{errors === 1 ? '' : 's'}, {warnings} warning{warnings === 1 ? '' : 's'}
            </span>
            {first && (
              <button type="button" className="link-button" onClick={() => { editor.current?.revealLineInCenter(first.line); editor.current?.setPosition({ lineNumber: first.line, column: first.col }); editor.current?.focus(); }}>
                line {first.line}: {first.message}
              </button>
            )}
          </>
        ))}
        <span className="spacer" />
        <span className="muted small">F12 definition · Shift+F12 references · Ctrl+Space complete</span>
      </div>
    </div>
  );
});
