/**
 * Programs written for `disco-lab run-user` / qemu-mips run unchanged as guest processes: the
 * user-level differential corpus (test/fixtures/cpu/diff/*.s, compared against qemu-mips in
 * test/core/machine/cpu/differential.test.ts) runs as the first process of the guest OS —
 * natively (kseg0 kernel) and under Disco in 1 and 2 VMs (ksseg kernel) — as a `.s` assembled
 * for the guest and as the ELF GNU binutils link, through the one experiment loader and runner
 * with `guest`. Standard output (the bytes the kernel counts as the program's) and the exit
 * status must equal qemu-mips's and run-user's; a program the kernel kills for an exception
 * must die of the signal qemu-mips reports for it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemorySource, formatLoadErrors, loadExperiment } from '../../../src/core/experiment/load';
import { runExperiment } from '../../../src/core/experiment/run';
import { splitGuestConsole } from '../../../src/core/guest/console';
import { gnuBuild, missingTools, runOurs, runQemu } from '../machine/cpu/tools';
import { GUEST, ROOT } from './guest';

const FIX = join(ROOT, 'test/fixtures/cpu/diff');
const PRELUDE = readFileSync(join(FIX, 'prelude.inc'), 'utf8');
const STDIN = 'hello, disco\n';
const skip = missingTools('mips-linux-gnu-as', 'mips-linux-gnu-ld', 'qemu-mips');

/**
 * Programs a guest process cannot run identically, and why. `muldiv.s` keeps results in $k0
 * (OUTHILO: `mfhi $k0; sw $k0, …`); the o32 ABI reserves $k0/$k1 for the kernel, and the guest's
 * TLB-refill handler uses them — as every MIPS kernel, Linux's included, does — so the first
 * store to a page not yet in the TLB stores what the handler left there. qemu-mips emulates no
 * kernel, so the registers survive there.
 */
const EXCLUDED: Record<string, string> = {
  'muldiv.s': '$k0/$k1 are the kernel\'s (o32 ABI): the guest\'s TLB-refill handler changes them between `mfhi $k0` and the store of $k0',
};

/** The signal qemu-mips dies of for each exception the kernel kills a process for (as in differential.test.ts). */
const SIGNAL_OF: Record<string, string> = {
  Ov: 'SIGFPE', Tr: 'SIGTRAP', Bp: 'SIGTRAP', RI: 'SIGILL', CpU: 'SIGILL',
  AdEL: 'SIGBUS', AdES: 'SIGBUS', TLBL: 'SIGSEGV', TLBS: 'SIGSEGV', Mod: 'SIGSEGV',
};

const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.s') ? [join(d, e.name)] : []));
const GUEST_SOURCES = Object.fromEntries(walk(GUEST).map((f) => [relative(GUEST, f).split('\\').join('/'), readFileSync(f, 'utf8')]));
const PRESETS = { 'flash-8node': readFileSync(join(ROOT, 'resources/machines/flash-8node.json'), 'utf8') };

interface GuestRun { stdout: Buffer; status: number | string; exact: boolean; console: string }

/** Runs `file` (a .s text or ELF bytes) as the guest's init process: natively, or in `vms` VMs on as many CPUs. */
async function runGuest(name: string, program: { s: string } | { elf: Uint8Array }, vms: number): Promise<GuestRun[]> {
  const path = 's' in program ? `programs/${name}.s` : `programs/${name}.elf`;
  const exp = {
    name, machine: 'flash-8node', machineOverrides: { nodes: Math.max(1, vms), cpuModel: 'fast' },
    mode: vms ? 'disco' : 'native', ...(vms && { vms: [{ name: 'vm', memoryMB: 12, copies: vms }] }),
    guest: { programs: [`../${path}`], init: name },
    console: { input: `${name}\n${STDIN}` },
    limits: { maxCycles: 200_000_000 },
  };
  const src = createMemorySource({ 'experiments/x.json': JSON.stringify(exp), [path]: 's' in program ? program.s : program.elf }, PRESETS, GUEST_SOURCES);
  const loaded = await loadExperiment(src, 'experiments/x.json');
  if (!loaded.ok) throw new Error(formatLoadErrors(loaded.errors));
  const run = runExperiment(loaded.value.resolved, loaded.value.inputs);
  if (!run.ok) throw new Error(JSON.stringify(run.errors));
  expect(run.value.result.reason).toBe('exit');
  const consoles = run.value.monitor ? run.value.monitor.vms.map((v) => v.consoleOut) : [run.value.machine.console.getState().out];
  return consoles.map((bytes) => {
    const c = splitGuestConsole(bytes);
    const status = c.killedBy !== undefined ? SIGNAL_OF[c.killedBy] ?? `killed: ${c.killedBy}` : c.status ?? 'no exit';
    return { stdout: Buffer.from(c.output), status, exact: c.exact, console: Buffer.from(bytes).toString('latin1') };
  });
}

const corpus = readdirSync(FIX).filter((f) => f.endsWith('.s')).sort();

describe.skipIf(skip !== undefined)('the differential corpus as guest processes: same output and status as qemu-mips and run-user', () => {
  it('excludes only programs that exist, each with a reason', () => {
    for (const [f, why] of Object.entries(EXCLUDED)) { expect(corpus).toContain(f); expect(why.length).toBeGreaterThan(20); }
    expect(corpus.length - Object.keys(EXCLUDED).length).toBeGreaterThanOrEqual(13);
  });

  for (const file of corpus.filter((f) => !EXCLUDED[f])) {
    it(file, async () => {
      const name = file.replace(/\.s$/, '');
      const text = PRELUDE + readFileSync(join(FIX, file), 'utf8');
      const elfPath = gnuBuild(text, { name: `guest-${name}` });
      const q = runQemu(elfPath, STDIN);
      const u = runOurs(elfPath, { stdin: STDIN });
      const uStatus = typeof u.status === 'string' && u.status.startsWith('fault:') ? SIGNAL_OF[u.status.slice(6)] : u.status;
      expect(u.stdout.toString('hex')).toBe(q.stdout.toString('hex'));
      expect(uStatus).toBe(q.status);
      const elf = new Uint8Array(readFileSync(elfPath));
      const runs = [
        ...(await runGuest(name, { s: text }, 0)).map((r) => ['native, .s', r] as const),
        ...(await runGuest(name, { elf }, 0)).map((r) => ['native, ELF', r] as const),
        ...(await runGuest(name, { s: text }, 1)).map((r) => ['Disco 1 VM, .s', r] as const),
        ...(await runGuest(name, { elf }, 2)).map((r, i) => [`Disco 2 VMs, ELF, vm${i}`, r] as const),
      ];
      expect(runs.length).toBe(5);
      for (const [how, r] of runs) {
        expect(r.stdout.toString('hex'), `${how}\n${r.console}`).toBe(q.stdout.toString('hex'));
        expect(r.status, `${how}\n${r.console}`).toBe(q.status);
        expect(r.exact, how).toBe(true);
      }
    }, 120_000);
  }
});
