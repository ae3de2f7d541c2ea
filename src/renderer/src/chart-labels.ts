/**
 * X-axis labels of the bar charts (pure, unit-tested): wrapped to the width of their bar's band so
 * they never overlap, at most MAX_LABEL_LINES lines, the last cut with an ellipsis (the full text
 * is the label's tooltip).
 */
export const MAX_LABEL_LINES = 3;
/** Line height of a tick label [px]. */
export const LINE_PX = 14;

/** `label` broken into lines of at most `max` characters (at `-`, `_`, ` `, `·`, `/` when possible), at most MAX_LABEL_LINES. */
export function wrapLabel(label: string, max: number): string[] {
  const width = Math.max(3, Math.floor(max));
  const lines: string[] = [];
  let rest = label;
  while (rest.length > width && lines.length < MAX_LABEL_LINES - 1) {
    const cut = Math.max(...['-', '_', ' ', '·', '/'].map((c) => rest.lastIndexOf(c, width)));
    const at = cut >= Math.floor(width / 3) ? cut + 1 : width;
    lines.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  lines.push(rest.length > width ? rest.slice(0, width - 1) + '…' : rest);
  return lines;
}
