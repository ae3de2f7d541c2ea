// Issue #11.8: Electron hardening, against a mocked `electron` (the binary cannot run here):
// the app sandbox, navigation / redirect / frame-navigation guards, device permission and
// device choosers, exact trusted-URL matching in development, and the development CSP.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const m = vi.hoisted(() => ({
  app: new Map<string, (...a: unknown[]) => void>(),
  session: new Map<string, (...a: unknown[]) => void>(),
  enableSandbox: vi.fn(),
  permissionRequest: undefined as unknown as (wc: unknown, p: string, cb: (ok: boolean) => void) => void,
  permissionCheck: undefined as unknown as () => boolean,
  devicePermission: undefined as unknown as () => boolean,
  beforeRequest: undefined as unknown as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void,
  headers: undefined as unknown as { filter: { urls: string[] }; fn: (d: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void } | undefined,
}));

vi.mock('electron', () => ({
  app: { on: (ev: string, fn: (...a: unknown[]) => void) => m.app.set(ev, fn), enableSandbox: m.enableSandbox },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: typeof m.permissionRequest) => (m.permissionRequest = fn),
      setPermissionCheckHandler: (fn: typeof m.permissionCheck) => (m.permissionCheck = fn),
      setDevicePermissionHandler: (fn: typeof m.devicePermission) => (m.devicePermission = fn),
      on: (ev: string, fn: (...a: unknown[]) => void) => m.session.set(ev, fn),
      webRequest: {
        onBeforeRequest: (fn: typeof m.beforeRequest) => (m.beforeRequest = fn),
        onHeadersReceived: (filter: { urls: string[] }, fn: NonNullable<typeof m.headers>['fn']) => (m.headers = { filter, fn }),
      },
    },
  },
  protocol: {},
}));

const { hardenApp, hardenContents, hardenSession, isAppUrl, devContentSecurityPolicy } = await import('../../src/main/electron/security');

const DEV = 'http://localhost:5173';

/** A stand-in for WebContents: records the window-open handler, emits events. */
class Contents extends EventEmitter {
  openHandler?: () => { action: string };
  setWindowOpenHandler(fn: () => { action: string }) { this.openHandler = fn; }
  /** Emits a details-style navigation event; true when the app let it happen. */
  navigate(event: string, url: string, isMainFrame = true): boolean {
    let prevented = false;
    this.emit(event, { url, isMainFrame, preventDefault: () => { prevented = true; } });
    return !prevented;
  }
}

beforeEach(() => { m.app.clear(); m.session.clear(); m.headers = undefined; });

