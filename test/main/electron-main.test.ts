// The Electron main process, started against a mocked `electron` (the binary cannot run here):
// single instance, the app:// scheme, a secure window, IPC bound, the workspace seeded.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const userData = mkdtempSync(join(tmpdir(), 'disco-electron-'));
const m = vi.hoisted(() => ({
  appHandlers: new Map<string, (...a: unknown[]) => void>(),
  windows: [] as { options: Record<string, unknown>; url?: string }[],
  ipc: new Map<string, unknown>(),
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, unknown>(),
  menu: undefined as unknown,
  lock: vi.fn(() => true),
  ready: undefined as unknown as () => void,
  enableSandbox: vi.fn(),
  devicePermission: vi.fn(),
  sessionEvents: [] as string[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => [];
    webContents = { send: vi.fn() };
    constructor(options: Record<string, unknown>) {
      m.windows.push({ options });
    }
    once() {}
    on() {}
    isDestroyed() { return false; }
    async loadURL(url: string) { m.windows[m.windows.length - 1].url = url; }
  }
  return {
    app: {
      requestSingleInstanceLock: m.lock,
      on: (ev: string, fn: (...a: unknown[]) => void) => m.appHandlers.set(ev, fn),
      whenReady: () => new Promise<void>((r) => (m.ready = r)),
      getPath: () => userData,
      getVersion: () => '0.1.0',
      isPackaged: false,
      quit: vi.fn(),
      exit: vi.fn(),
      enableSandbox: m.enableSandbox,
    },
    BrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => m.schemes.push(...s),
      handle: (scheme: string, fn: unknown) => m.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: m.devicePermission,
        on: (ev: string) => m.sessionEvents.push(ev), webRequest: { onBeforeRequest: vi.fn(), onHeadersReceived: vi.fn() },
      },
    },
    ipcMain: { handle: (ch: string, fn: unknown) => m.ipc.set(ch, fn), removeHandler: vi.fn() },
    Menu: { buildFromTemplate: (t: unknown) => ({ t }), setApplicationMenu: (x: unknown) => (m.menu = x) },
    dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn(), showOpenDialog: vi.fn() },
  };
});

afterAll(() => {
  m.appHandlers.get('before-quit')?.();
  rmSync(userData, { recursive: true, force: true });
});

describe('Electron main', () => {
  it('takes the single-instance lock and registers app:// before ready', async () => {
    delete process.env.ELECTRON_RENDERER_URL;
    delete process.env.DISCO_WORKSPACE;
    await import('../../src/main/index');
    expect(m.lock).toHaveBeenCalledOnce();
    expect(m.schemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect(m.appHandlers.has('second-instance')).toBe(true);
    expect(m.windows).toHaveLength(0);
    expect(m.enableSandbox).toHaveBeenCalledOnce();
    expect(m.appHandlers.has('web-contents-created')).toBe(true);
  });

  it('on ready: seeds the default workspace, binds IPC, sets the menu, opens a secure window', async () => {
    m.ready();
    await vi.waitFor(() => expect(m.windows).toHaveLength(1));
    const w = m.windows[0];
    expect(w.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(String((w.options.webPreferences as { preload: string }).preload)).toMatch(/out[\\/]preload[\\/]index\.cjs$/);
    expect(w.url).toBe('app://disco-lab/index.html');
    expect(m.protocolHandlers.has('app')).toBe(true);
    expect([...m.ipc.keys()]).toContain('disco:workspace.read');
    expect(m.menu).toBeDefined();
    expect(existsSync(join(userData, 'workspace', 'programs', 'hello.s'))).toBe(true);
    expect(m.devicePermission).toHaveBeenCalledOnce();
    expect(m.sessionEvents.sort()).toEqual(['select-hid-device', 'select-serial-port', 'select-usb-device']);
  });

  it('answers IPC from the app page and refuses escapes with a typed error', async () => {
    const read = m.ipc.get('disco:workspace.read') as (e: unknown, ...a: unknown[]) => Promise<unknown>;
    const frame = { senderFrame: { url: 'app://disco-lab/index.html' } };
    expect(await read(frame, 'programs/hello.s')).toMatchObject({ ok: true, value: { path: 'programs/hello.s' } });
    expect(await read(frame, '../settings.json')).toMatchObject({ ok: false, error: { code: 'E_PATH_ESCAPE' } });
    expect(await read(frame, { evil: true })).toMatchObject({ ok: false, error: { code: 'E_INVALID_INPUT' } });
  });

  it('serves the renderer over app:// with the CSP, and nothing else', async () => {
    const handler = m.protocolHandlers.get('app') as (r: { url: string; method: string }) => Promise<Response>;
    const missing = await handler({ url: 'app://disco-lab/../../package.json', method: 'GET' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await handler({ url: 'app://elsewhere/index.html', method: 'GET' })).status).toBe(404);
  });
});
