// The service wiring: workspace switching (reset event) and host capabilities.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkspaceManager } from '../../src/main/service/manager';
import { createLabService } from '../../src/main/service/service';
import { CONTRACT, bindService, type WorkspaceChange } from '../../src/shared/api';
import { codeOf, sandbox, tempDir } from './helpers';

describe('lab service', () => {
  it('reports app info with versions and the workspace', async () => {
    const { ws } = sandbox();
    const m = new WorkspaceManager(ws, () => {}, false);
    const s = createLabService(m, { host: 'electron', version: '1.2.3', versions: { electron: '45.0.0', chrome: '140' } });
    const info = await s.app.info();
    expect(info).toMatchObject({ name: 'Disco Lab', host: 'electron', workspace: ws, versions: { electron: '45.0.0', node: process.versions.node } });
    expect(info.version).toBe('1.2.3');
  });

  it('refuses workspace.open without a native dialog (browser mode)', async () => {
    const { ws } = sandbox();
    const s = createLabService(new WorkspaceManager(ws, () => {}, false), { host: 'web', version: '1.2.3' });
    expect(await codeOf(Promise.resolve().then(() => s.workspace.open(undefined)))).toBe('E_UNSUPPORTED');
  });

  it('opens a picked workspace, seeds a new one, and emits a reset', async () => {
    const { ws } = sandbox();
    const events: WorkspaceChange[] = [];
    const m = new WorkspaceManager(ws, (_n, p) => events.push(p as WorkspaceChange), false);
    const ex = tempDir();
    mkdirSync(join(ex, 'programs'));
    writeFileSync(join(ex, 'programs', 'hello.s'), 'x');
    const next = join(tempDir(), 'fresh');
    mkdirSync(next);
    let opened = '';
    const s = createLabService(m, { host: 'electron', version: '1.2.3', examplesDir: ex, pickFolder: async () => next, onWorkspaceOpened: (d) => (opened = d) });
    const info = await s.workspace.open({ create: true });
    expect(info.root).toBe(next);
    expect(opened).toBe(next);
    expect(events).toEqual([{ root: next, paths: [], reset: true }]);
    expect((await s.workspace.read('programs/hello.s')).content).toBe('x');
  });

  it('answers a cancelled dialog with E_CANCELLED', async () => {
    const { ws } = sandbox();
    const s = createLabService(new WorkspaceManager(ws, () => {}, false), { host: 'electron', version: '1.2.3', pickFolder: async () => undefined });
    const env = await bindService(CONTRACT, s)('workspace.open', []);
    expect(!env.ok && env.error.code).toBe('E_CANCELLED');
  });
});
