/**
 * `disco-lab dap` (issue #17): a scripted session against the adapter in-process — launch a user
 * program on the guest OS, set a breakpoint by source line, continue, hit it, read registers and
 * memory, step (next, in, out, back), continue to the end; bad requests get error responses.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DapClient } from './client';

const PROGRAM = `# a user program with a call, for the debugger
        .text
        .globl  __start
        .set    noreorder
__start:
        li      $s0, 41
        jal     bump
        nop
        move    $a0, $s0            # line 9: after the call
        li      $v0, 4001           # exit($s0)
        syscall
bump:
        addiu   $s0, $s0, 1         # line 13
        jr      $ra
        nop
`;

function programDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'disco-dap-'));
  writeFileSync(join(dir, 'bump.s'), PROGRAM);
  return dir;
}

describe('disco-lab dap', () => {
  for (const mode of ['native', 'disco'] as const) {
    it(`${mode}: breakpoint by line, registers, next / stepIn / stepOut / stepBack, memory, to the end`, async () => {
      const dir = programDir();
      const c = new DapClient(dir);
      const init = await c.request('initialize', { adapterID: 'disco-lab' });
      expect(init.success).toBe(true);
      expect(init.body.supportsReadMemoryRequest).toBe(true);
      const launch = await c.request('launch', { program: 'bump.s', mode, snapshotEvery: 1_000_000 });
      expect(launch.success, launch.message).toBe(true);
      await c.wait((m) => m.event === 'initialized');
      const bps = await c.request('setBreakpoints', { source: { path: join(dir, 'bump.s') }, breakpoints: [{ line: 7 }, { line: 2 }] });
      expect(bps.body.breakpoints[0]).toMatchObject({ verified: true, line: 7 });
      expect(bps.body.breakpoints[1]).toMatchObject({ verified: true, line: 6 });   // a line without code moves to the next one with code
      // keep only line 7 (`jal bump`)
      await c.request('setBreakpoints', { source: { path: join(dir, 'bump.s') }, breakpoints: [{ line: 7 }] });
      let n = c.messages.length;
      expect((await c.request('configurationDone')).success).toBe(true);
      let stopped = await c.nextEvent('stopped', n);
      expect(stopped.body.reason).toBe('breakpoint');
      const threadId = stopped.body.threadId;
      const threads = await c.request('threads');
      expect(threads.body.threads[0].name).toMatch(mode === 'disco' ? /vCPU 0/ : /CPU 0/);

      const frame = async () => (await c.request('stackTrace', { threadId })).body.stackFrames[0];
      let f = await frame();
      expect(f.source.path).toBe(join(dir, 'bump.s'));
      expect(f.line).toBe(7);
      const scopes = await c.request('scopes', { frameId: f.id });
      expect(scopes.body.scopes.map((s: { name: string }) => s.name)).toContain('Registers');
      const regs = await c.request('variables', { variablesReference: scopes.body.scopes[0].variablesReference });
      const reg = (name: string) => regs.body.variables.find((v: { name: string }) => v.name === name).value;
      expect(reg('$s0')).toBe('0x00000029');   // li $s0, 41 ran
      expect(reg('pc')).toBe(f.instructionPointerReference);
      // the instruction at the pc: jal (opcode 3)
      const mem = await c.request('readMemory', { memoryReference: f.instructionPointerReference, count: 4 });
      expect(mem.success).toBe(true);
      expect(Buffer.from(mem.body.data, 'base64')[0] >> 2).toBe(3);

      // next: over the call, to line 9
      n = c.messages.length;
      await c.request('next', { threadId });
      expect((await c.nextEvent('stopped', n)).body.reason).toBe('step');
      f = await frame();
      expect(f.line).toBe(9);
      // step back, one instruction at a time, through bump and the call: the breakpoint at line 7
      // does not stop the replay
      const back: number[] = [];
      for (let i = 0; i < 5; i++) {
        n = c.messages.length;
        expect((await c.request('stepBack', { threadId })).success).toBe(true);
        expect((await c.nextEvent('stopped', n)).body.reason).toBe('step');
        back.push((await frame()).line);
      }
      expect(back).toEqual([15, 14, 13, 8, 7]);
      for (const expectLine of [8, 13]) {
        n = c.messages.length;
        await c.request('stepIn', { threadId });
        await c.nextEvent('stopped', n);
        expect((await frame()).line).toBe(expectLine);
      }
      n = c.messages.length;
      await c.request('stepOut', { threadId });
      await c.nextEvent('stopped', n);
      expect((await frame()).line).toBe(9);
      // reverse continue: back to the last breakpoint stop (line 7), then forward again
      n = c.messages.length;
      expect((await c.request('reverseContinue', { threadId })).success).toBe(true);
      const rev = await c.nextEvent('stopped', n);
      expect(rev.body).toMatchObject({ reason: 'breakpoint', description: expect.stringMatching(/reverse continue/) });
      expect((await frame()).line).toBe(7);
      n = c.messages.length;
      await c.request('next', { threadId });
      await c.nextEvent('stopped', n);
      expect((await frame()).line).toBe(9);

      n = c.messages.length;
      await c.request('continue', { threadId });
      const exited = await c.nextEvent('exited', n);
      expect(exited.body.exitCode).toBe(mode === 'native' ? 42 & 0xff : 42);
      await c.nextEvent('terminated', n);
      expect((await c.request('disconnect')).success).toBe(true);
      expect(c.exitCode).toBe(0);
    }, 300_000);
  }

  it('experiment launch: a bare-metal program on 8 CPUs, a breakpoint on one line stops CPU 0 there', async () => {
    const root = join(__dirname, '..', '..', '..');
    const c = new DapClient(root);
    await c.request('initialize', {});
    const l = await c.request('launch', { experiment: 'resources/examples/experiments/bare-hello.json', snapshotEvery: 0 });
    expect(l.success, l.message).toBe(true);
    const src = join(root, 'resources', 'examples', 'programs', 'bare-hello.s');
    const bps = await c.request('setBreakpoints', { source: { path: src }, breakpoints: [{ line: 37 }] });
    expect(bps.body.breakpoints[0]).toMatchObject({ verified: true, line: 37 });
    const n = c.messages.length;
    await c.request('configurationDone');
    const stopped = await c.nextEvent('stopped', n);
    expect(stopped.body).toMatchObject({ reason: 'breakpoint', threadId: 1 });
    expect((await c.request('threads')).body.threads).toHaveLength(8);
    const f = (await c.request('stackTrace', { threadId: 1 })).body.stackFrames[0];
    expect(f.source.path).toBe(src);
    expect(f.line).toBe(37);
    // machine-physical memory by reference: the same bytes as the kseg0 pc
    const a = await c.request('readMemory', { memoryReference: f.instructionPointerReference, count: 8 });
    const b = await c.request('readMemory', { memoryReference: `machine:${Number(f.instructionPointerReference) & 0x1fffffff}`, count: 8 });
    expect(a.body.data).toBe(b.body.data);
    // stepBack without snapshots: a clear error, and the session goes on
    expect((await c.request('stepBack', { threadId: 1 })).message).toMatch(/no snapshot/);
    expect((await c.request('reverseContinue', { threadId: 1 })).message).toMatch(/no snapshots/);
    await c.request('setBreakpoints', { source: { path: src }, breakpoints: [] });
    const m = c.messages.length;
    await c.request('continue', { threadId: 1 });
    expect((await c.nextEvent('exited', m)).body.exitCode).toBe(0);
    const out = c.messages.filter((x) => x.event === 'output').map((x) => x.body.output).join('');
    expect(out).toMatch(/hello from CPU 0/);
  }, 120_000);

  it('pause: a running workload stops between slices; it continues to the end', async () => {
    const root = join(__dirname, '..', '..', '..');
    const c = new DapClient(root);
    await c.request('initialize', {});
    expect((await c.request('launch', { experiment: 'resources/examples/experiments/pmake-native-1cpu.json', snapshotEvery: 0 })).success).toBe(true);
    let n = c.messages.length;
    await c.request('configurationDone');
    // the adapter runs in slices and takes requests in between
    expect((await c.request('pause', { threadId: 1 })).success).toBe(true);
    const stopped = await c.nextEvent('stopped', n);
    expect(stopped.body.reason).toBe('pause');
    expect(c.messages.some((m) => m.event === 'exited')).toBe(false);
    const f = (await c.request('stackTrace', { threadId: 1 })).body.stackFrames[0];
    expect(f.instructionPointerReference).toMatch(/^0x[0-9a-f]{8}$/);
    expect((await c.request('continue', { threadId: 1 })).success).toBe(true);
    n = c.messages.length;
    expect((await c.request('next', { threadId: 1 })).message).toMatch(/running/);   // not while it runs
    expect((await c.nextEvent('exited', n)).body.exitCode).toBe(0);
  }, 120_000);

  it('answers malformed and bad requests with error responses', async () => {
    const c = new DapClient(programDir());
    c.raw('Content-Length: 5\r\n\r\nnot j');
    const bad = await c.wait((m) => m.type === 'response' && m.success === false);
    expect(bad.message).toMatch(/not JSON/);
    expect((await c.request('threads')).message).toMatch(/nothing launched/);
    expect((await c.request('frobnicate')).message).toMatch(/unsupported request/);
    expect((await c.request('launch', {})).success).toBe(false);
    expect((await c.request('launch', { program: 'missing.s', mode: 'native' })).success).toBe(false);
    expect((await c.request('launch', { program: 'bump.s', mode: 'sideways' })).message).toMatch(/mode/);
    const ok = await c.request('launch', { program: 'bump.s', mode: 'native', stopOnEntry: true });
    expect(ok.success, ok.message).toBe(true);
    expect((await c.request('stackTrace', { threadId: 99 })).message).toMatch(/no thread 99/);
    expect((await c.request('readMemory', { memoryReference: 'machine:0x7fffffff', count: 4 })).success).toBe(false);
    expect((await c.request('readMemory', { memoryReference: 'nonsense:1:2:3', count: 4 })).success).toBe(false);
    expect((await c.request('variables', { variablesReference: 'x' })).success).toBe(false);
    // still serving
    expect((await c.request('threads')).body.threads).toHaveLength(1);
  }, 120_000);
});

describe('disco-lab dap as a process', () => {
  it('speaks the protocol on stdin/stdout and exits after disconnect', async () => {
    const { spawn } = await import('node:child_process');
    const root = join(__dirname, '..', '..', '..');
    const p = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'src', 'main', 'cli', 'index.ts'), 'dap'], { cwd: programDir(), stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    const send = (seq: number, command: string) => {
      const body = JSON.stringify({ seq, type: 'request', command, arguments: { adapterID: 'x' } });
      p.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    send(1, 'initialize');
    send(2, 'disconnect');
    const code = await new Promise<number | null>((done) => p.on('exit', done));
    expect(code).toBe(0);
    expect(out).toMatch(/"command":"initialize".*"supportsStepBack":true/s);
    expect(out).toMatch(/"command":"disconnect"/);
  }, 60_000);
});
