// The thin Electron glue, with `electron` mocked (the binary cannot run here): the application
// menu, the IPC binding (one handler per method, foreign frames refused), URL trust.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (...a: unknown[]) => unknown>();
vi.mock('electron', () => ({
  Menu: { buildFromTemplate: (t: unknown) => ({ template: t }) },
  ipcMain: {
    handle: (ch: string, fn: (...a: unknown[]) => unknown) => handlers.set(ch, fn),
    removeHandler: (ch: string) => handlers.delete(ch),
  },
  BrowserWindow: { getAllWindows: () => [] },
  app: { on: () => {} },
  session: {},
  protocol: {},
}));

const { buildMenu } = await import('../../src/main/electron/menu');
const { bindIpc } = await import('../../src/main/electron/ipc');
const { isAppUrl } = await import('../../src/main/electron/security');
const { CONTRACT, methodNames } = await import('../../src/shared/api');

type Item = { label?: string; role?: string; accelerator?: string; submenu?: Item[]; click?: () => void };

describe('application menu', () => {
  const actions = { command: vi.fn(), newWorkspace: vi.fn(), openWorkspace: vi.fn(), about: vi.fn(), isDev: false };
  const menu = buildMenu(actions) as unknown as { template: Item[] };
  const find = (top: string, label: string) =>
    menu.template.find((m) => m.label?.replace('&', '') === top)?.submenu?.find((i) => i.label === label);

  it('has File (New/Open Workspace, Save), View and Help → About', () => {
    expect(find('File', 'New Workspace…')).toBeDefined();
    expect(find('File', 'Open Workspace…')).toBeDefined();
    expect(find('File', 'Save')?.accelerator).toBe('CmdOrCtrl+S');
    expect(find('View', 'Toggle Light/Dark Theme')?.accelerator).toBe('CmdOrCtrl+Alt+L');
    expect(find('Help', 'About Disco Lab')).toBeDefined();
  });

  it('sends renderer actions as commands and runs host actions', () => {
    find('File', 'Save')!.click!();
    find('View', 'Configuration')!.click!();
    find('Help', 'About Disco Lab')!.click!();
    find('File', 'Open Workspace…')!.click!();
    expect(actions.command.mock.calls).toEqual([['file.save'], ['view.focusConfig']]);
    expect(actions.about).toHaveBeenCalledOnce();
    expect(actions.openWorkspace).toHaveBeenCalledOnce();
  });

  it('offers devtools only in development', () => {
    const roles = (m: { template: Item[] }) => m.template.flatMap((t) => t.submenu ?? []).map((i) => i.role);
    expect(roles(menu)).not.toContain('toggleDevTools');
    expect(roles(buildMenu({ ...actions, isDev: true }) as unknown as { template: Item[] })).toContain('toggleDevTools');
  });
});

describe('IPC binding', () => {
  beforeEach(() => handlers.clear());

  it('registers one disco: handler per contract method and dispatches through the binder', async () => {
    const dispatch = vi.fn(async () => ({ ok: true as const, value: 1 }));
    bindIpc(dispatch, (url) => url.startsWith('app://disco-lab/'));
    expect([...handlers.keys()].sort()).toEqual(methodNames(CONTRACT).map((n) => `disco:${n}`).sort());
    const r = await handlers.get('disco:workspace.read')!({ senderFrame: { url: 'app://disco-lab/index.html' } }, 'a.s');
    expect(r).toEqual({ ok: true, value: 1 });
    expect(dispatch).toHaveBeenCalledWith('workspace.read', ['a.s']);
  });

  it('refuses calls from frames that are not the app', async () => {
    const dispatch = vi.fn();
    bindIpc(dispatch, (url) => isAppUrl(url));
    const r = await handlers.get('disco:workspace.read')!({ senderFrame: { url: 'https://evil.example/' } }, 'a.s');
    expect(r).toMatchObject({ ok: false, error: { code: 'E_UNSUPPORTED' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('trusts only the app origin and, in development, the dev server', () => {
    expect(isAppUrl('app://disco-lab/index.html')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
  });
});
