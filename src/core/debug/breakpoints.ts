/**
 * Breakpoint specifications of the debug API (src/core/debug/session.ts) and their checks:
 * a malformed spec is a `DebugError`, never a crash. Also the instruction test `next` uses.
 */
import { MONITOR_CAUSES } from '../disco/causes';
import { DebugError } from './errors';
import type { Inspector, MemorySpace, ThreadRef } from './inspect';

/** What a breakpoint may be set on. */
export type BreakpointSpec =
  /** An instruction address (virtual, as the thread sees it); optionally only on one thread, one VM, or in user mode. */
  | { kind: 'address'; addr: number; thread?: ThreadRef; vm?: number; user?: boolean }
  /** A source line of a program with a line table (the line's first instruction). */
  | { kind: 'line'; file: string; line: number; thread?: ThreadRef }
  /** An exception with ExcCode `code` (0..31), raised on any CPU or one thread's. */
  | { kind: 'exception'; code: number; thread?: ThreadRef }
  /**
   * A monitor action (Disco): `tlb.forward` (a TLB miss forwarded to the guest), `migration`
   * (a page migration), `replication`, or any monitor cause (src/core/disco/causes.ts); optionally of one VM.
   */
  | { kind: 'monitor'; event: string; vm?: number }
  /** A memory watchpoint: stops after an instruction that changed any word of [addr, addr + length). */
  | { kind: 'watch'; space: MemorySpace; addr: number; length: number; vm?: number; thread?: ThreadRef };

export interface Breakpoint {
  id: number;
  spec: BreakpointSpec;
  /** Line breakpoints: the address and line (moved to the next line with code) it was set at. */
  addr?: number;
  line?: number;
  hits: number;
}

/** Monitor-event names beside the monitor causes (src/core/disco/causes.ts). */
export const MONITOR_ALIASES: Record<string, string> = { migration: 'numa.migrate', replication: 'numa.replicate' };

/** Checks `s` (threads, VMs, addresses, kinds); returns it, or throws a `DebugError`. */
export function validateBreakpoint(s: BreakpointSpec, inspect: Inspector): BreakpointSpec {
  const bad = (m: string): never => { throw new DebugError('E_BAD_ARGUMENT', m); };
  if (s === null || typeof s !== 'object') bad('a breakpoint is an object with a kind');
  if ('thread' in s && s.thread !== undefined) inspect.check(s.thread);
  if ('vm' in s && s.vm !== undefined) inspect.vm(s.vm);
  switch (s.kind) {
    case 'address': if (!isU32(s.addr) || (s.addr & 3) !== 0) bad('an address breakpoint needs a word-aligned 32-bit address'); break;
    case 'line': if (typeof s.file !== 'string' || !Number.isInteger(s.line) || s.line < 1) bad('a line breakpoint needs a file and a line ≥ 1'); break;
    case 'exception': if (!Number.isInteger(s.code) || s.code < 0 || s.code > 31) bad('an exception breakpoint needs an ExcCode 0..31'); break;
    case 'monitor': {
      if (!inspect.monitor) throw new DebugError('E_NO_VM', 'monitor breakpoints need a Disco run');
      const cause = MONITOR_ALIASES[s.event] ?? s.event;
      if (typeof cause !== 'string' || !(cause in MONITOR_CAUSES)) bad(`unknown monitor event '${String(s.event)}' (tlb.forward, migration, replication or a monitor cause)`);
      break;
    }
    case 'watch': {
      if (!isU32(s.addr) || (s.addr & 3) !== 0 || !Number.isInteger(s.length) || s.length < 1 || s.length > 4096) bad('a watchpoint needs a word-aligned address and a length of 1..4096 bytes');
      break;
    }
    default: bad(`unknown breakpoint kind '${String((s as { kind: unknown }).kind)}'`);
  }
  return s;
}

function isU32(n: unknown): n is number { return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff; }

/** The same file when one path ends with the other at a separator (`clearBreakpoints(kind, file)`). */
export function sameFileName(a: string, b: string): boolean {
  const x = a.split('\\').join('/'), y = b.split('\\').join('/');
  return x === y || x.endsWith(`/${y}`) || y.endsWith(`/${x}`);
}

/** A call (what `next` steps over): jal (000011), jalr (SPECIAL funct 001001), bal/bgezal/bltzal (REGIMM rt 10001/10000), their -likely forms. */
export function isCall(w: number): boolean {
  const op = w >>> 26;
  if (op === 3) return true;
  if (op === 0 && (w & 0x3f) === 9) return true;
  if (op === 1) { const rt = (w >>> 16) & 0x1f; return rt === 0x10 || rt === 0x11 || rt === 0x12 || rt === 0x13; }
  return false;
}
