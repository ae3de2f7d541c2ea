/**
 * Browser mode: the API over a WebSocket to the web host (`/rpc` on the page's own origin),
 * built with the same generic client as the preload's `window.api`.
 *
 * Reconnects with backoff when the socket drops (calls made while disconnected wait for the
 * connection up to `connectTimeoutMs`, then reject with E_DISCONNECTED). Calls in flight when
 * the socket closes reject with E_DISCONNECTED. Wire format: src/shared/api/wire.ts.
 */
import { CONTRACT, RPC_PATH, createClient, type DiscoApi, type Envelope, type HostFrame, type Transport } from '../../shared/api';

export interface WsClientOptions {
  url?: string;
  connectTimeoutMs?: number;
  onStatus?: (connected: boolean) => void;
}

export function createWsClient(opts: WsClientOptions = {}): DiscoApi {
  const url = opts.url ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${RPC_PATH}`;
  const pending = new Map<number, (env: Envelope) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let ready: Promise<WebSocket> | undefined;
  let backoff = 250;

  const disconnected = (message: string): Envelope => ({ ok: false, error: { code: 'E_DISCONNECTED', message } });

  function connect(): Promise<WebSocket> {
    if (ready) return ready;
    ready = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      const timer = setTimeout(() => {
        reject(new Error('the web host does not answer'));
        ws.close();
      }, opts.connectTimeoutMs ?? 10_000);
      ws.onopen = () => {
        clearTimeout(timer);
        socket = ws;
        backoff = 250;
        opts.onStatus?.(true);
        resolve(ws);
      };
      ws.onmessage = (ev) => {
        let f: HostFrame;
        try {
          f = JSON.parse(String(ev.data));
        } catch {
          return;
        }
        if (f.t === 'result') {
          const done = pending.get(f.id);
          pending.delete(f.id);
          done?.(f.env);
        } else if (f.t === 'event') {
          for (const l of listeners.get(f.name) ?? []) {
            try {
              l(f.payload);
            } catch (e) {
              console.error(e);
            }
          }
        }
      };
      ws.onclose = () => {
        clearTimeout(timer);
        const wasOpen = socket === ws;
        socket = undefined;
        ready = undefined;
        for (const done of pending.values()) done(disconnected('the connection to the web host closed'));
        pending.clear();
        if (wasOpen) opts.onStatus?.(false);
        reject(new Error('the connection to the web host closed'));
        // Keep trying while someone listens for events (the UI always does).
        if (listeners.size) setTimeout(() => void connect().catch(() => {}), (backoff = Math.min(backoff * 2, 5000)));
      };
    });
    return ready;
  }

  const transport: Transport = {
    async call(method, args) {
      let ws: WebSocket;
      try {
        ws = socket ?? (await connect());
      } catch (e) {
        return disconnected(e instanceof Error ? e.message : 'not connected');
      }
      const id = nextId++;
      return new Promise<Envelope>((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ t: 'call', id, method, args }));
      });
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      void connect().catch(() => {});
      return () => {
        set.delete(listener);
        if (!set.size) listeners.delete(event);
      };
    },
  };
  return createClient(CONTRACT, transport);
}
