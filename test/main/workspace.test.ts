// Workspace file operations: list / read / write / create / rename / delete and their errors.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/shared/api';
import { Workspace } from '../../src/main/workspace/workspace';
import { codeOf, sandbox } from './helpers';

function setup() {
  const s = sandbox();
  writeFileSync(join(s.ws, 'programs', 'hello.s'), 'hello\n');
  writeFileSync(join(s.ws, 'README.md'), '# ws\n');
  return { ...s, w: new Workspace(s.ws) };
}

describe('Workspace', () => {
  it('reports its info with the conventional folders', async () => {
    const { w, ws } = setup();
    const info = await w.info();
    expect(info).toEqual({ root: ws, name: 'ws', folders: { programs: true, machines: true, experiments: true, runs: true } });
  });

  it('lists a tree: folders first, then files, by name; relative / paths', async () => {
    const { w } = setup();
    const tree = await w.list();
    expect(tree.truncated).toBe(false);
    expect(tree.root.path).toBe('');
    expect(tree.root.children!.map((c) => `${c.kind}:${c.path}`)).toEqual([
      'dir:experiments', 'dir:machines', 'dir:programs', 'dir:runs', 'file:README.md',
    ]);
    const programs = tree.root.children!.find((c) => c.name === 'programs')!;
    expect(programs.children).toEqual([expect.objectContaining({ name: 'hello.s', path: 'programs/hello.s', kind: 'file', size: 6 })]);
    expect((await w.list('programs')).root.children!.map((c) => c.path)).toEqual(['programs/hello.s']);
  });

  it('reads files and reports missing ones and folders with typed codes', async () => {
    const { w } = setup();
    expect(await w.read('programs/hello.s')).toMatchObject({ path: 'programs/hello.s', content: 'hello\n', size: 6, kind: 'file' });
    expect(await w.read('./programs//hello.s')).toMatchObject({ path: 'programs/hello.s' });
    expect(await codeOf(w.read('programs/nope.s'))).toBe('E_NOT_FOUND');
    expect(await codeOf(w.read('programs'))).toBe('E_NOT_FILE');
    expect(await codeOf(w.read('README.md/x'))).toBe('E_NOT_DIRECTORY');
    expect(await codeOf(w.list('README.md'))).toBe('E_NOT_DIRECTORY');
  });

  it('writes files (creating parent folders) and returns their stat', async () => {
    const { w, ws } = setup();
    const st = await w.write('experiments/new/e1.json', '{"mode":"native"}');
    expect(st).toMatchObject({ path: 'experiments/new/e1.json', kind: 'file', size: 17 });
    expect(readFileSync(join(ws, 'experiments/new/e1.json'), 'utf8')).toBe('{"mode":"native"}');
    await w.write('programs/hello.s', 'bye\n');
    expect(readFileSync(join(ws, 'programs/hello.s'), 'utf8')).toBe('bye\n');
    expect(await codeOf(w.write('programs', 'x'))).toBe('E_NOT_FILE');
  });

  it('limits writes to MAX_FILE_BYTES (counted in UTF-8 bytes)', async () => {
    const { w, ws } = setup();
    const big = 'é'.repeat(MAX_FILE_BYTES / 2 + 1); // fewer characters than the limit, more bytes
    expect(await codeOf(w.write('programs/big.s', big))).toBe('E_TOO_LARGE');
    expect(existsSync(join(ws, 'programs/big.s'))).toBe(false);
  });

  it('creates files and folders, refusing existing targets', async () => {
    const { w, ws } = setup();
    expect(await w.create('machines/m.json', 'file', '{}')).toMatchObject({ path: 'machines/m.json', kind: 'file', size: 2 });
    expect(await w.create('runs/2026', 'dir')).toMatchObject({ path: 'runs/2026', kind: 'dir' });
    expect(readFileSync(join(ws, 'machines/m.json'), 'utf8')).toBe('{}');
    expect(await codeOf(w.create('machines/m.json', 'file'))).toBe('E_EXISTS');
    expect(await codeOf(w.create('runs/2026', 'dir'))).toBe('E_EXISTS');
    expect(await codeOf(w.create('programs/hello.s', 'dir'))).toBe('E_EXISTS');
  });

  it('renames and moves entries, refusing existing targets and moves into themselves', async () => {
    const { w, ws } = setup();
    expect(await w.rename('programs/hello.s', 'programs/hi.s')).toMatchObject({ path: 'programs/hi.s' });
    expect(existsSync(join(ws, 'programs/hello.s'))).toBe(false);
    await w.rename('programs/hi.s', 'experiments/sub/hi.s');
    expect(readFileSync(join(ws, 'experiments/sub/hi.s'), 'utf8')).toBe('hello\n');
    expect(await codeOf(w.rename('experiments/sub/hi.s', 'README.md'))).toBe('E_EXISTS');
    expect(await codeOf(w.rename('nope', 'x'))).toBe('E_NOT_FOUND');
    expect(await codeOf(w.rename('experiments', 'experiments/inner'))).toBe('E_INVALID_INPUT');
  });

  it('deletes files and folders; non-empty folders only when recursive', async () => {
    const { w, ws } = setup();
    await w.delete('README.md');
    expect(existsSync(join(ws, 'README.md'))).toBe(false);
    expect(await codeOf(w.delete('programs'))).toBe('E_NOT_EMPTY');
    await w.delete('programs', { recursive: true });
    expect(existsSync(join(ws, 'programs'))).toBe(false);
    await w.delete('runs');
    expect(await codeOf(w.delete('runs'))).toBe('E_NOT_FOUND');
    expect(await codeOf(w.delete(''))).toBe('E_INVALID_INPUT');
  });

  it('leaves no temp files behind after writes', async () => {
    const { w, ws } = setup();
    for (let i = 0; i < 5; i++) await w.write('programs/hello.s', `v${i}\n`);
    expect(readdirSync(join(ws, 'programs'))).toEqual(['hello.s']);
  });

  it('marks listings truncated past the entry limit', async () => {
    const { ws } = setup();
    for (let i = 0; i < 10; i++) writeFileSync(join(ws, 'runs', `r${i}.json`), '{}');
    expect((await new Workspace(ws).list()).truncated).toBe(false);
    const small = await new Workspace(ws, { maxListEntries: 6 }).list();
    expect(small.truncated).toBe(true);
    const count = (n: { children?: unknown[] }): number => (n.children ?? []).reduce<number>((a, c) => a + 1 + count(c as { children?: unknown[] }), 0);
    expect(count(small.root)).toBe(6);
  });
});
