/**
 * Hardening of every window and session (Electron's security checklist):
 * no new windows, no navigation away from the app, no permissions, no remote requests.
 */
import { app, session, type WebContents } from 'electron';
import { APP_ORIGIN } from './protocol';

/** True for URLs the app itself serves: app://disco-lab/… or, in development, the Vite server. */
export function isAppUrl(url: string, devUrl?: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`) || (devUrl !== undefined && url.startsWith(devUrl));
}

export function hardenApp(devUrl?: string): void {
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (ev, url) => {
      if (!isAppUrl(url, devUrl)) ev.preventDefault();
    });
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
  });
}

export function hardenSession(devUrl?: string): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  s.setPermissionCheckHandler(() => false);
  // No remote content: every http(s)/ws(s) request is cancelled, except to the dev server.
  const devHost = devUrl ? new URL(devUrl).host : undefined;
  s.webRequest.onBeforeRequest((details, cb) => {
    const url = new URL(details.url);
    const remote = ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol);
    cb({ cancel: remote && !(devHost !== undefined && url.host === devHost) });
  });
}
