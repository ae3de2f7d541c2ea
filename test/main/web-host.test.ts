// The browser-mode web host: 127.0.0.1 only, static files with MIME types and the CSP, the API
// over /rpc for the served origin only, events pushed to clients.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../src/main/web/host';
import type { HostFrame } from '../../src/shared/api';
import { sandbox } from './helpers';

let host: WebHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function start(watch = false) {
  const s = sandbox();
  const rendererDir = join(s.base, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Disco Lab</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(s.base, 'private.txt'), 'not served');
  writeFileSync(join(s.ws, 'programs', 'hello.s'), 'nop\n');
  host = await startWebHost({ workspace: s.ws, rendererDir, port: 0, watch, log: () => {} });
  return { ...s, host };
}

function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** Opens /rpc with the given Origin; resolves with the socket or the refusal status. */
function connect(port: number, origin: string | undefined): Promise<WebSocket | number> {
  return new Promise((ok) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, origin ? { origin } : {});
    ws.on('open', () => ok(ws));
    ws.on('unexpected-response', (_req, res) => ok(res.statusCode!));
    ws.on('error', () => ok(-1));
  });
}

function rpc(ws: WebSocket, frame: unknown): Promise<HostFrame> {
  return new Promise((ok) => {
    const onMsg = (d: WebSocket.RawData) => {
      const f = JSON.parse(String(d)) as HostFrame;
      if (f.t === 'result') { ws.off('message', onMsg); ok(f); }
    };
    ws.on('message', onMsg);
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

describe('web host', () => {
  it('listens on 127.0.0.1 only', async () => {
    const { host } = await start();
    const addr = host.server.address();
    expect(addr).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`);
  });

  it('serves the renderer with MIME types, the CSP and nosniff', async () => {
    const { host } = await start();
    const index = await get(host.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect((await get(host.port, '/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get(host.port, '/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get(host.port, '/nope.js')).status).toBe(404);
  });

  it('never serves files outside the renderer folder', async () => {
    const { host } = await start();
    for (const p of ['/../private.txt', '/%2e%2e/private.txt', '/assets/%2e%2e/%2e%2e/private.txt', '/..%2fprivate.txt', '/%00', '/%']) {
      const r = await get(host.port, p);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('not served');
    }
  });

  it('refuses requests for other host names (DNS rebinding)', async () => {
    const { host } = await start();
    expect((await get(host.port, '/', { host: `evil.example:${host.port}` })).status).toBe(421);
    expect((await get(host.port, '/', { host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('accepts /rpc only from the served origin', async () => {
    const { host } = await start();
    expect(await connect(host.port, 'http://evil.example')).toBe(403);
    expect(await connect(host.port, `http://127.0.0.1:${host.port + 1}`)).toBe(403);
    expect(await connect(host.port, undefined)).toBe(403);
    const ok = await connect(host.port, `http://127.0.0.1:${host.port}`);
    expect(ok).toBeInstanceOf(WebSocket);
    (ok as WebSocket).close();
  });

  it('hosts the API: results, typed errors, malformed frames', async () => {
    const { host } = await start();
    const ws = (await connect(host.port, host.url.slice(0, -1))) as WebSocket;
    expect(await rpc(ws, { t: 'call', id: 1, method: 'workspace.read', args: ['programs/hello.s'] })).toMatchObject({
      t: 'result', id: 1, env: { ok: true, value: { content: 'nop\n' } },
    });
    expect(await rpc(ws, { t: 'call', id: 2, method: 'workspace.read', args: ['../../etc/passwd'] })).toMatchObject({
      id: 2, env: { ok: false, error: { code: 'E_PATH_ESCAPE' } },
    });
    expect(await rpc(ws, { t: 'call', id: 3, method: 'workspace.open', args: [] })).toMatchObject({
      id: 3, env: { ok: false, error: { code: 'E_UNSUPPORTED' } },
    });
    expect(await rpc(ws, { t: 'call', id: 4, method: 'no.such', args: [] })).toMatchObject({ id: 4, env: { ok: false, error: { code: 'E_UNKNOWN_METHOD' } } });
    expect(await rpc(ws, '{{{')).toMatchObject({ id: -1, env: { ok: false, error: { code: 'E_INVALID_INPUT' } } });
    expect(await rpc(ws, { t: 'call', id: 5, method: 'app.info', args: [] })).toMatchObject({
      env: { ok: true, value: { host: 'web', capabilities: { openWorkspace: false } } },
    });
    ws.close();
  });

  it('pushes onWorkspaceChanged when a file changes on disk', async () => {
    const { host, ws: dir } = await start(true);
    const ws = (await connect(host.port, host.url.slice(0, -1))) as WebSocket;
    const event = new Promise<HostFrame>((ok) =>
      ws.on('message', (d) => {
        const f = JSON.parse(String(d)) as HostFrame;
        if (f.t === 'event' && f.name === 'onWorkspaceChanged' && (f.payload as { paths: string[] }).paths.includes('programs/hello.s')) ok(f);
      }),
    );
    writeFileSync(join(dir, 'programs', 'hello.s'), 'changed\n');
    expect(await event).toMatchObject({ payload: { root: dir, reset: false } });
    ws.close();
  });
});
