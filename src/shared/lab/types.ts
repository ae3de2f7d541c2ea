/**
 * Payload types of the lab part of the API (assembler checks, runs, results, machine configs).
 * Plain JSON data only — they cross IPC and WebSockets. Core types are imported as types only,
 * so the renderer gets their shapes without any simulator code.
 */
import type { AsmSymbol, Diagnostic, ListingLine } from '../../core/asm/types';
import type { RunRecord } from '../../core/experiment/record';
import type { ConfigError } from '../../core/machine/config/types';
import type { LabFile, LabCheck, LabFigure, LabPaperValue, ParamValue, Where } from '../../core/labs/lab';
import type { CheckResult, LabResult, LabRow } from '../../core/labs/derive';
import type { LabPoint } from '../../core/labs/expand';

import type { LoadRecord } from '../../core/load/summary';
export type { AsmSymbol, Diagnostic, ListingLine, RunRecord, ConfigError, LoadRecord };

/** `asm.assemble({path, text?})`: the assembler's verdict on one source file (no bytes). */
export interface AsmCheck {
  /** Workspace-relative path of the file that was assembled. */
  path: string;
  /** true iff no diagnostic is an error. */
  ok: boolean;
  /** Every diagnostic, of this file and of files it `.include`s (their `file` says which). */
  diagnostics: Diagnostic[];
  /** Labels and constants (present when `ok`). */
  symbols: AsmSymbol[];
  /** The first {@link MAX_LISTING_LINES} lines of the listing (address, hex, disassembly, source line). */
  listing: ListingLine[];
  listingTruncated: boolean;
  /** Bytes of `.text` + data emitted (0 when not ok). */
  bytes: number;
}

/** Longest listing `asm.assemble` returns. */
export const MAX_LISTING_LINES = 5000;

/**
 * A run the host is executing (`runs.active()`). Runs belong to the host, not to a window: a
 * renderer that connects (or reloads) while a run executes lists it from here, shows its console
 * so far and its last progress, follows it through `onRunProgress`, and can stop it.
 */
export interface ActiveRun {
  runId: string;
  /** The experiment file it came from. */
  experiment: string;
  name: string;
  /** Host wall-clock time of admission [ms since the epoch]. */
  startedAt: number;
  state: 'running' | 'stopping' | 'finished' | 'failed';
  /** The last progress event sent (absent before the first); its `console` is empty. */
  progress?: RunProgress;
  /**
   * The console output so far, one chunk per source in order of first output (the last
   * {@link MAX_CONSOLE_CHARS} characters of each source).
   */
  console: ConsoleChunk[];
}

/** Console text the host keeps per source of a running run, for windows that attach later [characters]. */
export const MAX_CONSOLE_CHARS = 200_000;

/** One console stream chunk: `source` is `machine` for a native run, the VM's name under Disco. */
export interface ConsoleChunk {
  source: string;
  text: string;
}

/** `onRunProgress`: sent a few times per second while a run executes in its worker. */
export interface RunProgress {
  runId: string;
  /** Simulated cycles so far (machine time). */
  cycles: number;
  /** The cycle limit of the run, for a progress bar (null when unlimited). */
  maxCycles: number | null;
  instructions: number;
  simSeconds: number;
  /** Host wall-clock seconds since the worker started. */
  hostSeconds: number;
  /** Simulated instructions per host second, in millions. */
  hostMips: number;
  /** New console output since the previous progress event, per source. */
  console: ConsoleChunk[];
}

/** `onRunFinished`: the worker ended; `path` is the saved record (absent on failure). */
export interface RunFinished {
  runId: string;
  experiment: string;
  ok: boolean;
  /** Workspace-relative path of the run record (runs/<name>-<timestamp>.json). */
  path?: string;
  partial?: boolean;
  reason?: string;
  /** Why the run could not start or crashed: `programs[0]: msg` lines, or a host error. */
  errors?: ConfigError[];
}

/** `runs.list()`: the run records of the workspace, newest first. */
export interface RunSummary {
  path: string;
  /** The experiment's name. */
  name: string;
  mode: string;
  partial: boolean;
  reason: string;
  cycles: number;
  cpuCount: number;
  mtimeMs: number;
  /** What ran, independent of native/Disco (`workloadKey` in ../lab/results.ts): runs with equal keys ran the same programs with the same input. */
  workload: string;
  /** The resolved machine, independent of its name (`machineKey`): equal keys = the same simulated hardware. */
  machineKey: string;
  /** Host seconds the run took (null when the record has none). */
  hostSeconds: number | null;
}

