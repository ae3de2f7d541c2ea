/**
 * The `app://disco-lab/` protocol that serves the built renderer to Electron windows, with the
 * same CSP and headers as the web host (src/main/web/static.ts). A standard, secure scheme
 * gives the page a real origin (module workers, fetch of its own assets) without file://.
 */
import { protocol } from 'electron';
import { readStatic, securityHeaders } from '../web/static';

export const APP_SCHEME = 'app';
export const APP_HOST = 'disco-lab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Must run before `app.ready`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Must run after `app.ready`. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const headers = securityHeaders();
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('not found', { status: 404, headers });
    const file = await readStatic(rendererDir, url.pathname);
    if (!file) return new Response('not found', { status: 404, headers });
    return new Response(new Uint8Array(file.body), { status: 200, headers: { ...headers, 'Content-Type': file.type } });
  });
}
