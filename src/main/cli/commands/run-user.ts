/**
 * `disco-lab run-user PROG.s|PROG.elf`: run a user program like qemu-user / SPIM, with Linux o32
 * system calls (exit, write, read, brk, exit_group), on the simulated CPU in user mode with its
 * addresses translated through the TLB (see src/core/machine/user/runner.ts).
 *
 * `.s` sources are assembled with the project's assembler (src/core/asm, `.text` at 0x00400000,
 * `.data` at 0x10000000) and fault reports map the pc to `file:line` through its source map.
 * `--gnu-as` assembles with GNU binutils instead (`mips-linux-gnu-as -march=mips32 -O0
 * --gdwarf-2`, ld at 0x00400000 / 0x10000000) and maps the pc with `mips-linux-gnu-addr2line`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { assemble, formatDiagnostics } from '../../../core/asm/index';
import { validateMachineConfig } from '../../../core/machine/config/index';
import { EXC_NAMES } from '../../../core/machine/cpu/cp0';
import { NumaMemoryTiming } from '../../../core/machine/memory/numa';
import { parseElf, symbolize, type ElfImage } from '../../../core/machine/user/elf';
import { UserProcess, checkUserImage, type UserFault } from '../../../core/machine/user/runner';
import type { CliCommand, CliIo } from '../command';
import { readInputFile, readInputText } from '../../input';

const USAGE = `usage: disco-lab run-user PROG.s|PROG.elf [options] [-- ARGS...]

Runs a MIPS32 big-endian user program with Linux o32 system calls exit (4001), read (4003),
write (4004), brk (4045) and exit_group (4246); prints its output and exits with its status.

options:
  --max-instructions N   stop after N instructions (exit status 124)
  --model fast|timing    CPU model (default fast; timing uses the default machine's caches and memory latency)
  --stats                print instructions, simulated cycles and host speed to stderr
  --gnu-as               assemble .s with GNU binutils (mips-linux-gnu-as/ld) instead of ours`;

/** Assemble and link a `.s` file with GNU binutils; returns the ELF path or an error message. */
export function assembleWithGnu(src: string, dir: string): { elf: string } | { error: string } {
  const obj = join(dir, 'prog.o'), elf = join(dir, 'prog.elf');
  const as = spawnSync('mips-linux-gnu-as', ['-march=mips32', '-O0', '--gdwarf-2', src, '-o', obj], { encoding: 'utf8' });
  if (as.error) return { error: 'cannot assemble .s: mips-linux-gnu-as not found (install binutils-mips-linux-gnu, or pass an .elf)' };
  if (as.status !== 0) return { error: as.stderr.trim() };
  const ld = spawnSync('mips-linux-gnu-ld', ['-static', '-e', '__start', '-Ttext=0x00400000', '-Tdata=0x10000000', obj, '-o', elf], { encoding: 'utf8' });
  if (ld.status !== 0) return { error: (ld.stderr || 'link failed').trim() };
  return { elf };
}

function sourceLine(elf: string, pc: number): string | undefined {
  const r = spawnSync('mips-linux-gnu-addr2line', ['-e', elf, `0x${pc.toString(16)}`], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  const line = r.stdout.trim();
  return line.startsWith('??') ? undefined : line;
}

/** At most 1 MiB per read system call, as a pipe would give. */
const MAX_READ = 1 << 20;

/**
 * One `read(0, buf, n)` of the guest: at most `n` bytes of the host's stdin, read as the guest
 * asks (never all of stdin at once, so `< /dev/zero` or an endless pipe cannot exhaust memory).
 * Empty at end of file or on an error.
 */
function readStdin(n: number): Uint8Array {
  const buf = new Uint8Array(Math.min(n, MAX_READ));
  if (buf.length === 0) return buf;
  for (;;) {
    try {
      return buf.subarray(0, readSync(0, buf, 0, buf.length, null));
    } catch (e) {
      // stdin in non-blocking mode (some pipes): wait a moment for data instead of failing
      if ((e as { code?: string }).code === 'EAGAIN') { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); continue; }
      return new Uint8Array(0);
    }
  }
}

function hex(n: number): string { return `0x${(n >>> 0).toString(16).padStart(8, '0')}`; }

export function formatFault(f: UserFault, image: ElfImage, where?: string): string {
  const sym = symbolize(image.symbols, f.pc);
  const lines = [
    `run-user: fault: ${f.cause} (ExcCode ${f.excCode}): ${f.description}`,
    `  pc       ${hex(f.pc)}${sym ? ` <${sym}>` : ''}${f.inDelaySlot ? ' (in a branch delay slot)' : ''}`,
  ];
  if (f.badVAddr !== undefined) lines.push(`  badvaddr ${hex(f.badVAddr)}`);
  if (where) lines.push(`  at       ${where}`);
  return lines.join('\n') + '\n';
}

