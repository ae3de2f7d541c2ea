/**
 * `disco-lab dap`: a Debug Adapter Protocol server over the headless debugger (src/core/debug).
 * docs/debugging.md shows a VS Code launch configuration.
 *
 * Launch arguments: `{ "program": "X.s", "mode": "native" | "disco" }` (a user program as the
 * first process of the guest OS, as `run-guest` runs it; `cpus`, `vms`, `vcpus`, `model` as its
 * options) or `{ "experiment": "X.json" }`; both take `cwd`, `stopOnEntry` and `snapshotEvery`
 * (cycles, for stepBack; default 5,000,000, 0 = off).
 *
 * Threads are the CPUs (native) or the vCPUs (Disco), ids 1…N. Each stopped thread has one stack
 * frame at its pc, with the source file and line when a program's line table covers it; its
 * scopes are `Registers` (GPRs, hi, lo, pc), `CP0` (a vCPU's virtual CP0) and, for a vCPU on a
 * CPU, `Hardware CP0`. `readMemory` takes a virtual address in the stopped thread's space, or
 * `machine:ADDR` / `guest:VM:ADDR`. Exception filters: system calls, TLB misses, and under Disco
 * forwarded TLB misses and page migrations. Every request is answered; bad requests and
 * arguments get error responses.
 */
import { debugRefusal } from '../../core/debug/supported';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { formatLoadErrors, loadExperiment, type FileSource } from '../../core/experiment/load';
import { prepareExperiment } from '../../core/experiment/run';
import { installGuestCache } from '../guest-cache';
import { guestNameProblem, guestProgramName } from '../../core/guest/user';
import { DebugSession, type StopEvent } from '../../core/debug/session';
import { DebugError } from '../../core/debug/errors';
import { experimentLineTables } from '../../core/debug/programs';
import { sameFile } from '../../core/debug/lines';
import type { ThreadRef } from '../../core/debug/inspect';
import { fileSystemSource } from '../run/sources';
import { runGuestExperiment } from '../cli/commands/run-guest';
import { DapWire, type DapMessage } from './wire';

/** Machine time per run slice between looks at the request queue [cycles]. */
const SLICE = 2_000_000;
const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

interface LaunchArgs {
  program?: unknown; mode?: unknown; experiment?: unknown; cwd?: unknown; stopOnEntry?: unknown; snapshotEvery?: unknown;
  cpus?: unknown; vms?: unknown; vcpus?: unknown; model?: unknown;
}

export interface DapOptions {
  /** Working directory for relative launch paths. */
  cwd: string;
  /** Called once the client disconnected (the CLI exits). */
  onExit?: (code: number) => void;
}

export class DapAdapter {
  private readonly wire: DapWire;
  private session: DebugSession | null = null;
  private cwd: string;
  private running = false;
  private configured = false;
  private stopOnEntry = false;
  private printed = 0;
  private lastThread = 1;
  private exited = false;

  constructor(input: Readable, output: Writable, private readonly opts: DapOptions) {
    this.cwd = opts.cwd;
    // requests are handled one after the other (a launch reads files before the next request)
    this.wire = new DapWire(input, output, (m) => { this.queue = this.queue.then(() => this.dispatch(m)); }, (why) => this.wire.error(undefined, `malformed message: ${why}`));
  }

  private queue: Promise<void> = Promise.resolve();

