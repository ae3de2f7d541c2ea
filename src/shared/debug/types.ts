/**
 * Payload types of the debugger part of the API (`debug.*`, src/shared/api/contract.ts): debug
 * sessions hosted in worker threads by the main process (src/main/debug), driven by the Debug
 * view. Plain JSON data only; the core's shapes are imported as types (src/core/debug), so the
 * renderer gets them without any simulator code.
 */
import type { ThreadInfo, RegisterFile, Cp0View, TlbEntryView, ThreadRef, MemorySpace, MemmapEntry, MissHeatRow, CacheSummary, TlbOwner } from '../../core/debug/inspect';
import type { BreakpointSpec } from '../../core/debug/breakpoints';
import type { MissPath, MissStep, MissOutcome } from '../../core/debug/miss-path';

export type { ThreadInfo, RegisterFile, Cp0View, TlbEntryView, ThreadRef, MemorySpace, BreakpointSpec, MissPath, MissStep, MissOutcome, MemmapEntry, MissHeatRow, CacheSummary, TlbOwner };

/** Why a session stopped (the core's `StopEvent`, without the run result's bulk). */
export interface DebugStop {
  /** `snapshot`: a snapshot file was loaded (`debug.loadSnapshot`). */
  reason: 'breakpoint' | 'step' | 'pause' | 'exception' | 'monitor' | 'watchpoint' | 'goto' | 'end' | 'entry' | 'snapshot';
  thread?: ThreadRef;
  breakpoint?: number;
  description: string;
  /** The run ended: how (exit, halt, deadlock, maxCycles, …) and the exit code if any. */
  end?: { reason: string; exitCode?: number | null };
}

/** `debug.start`: the session and what it debugs. */
export interface DebugStarted {
  sessionId: string;
  /** The experiment file (workspace-relative). */
  experiment: string;
  name: string;
  mode: 'native' | 'disco';
  threads: ThreadInfo[];
  /** VMs under Disco (id, name), for the pmap pane. */
  vms: { id: number; name: string }[];
  /** Source files of the line tables (for file:line breakpoints). */
  files: string[];
  /** The other run of the side-by-side miss trace (same programs, the other mode), if any. */
  twin: string | null;
}

/** A session as `debug.sessions` lists it (a window that reloads re-attaches). */
export interface DebugSessionInfo extends DebugStarted {
  state: 'paused' | 'running' | 'ended';
  lastStop: DebugStop | null;
}

export interface BreakpointInfo {
  id: number;
  spec: BreakpointSpec;
  hits: number;
  addr?: number;
  line?: number;
}

/** One line of the disassembly pane. */
export interface DisasmLine { addr: number; word: number | null; text: string; source?: string; current: boolean }

/** `debug.state`: everything the Debug view shows about one thread, at once. */
export interface DebugThreadState {
  state: 'paused' | 'running' | 'ended';
  /** The furthest CPU clock [cycles]. */
  cycle: number;
  threads: ThreadInfo[];
  thread: ThreadInfo;
  registers: RegisterFile;
  cp0: Cp0View & { hardware?: Cp0View | null };
  /** Instructions of the thread so far (the unit of step back / forward). */
  instructions: number;
  location: { file: string; line: number } | null;
  /** Instructions around the pc. */
  disasm: DisasmLine[];
  /** The source lines around the pc's line, when a line table covers it. */
  source: { file: string; first: number; lines: string[]; current: number } | null;
  /** Cycles of the snapshots held (time travel). */
  snapshots: number[];
}

/** `debug.read`: one of the machine's or the monitor's structures. */
export type DebugQuery =
  | { what: 'memory'; space: MemorySpace; addr: number; length: number; vm?: number; thread?: ThreadRef }
  | { what: 'hardwareTlb'; cpu: number }
  | { what: 'virtualTlb'; vcpu: number }
  | { what: 'l2Tlb'; vcpu: number }
  | { what: 'pmap'; vm: number; from?: number; count?: number }
  | { what: 'memmap'; from?: number; count?: number }
  | { what: 'missCounters'; page: number }
  /** The miss counters of machine pages [from, from + count) by node (`onlyMissed`: pages with misses only). */
  | { what: 'missHeat'; from?: number; count?: number; onlyMissed?: boolean }
  /** Every CPU's cache counters. */
  | { what: 'caches' };

export type DebugReadResult =
  | { what: 'memory'; addr: number; bytes: number[] }
  | { what: 'hardwareTlb' | 'virtualTlb'; entries: TlbEntryView[] }
  | { what: 'l2Tlb'; entries: number; valid: unknown[]; stats: { hits: number; misses: number; inserts: number; invalidations: number } }
  | { what: 'pmap'; pages: number; entries: { gppn: number; mpn: number; node: number; moves: number; replicas?: number[] }[] }
  | { what: 'memmap'; pages: number; used: number; entries: MemmapEntry[] }
  | { what: 'missCounters'; page: number; byNode: number[]; writes: number }
  /** `max`: the largest cell (the colour scale); `next`: the page after the last one looked at, null at the end of memory. */
  | { what: 'missHeat'; pages: number; nodes: number; from: number; max: number; next: number | null; rows: MissHeatRow[] }
  | { what: 'caches'; cpus: CacheSummary[] };

/** `debug.compareMiss`: the same TLB miss natively and under Disco, side by side. */
export interface MissComparison {
  native: MissPath;
  disco: MissPath;
  /** The experiment of each column. */
  experiments: { native: string; disco: string };
}

export interface DebugStoppedEvent { sessionId: string; stop: DebugStop }
export interface DebugOutputEvent { sessionId: string; source: string; text: string }
export interface DebugEndedEvent { sessionId: string; reason: string }
/** A session is running (continue, step over a long call): its clock, at most every ~500 ms of host time, so open panes refresh. */
export interface DebugProgressEvent { sessionId: string; cycle: number; instructions: number }
