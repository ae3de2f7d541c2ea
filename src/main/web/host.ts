/**
 * The browser-mode web host: one HTTP server on 127.0.0.1 that serves the built renderer and
 * hosts the Disco Lab service over a WebSocket at /rpc.
 *
 * Security (the page is as untrusted as Electron's renderer, and other local web pages must not
 * reach the API):
 *   - listens on 127.0.0.1 only (never 0.0.0.0 / ::)
 *   - HTTP requests must carry `Host: 127.0.0.1:PORT` or `localhost:PORT` (DNS rebinding)
 *   - WebSocket upgrades must come from the served origin (`Origin` header), else 403
 *   - every response carries the renderer CSP (src/shared/csp.ts) and nosniff headers
 *   - frames are size-limited; every call goes through `bindService` validation
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CONTRACT, MAX_FILE_BYTES, RPC_PATH, bindService, parseCallFrame, type DiscoEmit, type HostFrame } from '../../shared/api';
import { createLabService } from '../service/service';
import { WorkspaceManager } from '../service/manager';
import { readStatic, securityHeaders } from './static';

export interface WebHostOptions {
  /** Existing workspace folder. */
  workspace: string;
  /** Built renderer folder (out/renderer). */
  rendererDir: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Watch the workspace for changes (default true). */
  watch?: boolean;
  /** Disco Lab's version, for app.info. */
  version?: string;
  /** Log sink for host errors (default console.error). */
  log?: (msg: string) => void;
  /** The run worker bundle (default: out/run/worker.js next to the host's bundle; tests pass their own). */
  runWorker?: string;
}

export interface WebHost {
  url: string;
  port: number;
  server: Server;
  manager: WorkspaceManager;
  close(): Promise<void>;
}

export const HOST = '127.0.0.1';
/** Largest accepted WebSocket frame: a maximal file plus JSON escaping overhead. */
export const MAX_FRAME_BYTES = 2 * MAX_FILE_BYTES + 64 * 1024;

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const log = opts.log ?? ((m: string) => console.error(m));
  const sockets = new Set<WebSocket>();
  const emit: DiscoEmit = (name, payload) => {
    const text = JSON.stringify({ t: 'event', name, payload } satisfies HostFrame);
    for (const s of sockets) if (s.readyState === s.OPEN) s.send(text);
  };
  const manager = new WorkspaceManager(opts.workspace, emit, opts.watch ?? true);
  const dispatch = bindService(CONTRACT, createLabService(manager, { host: 'web', version: opts.version ?? '0.0.0-dev', emit, runWorker: opts.runWorker }), {
    onInternalError: (m, e) => log(`disco-lab web host: ${m}: ${e instanceof Error ? e.stack : String(e)}`),
  });

  let port = 0;
  const allowedHosts = () => [`${HOST}:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  const server = createServer(async (req, res) => {
    try {
      if (!allowedHosts().includes(req.headers.host ?? '')) {
        res.writeHead(421, { 'Content-Type': 'text/plain' }).end('misdirected request\n');
        return;
      }
      const headers = securityHeaders(`ws://${req.headers.host}`);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
        return;
      }
      const file = await readStatic(opts.rendererDir, new URL(req.url ?? '/', 'http://x').pathname);
      if (!file) {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Type': file.type, 'Content-Length': file.body.length });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    } catch (e) {
      log(`disco-lab web host: ${req.url}: ${String(e)}`);
      if (!res.headersSent) res.writeHead(500).end();
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (path !== RPC_PATH) return refuse(404, 'Not Found');
    if (!allowedHosts().includes(req.headers.host ?? '') || !allowedOrigins().includes(req.headers.origin ?? '')) {
      return refuse(403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => sockets.delete(ws));
    ws.on('message', async (data, isBinary) => {
      const reply = (f: HostFrame) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(f));
      const parsed = isBinary ? { id: -1, error: 'binary frames are not accepted' } : parseCallFrame(data.toString());
      if (!('frame' in parsed)) {
        reply({ t: 'result', id: parsed.id, env: { ok: false, error: { code: 'E_INVALID_INPUT', message: parsed.error } } });
        return;
      }
      const env = await dispatch(parsed.frame.method, parsed.frame.args);
      reply({ t: 'result', id: parsed.frame.id, env });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}/`,
    port,
    server,
    manager,
    close: () =>
      new Promise<void>((resolve) => {
        manager.close();
        for (const s of sockets) s.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
