/**
 * The Disco Lab API, declared once.
 *
 * The renderer (untrusted) talks to its host (Electron main, or the Node web host in browser
 * mode) only through this contract. Each **method** is `namespace.name` with
 *   - `args`:  a zod tuple schema of its positional arguments — the host validates every call
 *              against it before the implementation runs (bad input → `E_INVALID_INPUT`);
 *   - result:  a TypeScript type (phantom; the host is trusted to return it);
 *   - `doc`:   one line for humans and docs/architecture.md.
 * Each **event** is named `onSomething` and carries one payload type; hosts push, clients listen.
 *
 * Everything else is generic and derived from this object:
 *   - `bindService` (./server.ts) turns a service implementation into `dispatch(method, args)`,
 *     which the Electron main process binds to `ipcMain.handle('disco:<method>')` and the web
 *     host to WebSocket messages;
 *   - `createClient` (./client.ts) builds `api.workspace.read(path)` style proxies over a
 *     transport: the preload's IPC bridge (exposed as `window.api`) or the WebSocket client.
 *
 * Adding a method: add an entry below, then implement it in the service (src/main/service).
 * The type checker then forces every host to implement it; clients get it automatically.
 */
import { z } from 'zod';
import type { AppCommand, AppInfo, FileContent, FileStat, FileTree, WorkspaceChange, WorkspaceInfo } from './types';
import type { ActiveRun, AsmCheck, ExampleInfo, MachineParamInfo, MachinePreset, RunFinished, RunProgress, RunRecord, RunStarted, RunSummary, ValidationReport } from '../lab/types';

/** Channel prefix for IPC: methods are `disco:<ns>.<name>`, events `disco:event:<onName>`. */
export const CHANNEL_PREFIX = 'disco:';
export const EVENT_PREFIX = 'disco:event:';

/** Largest file `workspace.write`/`create` accept and `workspace.read` returns, in bytes (UTF-8). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** Longest accepted workspace-relative path, in characters. */
export const MAX_PATH_CHARS = 1024;

/** A method: argument schema (a zod tuple), phantom result type, doc line. */
export interface MethodSpec<A extends z.ZodTuple = z.ZodTuple, R = unknown> {
  readonly args: A;
  readonly doc: string;
  /** Phantom: never set at runtime, carries the result type for `ResultOf`. */
  readonly __result: R;
}

/** An event: phantom payload type and a doc line. */
export interface EventSpec<P = unknown> {
  readonly doc: string;
  readonly __payload: P;
}

/** Declares a method returning `R`: `method<FileContent>()(z.tuple([RelPath]), 'Reads a file.')`. */
export function method<R>() {
  return <A extends z.ZodTuple>(args: A, doc: string): MethodSpec<A, R> => ({ args, doc }) as MethodSpec<A, R>;
}

/** Declares an event with payload `P`. */
export function event<P>(doc: string): EventSpec<P> {
  return { doc } as EventSpec<P>;
}

/**
 * A workspace-relative path as sent by the renderer. Only its shape is checked here; the
 * workspace service confines it (rejects `..`, absolute paths, NUL, escaping symlinks).
 */
export const RelPath = z.string().min(1, 'path is empty').max(MAX_PATH_CHARS);
/** Like RelPath but `''` (the workspace root) is allowed. */
export const RelPathOrRoot = z.string().max(MAX_PATH_CHARS);
/** File content as text; the byte limit (MAX_FILE_BYTES) is enforced by the service. */
export const FileText = z.string().max(MAX_FILE_BYTES);

/** A run id as returned by `runs.start`. */
export const RunId = z.string().regex(/^run-[0-9]+$/, 'not a run id');
/** Any JSON value of bounded size (configs to validate); the validators check the shape. */
export const JsonValue = z.unknown().refine((v) => {
  try { return JSON.stringify(v ?? null).length <= MAX_FILE_BYTES; } catch { return false; }
}, 'not JSON or too large');

