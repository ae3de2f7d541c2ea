// The workspace watcher: debounced, relative paths, dot-files (temp files) ignored.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchWorkspace } from '../../src/main/workspace/watcher';
import { Workspace } from '../../src/main/workspace/workspace';
import { sandbox } from './helpers';

/** Collects change batches until one contains `want`. */
function until(root: string, want: string) {
  const batches: string[][] = [];
  let handle: ReturnType<typeof watchWorkspace>;
  const done = new Promise<string[][]>((ok) => {
    handle = watchWorkspace(root, (paths) => {
      batches.push(paths);
      if (paths.includes(want)) ok(batches);
    }, 50);
  });
  return { done: done.finally(() => handle.close()) };
}

describe('watchWorkspace', () => {
  it('reports changes in sub-folders as workspace-relative paths', async () => {
    const { ws } = sandbox();
    const w = until(ws, 'machines/m.json');
    writeFileSync(join(ws, 'machines', 'm.json'), '{}');
    const batches = await w.done;
    expect(batches.flat()).toContain('machines/m.json');
    expect(batches.flat().every((p) => !p.startsWith('/'))).toBe(true);
  });

  it('merges a burst of changes into few batches, deduplicated and sorted', async () => {
    const { ws } = sandbox();
    const w = until(ws, 'runs/z.json');
    for (let i = 0; i < 20; i++) writeFileSync(join(ws, 'programs', 'a.s'), `v${i}`);
    writeFileSync(join(ws, 'runs', 'z.json'), '{}');
    const batches = await w.done;
    for (const b of batches) {
      expect(new Set(b).size).toBe(b.length);
      expect([...b].sort()).toEqual(b);
    }
    expect(batches.flat().filter((p) => p === 'programs/a.s').length).toBeLessThan(20);
  });

  it('reports an atomic write as the target file, never its temp file', async () => {
    const { ws } = sandbox();
    const w = until(ws, 'programs/x.s');
    await new Workspace(ws).write('programs/x.s', 'nop\n');
    const batches = await w.done;
    expect(batches.flat().some((p) => p.includes('.disco-tmp-'))).toBe(false);
  });

  it('sees files in folders created after it started', async () => {
    const { ws } = sandbox();
    const w = until(ws, 'experiments/new/e.json');
    mkdirSync(join(ws, 'experiments', 'new'));
    // Give the recursive watcher the new folder's creation event before writing into it.
    await new Promise((r) => setImmediate(r));
    writeFileSync(join(ws, 'experiments', 'new', 'e.json'), '{}');
    const poke = setInterval(() => writeFileSync(join(ws, 'experiments', 'new', 'e.json'), '{}'), 100);
    await w.done.finally(() => clearInterval(poke));
  });
});
