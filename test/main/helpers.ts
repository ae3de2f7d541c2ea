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