describe('trusted URLs', () => {
  it('trusts app://disco-lab/ and, in development, exactly the dev server origin', () => {
    expect(isAppUrl('app://disco-lab/index.html')).toBe(true);
    expect(isAppUrl('app://disco-lab.evil/index.html')).toBe(false);
    expect(isAppUrl('app://x@disco-lab/index.html')).toBe(false);
    expect(isAppUrl('app://disco-lab:8080/index.html')).toBe(false);
    expect(isAppUrl(`${DEV}/src/main.tsx`, DEV)).toBe(true);
    expect(isAppUrl(`${DEV}/`, `${DEV}/`)).toBe(true);
    // a prefix match trusted these:
    expect(isAppUrl('http://localhost:51730/', DEV)).toBe(false);
    expect(isAppUrl('http://localhost:5173.evil.example/', DEV)).toBe(false);
    expect(isAppUrl('http://localhost:5173@evil.example/', DEV)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', DEV)).toBe(false);
    expect(isAppUrl(`${DEV}/`)).toBe(false);
    expect(isAppUrl('not a url', DEV)).toBe(false);
  });
});

describe('app and page guards', () => {
  it('enables the sandbox for every renderer and guards each new web contents', () => {
    hardenApp();
    expect(m.enableSandbox).toHaveBeenCalled();
    const c = new Contents();
    m.app.get('web-contents-created')!({}, c);
    expect(c.openHandler?.()).toEqual({ action: 'deny' });
    expect(c.listenerCount('will-redirect')).toBe(1);
    expect(c.listenerCount('will-frame-navigate')).toBe(1);
  });

  it('prevents navigation, redirects and frame navigation away from the app', () => {
    const c = new Contents();
    hardenContents(c as never);
    for (const ev of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(c.navigate(ev, 'app://disco-lab/index.html'), ev).toBe(true);
      expect(c.navigate(ev, 'https://evil.example/'), ev).toBe(false);
      expect(c.navigate(ev, 'file:///etc/passwd'), ev).toBe(false);
      expect(c.navigate(ev, `${DEV}/`), ev).toBe(false); // not in development
    }
    expect(c.navigate('will-frame-navigate', 'about:blank', false)).toBe(true);
    expect(c.navigate('will-frame-navigate', 'about:blank', true)).toBe(false);
    const dev = new Contents();
    hardenContents(dev as never, DEV);
    expect(dev.navigate('will-redirect', `${DEV}/index.html`)).toBe(true);
    expect(dev.navigate('will-redirect', 'http://localhost:51730/')).toBe(false);
  });

  it('refuses webviews and cancels the Bluetooth device chooser', () => {
    const c = new Contents();
    hardenContents(c as never);
    const ev = { preventDefault: vi.fn() };
    c.emit('will-attach-webview', ev);
    expect(ev.preventDefault).toHaveBeenCalled();
    const bt = { preventDefault: vi.fn() }, cb = vi.fn();
    c.emit('select-bluetooth-device', bt, [{ deviceId: 'a', deviceName: 'x' }], cb);
    expect(bt.preventDefault).toHaveBeenCalled();
    expect(cb).toHaveBeenCalledWith('');
  });
});

describe('session guards', () => {
  it('denies permissions, device access and every device chooser', () => {
    hardenSession();
    const perm = vi.fn();
    m.permissionRequest({}, 'media', perm);
    expect(perm).toHaveBeenCalledWith(false);
    expect(m.permissionCheck()).toBe(false);
    expect(m.devicePermission()).toBe(false);
    for (const [ev, args, cancel] of [
      ['select-usb-device', [{ deviceList: [{ deviceId: '1' }] }], []],
      ['select-hid-device', [{ deviceList: [{ deviceId: '1' }] }], []],
      ['select-serial-port', [[{ portId: '1' }], {}], ['']],
    ] as const) {
      const e = { preventDefault: vi.fn() }, cb = vi.fn();
      m.session.get(ev)!(e, ...args, cb);
      expect(e.preventDefault, ev).toHaveBeenCalled();
      expect(cb, ev).toHaveBeenCalledWith(...cancel);
    }
  });

  it('cancels remote requests; in development allows only the dev server', () => {
    hardenSession();
    const cancel = (url: string) => { let r = { cancel: false }; m.beforeRequest({ url }, (x) => (r = x)); return r.cancel; };
    expect(cancel('https://example.com/x.js')).toBe(true);
    expect(cancel('ws://localhost:5173/')).toBe(true);
    expect(cancel('app://disco-lab/index.html')).toBe(false);
    expect(m.headers).toBeUndefined(); // the built app's CSP comes from the app:// protocol
    hardenSession(DEV);
    expect(cancel(`${DEV}/src/main.tsx`)).toBe(false);
    expect(cancel('ws://localhost:5173/')).toBe(false);
    expect(cancel('http://localhost:51730/')).toBe(true);
  });

  it('applies a CSP to the dev server pages, replacing any the server sent', () => {
    hardenSession(DEV);
    expect(m.headers!.filter.urls).toEqual([`${DEV}/*`]);
    let out: Record<string, string[]> = {};
    m.headers!.fn({ responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] } }, (r) => (out = r.responseHeaders));
    expect(out['Content-Type']).toEqual(['text/html']);
    expect(out['content-security-policy']).toBeUndefined();
    expect(out['Content-Security-Policy']).toEqual([devContentSecurityPolicy(DEV)]);
    const csp = devContentSecurityPolicy(DEV);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self' ws://localhost:5173");
    expect(csp).toContain("object-src 'none'");
  });
});
