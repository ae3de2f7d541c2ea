// asm.assemble off the host's event loop: the assembler worker pool (time and memory bounds,
// replacement of a stopped worker, latest-wins queue, E_BUSY) and the service method on the
// inputs of issue #11 that used to freeze the host. Each test here is bounded by the pool's own
// limits, so a regression fails in seconds instead of hanging the test run.
import { build } from 'esbuild';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsmPool } from '../../src/main/service/asm';
import { WorkspaceManager } from '../../src/main/service/manager';
import { createLabService } from '../../src/main/service/service';
import type { AsmCheck } from '../../src/shared/api';
import { tempDir } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');
const pools: AsmPool[] = [];
const pool = (o: ConstructorParameters<typeof AsmPool>[0] = {}) => { const p = new AsmPool(o); pools.push(p); return p; };
afterAll(async () => { await Promise.all(pools.map((p) => p.close())); });

/** A legal program that takes the assembler a while (and a lot of heap): many instructions. */
const SLOW = 'addu $t0, $t1, $t2\n'.repeat(150_000);
const HELLO = { path: 'programs/ok.s', text: '        .text\n__start: li $t0, 1\n        nop\n' };

/** Milliseconds `f` takes, and the longest the event loop was blocked meanwhile. */
async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number; maxLagMs: number }> {
  let last = performance.now(), maxLagMs = 0;
  const tick = setInterval(() => { const now = performance.now(); maxLagMs = Math.max(maxLagMs, now - last - 10); last = now; }, 10);
  const t0 = performance.now();
  try {
    const value = await f();
    return { value, ms: performance.now() - t0, maxLagMs };
  } finally { clearInterval(tick); }
}

