/**
 * Test helpers: GNU binutils (independent assembler), qemu-mips (reference for user-level
 * semantics), our user-mode runner, and a bare-metal harness for the privileged suite.
 *
 * Tools missing locally → the tests that need them are skipped with a printed reason; in CI
 * (`process.env.CI`) a missing tool is a failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CpuModelId } from '../../../../src/core/machine/cpu/core';
import { parseElf, type ElfImage } from '../../../../src/core/machine/user/elf';
import { UserProcess, type UserOutcome } from '../../../../src/core/machine/user/runner';
import type { MemoryTiming } from '../../../../src/core/machine/contracts';

export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** Returns undefined when all tools exist; otherwise a reason to skip (throws in CI). */
export function missingTools(...cmds: string[]): string | undefined {
  const missing = cmds.filter((c) => !have(c));
  if (missing.length === 0) return undefined;
  const reason = `missing ${missing.join(', ')} (apt-get install binutils-mips-linux-gnu qemu-user)`;
  if (process.env.CI) throw new Error(`CI: ${reason}`);
  console.warn(`skipping: ${reason}`);
  return reason;
}

/** Linker script of the conformance programs (test/fixtures/conformance/prelude.inc describes the layout), at KERNBASE `base`. */
const bareLds = (base: number) => `ENTRY(__start)
SECTIONS {
  . = 0x${base.toString(16)};
  .text : AT(0) { *(.text) }
  .data 0x${(base + 0x40000).toString(16)} : AT(0x40000) { *(.data) *(.sdata) *(.bss) *(.sbss) }
  .utext 0x00400000 : AT(0x00080000) { *(.utext) }
  /DISCARD/ : { *(.MIPS.abiflags) *(.reginfo) *(.pdr) *(.gnu.attributes) *(.comment) }
}
`;

const WORK = mkdtempSync(join(tmpdir(), 'disco-cpu-test-'));
let seq = 0;

/** Assemble + link a source with GNU binutils; returns the ELF path (throws with as/ld output on error). */
/** `bare`: link as a bare-metal kernel at KERNBASE `kernbase` (default 0x80000000). */
export function gnuBuild(source: string, opts: { bare?: boolean; kernbase?: number; name?: string } = {}): string {
  const base = join(WORK, `${opts.name ?? 'prog'}-${seq++}`);
  writeFileSync(`${base}.s`, source);
  const as = spawnSync('mips-linux-gnu-as', ['-march=mips32', '-O0', `${base}.s`, '-o', `${base}.o`], { encoding: 'utf8' });
  if (as.status !== 0) throw new Error(`as failed:\n${as.stderr}`);
  // user programs: text segment at 0x00400000 (-Ttext-segment: with plain -Ttext, ld places
  // .MIPS.abiflags inside .text for some programs), data at 0x10000000.
  // bare programs: from KERNBASE (vectors at +0 / +0x180), see bareLds.
  let ldArgs = ['-static', '-e', '__start', '-Ttext-segment=0x00400000', '-Tdata=0x10000000'];
  if (opts.bare) { writeFileSync(`${base}.lds`, bareLds(opts.kernbase ?? 0x80000000)); ldArgs = ['-static', '-e', '__start', '-T', `${base}.lds`]; }
  const ld = spawnSync('mips-linux-gnu-ld', [...ldArgs, `${base}.o`, '-o', `${base}.elf`], { encoding: 'utf8' });
  if (ld.status !== 0) throw new Error(`ld failed:\n${ld.stderr}`);
  return `${base}.elf`;
}

export function loadElf(path: string): ElfImage {
  const img = parseElf(new Uint8Array(readFileSync(path)));
  if ('error' in img) throw new Error(img.error);
  return img;
}

export interface RunOutput { stdout: Buffer; status: number | string }

/** Run under qemu-mips. status: exit code, or the signal name when killed. */
export function runQemu(elf: string, stdin = ''): RunOutput {
  const r = spawnSync('qemu-mips', [elf], { input: stdin, maxBuffer: 1 << 26 });
  return { stdout: r.stdout, status: r.status ?? (r.signal as string) };
}

export interface OursOutput extends RunOutput { outcome: UserOutcome; instructions: number; cycles: number; proc: UserProcess }

/** Run under our user-mode runner. status: exit code, or 'fault:<cause>'. */
/**
 * `jit`: 'off' = pure interpreter; 'eager' = compile every block on its first visit (so
 * straight-line test code goes through the block compiler); default = the normal threshold.
 */
export function runOurs(elf: string, opts: { model?: CpuModelId; stdin?: string; max?: number; timing?: MemoryTiming; jit?: 'off' | 'eager' } = {}): OursOutput {
  const out: Buffer[] = [];
  let input = Buffer.from(opts.stdin ?? '');
  const proc = new UserProcess(loadElf(elf), {
    model: opts.model ?? 'fast', memoryBytes: 32 << 20, ...(opts.timing && { timing: opts.timing }),
    io: {
      write: (_fd, d) => { out.push(Buffer.from(d)); },
      read: (_fd, n) => { const c = input.subarray(0, n); input = input.subarray(c.length); return new Uint8Array(c); },
    },
  });
  if (opts.jit === 'off') proc.cpu.jit = false;
  if (opts.jit === 'eager') proc.cpu.jitThreshold = 1;
  const res = proc.run(opts.max ?? 50_000_000);
  const o = res.outcome;
  const status = o.kind === 'exited' ? o.status : o.kind === 'fault' ? `fault:${o.fault.cause}` : 'limit';
  return { stdout: Buffer.concat(out), status, outcome: o, instructions: res.instructions, cycles: res.cycles, proc };
}

/** A deterministic toy MemoryTiming for co-simulation: stalls depend on the address. */
export function toyTiming(): MemoryTiming & { accesses: number } {
  const t = {
    accesses: 0,
    access(_cpu: number, paddr: number, kind: number) { t.accesses++; return ((paddr >>> 5) + kind) % 7 === 0 ? 30 : 0; },
    uncachedAccess(_cpu: number, paddr: number) { t.accesses++; return 40 + ((paddr >>> 2) & 3); },
    missCount: () => 0, resetMissCounts: () => {}, invalidatePage: () => {},
  };
  return t;
}