export const CONTRACT = {
  methods: {
    app: {
      info: method<AppInfo>()(z.tuple([]), 'Versions of Disco Lab and its runtime, the host kind, the open workspace.'),
    },
    workspace: {
      info: method<WorkspaceInfo>()(z.tuple([]), 'The open workspace: absolute root, name, which conventional folders exist.'),
      list: method<FileTree>()(
        z.tuple([RelPathOrRoot.optional()]),
        'The file tree under a folder (default: the whole workspace), folders first; hides dot-files and escaping symlinks.',
      ),
      read: method<FileContent>()(z.tuple([RelPath]), 'Reads a text file (UTF-8). E_NOT_FOUND, E_NOT_FILE, E_TOO_LARGE.'),
      write: method<FileStat>()(
        z.tuple([RelPath, FileText]),
        'Replaces (or creates) a file atomically: temp file in the same folder, fsync, rename. Creates missing parent folders.',
      ),
      create: method<FileStat>()(
        z.tuple([RelPath, z.enum(['file', 'dir']), FileText.optional()]),
        'Creates a new file (optional initial content) or folder; E_EXISTS if the path exists.',
      ),
      rename: method<FileStat>()(z.tuple([RelPath, RelPath]), 'Renames/moves an entry inside the workspace; E_EXISTS if the target exists.'),
      delete: method<void>()(
        z.tuple([RelPath, z.object({ recursive: z.boolean().optional() }).strict().optional()]),
        'Deletes a file, or a folder (non-empty ones only with {recursive: true}). A symlink is removed, not its target.',
      ),
      open: method<WorkspaceInfo>()(
        z.tuple([z.object({ create: z.boolean().optional() }).strict().optional()]),
        'Electron only: lets the user pick (or, with {create: true}, create) a workspace folder in a native dialog. E_CANCELLED, E_UNSUPPORTED.',
      ),
    },
    asm: {
      assemble: method<AsmCheck>()(
        z.tuple([z.object({ path: RelPath, text: FileText.optional() }).strict()]),
        'Assembles a workspace .s file (or the given unsaved text as that file): diagnostics, symbols, listing. `.include`s are read from the workspace.',
      ),
    },
    runs: {
      start: method<RunStarted>()(
        z.tuple([RelPath]),
        'Starts the experiment file in a worker thread; progress arrives as onRunProgress, the end as onRunFinished. Invalid experiments fail with E_INVALID_INPUT listing field errors.',
      ),
      stop: method<void>()(z.tuple([RunId]), 'Asks a run to stop; it then ends with a partial record (partial: true, reason "stopped").'),
      active: method<ActiveRun[]>()(
        z.tuple([]),
        'Runs executing in this host (running or stopping), whichever window started them, with their last progress and console so far: a window that connects or reloads re-attaches to them.',
      ),
      list: method<RunSummary[]>()(z.tuple([]), 'The run records in runs/ (newest first), summarised; unreadable files are skipped.'),
      read: method<RunRecord>()(z.tuple([RelPath]), 'Reads and checks one run record (schema disco-lab/run@1). E_INVALID_INPUT when the file is not a run record.'),
      schema: method<Record<string, unknown>>()(z.tuple([]), 'The run record JSON Schema (docs/run-record.schema.json), for the JSON editor.'),
    },
    machine: {
      params: method<MachineParamInfo[]>()(z.tuple([]), 'Every machine parameter with type, unit, default, range and description.'),
      presets: method<MachinePreset[]>()(z.tuple([]), 'The machine presets shipped with Disco Lab (resources/machines).'),
      validate: method<ValidationReport>()(z.tuple([JsonValue]), 'Validates a machine config: field-level errors {path, message}.'),
      schema: method<Record<string, unknown>>()(z.tuple([]), 'The machine config JSON Schema (docs/machine-config.schema.json), for the JSON editor.'),
    },
    experiment: {
      schema: method<Record<string, unknown>>()(z.tuple([]), 'The experiment JSON Schema (docs/experiment.schema.json): field descriptions, enums and ranges for the form.'),
      validate: method<ValidationReport>()(z.tuple([JsonValue]), 'Validates an experiment config: field-level errors {path, message} (machine references are not resolved).'),
    },
    monitor: {
      causes: method<Record<string, string>>()(z.tuple([]), 'What each monitor cause (run records\' monitor.byCause) means: cause name → description (src/core/disco/causes.ts).'),
    },
    examples: {
      list: method<ExampleInfo[]>()(z.tuple([]), 'The example experiments shipped with Disco Lab (resources/examples/experiments), with one-line descriptions and whether the workspace has each.'),
      copy: method<FileStat>()(
        z.tuple([RelPath]),
        'Copies a shipped example (its experiments/ path) into the workspace, with the example files it names that the workspace lacks; never overwrites (E_EXISTS when the experiment exists).',
      ),
    },
  },
  events: {
    onRunProgress: event<RunProgress>('A running experiment advanced: simulated time, instructions, host speed, new console output.'),
    onRunFinished: event<RunFinished>('A run ended (finished, stopped or failed); carries the saved record path.'),
    onWorkspaceChanged: event<WorkspaceChange>('Files changed on disk (debounced ~100 ms), or another workspace was opened (reset).'),
    onCommand: event<AppCommand>('An application-menu command for the renderer to carry out (Electron).'),
  },
} as const;

export type Contract = typeof CONTRACT;