const errorsOf = (c: AsmCheck) => c.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`);

describe('the assembler worker pool', () => {
  it('stops a check over its time limit with a diagnostic at 1:1, replaces the worker, and the next check succeeds', async () => {
    const p = pool({ timeLimitMs: 300, size: 1 });
    await p.check({ path: 'warm.s', text: 'nop\n' }, []); // the worker is loaded
    const slow = await timed(() => p.check({ path: 'big.s', text: SLOW }, []));
    expect(slow.value.ok).toBe(false);
    expect(slow.value.diagnostics).toEqual([{ file: 'big.s', line: 1, col: 1, endCol: 2, severity: 'error', message: 'assembly took longer than 0.3 s; stopped' }]);
    expect(slow.ms).toBeLessThan(5_000);
    expect(slow.maxLagMs).toBeLessThan(250); // the host's event loop kept running
    const next = await p.check(HELLO, []);
    expect(next.ok).toBe(true);
    expect(next.symbols.map((s) => s.name)).toContain('__start');
  });

  it('stops a worker over its memory limit with a diagnostic at 1:1, and the next check succeeds', async () => {
    const p = pool({ memoryLimitMb: 32, timeLimitMs: 60_000, size: 1 });
    const big = await p.check({ path: 'big.s', text: SLOW }, []);
    expect(big.diagnostics).toEqual([{ file: 'big.s', line: 1, col: 1, endCol: 2, severity: 'error', message: 'assembly used more than 32 MB of memory; stopped' }]);
    expect((await p.check(HELLO, [])).ok).toBe(true);
  });

  it('answers another client while one check is stuck on a slow input', async () => {
    const p = pool({ timeLimitMs: 2_000, size: 2 });
    await Promise.all([p.check({ path: 'w1.s', text: 'nop' }, []), p.check({ path: 'w2.s', text: 'nop' }, [])]);
    const stuck = p.check({ path: 'big.s', text: SLOW }, []);
    const other = await timed(() => p.check(HELLO, []));
    expect(other.value.ok).toBe(true);
    expect(other.ms).toBeLessThan(2_000);
    await stuck;
  });

  it('latest wins: a queued check of a file is replaced by a newer one for the same file', async () => {
    const p = pool({ size: 1, timeLimitMs: 500 });
    await p.check({ path: 'warm.s', text: 'nop' }, []);
    const busy = p.check({ path: 'big.s', text: SLOW }, []); // occupies the only worker
    const older = p.check({ path: 'a.s', text: 'frob\n' }, []);
    const newer = p.check({ path: 'a.s', text: 'nop\n' }, []);
    const [o, n] = await Promise.all([older, newer]);
    expect(o).toEqual(n);
    expect(n.ok).toBe(true);
    await busy;
  });

  it('refuses checks with E_BUSY when too many are waiting', async () => {
    const p = pool({ size: 1, maxQueued: 1, timeLimitMs: 500 });
    await p.check({ path: 'warm.s', text: 'nop' }, []);
    const busy = p.check({ path: 'big.s', text: SLOW }, []);
    const queued = p.check({ path: 'a.s', text: 'nop' }, []);
    await expect(p.check({ path: 'b.s', text: 'nop' }, [])).rejects.toMatchObject({ code: 'E_BUSY' });
    await Promise.all([busy, queued]);
  });

  it('a worker that cannot start fails its check (a host bug, E_INTERNAL at the API) instead of hanging', async () => {
    const p = pool({ worker: join(tmpdir(), 'no-such-asm-worker.js') });
    await expect(p.check(HELLO, [])).rejects.toThrow();
    await expect(p.check(HELLO, [])).rejects.toThrow();
  });

  describe('as bundled for the app (out/run/asm-worker.js)', () => {
    let workerPath = '';
    beforeAll(async () => {
      // the same esbuild options as scripts/build-cli.mjs
      workerPath = join(realpathSync(mkdtempSync(join(tmpdir(), 'disco-asm-worker-'))), 'asm-worker.js');
      await build({ entryPoints: [join(ROOT, 'src/main/service/asm-worker.ts')], outfile: workerPath, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error',
        banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
    }, 60_000);

    it('checks a program, resolving .include from the files it is given', async () => {
      const p = pool({ worker: workerPath });
      const r = await p.check({ path: 'programs/main.s', text: '.include "defs.inc"\n__start: li $t0, N\n' }, [{ from: 'programs/main.s', name: 'defs.inc', file: { path: 'programs/defs.inc', text: '.equ N, 7\n' } }]);
      expect(r.ok).toBe(true);
      expect(r.symbols.find((s) => s.name === 'N')?.value).toBe(7);
    });
  });
});

describe('asm.assemble never blocks the host (issue #11)', () => {
  const service = () => createLabService(new WorkspaceManager(tempDir(), () => {}, false), { host: 'web', version: '0' });
  const s = { asm: { assemble: async (a: { path: string; text?: string }) => service().asm.assemble(a) } };
  const cases: [string, string, RegExp][] = [
    ['a 5-line self-invoking macro', '.macro m a\n m \\a\n m \\a\n.endm\n m 1\n', /^p\.s:5:2: macros nested too deeply \(more than 100 levels\)/],
    ['a macro fan-out of 2^40', Array.from({ length: 40 }, (_, i) => `.macro m${i}\n m${i + 1}\n m${i + 1}\n.endm`).join('\n') + '\n.macro m40\n nop\n.endm\n m0\n', /^p\.s:164:2: macro expansion too large/],
    ['a number with a million digits', `li $t0, ${'9'.repeat(1_000_000)}\n`, /^p\.s:1:9: number too large/],
    ['a CHECK use inside the CHECK macro', '.macro CHECK n, expected\n li $t0, \\expected\n CHECK \\n, \\expected\n CHECK \\n, \\expected\n.endm\n CHECK 1, -22\n', /^p\.s:6:2: macros nested too deeply/],
  ];
  for (const [what, text, want] of cases) {
    it(`${what}: a located error, promptly, with the event loop free`, async () => {
      const r = await timed(() => s.asm.assemble({ path: 'p.s', text }));
      expect(errorsOf(r.value)[0]).toMatch(want);
      expect(r.value.diagnostics[0].message).not.toMatch(/stopped$/);
      expect(r.ms).toBeLessThan(4_000);
      expect(r.maxLagMs).toBeLessThan(250);
    });
  }

  it('a file that includes itself (twice)', async () => {
    const ws = tempDir();
    writeFileSync(join(ws, 'self.s'), '.include "self.s"\n.include "self.s"\nnop\n');
    const r = await createLabService(new WorkspaceManager(ws, () => {}, false), { host: 'web', version: '0' }).asm.assemble({ path: 'self.s' });
    expect(errorsOf(r)[0]).toMatch(/^self\.s:1:10: \.include nested too deeply \(more than 32 levels\)/);
  });

  it('.space 0x1000000 three times: fast, one listing line each', async () => {
    const r = await timed(() => s.asm.assemble({ path: 'p.s', text: '.data\n.space 0x1000000\n.space 0x1000000\n.space 0x1000000\n' }));
    expect(r.value.ok).toBe(true);
    expect(r.value.bytes).toBe(3 * 0x1000000);
    expect(r.value.listing.map((l) => l.text)).toEqual(['.space 16777216', '.space 16777216', '.space 16777216']);
    expect(r.ms).toBeLessThan(4_000);
  });

  it('a file of a million empty lines (the include scan on the host was quadratic)', async () => {
    const r = await timed(() => s.asm.assemble({ path: 'p.s', text: '\n'.repeat(1_000_000) }));
    expect(r.value.ok).toBe(true);
    expect(r.maxLagMs).toBeLessThan(1_000);
  });

  it('a normal check still succeeds afterwards', async () => {
    const r = await s.asm.assemble(HELLO);
    expect(r.ok).toBe(true);
  });
});
