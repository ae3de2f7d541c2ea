/**
 * The one generic client proxy. The preload builds `window.api` with it over IPC; the renderer
 * builds the same API over a WebSocket in browser mode. Calls resolve with the method's result
 * or reject with a plain {@link ApiError} `{ code, message }` (never an Error subclass: plain
 * objects survive Electron's contextBridge and JSON unchanged).
 */
import { isApiError, type ApiError, type Envelope } from './errors';
import { eventNames, type ClientOf, type ContractShape } from './derive';

/** How a client reaches its host. */
export interface Transport {
  /** Sends `method(...args)`; resolves with the host's envelope. May reject if the link is down. */
  call(method: string, args: unknown[]): Promise<Envelope>;
  /** Registers an event listener; returns the unsubscribe function. */
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/** Drops trailing `undefined` arguments (JSON would turn them into `null`, which schemas reject). */
export function trimArgs(args: unknown[]): unknown[] {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  return args.slice(0, n);
}

export function createClient<C extends ContractShape>(contract: C, transport: Transport): ClientOf<C> {
  const api: Record<string, unknown> = {};
  for (const ns of Object.keys(contract.methods)) {
    const group: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const m of Object.keys(contract.methods[ns])) {
      const name = `${ns}.${m}`;
      group[m] = async (...args: unknown[]) => {
        let env: Envelope;
        try {
          env = await transport.call(name, trimArgs(args));
        } catch (e) {
          throw toApiError(e);
        }
        if (env && env.ok === true) return env.value;
        throw isApiError(env?.error) ? { code: env.error.code, message: env.error.message } : toApiError(env);
      };
    }
    api[ns] = Object.freeze(group);
  }
  for (const ev of eventNames(contract)) {
    api[ev] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${ev}: listener must be a function`);
      return transport.subscribe(ev, listener);
    };
  }
  return Object.freeze(api) as ClientOf<C>;
}

function toApiError(e: unknown): ApiError {
  if (isApiError(e)) return { code: e.code, message: e.message };
  return { code: 'E_DISCONNECTED', message: e instanceof Error ? e.message : 'the host did not answer' };
}
