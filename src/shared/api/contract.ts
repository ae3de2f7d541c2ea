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
import type { BreakpointInfo, DebugEndedEvent, DebugOutputEvent, DebugProgressEvent, DebugQuery, DebugReadResult, DebugSessionInfo, DebugStarted, DebugStop, DebugStoppedEvent, DebugThreadState, MissComparison, MissPath } from '../debug/types';
import type { ActiveLab, ActiveRun, AsmCheck, ExampleInfo, LabFinished, LabInfo, LabProgressEvent, LabRunStarted, LabView, MachineParamInfo, MachinePreset, RunFinished, RunProgress, RunRecord, RunStarted, RunSummary, ValidationReport } from '../lab/types';

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
/** A lab run id as returned by `labs.run`. */
export const LabRunId = z.string().regex(/^lab-[0-9]+$/, 'not a lab run id');
/** Any JSON value of bounded size (configs to validate); the validators check the shape. */
export const JsonValue = z.unknown().refine((v) => {
  try { return JSON.stringify(v ?? null).length <= MAX_FILE_BYTES; } catch { return false; }
}, 'not JSON or too large');

/** A debug session id as returned by `debug.start`. */
export const DebugSessionId = z.string().regex(/^dbg-[0-9]+$/, 'not a debug session id');
const U32 = z.number().int().min(0).max(0xffffffff);
const Small = z.number().int().min(0).max(1 << 20);
/** A debugger thread: a physical CPU or a vCPU (by global id). */
export const DebugThread = z.union([z.object({ cpu: z.number().int().min(0).max(4095) }).strict(), z.object({ vcpu: z.number().int().min(0).max(65535) }).strict()]);
const FileLine = z.string().min(1).max(MAX_PATH_CHARS);
/** A breakpoint (src/core/debug/breakpoints.ts; the session checks the rest: thread and VM exist, the line has code). */
export const DebugBreakpoint = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('address'), addr: U32, thread: DebugThread.optional(), vm: Small.optional(), user: z.boolean().optional() }).strict(),
  z.object({ kind: z.literal('line'), file: FileLine, line: z.number().int().min(1).max(10_000_000), thread: DebugThread.optional() }).strict(),
  z.object({ kind: z.literal('exception'), code: z.number().int().min(0).max(31), thread: DebugThread.optional() }).strict(),
  z.object({ kind: z.literal('monitor'), event: z.string().min(1).max(64).regex(/^[\w.]+$/, 'not a monitor event name'), vm: Small.optional() }).strict(),
  z.object({ kind: z.literal('watch'), space: z.enum(['machine', 'guest', 'virtual']), addr: U32, length: z.number().int().min(1).max(4096), vm: Small.optional(), thread: DebugThread.optional() }).strict(),
]);
/** A read of the machine's or the monitor's structures (`debug.read`). */
export const DebugQuerySchema = z.discriminatedUnion('what', [
  z.object({ what: z.literal('memory'), space: z.enum(['machine', 'guest', 'virtual']), addr: U32, length: z.number().int().min(0).max(65536), vm: Small.optional(), thread: DebugThread.optional() }).strict(),
  z.object({ what: z.literal('hardwareTlb'), cpu: z.number().int().min(0).max(4095) }).strict(),
  z.object({ what: z.literal('virtualTlb'), vcpu: z.number().int().min(0).max(65535) }).strict(),
  z.object({ what: z.literal('l2Tlb'), vcpu: z.number().int().min(0).max(65535) }).strict(),
  z.object({ what: z.literal('pmap'), vm: Small, from: Small.optional(), count: z.number().int().min(1).max(65536).optional() }).strict(),
  z.object({ what: z.literal('memmap'), from: Small.optional(), count: z.number().int().min(1).max(65536).optional() }).strict(),
  z.object({ what: z.literal('missCounters'), page: Small }).strict(),
  z.object({ what: z.literal('missHeat'), from: Small.optional(), count: z.number().int().min(1).max(4096).optional(), onlyMissed: z.boolean().optional() }).strict(),
  z.object({ what: z.literal('caches') }).strict(),
]);
/** A snapshot file in the workspace (`.dlsnap`, src/core/snapshot/codec.ts); the workspace confines the path. */
export const SnapshotPath = RelPath.refine((p) => p.endsWith('.dlsnap') && !p.endsWith('/.dlsnap'), 'a snapshot file name ends with .dlsnap');

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
    labs: {
      list: method<LabInfo[]>()(z.tuple([]), 'The labs of the workspace (labs/*.json): name, title, description, number of points, and whether each is valid (else its errors).'),
      result: method<LabView>()(
        z.tuple([RelPath]),
        'A lab derived from the records in the workspace cache (.disco-lab/cache) without running anything — complete when every point is cached, else result.missing names the rest; each point with its content key and its run record under runs/ if any. Problems of the lab or its experiments come back as errors.',
      ),
      run: method<LabRunStarted>()(
        z.tuple([RelPath, z.object({ jobs: z.number().int().min(1).max(256).optional() }).strict().optional()]),
        'Runs a lab: loads every point (a broken lab or experiment fails with E_INVALID_INPUT), then runs the points the cache lacks on worker threads taken from the host\'s run budget (E_BUSY when none is free); progress arrives as onLabProgress, the end as onLabFinished. Each record that ran is cached and saved under runs/<lab>/.',
      ),
      stop: method<void>()(z.tuple([LabRunId]), 'Stops a lab run: running points are dropped (nothing partial is cached), finished ones are kept; it then ends with onLabFinished {stopped: true}. E_NO_RUN when not running.'),
      active: method<ActiveLab[]>()(z.tuple([]), 'Labs running in this host, whichever window started them, with their last progress: a window that connects or reloads re-attaches to them.'),
      record: method<string>()(
        z.tuple([RelPath, z.string().min(1).max(4096)]),
        'The run record of one point of a lab (by point id), as a workspace path under runs/<lab>/ — written from the cache when runs/ lacks it. E_NOT_FOUND when the point has no record yet.',
      ),
      schema: method<Record<string, unknown>>()(z.tuple([]), 'The lab JSON Schema (docs/lab.schema.json), for the JSON editor.'),
    },
    monitor: {
      causes: method<Record<string, string>>()(z.tuple([]), 'What each monitor cause (run records\' monitor.byCause) means: cause name → description (src/core/disco/causes.ts).'),
    },
    debug: {
      start: method<DebugStarted>()(
        z.tuple([RelPath, z.object({ snapshotEvery: z.number().int().min(0).max(1_000_000_000).optional() }).strict().optional()]),
        'Starts a debug session of an experiment file in a worker thread (validated like runs.start: E_INVALID_INPUT with field errors), paused before the first instruction. At most 4 sessions per host (E_BUSY).',
      ),
      sessions: method<DebugSessionInfo[]>()(z.tuple([]), 'The debug sessions of this host with their state and last stop: a window that reloads re-attaches.'),
      end: method<void>()(z.tuple([DebugSessionId]), 'Ends a debug session (its worker is terminated); onDebugEnded follows.'),
      continue: method<DebugStop>()(z.tuple([DebugSessionId]), 'Runs until a breakpoint, a pause or the end; resolves with the stop (also sent as onDebugStopped).'),
      pause: method<void>()(z.tuple([DebugSessionId]), 'Asks a running session to stop at the next CPU boundary; the running call then resolves with reason "pause".'),
      step: method<DebugStop>()(z.tuple([DebugSessionId, DebugThread]), 'One instruction of the thread.'),
      next: method<DebugStop>()(z.tuple([DebugSessionId, DebugThread]), 'One instruction, or over a call (jal, jalr, bal, …) and its delay slot.'),
      stepOut: method<DebugStop>()(z.tuple([DebugSessionId, DebugThread]), 'Until the thread reaches the address in $ra now (a leaf function\'s return).'),
      stepBack: method<DebugStop>()(z.tuple([DebugSessionId, DebugThread, z.number().int().min(1).max(1_000_000_000)]), 'Back n instructions of the thread (restore the nearest snapshot, replay).'),
      stepForward: method<DebugStop>()(z.tuple([DebugSessionId, DebugThread, z.number().int().min(1).max(1_000_000_000)]), 'n more instructions of the thread (replays do not stop at breakpoints).'),
      goToCycle: method<DebugStop>()(z.tuple([DebugSessionId, z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]), 'Forward, or back through a snapshot, to the first CPU reaching the cycle.'),
      reverseContinue: method<DebugStop>()(z.tuple([DebugSessionId]), 'Back to the last breakpoint stop before this point (restore + replay with the breakpoints set now); without one, back to the start of the history.'),
      saveSnapshot: method<FileStat>()(
        z.tuple([DebugSessionId, SnapshotPath]),
        'Saves the session\'s machine as a snapshot file (.dlsnap) in the workspace, written atomically; it names the experiment it is of.',
      ),
      loadSnapshot: method<DebugStop>()(
        z.tuple([DebugSessionId, SnapshotPath]),
        'Restores the session\'s machine from a snapshot file of the workspace; E_DEBUG (E_MISMATCH) when the file is of another experiment, E_DEBUG (E_SNAPSHOT) when it is not a snapshot.',
      ),
      setBreakpoint: method<BreakpointInfo>()(z.tuple([DebugSessionId, DebugBreakpoint]), 'Adds a breakpoint: line (file:line), address, exception (ExcCode), monitor event (tlb.forward, migration, any monitor cause; per VM) or watchpoint.'),
      removeBreakpoint: method<boolean>()(z.tuple([DebugSessionId, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)]), 'Removes a breakpoint by id (false when there was none).'),
      breakpoints: method<BreakpointInfo[]>()(z.tuple([DebugSessionId]), 'The breakpoints with their hit counts.'),
      state: method<DebugThreadState>()(z.tuple([DebugSessionId, DebugThread]), 'A thread as the Debug view shows it: registers, CP0 (virtual and hardware), disassembly and source around the pc, the threads, the clock.'),
      read: method<DebugReadResult>()(z.tuple([DebugSessionId, DebugQuerySchema]), 'Reads memory (machine, guest-physical or virtual), a hardware, virtual or L2 TLB, a pmap, the memmap, a page\'s miss counters, the miss counters of a range of pages (heat map) or the CPUs\' cache counters; never changes the machine. Served also while the session runs.'),
      traceMiss: method<MissPath>()(z.tuple([DebugSessionId, DebugThread]), 'Runs the thread to its next TLB miss in user mode and returns the miss path step by step (docs/debugging.md "The TLB-miss path"); E_DEBUG (E_NO_MISS) when none comes.'),
      compareMiss: method<MissComparison>()(
        z.tuple([DebugSessionId, DebugThread]),
        'Traces the next TLB miss of the thread, then the same miss (faulting instruction and page) in the twin experiment (the other mode) from its start, in a worker of its own: the two paths side by side.',
      ),
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
    onLabProgress: event<LabProgressEvent>('A lab run advanced: points done, cached and running, the ETA, and (when a point finished) the lab derived so far.'),
    onLabFinished: event<LabFinished>('A lab run ended (every point has a record, it was stopped, or a point failed), with the derived lab.'),
    onWorkspaceChanged: event<WorkspaceChange>('Files changed on disk (debounced ~100 ms), or another workspace was opened (reset).'),
    onCommand: event<AppCommand>('An application-menu command for the renderer to carry out (Electron).'),
    onDebugStopped: event<DebugStoppedEvent>('A debug session stopped (breakpoint, step, pause, end).'),
    onDebugOutput: event<DebugOutputEvent>('Console output of a debug session\'s guest since its last stop.'),
    onDebugProgress: event<DebugProgressEvent>('A debug session is running: its clock, at most every ~500 ms of host time (the Debug view refreshes its panes).'),
    onDebugEnded: event<DebugEndedEvent>('A debug session ended (debug.end, its worker failed, or the host closes it).'),
  },
} as const;

export type Contract = typeof CONTRACT;
