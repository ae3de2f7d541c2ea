/**
 * The Content-Security-Policy of the renderer, in one place. Both hosts send it as a response
 * header: the Electron main process on its `app://` protocol, the web host on every response.
 *
 * - no remote content: everything is `'self'`; `object-src`, `base-uri`, `form-action`, frames: none
 * - `style-src 'unsafe-inline'`: React `style` attributes and (later) Monaco's injected styles
 * - `worker-src 'self' blob:`: Monaco's editor worker (later)
 * - `connect-src`: 'self' plus the web host's own WebSocket origin (browser mode)
 */
export function contentSecurityPolicy(opts: { websocketOrigin?: string } = {}): string {
  const connect = ["'self'", opts.websocketOrigin].filter(Boolean).join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
