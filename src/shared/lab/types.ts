/**
 * Payload types of the lab part of the API (assembler checks, runs, results, machine configs).
 * Plain JSON data only — they cross IPC and WebSockets. Core types are imported as types only,
 * so the renderer gets their shapes without any simulator code.
 */
import type { AsmSymbol, Diagnostic, ListingLine } from '../../core/asm/types';
import type { RunRecord } from '../../core/experiment/record';
import type { ConfigError } from '../../core/machine/config/types';

export type { AsmSymbol, Diagnostic, ListingLine, RunRecord, ConfigError };

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

/** A run the host is executing (or just finished). */
export interface ActiveRun {
  runId: string;
  /** The experiment file it came from. */
  experiment: string;
  name: string;
  startedAt: number;
  state: 'running' | 'stopping' | 'finished' | 'failed';
}

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
  name: string;
  mode: string;
  partial: boolean;
  reason: string;
  cycles: number;
  cpuCount: number;
  mtimeMs: number;
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