  private async dispatch(m: DapMessage): Promise<void> {
    if (m.type !== 'request' || typeof m.command !== 'string' || typeof m.seq !== 'number') { this.wire.error(m, 'not a request (type "request", a command and a seq are needed)'); return; }
    const args = (m.arguments !== null && typeof m.arguments === 'object' ? m.arguments : {}) as Record<string, unknown>;
    try {
      await this.handle(m, m.command, args);
    } catch (e) {
      if (e instanceof DebugError) this.wire.error(m, `${e.message} (${e.code})`);
      else this.wire.error(m, `internal error: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  private need(): DebugSession {
    if (!this.session) throw new DebugError('E_BAD_ARGUMENT', 'nothing launched yet');
    return this.session;
  }

  private idle(): void { if (this.running) throw new DebugError('E_BAD_ARGUMENT', 'the program is running (pause it first)'); }

  private async handle(m: DapMessage, command: string, a: Record<string, unknown>): Promise<void> {
    switch (command) {
      case 'initialize':
        this.wire.response(m, {
          supportsConfigurationDoneRequest: true, supportsReadMemoryRequest: true, supportsStepBack: true, supportsTerminateRequest: true,
          supportsSteppingGranularity: false, supportsRestartRequest: false,
          exceptionBreakpointFilters: [
            { filter: 'syscall', label: 'System calls (ExcCode 8)', default: false },
            { filter: 'tlb', label: 'TLB misses (ExcCode 2, 3)', default: false },
            { filter: 'tlb-forward', label: 'Forwarded TLB misses (Disco)', default: false },
            { filter: 'migration', label: 'Page migrations (Disco)', default: false },
          ],
        });
        return;
      case 'launch': return this.launch(m, a as LaunchArgs);
      case 'setBreakpoints': {
        const s = this.need();
        const path = (a.source as { path?: unknown } | undefined)?.path;
        if (typeof path !== 'string') throw new DebugError('E_BAD_ARGUMENT', 'setBreakpoints needs source.path');
        const file = this.tableFile(s, path);
        s.clearBreakpoints('line', file ?? path);
        const wanted = Array.isArray(a.breakpoints) ? a.breakpoints as { line?: unknown }[] : [];
        const out = wanted.map((b) => {
          const line = typeof b?.line === 'number' ? b.line : NaN;
          if (!file) return { verified: false, line, message: 'no program with a line table has this file' };
          try {
            const bp = s.setBreakpoint({ kind: 'line', file, line });
            return { id: bp.id, verified: true, line: bp.line };
          } catch (e) {
            if (e instanceof DebugError) return { verified: false, line, message: e.message };
            throw e;
          }
        });
        this.wire.response(m, { breakpoints: out });
        return;
      }
      case 'setExceptionBreakpoints': {
        const s = this.need();
        s.clearBreakpoints('exception'); s.clearBreakpoints('monitor');
        const filters = Array.isArray(a.filters) ? a.filters : [];
        const out: { verified: boolean; message?: string }[] = [];
        for (const f of filters) {
          try {
            if (f === 'syscall') s.setBreakpoint({ kind: 'exception', code: 8 });
            else if (f === 'tlb') { s.setBreakpoint({ kind: 'exception', code: 2 }); s.setBreakpoint({ kind: 'exception', code: 3 }); }
            else if (f === 'tlb-forward') s.setBreakpoint({ kind: 'monitor', event: 'tlb.forward' });
            else if (f === 'migration') s.setBreakpoint({ kind: 'monitor', event: 'migration' });
            else throw new DebugError('E_BAD_ARGUMENT', `unknown filter ${String(f)}`);
            out.push({ verified: true });
          } catch (e) {
            if (!(e instanceof DebugError)) throw e;
            out.push({ verified: false, message: e.message });
          }
        }
        this.wire.response(m, { breakpoints: out });
        return;
      }
      case 'configurationDone':
        this.need();
        this.wire.response(m);
        this.configured = true;
        if (this.stopOnEntry) this.wire.event('stopped', { reason: 'entry', threadId: 1, allThreadsStopped: true });
        else this.go(() => this.need().startContinue());
        return;
      case 'threads': {
        const s = this.need();
        this.wire.response(m, { threads: s.inspect.threads().map((t, i) => ({ id: i + 1, name: `${t.name} (${t.state})` })) });
        return;
      }
      case 'stackTrace': {
        const s = this.need(), t = this.thread(a.threadId);
        const pc = s.inspect.pcOf(t), loc = s.locate(pc, t);
        const id = this.threadId(t);
        const frame = {
          id: id * 8, name: loc ? `${basename(loc.file)}:${loc.line} (${hex(pc)})` : hex(pc), line: loc?.line ?? 0, column: loc ? 1 : 0,
          instructionPointerReference: hex(pc),
          ...(loc && { source: { name: basename(loc.file), path: this.absolute(loc.file) } }),
        };
        this.wire.response(m, { stackFrames: [frame], totalFrames: 1 });
        return;
      }
      case 'scopes': {
        const s = this.need();
        const frameId = typeof a.frameId === 'number' ? a.frameId : -1;
        const t = this.thread(Math.floor(frameId / 8));
        const id = this.threadId(t);
        const scopes = [{ name: 'Registers', variablesReference: id * 8 + 1, expensive: false, presentationHint: 'registers' }, { name: 'CP0', variablesReference: id * 8 + 2, expensive: false }];
        if ('vcpu' in t && s.inspect.cpuOf(t)) scopes.push({ name: 'Hardware CP0', variablesReference: id * 8 + 3, expensive: false });
        this.wire.response(m, { scopes });
        return;
      }
      case 'variables': {
        const s = this.need();
        const ref = typeof a.variablesReference === 'number' ? a.variablesReference : -1;
        const t = this.thread(Math.floor(ref / 8)), kind = ref % 8;
        let vars: { name: string; value: string; variablesReference: 0; memoryReference?: string }[];
        if (kind === 1) {
          const r = s.inspect.registers(t);
          vars = r.names.map((n, i) => ({ name: i < 32 ? `$${n}` : n, value: hex(r.values[i]), variablesReference: 0 as const, memoryReference: hex(r.values[i]) }));
        } else if (kind === 2 || kind === 3) {
          const c = s.inspect.cp0(t);
          const regs = kind === 2 ? c.regs : c.hardware?.regs;
          if (!regs) throw new DebugError('E_NO_THREAD', 'the vCPU is not on a CPU');
          vars = Object.entries(regs).map(([n, v]) => ({ name: n, value: hex(v), variablesReference: 0 as const }));
        } else throw new DebugError('E_BAD_ARGUMENT', `no variables ${ref}`);
        this.wire.response(m, { variables: vars });
        return;
      }
      case 'continue': this.idle(); this.need(); this.wire.response(m, { allThreadsContinued: true }); this.go(() => this.need().startContinue()); return;
      case 'next': { this.idle(); const t = this.thread(a.threadId); this.wire.response(m); this.go(() => this.need().startNext(t)); return; }
      case 'stepIn': { this.idle(); const t = this.thread(a.threadId); this.wire.response(m); this.go(() => this.need().startStep(t)); return; }
      case 'stepOut': { this.idle(); const t = this.thread(a.threadId); this.wire.response(m); this.go(() => this.need().startStepOut(t)); return; }
      case 'stepBack': {
        this.idle();
        const t = this.thread(a.threadId);
        const e = this.need().stepBack(t, 1);
        this.wire.response(m);
        this.report(e);
        return;
      }
      case 'reverseContinue': {
        // back to the latest earlier breakpoint stop (or the oldest snapshot): replays, as stepBack does
        this.idle();
        const e = this.need().reverseContinue();
        this.wire.response(m);
        this.report(e);
        return;
      }
      case 'pause':
        this.need();
        this.wire.response(m);
        if (this.running) this.need().pause();
        else this.wire.event('stopped', { reason: 'pause', threadId: this.lastThread, allThreadsStopped: true });
        return;
      case 'readMemory': return this.readMemory(m, a);
      case 'evaluate': throw new DebugError('E_BAD_ARGUMENT', 'expressions are not supported (use the Registers scope and readMemory)');
      case 'disconnect':
      case 'terminate':
        this.running = false;
        this.wire.response(m);
        if (!this.exited) { this.exited = true; this.wire.event('terminated'); }
        if (command === 'disconnect') this.opts.onExit?.(0);
        return;
      default:
        throw new DebugError('E_BAD_ARGUMENT', `unsupported request '${command}'`);
    }
  }

  // ---- launch ----

  private async launch(m: DapMessage, a: LaunchArgs): Promise<void> {
    if (this.session) throw new DebugError('E_BAD_ARGUMENT', 'already launched');
    if (typeof a.cwd === 'string') this.cwd = resolve(this.opts.cwd, a.cwd);
    const files = fileSystemSource(this.cwd);
    let src: FileSource = files, expPath: string;
    if (typeof a.experiment === 'string') {
      expPath = a.experiment;
    } else if (typeof a.program === 'string') {
      const mode = a.mode ?? 'native';
      if (mode !== 'native' && mode !== 'disco') throw new DebugError('E_BAD_ARGUMENT', 'mode is "native" or "disco"');
      const count = (v: unknown, d: number, max: number, what: string) => {
        if (v === undefined) return d;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) throw new DebugError('E_BAD_ARGUMENT', `${what} must be 1..${max}`);
        return v;
      };
      const model = a.model ?? 'fast';
      if (model !== 'fast' && model !== 'timing') throw new DebugError('E_BAD_ARGUMENT', 'model is "fast" or "timing"');
      const prog = a.program, name = guestProgramName(prog);
      const bad = guestNameProblem(name);
      if (bad) throw new DebugError('E_BAD_ARGUMENT', `${prog}: ${bad}`);
      const exp = runGuestExperiment(name, basename(prog), {
        cpus: count(a.cpus, 1, 32, 'cpus'), ...(mode === 'disco' && { disco: count(a.vms, 1, 8, 'vms') }), vcpus: count(a.vcpus, 1, 32, 'vcpus'),
        variant: 'ksseg', memoryMB: 32, model, init: name, maxCycles: 2_000_000_000,
      });
      expPath = join(dirname(prog), `${name}.dap.json`);
      src = { ...files, readText: (p) => (p === expPath ? Promise.resolve(JSON.stringify(exp)) : files.readText(p)) };
    } else throw new DebugError('E_BAD_ARGUMENT', 'launch needs "program" (with "mode") or "experiment"');
    const every = a.snapshotEvery ?? 5_000_000;
    if (typeof every !== 'number' || !Number.isInteger(every) || every < 0) throw new DebugError('E_BAD_ARGUMENT', 'snapshotEvery is a whole number of cycles (0 = off)');
    const loaded = await loadExperiment(src, expPath);
    if (!loaded.ok) throw new DebugError('E_BAD_ARGUMENT', formatLoadErrors(loaded.errors));
    const { resolved, inputs } = loaded.value;
    const refused = debugRefusal(resolved.experiment);
    if (refused) throw new DebugError('E_BAD_ARGUMENT', `${expPath}: ${refused}`);
    installGuestCache();   // the guest build, cached across processes (docs/guest-os.md)
    const p = prepareExperiment(resolved, inputs);
    if (!p.ok) throw new DebugError('E_BAD_ARGUMENT', p.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
    const q = resolved.machine.quantumCycles;
    this.session = new DebugSession(p.value, { limits: resolved.limits, lines: experimentLineTables(resolved, inputs), snapshotEvery: every - (every % q) });
    this.stopOnEntry = a.stopOnEntry === true;
    this.wire.response(m);
    this.wire.event('initialized');
  }

  // ---- running ----

  private go(start: () => void): void {
    start();
    this.running = true;
    setImmediate(this.pump);
  }

  private readonly pump = (): void => {
    if (!this.running || !this.session) return;
    let e: StopEvent | null;
    try { e = this.session.advance(SLICE); } catch (err) {
      this.running = false;
      this.wire.event('output', { category: 'stderr', output: `disco-lab dap: the run failed: ${(err as Error).message}\n` });
      this.finish(1);
      return;
    }
    this.flushConsole();
    if (!e) { setImmediate(this.pump); return; }
    this.running = false;
    this.report(e);
  };

  private report(e: StopEvent): void {
    this.flushConsole();
    if (e.reason === 'end') {
      this.wire.event('output', { category: 'console', output: `run ended: ${e.end?.reason}${e.end?.exitCode !== null && e.end?.exitCode !== undefined ? ` (exit ${e.end.exitCode})` : ''}\n` });
      this.finish(e.end?.exitCode ?? 0);
      return;
    }
    const threadId = e.thread ? this.threadId(this.normalise(e.thread)) : this.lastThread;
    this.lastThread = threadId;
    const reason = e.reason === 'breakpoint' || e.reason === 'step' || e.reason === 'pause' || e.reason === 'exception' ? e.reason
      : e.reason === 'watchpoint' ? 'data breakpoint' : e.reason === 'monitor' ? 'exception' : 'goto';
    this.wire.event('stopped', { reason, description: e.description, threadId, allThreadsStopped: true, ...(e.breakpoint !== undefined && { hitBreakpointIds: [e.breakpoint] }) });
  }

  private finish(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.wire.event('exited', { exitCode: code });
    this.wire.event('terminated');
  }

  private flushConsole(): void {
    const s = this.session;
    if (!s) return;
    const out = s.machine.console.getState().out;
    if (out.length > this.printed) {
      this.wire.event('output', { category: 'stdout', output: Buffer.from(out.slice(this.printed)).toString('utf8') });
      this.printed = out.length;
    }
  }

  // ---- threads, files, memory ----

  private thread(id: unknown): ThreadRef {
    const s = this.need();
    const list = s.inspect.threads();
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > list.length) throw new DebugError('E_NO_THREAD', `no thread ${String(id)} (threads are 1..${list.length})`);
    return list[id - 1].ref;
  }

  private threadId(t: ThreadRef): number {
    return 'cpu' in t ? t.cpu + 1 : t.vcpu + 1;
  }

  /** A stop on a physical CPU under Disco is shown on the vCPU it runs (else the first). */
  private normalise(t: ThreadRef): ThreadRef {
    const s = this.need();
    if (!s.monitor || 'vcpu' in t) return t;
    const v = s.monitor.sched.cur[t.cpu];
    return { vcpu: v ? v.gid : 0 };
  }

  private absolute(file: string): string { return isAbsolute(file) ? file : resolve(this.cwd, file); }

  /** The line tables' name of the client's `path`. */
  private tableFile(s: DebugSession, path: string): string | undefined {
    const files = s.lines.flatMap((t) => t.files);
    return files.find((f) => this.absolute(f) === resolve(this.cwd, path)) ?? files.find((f) => sameFile(f, path));
  }

  private readMemory(m: DapMessage, a: Record<string, unknown>): void {
    const s = this.need();
    this.idle();
    const ref = a.memoryReference, count = a.count, offset = a.offset ?? 0;
    if (typeof ref !== 'string' || typeof count !== 'number' || typeof offset !== 'number') throw new DebugError('E_BAD_ARGUMENT', 'readMemory needs memoryReference, count (and an optional offset)');
    const parts = ref.split(':');
    const num = (x: string | undefined) => { const n = Number(x); if (x === undefined || x === '' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new DebugError('E_BAD_ADDRESS', `bad address '${ref}'`); return n; };
    let req: Parameters<DebugSession['inspect']['readMemory']>[0];
    if (parts[0] === 'machine' && parts.length === 2) req = { space: 'machine', addr: num(parts[1]) + offset, length: count };
    else if (parts[0] === 'guest' && parts.length === 3) req = { space: 'guest', vm: num(parts[1]), addr: num(parts[2]) + offset, length: count };
    else if (parts.length === 1) req = { space: 'virtual', thread: this.thread(this.lastThread), addr: num(parts[0]) + offset, length: count };
    else throw new DebugError('E_BAD_ADDRESS', `bad memory reference '${ref}' (ADDR, machine:ADDR or guest:VM:ADDR)`);
    const bytes = s.inspect.readMemory(req);
    this.wire.response(m, { address: hex(req.addr), data: Buffer.from(bytes).toString('base64') });
  }
}

/** Serves the protocol on `input`/`output` until the client disconnects (the promise then resolves with the exit code). */
export function serveDap(input: Readable, output: Writable, cwd: string): Promise<number> {
  return new Promise((done) => {
    const adapter = new DapAdapter(input, output, { cwd, onExit: done });
    void adapter;
    input.on('end', () => done(0));
  });
}
