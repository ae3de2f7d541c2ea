/**
 * Issue #11: a guest that faults, loops or misbehaves stops only its own VM — never the monitor
 * or the other VMs. 250 seeded hostile guest kernels (random words biased towards privileged
 * instructions, CP0 writes of random Status/EntryHi/Wired values, TLB writes, monitor calls with
 * random arguments — the disk, the network, the page hints —, loads and stores anywhere, jumps
 * anywhere — and the same at their exception vectors) each share one CPU with the
 * well-behaved test guest: no run throws, every run ends at a stop condition, and the other VM
 * prints exactly what it prints alone and exits with the same status. Seeded (test/helpers/fuzz.ts:
 * $DISCO_FUZZ_SEED, else the day), so CI explores new guests every day; a failure names the seed.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../../src/core/machine/machine';
import { createMonitor } from '../../../src/core/disco/monitor';
import type { LoadImage } from '../../../src/core/machine/elf';
import { guest, machineConfig } from './helpers';
import { FUZZ_SEED, prng } from '../../helpers/fuzz';

const SEED = FUZZ_SEED;
const GUESTS = 250;

/** One hostile instruction word. */
function word(rnd: () => number): number {
  const r = rnd(), k = r % 100, rt = (rnd() % 31) + 1, rs = rnd() % 32, imm = rnd() & 0xffff;
  if (k < 20) return rnd() | 0;                                                     // anything at all
  if (k < 35) return (0x40800000 | (rt << 16) | ((rnd() % 32) << 11)) | 0;           // mtc0 rt, random CP0 register
  if (k < 45) return (0x40000000 | (rt << 16) | ((rnd() % 32) << 11)) | 0;           // mfc0
  if (k < 52) return [0x42000001, 0x42000002, 0x42000006, 0x42000008, 0x42000018, 0x42000020][rnd() % 6] | 0;   // tlbr tlbwi tlbwr tlbp eret wait
  if (k < 62) return (0x3c000000 | (rt << 16) | imm) | 0;                            // lui: addresses in every segment
  if (k < 75) return ([0x8c000000, 0xac000000, 0x80000000, 0xa0000000, 0xc0000000, 0xe0000000][rnd() % 6] | (rs << 21) | (rt << 16) | (imm & 0xfffc)) | 0;  // lw sw lb sb ll sc
  if (k < 82) return (0x24000000 | (rs << 21) | (rt << 16) | imm) | 0;               // addiu
  if (k < 88) return (0x00000008 | (rs << 21)) | 0;                                  // jr anywhere
  if (k < 93) return (0x10000000 | (rs << 21) | (rt << 16) | imm) | 0;               // beq
  if (k < 97) return (0x24020000 | (1 + (rnd() % 14))) | 0;                          // addiu $v0, $zero, a monitor call number (hostileImage puts the call after it)
  return [0x0000000c, 0x0000000d, 0x00000034][rnd() % 3];                            // syscall, break, teq
}

/** A guest kernel image at KERNBASE 0xC0000000: random vectors and code; entry clears BEV first. */
function hostileImage(seed: number): LoadImage {
  const rnd = prng(seed);
  const words = Array.from({ length: 1024 }, () => word(rnd));
  // a monitor call number in $v0 is followed by the call (syscall 0xd15c): the disk, the network,
  // the page hints… with whatever $a0–$a3 hold
  for (let i = 0; i + 1 < words.length; i++) if ((words[i] >>> 16) === 0x2402 && (words[i] & 0xffff) <= 14) words[i + 1] = 0x0034570c;
  words[0x100] = 0x40806000;   // __start (+0x400): mtc0 $zero, Status
  const bytes = new Uint8Array(words.length * 4);
  words.forEach((w, i) => { bytes[4 * i] = w >>> 24; bytes[4 * i + 1] = w >>> 16; bytes[4 * i + 2] = w >>> 8; bytes[4 * i + 3] = w; });
  return { entry: 0xc0000400 | 0, segments: [{ vaddr: 0xc0000000 | 0, bytes }] };
}

function run(images: LoadImage[]) {
  const m = new Machine(machineConfig(1));
  const r = createMonitor(m, images.map((image, i) => ({ name: `vm${i}`, vcpus: 1, memoryMB: 2, kernbase: 0xc0000000, image })), { sliceCycles: 20_000 });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  // until the last (well-behaved) VM has ended, or 3 M cycles
  const last = r.monitor.vms[r.monitor.vms.length - 1];
  const res = m.run({ maxCycles: 3_000_000, progressEveryCycles: 20_000, onProgress: () => last.alive });
  return { res, vms: r.monitor.vms, hypercalls: r.monitor.counts.hypercalls };
}

describe('hostile guests stop only themselves', () => {
  it(`${GUESTS} hostile guest kernels beside a well-behaved one (seed 0x${SEED.toString(16)})`, () => {
    const good = guest('basic');
    const alone = run([good]).vms[0];
    expect(alone.status).toBe('exited');
    const outcomes: Record<string, number> = {}, calls: Record<string, number> = {};
    for (let g = 0; g < GUESTS; g++) {
      const seed = (SEED + g * 0x9e3779b9) >>> 0;
      const { res, vms, hypercalls } = run([hostileImage(seed), good]);
      for (const [k, n] of Object.entries(hypercalls)) calls[k] = (calls[k] ?? 0) + n;
      const what = `hostile guest seed 0x${seed.toString(16)} (DISCO_FUZZ_SEED=${SEED}, guest ${g})`;
      expect(['exit', 'maxCycles', 'halted', 'deadlock', 'stopped'], what).toContain(res.reason);
      expect(vms[1].consoleText(), what).toBe(alone.consoleText());
      expect(vms[1].exitCode, what).toBe(alone.exitCode);
      const h = vms[0];
      const key = h.status === 'stopped' ? `stopped: ${h.stopReason!.replace(/0x[0-9a-f]+/g, 'X')}` : h.status;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    console.log(`hostile guests (seed 0x${SEED.toString(16)}):`, outcomes, 'monitor calls made:', calls);
  }, 300_000);
});
