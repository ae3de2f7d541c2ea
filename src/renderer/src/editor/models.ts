/**
 * Monaco text models of open files, one per path (undo history survives tab switches), with
 * their view states, for the MIPS editor and the text/JSON editor alike. Model URIs are
 * `workspace:/<path>` — the JSON schemas are matched against them (schemas.ts).
 */
import { monaco } from './monaco';

const models = new Map<string, monaco.editor.ITextModel>();
const viewStates = new Map<string, monaco.editor.ICodeEditorViewState | null>();

/** The language of a file by its name. */
export function languageOf(path: string): string {
  if (/\.(s|S|asm)$/.test(path)) return 'mips';
  if (/\.json$/i.test(path)) return 'json';
  if (/\.md$/i.test(path)) return 'markdown';
  return 'plaintext';
}

export function modelUri(path: string): monaco.Uri {
  return monaco.Uri.from({ scheme: 'workspace', path: '/' + path });
}

export function modelFor(path: string, text: string): monaco.editor.ITextModel {
  let m = models.get(path);
  if (!m || m.isDisposed()) {
    m = monaco.editor.createModel(text, languageOf(path), modelUri(path));
    models.set(path, m);
  }
  return m;
}

export function existingModel(path: string): monaco.editor.ITextModel | undefined {
  const m = models.get(path);
  return m && !m.isDisposed() ? m : undefined;
}

export const viewState = {
  get: (path: string) => viewStates.get(path),
  set: (path: string, s: monaco.editor.ICodeEditorViewState | null) => viewStates.set(path, s),
};

/** Forget a closed file's model. */
export function disposeModel(path: string): void {
  models.get(path)?.dispose();
  models.delete(path);
  viewStates.delete(path);
}

/**
 * Editor options shared by every editor of the workbench (a fresh object per editor).
 * `padding.bottom` keeps the last line clear of the horizontal scrollbar (with
 * `scrollBeyondLastLine: false` the bar otherwise covers it when a line is wider than the
 * editor). The scrollbars keep Monaco's default sizes: setting `scrollbar` sizes here made a
 * theme switch leave the MIPS text untokenized (Monaco 0.57, seen in e2e/editor.spec.ts).
 */
export const editorOptions = (): monaco.editor.IStandaloneEditorConstructionOptions => ({
  automaticLayout: true,
  minimap: { enabled: false },
  fontSize: 13,
  lineHeight: 18,
  lineNumbersMinChars: 4,
  scrollBeyondLastLine: false,
  padding: { top: 4, bottom: 16 },
  renderWhitespace: 'none',
  fixedOverflowWidgets: true,
});

/**
 * Switches the theme and makes sure the visible lines are tokenized again. A theme switch
 * changes the token colour map, and Monaco then drops every model's tokens and re-tokenizes the
 * visible lines and, in idle time, the rest; seen in e2e (headless Chromium, Monaco 0.57), the
 * visible lines sometimes stayed untokenized (all text in the default colour). Tokenizing up to
 * the last visible line (plus a margin) right after the switch removes the race; the internal
 * `tokenization.forceTokenization` is used when present.
 */
export function setThemeAndRetokenize(theme: string, ed: monaco.editor.IStandaloneCodeEditor | null): void {
  monaco.editor.setTheme(theme);
  const model = ed?.getModel();
  if (!ed || !model) return;
  const force = () => {
    if (model.isDisposed()) return;
    const last = Math.max(1, ...ed.getVisibleRanges().map((r) => r.endLineNumber));
    (model as unknown as { tokenization?: { forceTokenization?(line: number): void } }).tokenization?.forceTokenization?.(Math.min(model.getLineCount(), last + 50));
  };
  force();
  requestAnimationFrame(force);
}
