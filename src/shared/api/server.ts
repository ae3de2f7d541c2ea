/**
 * The one generic server-side binder. Both hosts use it: the Electron main process binds
 * `dispatch` to `ipcMain.handle('disco:<method>')`, the web host to WebSocket messages.
 *
 * `dispatch(method, args)` never throws and never rejects: whatever the caller sends — an
 * unknown method, a non-array, wrong types, a prototype-pollution attempt — and whatever the
 * implementation does, the result is an {@link Envelope}: `{ ok: true, value }` or
 * `{ ok: false, error: { code, message } }`.
 */
import type { z } from 'zod';
import { ApiException, type Envelope } from './errors';
import { lookupMethod, type ContractShape, type ServiceOf } from './derive';

export type Dispatch = (method: unknown, args: unknown) => Promise<Envelope>;

export interface BindOptions {
  /** Called with unexpected exceptions (bugs), which reach the caller only as `E_INTERNAL`. */
  onInternalError?: (method: string, error: unknown) => void;
}

/** Formats zod issues as `argument 1: expected string, received number; …` (at most 5). */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 5).map((i) => {
    const [first, ...rest] = i.path;
    const where = typeof first === 'number' ? `argument ${first + 1}${rest.length ? '.' + rest.join('.') : ''}` : 'arguments';
    return `${where}: ${i.message}`;
  });
  if (issues.length > 5) parts.push(`(${issues.length - 5} more)`);
  return parts.join('; ');
}

export function bindService<C extends ContractShape>(contract: C, service: ServiceOf<C>, options: BindOptions = {}): Dispatch {
  return async (method, args) => {
    if (typeof method !== 'string') return failure('E_UNKNOWN_METHOD', 'method name must be a string');
    const spec = lookupMethod(contract, method);
    if (!spec) return failure('E_UNKNOWN_METHOD', `no such API method: ${method.slice(0, 100)}`);
    if (!Array.isArray(args)) return failure('E_INVALID_INPUT', `${method}: arguments must be an array`);
    const parsed = spec.args.safeParse(args);
    if (!parsed.success) return failure('E_INVALID_INPUT', `${method}: ${formatIssues(parsed.error.issues)}`);
    const dot = method.indexOf('.');
    const group = (service as Record<string, Record<string, unknown>>)[method.slice(0, dot)];
    const impl = group?.[method.slice(dot + 1)];
    if (typeof impl !== 'function') return failure('E_UNSUPPORTED', `${method} is not implemented by this host`);
    try {
      const value = await (impl as (...a: unknown[]) => unknown).apply(group, parsed.data as unknown[]);
      return { ok: true, value };
    } catch (e) {
      if (e instanceof ApiException) return failure(e.code, e.message);
      options.onInternalError?.(method, e);
      return failure('E_INTERNAL', `${method} failed unexpectedly; see the host's log`);
    }
  };
}

function failure(code: ApiException['code'], message: string): Envelope {
  return { ok: false, error: { code, message } };
}
