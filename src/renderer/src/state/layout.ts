/**
 * Panel sizes of the workbench (files, configuration, results), resizable with the splitters and
 * remembered in localStorage. The defaults leave the editor as tall as possible at 1280×800
 * (about 29 lines; Ctrl+J hides the results panel for about 38).
 */
import { useCallback, useEffect, useState } from 'react';

export interface Layout {
  /** Width of the file tree [px]. */
  files: number;
  /** Width of the configuration panel [px]. */
  config: number;
  /** Height of the results panel [px]. */
  results: number;
  /** The results panel is hidden (Ctrl+J). */
  resultsHidden: boolean;
}

export const DEFAULT_LAYOUT: Layout = { files: 240, config: 280, results: 170, resultsHidden: false };
/** Allowed ranges [px]. */
export const LAYOUT_LIMITS = { files: [150, 520], config: [200, 560], results: [80, 640] } as const;
const KEY = 'disco-lab.layout';

export function clampLayout(l: Partial<Layout>): Layout {
  const out = { ...DEFAULT_LAYOUT };
  for (const k of ['files', 'config', 'results'] as const) {
    const v = l[k];
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = Math.round(Math.min(LAYOUT_LIMITS[k][1], Math.max(LAYOUT_LIMITS[k][0], v)));
  }
  out.resultsHidden = l.resultsHidden === true;
  return out;
}

function load(): Layout {
  try {
    return clampLayout(JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Layout>);
  } catch {
    return DEFAULT_LAYOUT;
  }
}

export function useLayout() {
  const [layout, setLayout] = useState<Layout>(load);
  useEffect(() => {
    try { localStorage.setItem(KEY, JSON.stringify(layout)); } catch { /* storage unavailable */ }
  }, [layout]);
  const set = useCallback((p: Partial<Layout>) => setLayout((l) => clampLayout({ ...l, ...p })), []);
  return { layout, set };
}
