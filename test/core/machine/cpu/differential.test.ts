/**
 * Differential tests against qemu-mips (user-level semantics reference): the toolchain corpus
 * (test/fixtures/cpu/diff/*.s) and seeded random instruction sequences are assembled with GNU
 * binutils and run under qemu-mips and under our user-mode runner on both CPU models. stdout
 * (registers and memory dumps written by the programs) must match byte for byte, and the exit
 * status must match (a fatal signal under qemu ↔ the corresponding fault here).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../../src/core/asm/index';
import { parseElf } from '../../../../src/core/machine/user/elf';
import { UserProcess } from '../../../../src/core/machine/user/runner';
import { gnuBuild, missingTools, runOurs, runQemu, toyTiming } from './tools';
import { randomProgram } from './randprog';

const FIX = join(__dirname, '../../../fixtures/cpu/diff');
const skip = missingTools('mips-linux-gnu-as', 'mips-linux-gnu-ld', 'qemu-mips');
const PRELUDE = readFileSync(join(FIX, 'prelude.inc'), 'utf8');

/** Signal qemu dies with for each of our fault causes. */
const SIGNAL_OF: Record<string, string> = {
  Ov: 'SIGFPE', Tr: 'SIGTRAP', Bp: 'SIGTRAP', RI: 'SIGILL', CpU: 'SIGILL',
  AdEL: 'SIGBUS', AdES: 'SIGBUS', TLBL: 'SIGSEGV', TLBS: 'SIGSEGV', Mod: 'SIGSEGV',
};

function normalizeOurs(status: number | string): number | string {
  return typeof status === 'string' && status.startsWith('fault:') ? SIGNAL_OF[status.slice(6)] ?? status : status;
}

const STDIN = 'hello, disco\n';
const corpus = readdirSync(FIX).filter((f) => f.endsWith('.s')).sort();

describe.skipIf(skip !== undefined)('differential vs qemu-mips: toolchain corpus', () => {
  for (const file of corpus) {
    it(file, () => {
      const elf = gnuBuild(PRELUDE + readFileSync(join(FIX, file), 'utf8'), { name: file.replace('.s', '') });
      const q = runQemu(elf, STDIN);
      const fast = runOurs(elf, { model: 'fast', stdin: STDIN });
      const interp = runOurs(elf, { model: 'fast', stdin: STDIN, jit: 'off' });
      const eager = runOurs(elf, { model: 'fast', stdin: STDIN, jit: 'eager' });
      const timed = runOurs(elf, { model: 'timing', stdin: STDIN, timing: toyTiming() });
      expect(fast.stdout.toString('hex')).toBe(q.stdout.toString('hex'));
      expect(normalizeOurs(fast.status)).toBe(q.status);
      // the interpreter alone and the block compiler on every block agree
      for (const v of [interp, eager]) {
        expect(v.stdout.toString('hex')).toBe(fast.stdout.toString('hex'));
        expect(v.status).toBe(fast.status);
        expect(v.instructions).toBe(fast.instructions);
      }
      // co-simulation: same architectural results on the timing model
      expect(timed.stdout.toString('hex')).toBe(fast.stdout.toString('hex'));
      expect(timed.status).toBe(fast.status);
      expect(timed.instructions).toBe(fast.instructions);
      // programs that end normally print results; faulting ones are compared on status alone
      if (typeof q.status === 'number') expect(q.stdout.length).toBeGreaterThan(0);
    });
  }
});

const SEQUENCES = 150;
const LENGTH = 400;

describe.skipIf(skip !== undefined)(`differential vs qemu-mips: ${SEQUENCES} random sequences × ~${LENGTH} instructions`, () => {
  it('match byte for byte (registers, HI/LO, 256-byte buffer)', () => {
    let total = 0;
    for (let seed = 1; seed <= SEQUENCES; seed++) {
      const p = randomProgram(seed, LENGTH);
      total += p.instructions;
      const elf = gnuBuild(p.source, { name: `rand${seed}` });
      const q = runQemu(elf);
      // rotate: fast with every block compiled, fast interpreter only, timing model
      const variant = seed % 3;
      const ours = variant === 0 ? runOurs(elf, { model: 'fast', jit: 'eager' })
        : variant === 1 ? runOurs(elf, { model: 'fast', jit: 'off' })
          : runOurs(elf, { model: 'timing', timing: toyTiming() });
      if (ours.stdout.toString('hex') !== q.stdout.toString('hex') || ours.status !== q.status) {
        const a = q.stdout, b = ours.stdout;
        const diffs: string[] = [];
        for (let i = 0; i < Math.max(a.length, b.length); i += 4) {
          if (a.readInt32BE(i) !== b.readInt32BE(i)) diffs.push(`${i < 136 ? `reg/hilo word ${i / 4}` : `buf+${i - 136}`}: qemu ${a.readUInt32BE(i).toString(16)} ours ${b.readUInt32BE(i).toString(16)}`);
        }
        throw new Error(`seed ${seed}: mismatch (status qemu ${q.status}, ours ${ours.status})\n${diffs.slice(0, 10).join('\n')}\n--- program ---\n${p.source}`);
      }
      expect(q.stdout.length).toBe(136 + 256);
    }
    expect(total).toBeGreaterThanOrEqual(SEQUENCES * LENGTH);
  });
});

/** Our assembler + our CPU vs GNU binutils + qemu-mips, on the corpus and the example programs. */
function runOwnToolchain(path: string, text: string, stdin: string): { stdout: Buffer; status: number | string } {
  const r = assemble([{ path, text }]);
  if (!r.ok || !r.elf) throw new Error(`project assembler failed on ${path}: ${r.diagnostics.map((d) => `${d.line}: ${d.message}`).join('; ')}`);
  const img = parseElf(r.elf);
  if ('error' in img) throw new Error(img.error);
  const out: Buffer[] = [];
  let input = Buffer.from(stdin);
  const p = new UserProcess(img, {
    io: { write: (_fd, d) => { out.push(Buffer.from(d)); }, read: (_fd, n) => { const c = input.subarray(0, n); input = input.subarray(c.length); return new Uint8Array(c); } },
  });
  const o = p.run(10_000_000).outcome;
  const status = o.kind === 'exited' ? o.status : o.kind === 'fault' ? SIGNAL_OF[o.fault.cause] ?? o.fault.cause : 'limit';
  return { stdout: Buffer.concat(out), status };
}

const EXAMPLES = join(__dirname, '../../../../resources/examples/programs');

describe.skipIf(skip !== undefined)('project assembler + our CPU vs GNU binutils + qemu-mips', () => {
  for (const file of corpus) {
    it(`corpus ${file}`, () => {
      const text = PRELUDE + readFileSync(join(FIX, file), 'utf8');
      const q = runQemu(gnuBuild(text, { name: `own-${file.replace('.s', '')}` }), STDIN);
      const ours = runOwnToolchain(file, text, STDIN);
      expect(ours.stdout.toString('hex')).toBe(q.stdout.toString('hex'));
      expect(ours.status).toBe(q.status);
    });
  }
  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.s') && !f.startsWith('bare-'));
  for (const file of examples) {
    it(`example ${file}`, () => {
      const text = readFileSync(join(EXAMPLES, file), 'utf8');
      const q = runQemu(gnuBuild(text, { name: `ex-${file.replace('.s', '')}` }), STDIN);
      const ours = runOwnToolchain(file, text, STDIN);
      expect(ours.stdout.toString()).toBe(q.stdout.toString());
      expect(ours.status).toBe(q.status);
      expect(q.stdout.length).toBeGreaterThan(0);
    });
  }
});
