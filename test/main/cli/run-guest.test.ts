// `disco-lab run-guest`: a user program as the guest OS's first process, natively and under
// Disco — standard output exactly the program's bytes, kernel messages on standard error, the
// program's exit status (128 + ExcCode when the kernel kills it), the record and the experiment
// it can save; run-user's program runs unchanged and gives the same output and status.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/main';
import { RUN_RECORD_SCHEMA } from '../../../src/core/experiment/run-record-schema';
import { validateJson } from '../../../src/core/experiment/json-schema';
import { validateExperiment } from '../../../src/core/experiment/config';
import { assemble } from '../../../src/core/asm/index';

const tmp = mkdtempSync(join(tmpdir(), 'disco-run-guest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[], stdin?: string) {
  let err = '';
  const out: Buffer[] = [];
  const code = await runCli(args, {
    out: (t) => { out.push(Buffer.from(t)); }, outBytes: (b) => { out.push(Buffer.from(b)); }, err: (t) => { err += t; }, cwd: tmp,
    ...(stdin !== undefined && { stdin: () => new Uint8Array(Buffer.from(stdin)) }),
  });
  return { code, out: Buffer.concat(out), err };
}

/** Echoes stdin (up to 64 bytes) after its arguments, then 0xff and no newline; exits with argc. */
const ECHO = `        .text
        .globl  __start
__start:
        lw      $s0, 0($sp)             # argc
        li      $s1, 1
1:      beq     $s1, $s0, 3f
        sll     $t0, $s1, 2
        addu    $t0, $t0, $sp
        lw      $a1, 4($t0)             # argv[i]
        move    $a2, $zero
2:      addu    $t1, $a1, $a2
        lbu     $t1, 0($t1)
        beqz    $t1, 21f
        addiu   $a2, $a2, 1
        b       2b
21:     li      $a0, 1
        li      $v0, 4004
        syscall
        addiu   $s1, $s1, 1
        b       1b
3:      li      $a0, 0
        la      $a1, buf
        li      $a2, 64
        li      $v0, 4003
        syscall
        move    $a2, $v0
        li      $a0, 1
        la      $a1, buf
        li      $v0, 4004
        syscall
        li      $a0, 1
        la      $a1, ff
        li      $a2, 1
        li      $v0, 4004
        syscall
        move    $a0, $s0
        li      $v0, 4001
        syscall
        .data
ff:     .byte   0xff
buf:    .space  64
`;
/** ECHO without the read: run-user reads the real standard input, which a test must not. */
const ARGS = ECHO.replace(/3:      li      \$a0, 0\n[\s\S]*?li      \$v0, 4004\n        syscall\n        li      \$a0, 1\n/, '3:      li      $a0, 1\n');
const SEGV = '        .text\n        .globl __start\n__start:\n        lw $t0, 16($zero)\n';

describe('disco-lab run-guest', () => {
  writeFileSync(join(tmp, 'echo.s'), ECHO);
  writeFileSync(join(tmp, 'args.s'), ARGS);

  it('is listed in --help', async () => {
    expect((await cli(['--help'])).out.toString()).toMatch(/\n {2}run-guest +run a user program/);
  });

  it('natively: standard output is exactly the program\'s bytes, the kernel\'s lines go to stderr, the status is the program\'s', async () => {
    const r = await cli(['run-guest', 'echo.s', '--', 'ab', 'cd'], 'in\n');
    expect(r.out.toString('latin1')).toBe('abcdin\n\xff');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^disco-guest kernel \(kseg0\) booting on 1 CPU\(s\), 32 MiB RAM\nfs: 27 files\ninit: echo ab cd\n\ninit exited with status 3; .* output=8\n$/);
  });

  it('the same output and status as run-user (and --init sets the whole command line)', async () => {
    expect(ARGS).not.toContain('4003');
    const u = await cli(['run-user', 'args.s', 'x']);
    const g = await cli(['run-guest', 'args.s', '--init', 'args x', '--cpus', '2']);
    expect(g.code).toBe(u.code);
    expect(g.code).toBe(2);
    expect(g.out.toString('latin1')).toBe('x\xff');
    expect(u.out.toString('utf8')).toBe('x\ufffd');     // run-user decodes its output as UTF-8
    expect(g.err).toContain('booting on 2 CPU(s)');
  });

  it('under Disco: VM 0\'s output on stdout, the other VMs summarised on stderr; record and saved experiment', async () => {
    expect((await cli(['run-guest', 'echo.s', '--disco', '2', '--save', 'exp/echo.json'])).err).toMatch(/^run-guest: --save exp\/echo\.json: the folder .* does not exist\n$/);
    mkdirSync(join(tmp, 'exp'));
    const r = await cli(['run-guest', 'echo.s', '--disco', '2', '--cpus', '2', '--vcpus', '2', '--json', 'rec.json', '--save', 'exp/echo.json', '--', 'q'], 'z');
    expect(r.out.toString('latin1')).toBe('qz\xff');
    expect(r.code).toBe(2);
    expect(r.err).toContain('disco-guest kernel (ksseg) booting on 2 CPU(s)');
    expect(r.err).toContain('[vm1] exit 2; output identical to vm0\'s\n');
    const rec = JSON.parse(readFileSync(join(tmp, 'rec.json'), 'utf8'));
    expect(validateJson(RUN_RECORD_SCHEMA, rec)).toEqual([]);
    expect(rec).toMatchObject({ mode: 'disco', cpuCount: 2, experiment: { guest: { programs: ['echo.s'], init: 'echo q' } } });
    expect(rec.vms.map((v: { name: string; exitCode: number }) => [v.name, v.exitCode])).toEqual([['vm0', 2], ['vm1', 2]]);
  }, 60_000);

  it('--save writes an experiment that validates and runs the same program (path relative to it)', async () => {
    const saved = JSON.parse(readFileSync(join(tmp, 'exp/echo.json'), 'utf8'));
    expect(validateExperiment(saved).ok).toBe(true);
    expect(saved).toMatchObject({ mode: 'disco', guest: { programs: ['../echo.s'], init: 'echo q' }, vms: [{ vcpus: 2, copies: 2, variant: 'ksseg' }] });
    const run = await cli(['run', 'exp/echo.json', '--quiet']);
    expect(run.code).toBe(2);
    expect(run.out.toString()).toContain('[vm0] q\ufffd\n[vm0] init exited with status 2;');   // the machine console: UTF-8 text
  });

  it('runs an ELF, and a program the kernel kills exits 128 + ExcCode, as run-user does', async () => {
    const a = assemble([{ path: 'segv.s', text: SEGV }], { elf: true });
    writeFileSync(join(tmp, 'segv.elf'), a.elf!);
    const u = await cli(['run-user', 'segv.elf']);
    const g = await cli(['run-guest', 'segv.elf']);
    const d = await cli(['run-guest', 'segv.elf', '--disco', '1', '--variant', 'hal']);
    expect(u.code).toBe(128 + 2);          // TLBL
    expect(g.code).toBe(u.code);
    expect(d.code).toBe(u.code);
    expect(g.out.length).toBe(0);
    expect(g.err).toMatch(/killed pid 1 \(segv\): TLBL at pc=0x00400000 badvaddr=0x00000010\n/);
  }, 60_000);

  it('reports the program\'s assembler errors as file:line:col, usage errors with exit 2, a limit with 124', async () => {
    writeFileSync(join(tmp, 'bad.s'), '        .text\n        frob $t0\n');
    const bad = await cli(['run-guest', 'bad.s']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^bad\.s:2:\d+: .*frob/);
    expect((await cli(['run-guest', 'gone.s'])).err).toBe('gone.s does not exist\n');
    expect((await cli(['run-guest'])).code).toBe(2);
    expect((await cli(['run-guest', 'echo.s', '--cpus', '0'])).code).toBe(2);
    expect((await cli(['run-guest', 'echo.s', '--vcpus', '2'])).err).toMatch(/apply under Disco/);
    writeFileSync(join(tmp, 'spin.s'), '        .text\n        .globl __start\n__start:\n1:      b 1b\n        nop\n');
    const spin = await cli(['run-guest', 'spin.s', '--max-cycles', '2000000']);
    expect(spin.code).toBe(124);
    expect(spin.err).toMatch(/run-guest: stopped \(maxCycles\) after 2,000,000 cycles; raise --max-cycles\n/);
  }, 60_000);
});
