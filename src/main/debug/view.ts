/**
 * What the Debug view shows of one thread, built in the debug worker from a paused session:
 * registers, CP0 (a vCPU's virtual CP0 beside its CPU's), the disassembly around the pc with
 * source lines, and the source text around the pc's line. Reads only (the Inspector's).
 */
import { disassemble } from '../../core/asm/disasm';
import type { DebugSession } from '../../core/debug/session';
import type { ThreadRef } from '../../core/debug/inspect';
import type { RunInputs } from '../../core/experiment/run';
import type { DebugThreadState, DisasmLine, ThreadInfo } from '../../shared/debug/types';

/** Instructions shown before and after the pc. */
const BEFORE = 8, AFTER = 16;
/** Source lines shown around the pc's line. */
const CONTEXT = 12;

/** file (as the line tables name it) → source text, from the run's inputs. */
export function sourceTexts(inputs: Pick<RunInputs, 'programs' | 'vms' | 'guest'>): Map<string, string> {
  const out = new Map<string, string>();
  const add = (p: unknown) => {
    const q = p as { source?: { path: string; text: string }; includes?: { file: { path: string; text: string } }[] };
    if (q.source) out.set(q.source.path, q.source.text);
    for (const i of q.includes ?? []) out.set(i.file.path, i.file.text);
  };
  inputs.programs.forEach(add);
  for (const v of inputs.vms ?? []) if (v.kernel) add(v.kernel);
  const g = inputs.guest;
  if (g) {
    for (const [k, text] of Object.entries(g.sources)) out.set(`${g.dir}/${k}`, text);
    for (const p of g.programs) add(p.program);
  }
  return out;
}

/** The session's threads: vCPUs then CPUs under Disco, CPUs natively. */
export function allThreads(s: DebugSession): ThreadInfo[] {
  const t = s.inspect.threads();
  return s.monitor ? [...t, ...s.machine.cpus.map((c) => s.inspect.threadInfo({ cpu: c.id }))] : t;
}

export function threadState(s: DebugSession, thread: ThreadRef, texts: Map<string, string>, state: DebugThreadState['state']): DebugThreadState {
  const info = s.inspect.threadInfo(thread);
  const pc = info.pc;
  const loc = s.locate(pc, thread) ?? null;
  const disasm: DisasmLine[] = [];
  for (let a = pc - BEFORE * 4; a <= pc + AFTER * 4; a += 4) {
    const addr = a >>> 0;
    let word: number | null = null;
    try { word = s.inspect.readWord({ space: 'virtual', thread }, addr); } catch { /* not mapped */ }
    const l = s.locate(addr, thread);
    disasm.push({ addr, word, text: word === null ? '(not mapped)' : disassemble(word, addr), current: addr === pc, ...(l && { source: `${l.file}:${l.line}` }) });
  }
  let source: DebugThreadState['source'] = null;
  const text = loc ? texts.get(loc.file) : undefined;
  if (loc && text !== undefined) {
    const all = text.split('\n'), first = Math.max(1, loc.line - CONTEXT);
    source = { file: loc.file, first, lines: all.slice(first - 1, loc.line + CONTEXT), current: loc.line };
  }
  return {
    state, cycle: s.position(), threads: allThreads(s), thread: info,
    registers: s.inspect.registers(thread), cp0: s.inspect.cp0(thread), instructions: s.inspect.instructionsOf(thread),
    location: loc, disasm, source, snapshots: s.snapshotTimes,
  };
}