export const runUserCommand: CliCommand = {
  name: 'run-user',
  summary: 'run a user program (.s or .elf) with Linux o32 system calls',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    let prog: string | undefined;
    let max = Number.POSITIVE_INFINITY, stats = false, model: 'fast' | 'timing' = 'fast', gnuAs = false;
    const argv: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--') { argv.push(...args.slice(i + 1)); break; }
      if (a === '--stats') stats = true;
      else if (a === '--gnu-as') gnuAs = true;
      else if (a === '--max-instructions') {
        const n = Number(args[++i]);
        if (!Number.isInteger(n) || n <= 0) { io.err(`run-user: --max-instructions needs a positive integer\n${USAGE}\n`); return 2; }
        max = n;
      } else if (a === '--model') {
        const m = args[++i];
        if (m !== 'fast' && m !== 'timing') { io.err(`run-user: --model must be fast or timing\n`); return 2; }
        model = m;
      } else if (a.startsWith('-')) { io.err(`run-user: unknown option ${a}\n${USAGE}\n`); return 2; }
      else if (prog === undefined) prog = a;
      else argv.push(a);
    }
    if (prog === undefined) { io.err(`${USAGE}\n`); return 2; }
    const path = resolve(io.cwd, prog);
    let elfPath = path;
    let tmp: string | undefined;
    /** pc → "file:line" for faults. */
    let where: (pc: number) => string | undefined = (pc) => sourceLine(elfPath, pc);
    try {
      let bytes: Uint8Array | undefined;
      if (/\.(s|S|asm)$/.test(path)) {
        if (gnuAs) {
          tmp = mkdtempSync(join(tmpdir(), 'disco-run-user-'));
          const built = assembleWithGnu(path, tmp);
          if ('error' in built) { io.err(`${built.error}\n`); return 1; }
          elfPath = built.elf;
        } else {
          const src = readInputText(path, prog);
          if (!src.ok) { io.err(`${src.message}\n`); return 1; }
          const r = assemble([{ path: prog, text: src.value }], {
            include: (name, from) => {
              const p = resolve(dirname(resolve(io.cwd, from)), name);
              if (!existsSync(p)) return undefined;
              const inc = readInputText(p, name);
              // An unreadable include (a folder, a device, too large) is reported like a missing one.
              return inc.ok ? { path: p, text: inc.value } : undefined;
            },
          });
          if (!r.ok || !r.elf || !r.image) { io.err(formatDiagnostics(r.diagnostics)); return 1; }
          bytes = r.elf;
          const map = r.image.sourceMap;
          where = (pc) => {
            const e = map.find((m) => pc >>> 0 >= m.addr && pc >>> 0 < m.addr + m.size);
            return e ? `${e.file}:${e.line}` : undefined;
          };
        }
      }
      if (bytes === undefined) {
        const file = readInputFile(elfPath, prog);
        if (!file.ok) { io.err(`${file.message}\n`); return 1; }
        bytes = file.value;
      }
      // the runner's physical memory: bounds what the ELF may declare, checked before loading
      const memoryMB = 128;
      const image = parseElf(bytes, { memoryBytes: memoryMB << 20 });
      if ('error' in image) { io.err(`run-user: ${prog}: ${image.error}\n`); return 1; }
      const unloadable = checkUserImage(image, memoryMB << 20);
      if (unloadable) { io.err(`run-user: ${prog}: ${unloadable}\n`); return 1; }
      const decoder = new TextDecoder('utf-8');
      // timing model: the machine's ccNUMA timing (default machine: 1 node, its caches)
      let timing: NumaMemoryTiming | undefined;
      if (model === 'timing') {
        const cfg = validateMachineConfig({ memoryPerNodeMB: memoryMB, cpuModel: 'timing' });
        if (!cfg.ok) throw new Error('bug: run-user timing config invalid');
        timing = new NumaMemoryTiming(cfg.value);
      }
      const proc = new UserProcess(image, {
        model, argv: [basename(prog), ...argv], memoryBytes: memoryMB << 20, ...(timing && { timing }),
        io: {
          write: (fd, data) => { const t = decoder.decode(data, { stream: true }); if (fd === 2) io.err(t); else io.out(t); },
          read: (_fd, n) => readStdin(n),
        },
      });
      const t0 = performance.now();
      const res = proc.run(max);
      const secs = (performance.now() - t0) / 1000;
      const tail = decoder.decode();
      if (tail) io.out(tail);
      if (stats) {
        const mips = res.instructions / Math.max(secs, 1e-9) / 1e6;
        const exc = res.counters.exceptions.map((n, c) => (n ? `${EXC_NAMES[c]}=${n}` : '')).filter(Boolean).join(' ');
        io.err(`instructions ${res.instructions}\ncycles ${res.cycles} (user ${res.buckets.user}, kernel ${res.buckets.kernel}, stall ${res.buckets.stall})\n`
          + `tlb refills ${res.counters.tlbRefill}${exc ? `\nexceptions ${exc}` : ''}\nhost ${secs.toFixed(3)} s, ${mips.toFixed(1)} guest MIPS (${model})\n`);
      }
      const o = res.outcome;
      if (o.kind === 'exited') return o.status;
      if (o.kind === 'limit') { io.err(`run-user: stopped after ${res.instructions} instructions (--max-instructions)\n`); return 124; }
      io.err(formatFault(o.fault, image, where(o.fault.pc)));
      return 128 + (o.fault.excCode || 1);
    } finally {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
  },
};
