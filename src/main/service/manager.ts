/**
 * Holds the open workspace and its file watcher. Opening another workspace swaps both and
 * tells clients to reload (`onWorkspaceChanged` with `reset: true`). Each workspace opened is
 * swept, in the background, for temp files that killed writes left behind (../workspace/stale.ts).
 */
import type { DiscoEmit } from '../../shared/api';
import { Workspace } from '../workspace/workspace';
import { watchWorkspace, type WatchHandle } from '../workspace/watcher';
import { cleanStaleTempFiles } from '../workspace/stale';

export class WorkspaceManager {
  private ws: Workspace;
  private watcher: WatchHandle | undefined;
  /** The background sweep of stale temp files of the current workspace: the paths removed. */
  sweep: Promise<string[]> = Promise.resolve([]);

  /** `dir` must exist (see prepareWorkspace). `emit` publishes events to every client. */
  constructor(dir: string, private readonly emit: DiscoEmit, private readonly watch = true) {
    this.ws = new Workspace(dir);
    this.startWatching();
    this.sweepStale();
  }

  get current(): Workspace {
    return this.ws;
  }

  /** Switches to another (existing) workspace folder. */
  open(dir: string): Workspace {
    const next = new Workspace(dir);
    this.watcher?.close();
    this.ws = next;
    this.startWatching();
    this.sweepStale();
    this.emit('onWorkspaceChanged', { root: next.root, paths: [], reset: true });
    return next;
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  private sweepStale(): void {
    this.sweep = cleanStaleTempFiles(this.ws.root).catch(() => []);
  }

  private startWatching(): void {
    if (!this.watch) return;
    const root = this.ws.root;
    try {
      this.watcher = watchWorkspace(root, (paths) => this.emit('onWorkspaceChanged', { root, paths, reset: false }));
    } catch {
      this.watcher = undefined; // no watcher (e.g. inotify limit): the UI still refreshes after its own writes
    }
  }
}
