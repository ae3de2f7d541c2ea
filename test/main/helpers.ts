import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { isApiError } from '../../src/shared/api';

const made: string[] = [];
afterEach(() => {
  while (made.length) rmSync(made.pop()!, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the test. */
export function tempDir(prefix = 'disco-test-'): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(d);
  return d;
}

/** A temp sandbox with `ws/` (the workspace, with the four folders) and `outside/` next to it. */
export function sandbox(): { base: string; ws: string; outside: string } {
  const base = tempDir();
  const ws = join(base, 'ws');
  const outside = join(base, 'outside');
  for (const d of ['programs', 'machines', 'experiments', 'runs']) mkdirSync(join(ws, d), { recursive: true });
  mkdirSync(outside);
  return { base, ws, outside };
}

/** Awaits a promise expected to fail and returns its API error code. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isApiError(e)) return e.code;
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === 'string') return code;
    throw e;
  }
  return 'RESOLVED';
}

/**
 * Bundles the run worker (src/main/run/worker.ts) as the app does (scripts/build-cli.mjs builds
 * out/run/worker.js) into a temp folder and returns its path; once per test file.
 */
export function buildRunWorker(): Promise<string> {
  return buildWorker('src/main/run/worker.ts');
}

const bundles = new Map<string, Promise<string>>();

/** Bundles a worker entry point (`src/main/…/x.ts`) as build-cli.mjs does, into a temp folder; once per test file. */
export function buildWorker(entry: string): Promise<string> {
  let b = bundles.get(entry);
  if (!b) {
    b = (async () => {
      const { build } = await import('esbuild');
      const root = join(import.meta.dirname, '..', '..');
      const out = join(realpathSync(mkdtempSync(join(tmpdir(), 'disco-worker-'))), 'worker.mjs');
      await build({ entryPoints: [join(root, entry)], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error',
        banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
      return out;
    })();
    bundles.set(entry, b);
  }
  return b;
}
