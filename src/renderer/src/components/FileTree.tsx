/**
 * The workspace file tree (left panel): a WAI-ARIA tree with a roving tab stop.
 * Keys: ↑/↓ move, → expand / first child, ← collapse / parent, Home/End, Enter opens a file or
 * toggles a folder or group, F2 renames, Delete deletes. The toolbar creates files (from a
 * template) and folders in the selected folder, duplicates, renames, deletes and refreshes.
 *
 * Names are shown in full (they wrap; the tooltip has the path). The experiments folder is
 * grouped by workload, native / Disco and variant (tree-groups.ts); groups are virtual rows.
 */
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { FileNode } from '../../../shared/api';
import { groupExperiments, groupsContaining, type TreeNode } from '../tree-groups';

export interface FileTreeHandle {
  focus(): void;
}

interface Props {
  root: FileNode | undefined;
  activePath?: string;
  dirtyPaths: Set<string>;
  onOpen(path: string): void;
  onNew(kind: 'file' | 'dir', folder: string): void;
  onDuplicate(node: FileNode): void;
  onRename(node: FileNode): void;
  onDelete(node: FileNode): void;
  onRefresh(): void;
}

interface Row {
  node: TreeNode;
  depth: number;
  parent?: string;
}

const parentOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
/** The real folder a row stands in: a group's folder is the one it groups. */
const realFolder = (p: string) => p.split('/#')[0];

/** The children shown under a folder: grouped for an experiments folder. */
function childrenOf(n: FileNode): TreeNode[] {
  const kids = n.children ?? [];
  return /(^|\/)experiments$/.test(n.path) ? groupExperiments(n.path, kids) : kids;
}

