/**
 * Groups of the file tree (pure, unit-tested): the experiments of a folder grouped by workload,
 * then native / Disco, with the variants of a configuration (`-hal`, `-nol2`, …) together —
 * from file names of the form `<workload>-<native|disco>[-<N>cpu[-<V>vm]][-<variant>].json`,
 * which the shipped experiments and the Run dialog's (`<program>-<native|disco|bare>.json`) use.
 * Other files stay where they are; a mode with a single file gets no group of its own. Groups are
 * virtual: they exist only in the view.
 */
import type { FileNode } from '../../shared/api';

export interface GroupNode {
  kind: 'group';
  /** A path no file can have (`experiments/#pmake/#disco`). */
  path: string;
  name: string;
  /** Files inside, counted recursively. */
  count: number;
  children: TreeNode[];
}
export type TreeNode = FileNode | GroupNode;

/** The parts of an experiment file name, or undefined when it does not follow the pattern. */
export function parseExperimentName(name: string): { workload: string; mode: 'native' | 'disco' | 'bare'; config: string; variant: string } | undefined {
  const m = /^(.+?)-(native|disco|bare)(?:-(\d+cpu(?:-\d+vm)?))?(?:-(.+))?\.json$/.exec(name);
  if (!m) return undefined;
  return { workload: m[1], mode: m[2] as 'native' | 'disco' | 'bare', config: m[3] ?? '', variant: m[4] ?? '' };
}

const MODE_LABEL = { native: 'native', disco: 'Disco', bare: 'bare metal' } as const;

/**
 * The children of an experiments folder, grouped. A workload with a single file is not grouped
 * (nothing to gather); groups come first, by name, then the other files.
 */
export function groupExperiments(folder: string, children: readonly FileNode[]): TreeNode[] {
  const byWorkload = new Map<string, { file: FileNode; p: NonNullable<ReturnType<typeof parseExperimentName>> }[]>();
  const rest: TreeNode[] = [];
  for (const c of children) {
    const p = c.kind === 'file' ? parseExperimentName(c.name) : undefined;
    if (!p) { rest.push(c); continue; }
    byWorkload.set(p.workload, [...(byWorkload.get(p.workload) ?? []), { file: c, p }]);
  }
  const groups: GroupNode[] = [];
  for (const [workload, items] of [...byWorkload].sort(([a], [b]) => a.localeCompare(b))) {
    if (items.length < 2) { rest.push(items[0].file); continue; }
    const wPath = `${folder}/#${workload}`;
    const modes: TreeNode[] = [];
    for (const mode of ['native', 'disco', 'bare'] as const) {
      const inMode = items.filter((i) => i.p.mode === mode);
      if (!inMode.length) continue;
      if (inMode.length === 1) { modes.push(inMode[0].file); continue; } // one file: no group of its own
      const mPath = `${wPath}/#${mode}`;
      const plain = inMode.filter((i) => !i.p.variant).map((i) => i.file);
      const variants = inMode.filter((i) => i.p.variant);
      const kids: TreeNode[] = [...plain];
      if (variants.length) {
        const names = [...new Set(variants.map((v) => v.p.variant))].sort();
        kids.push({ kind: 'group', path: `${mPath}/#variants`, name: `variants: ${names.join(', ')}`, count: variants.length, children: variants.map((v) => v.file) });
      }
      modes.push({ kind: 'group', path: mPath, name: MODE_LABEL[mode], count: inMode.length, children: kids });
    }
    // One mode only: no mode level.
    const children2 = modes.length === 1 && modes[0].kind === 'group' ? modes[0].children : modes;
    groups.push({ kind: 'group', path: wPath, name: workload, count: items.length, children: children2 });
  }
  rest.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
  const dirs = rest.filter((r) => r.kind === 'dir');
  return [...dirs, ...groups, ...rest.filter((r) => r.kind !== 'dir')];
}

/** The virtual groups (paths) that contain `path`, outermost first, in `nodes`. */
export function groupsContaining(nodes: readonly TreeNode[], path: string, trail: string[] = []): string[] | undefined {
  for (const n of nodes) {
    if (n.path === path) return trail;
    if (n.kind === 'group') {
      const r = groupsContaining(n.children, path, [...trail, n.path]);
      if (r) return r;
    }
  }
  return undefined;
}
