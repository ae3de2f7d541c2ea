/**
 * The Disco Lab service: the implementation of the API contract (src/shared/api/contract.ts)
 * shared by both hosts. Host-specific parts (runtime versions, the native folder dialog) come in
 * through {@link HostHooks}. Arguments arrive already validated by `bindService`; paths are
 * confined by the workspace.
 *
 * To add a method: declare it in the contract, then add it here — the compiler lists what is
 * missing.
 */
import { fail, type AppInfo, type DiscoEmit, type DiscoService, type HostKind } from '../../shared/api';
import { prepareWorkspace } from '../workspace/location';
import type { WorkspaceManager } from './manager';
import { MAX_ACTIVE_RUNS, RunManager } from '../run/manager';
import { LabManager } from '../labs/manager';
import { createLabPart } from './lab';
import { DebugManager } from '../debug/manager';
import { createDebugPart } from './debug';

export interface HostHooks {
  host: HostKind;
  /** Disco Lab's version (package.json; Electron: app.getVersion()). */
  version: string;
  /** Runtime versions beyond Node's (Electron: electron, chrome). */
  versions?: Partial<AppInfo['versions']>;
  /**
   * Native folder picker (Electron). Resolves with the chosen absolute folder or undefined when
   * cancelled. Absent in browser mode: the renderer must never choose arbitrary host folders.
   */
  pickFolder?: (opts: { create: boolean }) => Promise<string | undefined>;
  /** Called after another workspace was opened (Electron remembers it). */
  onWorkspaceOpened?: (dir: string) => void;
  /**
   * Publishes an event to every client of this host (IPC windows or WebSocket connections).
   * Methods that stream (e.g. a future `runs.start` → `onRunProgress`) use it.
   */
  emit?: DiscoEmit;
  /** Where examples come from when a new workspace is created. */
  examplesDir?: string;
  /** The run worker bundle (default: out/run/worker.js next to the host's bundle). */
  runWorker?: string;
  /** The debug worker bundle (default: out/run/debug-worker.js next to the host's bundle). */
  debugWorker?: string;
}

export function createLabService(manager: WorkspaceManager, hooks: HostHooks): DiscoService {
  const ws = () => manager.current;
  const runs = new RunManager({ workspace: ws, emit: hooks.emit, workerPath: hooks.runWorker });
  // One run budget per host: experiment runs and lab points share MAX_ACTIVE_RUNS slots.
  const labs: LabManager = new LabManager({
    workspace: ws, emit: hooks.emit, worker: hooks.runWorker, maxJobs: MAX_ACTIVE_RUNS,
    freeSlots: () => MAX_ACTIVE_RUNS - runs.busy - labs.slots,
  });
  const debug = new DebugManager({ workspace: ws, emit: hooks.emit, workerPath: hooks.debugWorker });
  return {
    ...createLabPart(ws, runs, hooks.examplesDir, labs),
    ...createDebugPart(debug),
    app: {
      info: (): AppInfo => ({
        name: 'Disco Lab',
        version: hooks.version,
        host: hooks.host,
        versions: { app: hooks.version, node: process.versions.node, v8: process.versions.v8, ...hooks.versions },
        platform: process.platform,
        workspace: ws().root,
        capabilities: { openWorkspace: Boolean(hooks.pickFolder) },
      }),
    },
    workspace: {
      info: () => ws().info(),
      list: (path) => ws().list(path ?? ''),
      read: (path) => ws().read(path),
      write: (path, content) => ws().write(path, content),
      create: (path, kind, content) => ws().create(path, kind, content),
      rename: (from, to) => ws().rename(from, to),
      delete: (path, opts) => ws().delete(path, opts ?? {}),
      open: async (opts) => {
        if (!hooks.pickFolder) throw fail('E_UNSUPPORTED', 'in browser mode the workspace is chosen with --workspace when the web host starts');
        const create = Boolean(opts?.create);
        const dir = await hooks.pickFolder({ create });
        if (!dir) throw fail('E_CANCELLED', 'no folder chosen');
        if (create) await prepareWorkspace(dir, hooks.examplesDir);
        const next = manager.open(dir);
        hooks.onWorkspaceOpened?.(next.root);
        return next.info();
      },
    },
  };
}
