/**
 * Hardening of the app, every web contents and the session (Electron's security checklist):
 * the process sandbox for every renderer; no new windows, webviews, navigation, redirects or
 * frame navigation away from the app; no permissions and no device access (USB, HID, serial,
 * Bluetooth choosers are cancelled); no remote requests; a CSP on every page, also in development.
 *
 * The packaged app is hardened further by Electron fuses (scripts/electron-fuses.mjs).
 */
import { app, session, type WebContents } from 'electron';
import { contentSecurityPolicy } from '../../shared/csp';
import { APP_HOST, APP_SCHEME } from './protocol';

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * True for URLs the app itself serves: `app://disco-lab/…` or, in development, a URL of exactly
 * the Vite server's origin (scheme, host and port compared, not a string prefix: with
 * devUrl `http://localhost:5173` neither `http://localhost:51730/` nor
 * `http://localhost:5173.evil.example/` is trusted). URLs with user info are never trusted.
 */
export function isAppUrl(url: string, devUrl?: string): boolean {
  const u = parse(url);
  if (!u || u.username || u.password) return false;
  if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST) return true;
  const d = devUrl !== undefined ? parse(devUrl) : undefined;
  return d !== undefined && (d.protocol === 'http:' || d.protocol === 'https:') && u.origin === d.origin;
}

/**
 * The CSP for the page the Vite dev server serves (`npm run dev`): the app's CSP, except that
 * scripts may also be inline (Vite's React-refresh preamble is an inline module script) and the
 * page may connect to the dev server's WebSocket (hot reload). The built app never gets this.
 */
export function devContentSecurityPolicy(devUrl: string): string {
  const d = new URL(devUrl);
  const ws = `${d.protocol === 'https:' ? 'wss' : 'ws'}://${d.host}`;
  return contentSecurityPolicy({ websocketOrigin: ws }).replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
}

/** Must run before `app.ready`. */
export function hardenApp(devUrl?: string): void {
  app.enableSandbox(); // every renderer sandboxed, whatever its webPreferences say
  app.on('web-contents-created', (_e, contents: WebContents) => hardenContents(contents, devUrl));
}

/** The per-page guards (exported for tests). */
export function hardenContents(contents: WebContents, devUrl?: string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // Main-frame navigation, server redirects, and navigation inside any frame: app URLs only.
  contents.on('will-navigate', (details) => {
    if (!isAppUrl(details.url, devUrl)) details.preventDefault();
  });
  contents.on('will-redirect', (details) => {
    if (!isAppUrl(details.url, devUrl)) details.preventDefault();
  });
  contents.on('will-frame-navigate', (details) => {
    if (!isAppUrl(details.url, devUrl) && !(!details.isMainFrame && details.url === 'about:blank')) details.preventDefault();
  });
  contents.on('will-attach-webview', (ev) => ev.preventDefault());
  contents.on('select-bluetooth-device', (ev, _devices, callback) => {
    ev.preventDefault();
    callback(''); // cancel: the app never talks to devices
  });
}

/** Must run after `app.ready`. */
export function hardenSession(devUrl?: string): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  s.setPermissionCheckHandler(() => false);
  s.setDevicePermissionHandler(() => false);
  // Device choosers: cancel (without a handler Electron may pick the first device).
  s.on('select-usb-device', (ev, _details, callback) => {
    ev.preventDefault();
    callback();
  });
  s.on('select-hid-device', (ev, _details, callback) => {
    ev.preventDefault();
    callback();
  });
  s.on('select-serial-port', (ev, _ports, _wc, callback) => {
    ev.preventDefault();
    callback('');
  });
  // No remote content: every http(s)/ws(s) request is cancelled, except to the dev server.
  const dev = devUrl !== undefined ? parse(devUrl) : undefined;
  s.webRequest.onBeforeRequest((details, cb) => {
    const url = parse(details.url);
    const remote = !url || ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol);
    cb({ cancel: remote && !(dev !== undefined && url !== undefined && url.host === dev.host && /^(http|ws)s?:$/.test(url.protocol)) });
  });
  // Development: the dev server's pages get a CSP too (the app:// protocol sends its own).
  if (dev && devUrl !== undefined) {
    const csp = devContentSecurityPolicy(devUrl);
    s.webRequest.onHeadersReceived({ urls: [`${dev.origin}/*`] }, (details, cb) => {
      const headers: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(details.responseHeaders ?? {})) if (k.toLowerCase() !== 'content-security-policy') headers[k] = v;
      headers['Content-Security-Policy'] = [csp];
      cb({ responseHeaders: headers });
    });
  }
}