/** `examples.list()`: one shipped example experiment (resources/examples/experiments). */
export interface ExampleInfo {
  /** Workspace-relative path the example has (or gets) in a workspace: `experiments/<file>`. */
  path: string;
  name: string;
  /** The workload it runs (`pmake`, `raytrace`, … or the experiment name for one-offs). */
  workload: string;
  mode: string;
  /** The first sentence of its description. */
  summary: string;
  /** Whether the workspace has a file at `path`. */
  inWorkspace: boolean;
}

/** `runs.start(...)`. */
export interface RunStarted {
  runId: string;
  name: string;
}

/** `machine.params()`: one machine parameter with its unit and description (gem5 Param style). */
export interface MachineParamInfo {
  path: string;
  type: string;
  unit?: string;
  default?: unknown;
  min?: number;
  max?: number;
  values?: readonly unknown[];
  description: string;
}

/** A machine preset shipped with Disco Lab (resources/machines). */
export interface MachinePreset {
  name: string;
  config: Record<string, unknown>;
}

/** `machine.validate` / `experiment.validate`: field-level errors, empty when valid. */
export interface ValidationReport {
  ok: boolean;
  errors: ConfigError[];
}

// ---- Labs (issue #14: a paper's experiment as a file; docs/labs.md) ----

export type { LabFile, LabCheck, LabFigure, LabPaperValue, ParamValue, Where, CheckResult, LabResult, LabRow, LabPoint };

/** `labs.list()`: one `labs/*.json` of the workspace. */
export interface LabInfo {
  /** Workspace path (`labs/figure5.json`). */
  path: string;
  /** The lab's name; the file stem when the file is not a valid lab. */
  name: string;
  /** The title; '' when the file is not a valid lab. */
  title: string;
  description?: string;
  /** Where the paper's numbers come from. */
  source?: string;
  /** Points of the sweep (0 when invalid). */
  points: number;
  figure?: LabFigure['type'];
  /** Whether the file parses and validates (against the lab schema and its own references). */
  valid: boolean;
  /** Why not: `labs/x.json: figure.x: unknown parameter 'zz'`. */
  errors: string[];
}

/** One point of a lab as the Labs view shows it. */
export interface LabPointInfo {
  id: string;
  index: number;
  params: Record<string, ParamValue>;
  /** The experiment file it runs (workspace path). */
  experiment: string;
  /** The content key of its run (SHA-256 of the resolved experiment, its inputs, the simulator version). */
  key: string;
  /** A record for this key is in the cache. */
  cached: boolean;
  /** Its run record under runs/ when one exists (else `labs.record` writes it from the cache). */
  record?: string;
}

/**
 * `labs.result(path)`: a lab derived from the records the cache holds — no run. `result.missing`
 * names the points without a record. When the lab or one of its experiments is broken, `errors`
 * says why and `lab`/`result` are absent (or only `lab`, when just an experiment is broken).
 */
export interface LabView {
  path: string;
  lab?: LabFile;
  result?: LabResult;
  points: LabPointInfo[];
  errors: string[];
  /** Host seconds it took to load, key and read the cache. */
  seconds: number;
}

/** `labs.run(path, {jobs})`: the lab was admitted and its points loaded. */
export interface LabRunStarted {
  labRunId: string;
  path: string;
  name: string;
  total: number;
  /** Points the cache has (not run again). */
  cached: number;
  /** Run slots (workers) the lab took from the host's budget (0 when everything is cached). */
  workers: number;
}

/** A lab's progress as the runner reports it (the CLI prints it; the host sends it as `onLabProgress`). */
export interface LabProgress {
  /** Points finished (run or from the cache), of `total`. */
  done: number;
  total: number;
  cached: number;
  /** Ids of the points running now. */
  running: string[];
  /** Host seconds since the lab started running, and the estimate to finish (null until a point has run). */
  seconds: number;
  etaSeconds: number | null;
}

/** `onLabProgress`: a point started or finished. */
export interface LabProgressEvent extends LabProgress {
  labRunId: string;
  path: string;
  /** The lab derived from the records so far: sent when a point finished (absent otherwise). */
  view?: LabView;
}

/** `onLabFinished`: the lab ended — every point has a record, it was stopped, or a point failed. */
export interface LabFinished {
  labRunId: string;
  path: string;
  ok: boolean;
  /** Stopped before every point ran: `view.result.missing` names the rest. */
  stopped?: boolean;
  /** The lab derived from every record there is (also after a stop or a failure). */
  view?: LabView;
  errors?: string[];
  /** Points run in this lab run, and taken from the cache. */
  ran: number;
  cached: number;
  /** Host seconds from `labs.run` to the end. */
  seconds: number;
}

/** `labs.active()`: a lab running in the host (whichever window started it). */
export interface ActiveLab {
  labRunId: string;
  path: string;
  name: string;
  startedAt: number;
  state: 'running' | 'stopping';
  workers: number;
  /** The last progress event (its `view` is the latest derived view). */
  progress?: LabProgressEvent;
}
