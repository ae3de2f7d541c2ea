/**
 * The workspace file tree (left panel): a WAI-ARIA tree with a roving tab stop.
 * Keys: ↑/↓ move, → expand / first child, ← collapse / parent, Home/End, Enter opens a file or
 * toggles a folder, F2 renames, Delete deletes. The toolbar creates files and folders in the
 * selected folder (or the folder of the selected file).
 */
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { FileNode } from '../../../shared/api';

export interface FileTreeHandle {
  focus(): void;
}

interface Props {
  root: FileNode | undefined;
  activePath?: string;
  dirtyPaths: Set<string>;
  onOpen(path: string): void;
  onNew(kind: 'file' | 'dir', folder: string): void;
  onRename(node: FileNode): void;
  onDelete(node: FileNode): void;
  onRefresh(): void;
}

interface Row {
  node: FileNode;
  depth: number;
  parent?: string;
}

const parentOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

export const FileTree = forwardRef<FileTreeHandle, Props>(function FileTree(props, ref) {
  const { root, activePath, dirtyPaths } = props;
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(['programs', 'machines', 'experiments', 'runs']));
  const [selected, setSelected] = useState<string>();
  const treeRef = useRef<HTMLUListElement>(null);

  const rows = useMemo(() => {
    const out: Row[] = [];
    const walk = (n: FileNode, depth: number, parent?: string) => {
      out.push({ node: n, depth, parent });
      if (n.kind === 'dir' && expanded.has(n.path)) for (const c of n.children ?? []) walk(c, depth + 1, n.path);
    };
    for (const c of root?.children ?? []) walk(c, 1);
    return out;
  }, [root, expanded]);

  // Follow the active tab: reveal and select it.
  useEffect(() => {
    if (!activePath) return;
    setSelected(activePath);
    setExpanded((ex) => {
      const next = new Set(ex);
      for (let p = parentOf(activePath); p; p = parentOf(p)) next.add(p);
      return next.size === ex.size ? ex : next;
    });
  }, [activePath]);

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

  const activate = (n: FileNode) => (n.kind === 'dir' ? toggle(n.path) : props.onOpen(n.path));
  const targetFolder = () => (!current ? '' : current.node.kind === 'dir' ? current.node.path : parentOf(current.node.path));

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
        if (n.kind === 'dir') { if (!expanded.has(n.path)) toggle(n.path, true); else go(rows[i + 1]?.parent === n.path ? rows[i + 1] : undefined); }
        break;
      case 'ArrowLeft':
        if (n.kind === 'dir' && expanded.has(n.path)) toggle(n.path, false);
        else focusRow(current.parent);
        break;
      case 'Enter':
      case ' ': activate(n); break;
      case 'F2': props.onRename(n); break;
      case 'Delete': props.onDelete(n); break;
      default: return;
    }
    e.preventDefault();
  };

  return (
    <>
      <div className="panel-toolbar" role="toolbar" aria-label="File actions">
        <button type="button" className="icon-button" title="New file" aria-label="New file" onClick={() => props.onNew('file', targetFolder())}>+</button>
        <button type="button" className="icon-button" title="New folder" aria-label="New folder" onClick={() => props.onNew('dir', targetFolder())}>⊞</button>
        <button type="button" className="icon-button" title="Rename (F2)" aria-label="Rename" disabled={!current} onClick={() => current && props.onRename(current.node)}>✎</button>
        <button type="button" className="icon-button" title="Delete (Del)" aria-label="Delete" disabled={!current} onClick={() => current && props.onDelete(current.node)}>✕</button>
        <button type="button" className="icon-button" title="Refresh" aria-label="Refresh" onClick={props.onRefresh}>⟳</button>
      </div>
      <ul className="tree" role="tree" aria-label="Workspace files" ref={treeRef} onKeyDown={onKeyDown}>
        {rows.map((r) => {
          const n = r.node;
          const isSel = n.path === current?.node.path;
          return (
            <li
              key={n.path}
              role="treeitem"
              data-path={n.path}
              aria-level={r.depth}
              aria-expanded={n.kind === 'dir' ? expanded.has(n.path) : undefined}
              aria-selected={isSel}
              tabIndex={isSel ? 0 : -1}
              className={`tree-item${isSel ? ' selected' : ''}${n.path === activePath ? ' active' : ''}`}
              style={{ paddingLeft: `${(r.depth - 1) * 14 + 8}px` }}
              onClick={() => { setSelected(n.path); activate(n); }}
              title={n.path}
            >
              <span className="tree-twisty" aria-hidden="true">{n.kind === 'dir' ? (expanded.has(n.path) ? '▾' : '▸') : ''}</span>
              <span className={`tree-icon ${n.kind}`} aria-hidden="true">{n.kind === 'dir' ? '' : fileIcon(n.name)}</span>
              <span className="tree-name">{n.name}</span>
              {dirtyPaths.has(n.path) && <span className="dirty-dot" aria-label="unsaved changes">●</span>}
            </li>
          );
        })}
        {root && rows.length === 0 && <li className="empty">This workspace is empty.</li>}
      </ul>
    </>
  );
});

function fileIcon(name: string): string {
  if (name.endsWith('.s') || name.endsWith('.S')) return 'S';
  if (name.endsWith('.json')) return '{}';
  if (name.endsWith('.md')) return 'M';
  return '•';
}