export const FileTree = forwardRef<FileTreeHandle, Props>(function FileTree(props, ref) {
  const { root, activePath, dirtyPaths } = props;
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(['programs', 'machines', 'experiments', 'runs']));
  const [selected, setSelected] = useState<string>();
  const treeRef = useRef<HTMLUListElement>(null);

  const rows = useMemo(() => {
    const out: Row[] = [];
    const walk = (n: TreeNode, depth: number, parent?: string) => {
      out.push({ node: n, depth, parent });
      if (n.kind === 'file' || !expanded.has(n.path)) return;
      for (const c of n.kind === 'group' ? n.children : childrenOf(n)) walk(c, depth + 1, n.path);
    };
    for (const c of root?.children ?? []) walk(c, 1);
    return out;
  }, [root, expanded]);

  // Follow the active tab: reveal (folders and groups) and select it.
  useEffect(() => {
    if (!activePath || !root) return;
    setSelected(activePath);
    setExpanded((ex) => {
      const next = new Set(ex);
      for (let p = parentOf(activePath); p; p = parentOf(p)) next.add(p);
      const folder = findDir(root, parentOf(activePath));
      if (folder) for (const g of groupsContaining(childrenOf(folder), activePath) ?? []) next.add(g);
      return next.size === ex.size ? ex : next;
    });
  }, [activePath, root]);

  const current = rows.find((r) => r.node.path === selected) ?? rows[0];
  const focusRow = (path: string | undefined) => {
    if (!path) return;
    setSelected(path);
    requestAnimationFrame(() => treeRef.current?.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`)?.focus());
  };
  useImperativeHandle(ref, () => ({ focus: () => focusRow(current?.node.path) }), [current]);

  const toggle = (path: string, open?: boolean) =>
    setExpanded((ex) => {
      const next = new Set(ex);
      if (open ?? !next.has(path)) next.add(path);
      else next.delete(path);
      return next;
    });

  const activate = (n: TreeNode) => (n.kind === 'file' ? props.onOpen(n.path) : toggle(n.path));
  const targetFolder = () => (!current ? '' : current.node.kind === 'dir' ? current.node.path : realFolder(current.node.kind === 'group' ? current.node.path : parentOf(current.node.path)));
  const asFile = (n: TreeNode | undefined): FileNode | undefined => (n && n.kind !== 'group' ? n : undefined);
  const cur = asFile(current?.node);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!current) return;
    const i = rows.indexOf(current);
    const n = current.node;
    const go = (r: Row | undefined) => r && focusRow(r.node.path);
    switch (e.key) {
      case 'ArrowDown': go(rows[i + 1]); break;
      case 'ArrowUp': go(rows[i - 1]); break;
      case 'Home': go(rows[0]); break;
      case 'End': go(rows[rows.length - 1]); break;
      case 'ArrowRight':
        if (n.kind !== 'file') { if (!expanded.has(n.path)) toggle(n.path, true); else go(rows[i + 1]?.parent === n.path ? rows[i + 1] : undefined); }
        break;
      case 'ArrowLeft':
        if (n.kind !== 'file' && expanded.has(n.path)) toggle(n.path, false);
        else focusRow(current.parent);
        break;
      case 'Enter':
      case ' ': activate(n); break;
      case 'F2': if (cur) props.onRename(cur); break;
      case 'Delete': if (cur) props.onDelete(cur); break;
      default: return;
    }
    e.preventDefault();
  };

  return (
    <>
      <div className="panel-toolbar" role="toolbar" aria-label="File actions">
        <button type="button" className="icon-button" title="New file from a template (Ctrl+Alt+N)" aria-label="New file" onClick={() => props.onNew('file', targetFolder())}>+</button>
        <button type="button" className="icon-button" title="New folder" aria-label="New folder" onClick={() => props.onNew('dir', targetFolder())}>⊞</button>
        <button type="button" className="icon-button" title="Duplicate" aria-label="Duplicate" disabled={cur?.kind !== 'file'} onClick={() => cur && props.onDuplicate(cur)}><DuplicateIcon /></button>
        <button type="button" className="icon-button" title="Rename (F2)" aria-label="Rename" disabled={!cur} onClick={() => cur && props.onRename(cur)}>✎</button>
        <button type="button" className="icon-button" title="Delete (Del)" aria-label="Delete" disabled={!cur} onClick={() => cur && props.onDelete(cur)}>✕</button>
        <button type="button" className="icon-button" title="Refresh" aria-label="Refresh" onClick={props.onRefresh}>⟳</button>
      </div>
      <ul className="tree" role="tree" aria-label="Workspace files" ref={treeRef} onKeyDown={onKeyDown}>
        {rows.map((r) => {
          const n = r.node;
          const isSel = n.path === current?.node.path;
          const open = n.kind !== 'file' && expanded.has(n.path);
          const group = n.kind === 'group';
          return (
            <li
              key={n.path}
              role="treeitem"
              data-path={n.path}
              data-kind={n.kind}
              aria-level={r.depth}
              aria-expanded={n.kind !== 'file' ? open : undefined}
              aria-selected={isSel}
              aria-label={group ? `${n.name} (${n.count} experiments)` : undefined}
              tabIndex={isSel ? 0 : -1}
              className={`tree-item${group ? ' group' : ''}${isSel ? ' selected' : ''}${n.path === activePath ? ' active' : ''}`}
              style={{ paddingLeft: `${(r.depth - 1) * 12 + 6}px` }}
              onClick={() => { setSelected(n.path); activate(n); }}
              onFocus={() => setSelected(n.path)}
              title={group ? `${n.count} experiments` : n.path}
            >
              <span className="tree-twisty" aria-hidden="true">{n.kind !== 'file' ? (open ? '▾' : '▸') : ''}</span>
              <span className={`tree-icon ${n.kind}`} aria-hidden="true">{n.kind === 'file' ? fileIcon(n.name) : ''}</span>
              <span className="tree-name">{n.name}</span>
              {group && <span className="tree-count" aria-hidden="true">{n.count}</span>}
              {dirtyPaths.has(n.path) && <span className="dirty-dot" aria-label="unsaved changes">●</span>}
            </li>
          );
        })}
        {root && rows.length === 0 && <li className="empty">This workspace is empty.</li>}
      </ul>
    </>
  );
});

function DuplicateIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" style={{ display: 'block' }}>
      <rect x="1.5" y="1.5" width="8" height="8" rx="1" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <rect x="4.5" y="4.5" width="8" height="8" rx="1" fill="var(--panel)" stroke="currentColor" strokeWidth="1.3" />
    </svg>
  );
}

function findDir(root: FileNode, path: string): FileNode | undefined {
  if (root.path === path) return root;
  for (const c of root.children ?? []) if (c.kind === 'dir' && (path === c.path || path.startsWith(c.path + '/'))) return findDir(c, path);
  return undefined;
}

function fileIcon(name: string): string {
  if (name.endsWith('.s') || name.endsWith('.S')) return 'S';
  if (name.endsWith('.json')) return '{}';
  if (name.endsWith('.md')) return 'M';
  return '•';
}
