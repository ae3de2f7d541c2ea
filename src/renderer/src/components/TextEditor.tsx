/**
 * The Monaco editor for every file that is not MIPS assembly: JSON (machines, experiments, run
 * records — validated, completed and hovered from the published schemas, editor/schemas.ts),
 * Markdown and plain text. Line numbers, so "line 4 column 20" in a message can be found; the
 * strip below lists the problems (click: go to the first). Ctrl/Cmd+S saves.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { monaco } from '../editor/monaco';
import { editorOptions, existingModel, setThemeAndRetokenize, languageOf, modelFor, viewState } from '../editor/models';
import { loadSchemas, noteSchemaReference } from '../editor/schemas';

export interface TextEditorHandle {
  focus(): void;
}

interface Props {
  path: string;
  text: string;
  theme: 'light' | 'dark';
  onEdit(text: string): void;
  onSave(): void;
}

const SCHEMA_OF: Record<string, string> = { machines: 'machine config', experiments: 'experiment', runs: 'run record' };

export const TextEditor = forwardRef<TextEditorHandle, Props>(function TextEditor({ path, text, theme, onEdit, onSave }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor>(null);
  const cb = useRef({ onEdit, onSave });
  cb.current = { onEdit, onSave };
  const emitted = useRef(new Set<string>());
  const [markers, setMarkers] = useState<monaco.editor.IMarker[]>([]);
  const json = languageOf(path) === 'json';
  useImperativeHandle(ref, () => ({ focus: () => editor.current?.focus() }));

  useEffect(() => {
    const model = modelFor(path, text);
    if (model.getValue() !== text) model.setValue(text);
    if (json) { void loadSchemas(); noteSchemaReference(model.uri.toString(), text); }
    const ed = monaco.editor.create(host.current!, {
      ...editorOptions(),
      model,
      theme: theme === 'dark' ? 'disco-dark' : 'disco-light',
      tabSize: 2,
      insertSpaces: true,
      wordWrap: languageOf(path) === 'markdown' ? 'on' : 'off',
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
      if (json) noteSchemaReference(model.uri.toString(), v);
    });
    const read = () => setMarkers(monaco.editor.getModelMarkers({ resource: model.uri }));
    const sub2 = monaco.editor.onDidChangeMarkers((uris) => { if (uris.some((u) => u.toString() === model.uri.toString())) read(); });
    read();
    return () => {
      sub.dispose();
      sub2.dispose();
      if (!model.isDisposed()) viewState.set(path, ed.saveViewState());
      ed.dispose();
      editor.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one editor per file; text syncs below
  }, [path]);

  // Text changed from outside (reload from disk, a form edit, a restored draft).
  useEffect(() => {
    const m = existingModel(path);
    if (!m) return;
    if (emitted.current.has(text)) {
      if (m.getValue() === text) emitted.current.clear();
      return;
    }
    emitted.current.clear();
    if (m.getValue() !== text) m.pushEditOperations([], [{ range: m.getFullModelRange(), text }], () => null);
  }, [path, text]);

  useEffect(() => setThemeAndRetokenize(theme === 'dark' ? 'disco-dark' : 'disco-light', editor.current), [theme]);

  const errors = markers.filter((m) => m.severity === monaco.MarkerSeverity.Error);
  const warnings = markers.filter((m) => m.severity === monaco.MarkerSeverity.Warning);
  const first = errors[0] ?? warnings[0];
  const schema = SCHEMA_OF[path.split('/')[0]];
  return (
    <div className="code-editor-wrap">
      <div className="code-editor" data-testid="text-editor" data-language={languageOf(path)} ref={host} />
      {json && (
        <div className="asm-status" data-testid="json-status" role="status" aria-live="polite">
          {first ? (
            <>
              <span className={errors.length ? 'error-text' : 'warn-text'}>{errors.length} error{errors.length === 1 ? '' : 's'}, {warnings.length} warning{warnings.length === 1 ? '' : 's'}</span>
              <button type="button" className="link-button" onClick={() => { editor.current?.revealLineInCenter(first.startLineNumber); editor.current?.setPosition({ lineNumber: first.startLineNumber, column: first.startColumn }); editor.current?.focus(); }}>
                line {first.startLineNumber} column {first.startColumn}: {first.message}
              </button>
            </>
          ) : (
            <span className="ok-text">✓ JSON{schema ? `, checked against the ${schema} schema` : ''}</span>
          )}
          <span className="spacer" />
          <span className="muted small">Ctrl+Space complete · hover for field help</span>
        </div>
      )}
    </div>
  );
});
