// Workspace confinement: every way out of the workspace is refused, for every method.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../src/main/workspace/workspace';
import { codeOf, sandbox } from './helpers';

function setup() {
  const s = sandbox();
  writeFileSync(join(s.outside, 'secret.txt'), 'top secret');
  writeFileSync(join(s.ws, 'programs', 'a.s'), 'nop\n');
  return { ...s, w: new Workspace(s.ws) };
}

describe('workspace confinement', () => {
  it('refuses `..` segments, even ones that would normalise back inside', async () => {
    const { w } = setup();
    expect(await codeOf(w.read('../outside/secret.txt'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.read('programs/../../outside/secret.txt'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.read('programs/../programs/a.s'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.read('..\\outside\\secret.txt'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.write('../evil.txt', 'x'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.create('../evil', 'dir'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.rename('programs/a.s', '../a.s'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.delete('..'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.list('..'))).toBe('E_PATH_ESCAPE');
  });

  it('refuses absolute paths (POSIX, UNC and drive-letter forms)', async () => {
    const { w, outside } = setup();
    expect(await codeOf(w.read(join(outside, 'secret.txt')))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.read('/etc/passwd'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.read('\\\\server\\share\\x'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.read('C:\\Windows\\win.ini'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.write('/tmp/evil.txt', 'x'))).toBe('E_PATH_ESCAPE');
  });

  it('refuses NUL and control characters as invalid input', async () => {
    const { w } = setup();
    expect(await codeOf(w.read('programs/a.s\0.txt'))).toBe('E_INVALID_INPUT');
    expect(await codeOf(w.write('programs/x\n.s', 'x'))).toBe('E_INVALID_INPUT');
  });

  it('refuses a symlinked file whose target is outside', async () => {
    const { w, ws, outside } = setup();
    symlinkSync(join(outside, 'secret.txt'), join(ws, 'programs', 'link.s'));
    expect(await codeOf(w.read('programs/link.s'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.write('programs/link.s', 'overwrite'))).toBe('E_PATH_ESCAPE');
  });

  it('refuses paths through a symlinked parent folder that leads outside', async () => {
    const { w, ws, outside } = setup();
    symlinkSync(outside, join(ws, 'programs', 'out'));
    expect(await codeOf(w.read('programs/out/secret.txt'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.write('programs/out/new.txt', 'x'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.create('programs/out/newdir', 'dir'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.delete('programs/out/secret.txt'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.rename('programs/a.s', 'programs/out/a.s'))).toBe('E_PATH_ESCAPE');
    expect(await codeOf(w.list('programs/out'))).toBe('E_PATH_ESCAPE');
  });

  it('refuses a relative symlink chain that climbs out', async () => {
    const { w, ws } = setup();
    symlinkSync('../../outside', join(ws, 'programs', 'up'));
    expect(await codeOf(w.read('programs/up/secret.txt'))).toBe('E_PATH_ESCAPE');
  });

  it('refuses a dangling symlink that points outside (writing through it would create the file outside)', async () => {
    const { w, ws, outside } = setup();
    symlinkSync(join(outside, 'not-yet.txt'), join(ws, 'programs', 'dangling.s'));
    expect(await codeOf(w.write('programs/dangling.s', 'x'))).toBe('E_PATH_ESCAPE');
  });

  it('follows symlinks that stay inside the workspace', async () => {
    const { w, ws } = setup();
    symlinkSync(join(ws, 'programs'), join(ws, 'machines', 'progs'));
    symlinkSync('a.s', join(ws, 'programs', 'alias.s'));
    expect((await w.read('machines/progs/a.s')).content).toBe('nop\n');
    expect((await w.read('programs/alias.s')).content).toBe('nop\n');
    await w.write('programs/alias.s', 'addu $t0, $t1, $t2\n');
    expect((await w.read('programs/a.s')).content).toBe('addu $t0, $t1, $t2\n');
  });

  it('hides escaping symlinks from listings but shows inside ones', async () => {
    const { w, ws, outside } = setup();
    symlinkSync(outside, join(ws, 'runs', 'escape'));
    symlinkSync(join(ws, 'programs', 'a.s'), join(ws, 'runs', 'inside.s'));
    mkdirSync(join(ws, '.git'));
    const tree = await w.list();
    const runs = tree.root.children!.find((c) => c.name === 'runs')!;
    expect(runs.children!.map((c) => c.name)).toEqual(['inside.s']);
    expect(tree.root.children!.some((c) => c.name === '.git')).toBe(false);
  });

  it('lists a tree with a symlink loop without recursing forever', async () => {
    const { w, ws } = setup();
    symlinkSync(join(ws, 'programs'), join(ws, 'programs', 'again'));
    const programs = (await w.list('programs')).root;
    const again = programs.children!.find((c) => c.name === 'again')!;
    expect(again.kind).toBe('dir');
    expect(again.children).toEqual([]);
  });

  it('works when the workspace folder itself is reached through a symlink', async () => {
    const s = sandbox();
    writeFileSync(join(s.ws, 'programs', 'a.s'), 'x');
    symlinkSync(s.ws, join(s.base, 'ws-link'));
    const w = new Workspace(join(s.base, 'ws-link'));
    expect(w.root).toBe(s.ws);
    expect((await w.read('programs/a.s')).content).toBe('x');
    expect(await codeOf(w.read('../outside'))).toBe('E_PATH_ESCAPE');
  });
});
