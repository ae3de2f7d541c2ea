// Default workspace location and first-start seeding (copy missing only, never overwrite).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultWorkspaceDir, prepareWorkspace, userDataDir, workspaceArg } from '../../src/main/workspace/location';
import { tempDir } from './helpers';

describe('workspace location', () => {
  it('mirrors Electron userData per platform', () => {
    expect(userDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/disco-lab');
    expect(userDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/disco-lab');
    expect(userDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/disco-lab');
    expect(userDataDir({ APPDATA: 'C:/Users/u/AppData/Roaming' }, 'win32', 'C:/Users/u')).toMatch(/Roaming.disco-lab$/);
  });

  it('prefers $DISCO_WORKSPACE, else <userData>/workspace', () => {
    expect(defaultWorkspaceDir('/ud', {})).toBe('/ud/workspace');
    expect(defaultWorkspaceDir('/ud', { DISCO_WORKSPACE: '/w' })).toBe('/w');
  });

  it('parses --workspace DIR and --workspace=DIR', () => {
    expect(workspaceArg(['--port', '1', '--workspace', '/w'])).toBe('/w');
    expect(workspaceArg(['--workspace=/v'])).toBe('/v');
    expect(workspaceArg(['x'])).toBeUndefined();
  });
});

describe('prepareWorkspace', () => {
  function examples() {
    const ex = tempDir();
    mkdirSync(join(ex, 'programs'));
    writeFileSync(join(ex, 'programs', 'hello.s'), 'example\n');
    writeFileSync(join(ex, 'README.md'), 'readme\n');
    return ex;
  }

  it('creates the folders and seeds a new workspace', async () => {
    const ws = join(tempDir(), 'ws');
    expect(await prepareWorkspace(ws, examples())).toBe(true);
    for (const f of ['programs', 'machines', 'experiments', 'runs']) expect(existsSync(join(ws, f))).toBe(true);
    expect(readFileSync(join(ws, 'programs', 'hello.s'), 'utf8')).toBe('example\n');
  });

  it('never overwrites or resurrects files in an existing workspace', async () => {
    const ws = tempDir();
    mkdirSync(join(ws, 'programs'));
    writeFileSync(join(ws, 'programs', 'hello.s'), 'mine\n');
    expect(await prepareWorkspace(ws, examples())).toBe(false);
    expect(readFileSync(join(ws, 'programs', 'hello.s'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(ws, 'README.md'))).toBe(false);
    expect(existsSync(join(ws, 'runs'))).toBe(true);
  });
});
