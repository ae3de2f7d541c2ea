/**
 * Payload types of the API contract (see ./contract.ts). Plain data only: every value here is
 * JSON- and structured-clone-safe, because it crosses IPC (Electron) or a WebSocket (browser mode).
 * Paths are always workspace-relative, `/`-separated, without a leading `/` (the root is `''`).
 */

/** Which process hosts the service: the Electron main process or the Node web host. */
export type HostKind = 'electron' | 'web';

/** `app.info()`: what is running, for Help → About and the status bar. */
export interface AppInfo {
  name: string;
  /** package.json version of Disco Lab. */
  version: string;
  host: HostKind;
  /** Runtime versions; `electron` and `chrome` are absent in browser mode (the browser is the user's). */
  versions: { app: string; node: string; v8: string; electron?: string; chrome?: string };
  platform: string;
  /** Absolute path of the open workspace folder. */
  workspace: string;
  /** What this host can do beyond the common API. */
  capabilities: {
    /** `workspace.open()` shows a native folder dialog (Electron only). */
    openWorkspace: boolean;
  };
}

/** `workspace.info()`. */
export interface WorkspaceInfo {
  /** Absolute path of the workspace folder (after resolving symlinks). */
  root: string;
  /** The folder's base name, for titles. */
  name: string;
  /** The conventional sub-folders and whether each exists. */
  folders: Record<WorkspaceFolder, boolean>;
}

/** The conventional sub-folders of a workspace. */
export const WORKSPACE_FOLDERS = ['programs', 'machines', 'experiments', 'runs'] as const;
export type WorkspaceFolder = (typeof WORKSPACE_FOLDERS)[number];

export type EntryKind = 'file' | 'dir';

/** One node of `workspace.list()`; folders carry `children` sorted folders-first, then by name. */
export interface FileNode {
  name: string;
  path: string;
  kind: EntryKind;
  /** Bytes (files only). */
  size?: number;
  mtimeMs: number;
  children?: FileNode[];
}

/** `workspace.list()`: the tree plus whether the entry limit cut it short. */
export interface FileTree {
  root: FileNode;
  truncated: boolean;
}

/** Metadata after a write or create. */
export interface FileStat {
  path: string;
  kind: EntryKind;
  size: number;
  mtimeMs: number;
}

/** `workspace.read()`: a text file decoded as UTF-8. */
export interface FileContent extends FileStat {
  content: string;
}

/**
 * `onWorkspaceChanged`: something changed on disk (debounced). `paths` are the changed entries
 * (deduplicated; may include deleted ones). `reset` means "another workspace was opened, reload
 * everything"; then `paths` is empty.
 */
export interface WorkspaceChange {
  root: string;
  paths: string[];
  reset: boolean;
}

/**
 * `onCommand`: an application-menu action the renderer carries out (Electron's menu consumes the
 * key accelerators, so e.g. Ctrl+S arrives here instead of as a keydown).
 */
export const APP_COMMANDS = [
  'file.save',
  'file.new',
  'run.start',
  'run.debug',
  'view.toggleTheme',
  'view.focusFiles',
  'view.focusEditor',
  'view.focusConfig',
  'view.focusResults',
  'view.toggleResults',
  'view.labs',
  'help.examples',
  'help.shortcuts',
] as const;
export type AppCommand = (typeof APP_COMMANDS)[number];
