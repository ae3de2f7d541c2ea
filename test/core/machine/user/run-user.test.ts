/**
 * The user-mode runner and the `disco-lab run-user` command: output, exit status, fault reports
 * (cause, pc, source line), --stats, --max-instructions, and the kernel-less TLB refill path
 * (user addresses go through the TLB; refills and syscalls are charged as kernel time).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../src/main/cli/main';
import { gnuBuild, missingTools, runOurs } from '../cpu/tools';

const skip = missingTools('mips-linux-gnu-as', 'mips-linux-gnu-ld', 'mips-linux-gnu-addr2line');
const dir = mkdtempSync(join(tmpdir(), 'disco-run-user-'));

const HELLO = `    .text
    .globl __start
__start:
    li $v0, 4004
    li $a0, 1
    la $a1, msg
    li $a2, 6
    syscall
    li $v0, 4001
    li $a0, 7
    syscall
    .data
msg: .ascii "hello\\n"
`;
const FAULT = `    .set noreorder
    .text
    .globl __start
__start:
    li $t0, 0x20
    b 1f
    lw $t1, 0($t0)
1:  li $v0, 4001
    syscall
`;
const LOOP = `    .text
    .globl __start
__start:
    b __start
    nop
`;

async function cli(args: string[]) {
  let out = '', err = '';
  const code = await runCli(['run-user', ...args], { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: dir });
  return { code, out, err };
}

describe.skipIf(skip !== undefined)('disco-lab run-user', () => {
  it('runs a .s program (project assembler, and --gnu-as): prints its output and exits with its status', async () => {
    writeFileSync(join(dir, 'hello.s'), HELLO);
    for (const extra of [[], ['--gnu-as']]) {
      const r = await cli(['hello.s', ...extra]);
      expect(r.out).toBe('hello\n');
      expect(r.code).toBe(7);
    }
  });
  it('assembler errors are reported as file:line:col and exit 1', async () => {
    writeFileSync(join(dir, 'bad.s'), '    .text\n    frobnicate $t0\n');
    const r = await cli(['bad.s']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^bad\.s:2:\d+: error: /);
  });
  it('runs an .elf and prints --stats to stderr', async () => {
    const elf = gnuBuild(HELLO, { name: 'hello' });
    const r = await cli([elf, '--stats']);
    expect(r.out).toBe('hello\n');
    expect(r.err).toMatch(/^instructions 9\ncycles \d+ \(user 10, kernel \d+, stall 0\)/);
    expect(r.err).toMatch(/guest MIPS \(fast\)/);
  });
  it('reports a fault with cause, pc, delay slot, badvaddr and source line, exit non-zero', async () => {
    writeFileSync(join(dir, 'fault.s'), FAULT);
    for (const extra of [[], ['--gnu-as']]) {
      const r = await cli(['fault.s', ...extra]);
      expect(r.code).not.toBe(0);
      expect(r.err).toContain('fault: TLBL (ExcCode 2)');
      expect(r.err).toMatch(/pc {7}0x00400008 <__start\+0x8> \(in a branch delay slot\)/);
      expect(r.err).toContain('badvaddr 0x00000020');
      expect(r.err).toMatch(/fault\.s:7/);
    }
  });
  it('--max-instructions stops a runaway program (exit 124)', async () => {
    writeFileSync(join(dir, 'loop.s'), LOOP);
    const r = await cli(['loop.s', '--max-instructions', '1000']);
    expect(r.code).toBe(124);
    expect(r.err).toContain('stopped after 1000 instructions');
  });
  it('usage errors exit 2', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['x.elf', '--model', 'slow'])).code).toBe(2);
  });
});

describe.skipIf(skip !== undefined)('user-mode runner', () => {
  it('translates user addresses through the TLB: refills are counted and charged as kernel time', () => {
    const elf = gnuBuild(HELLO, { name: 'hello2' });
    const r = runOurs(elf);
    expect(r.status).toBe(7);
    const c = r.proc.cpu;
    expect(c.counters.tlbRefill).toBeGreaterThanOrEqual(1);     // the text page (write() copies data in TypeScript)
    // + 1: the first fetch takes a refill, and a fetch that faults costs a cycle without issuing
    expect(c.buckets.user).toBe(c.counters.instructions + 1);
    expect(c.buckets.kernel).toBeGreaterThan(0);
    expect(c.buckets.user + c.buckets.kernel).toBe(c.cycle);
    expect(c.mode).toBe(2);                                      // ran in user mode
  });
  it('fast and timing models give identical output and instruction counts', () => {
    const elf = gnuBuild(HELLO, { name: 'hello3' });
    const a = runOurs(elf, { model: 'fast' }), b = runOurs(elf, { model: 'timing' });
    expect(b.stdout.toString()).toBe(a.stdout.toString());
    expect(b.instructions).toBe(a.instructions);
  });
});
