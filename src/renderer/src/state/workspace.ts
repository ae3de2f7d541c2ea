/** The open workspace as the UI sees it: info, file tree, kept fresh by `onWorkspaceChanged`. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppInfo, FileNode, WorkspaceChange, WorkspaceInfo } from '../../../shared/api';
import { api } from '../api';
import { describeError, type Log } from './log';

export function useWorkspace(log: Log, onChange: (c: WorkspaceChange) => void) {
  const [app, setApp] = useState<AppInfo>();
  const [info, setInfo] = useState<WorkspaceInfo>();
  const [tree, setTree] = useState<FileNode>();
  const [truncated, setTruncated] = useState(false);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const logRef = useRef(log);
  logRef.current = log;

  const refresh = useCallback(async () => {
    try {
      const [a, i, t] = await Promise.all([api.app.info(), api.workspace.info(), api.workspace.list()]);
      setApp(a);
      setInfo(i);
      setTree(t.root);
      setTruncated(t.truncated);
    } catch (e) {
      logRef.current.error(`Could not read the workspace: ${describeError(e)}`);
    }
  }, []);

  useEffect(() => {
    void refresh();
    return api.onWorkspaceChanged((c) => {
      void refresh();
      onChangeRef.current(c);
    });
  }, [refresh]);

  return { app, info, tree, truncated, refresh };
}

/** Depth-first list of every file path in a tree. */
export function allFiles(node: FileNode | undefined, out: FileNode[] = []): FileNode[] {
  if (!node) return out;
  if (node.kind === 'file') out.push(node);
  for (const c of node.children ?? []) allFiles(c, out);
  return out;
}
