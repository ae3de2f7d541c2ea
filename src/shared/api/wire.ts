/**
 * The WebSocket wire protocol of browser mode (one JSON object per text frame).
 *
 *   client → host   { t: 'call', id, method: 'workspace.read', args: ['programs/hello.s'] }
 *   host → client   { t: 'result', id, env: { ok: true, value } | { ok: false, error: { code, message } } }
 *   host → client   { t: 'event', name: 'onWorkspaceChanged', payload }
 *
 * `id` is a client-chosen non-negative integer echoed back. A frame that is not a valid call
 * gets `{ t: 'result', id: -1 (or its id), env: E_INVALID_INPUT }`; the connection stays open.
 * Events are broadcast to every connection; the client dispatches them to its listeners.
 */
import type { Envelope } from './errors';

export const RPC_PATH = '/rpc';

export interface CallFrame { t: 'call'; id: number; method: string; args: unknown[] }
export interface ResultFrame { t: 'result'; id: number; env: Envelope }
export interface EventFrame { t: 'event'; name: string; payload: unknown }
export type HostFrame = ResultFrame | EventFrame;

/** Parses and shape-checks a client frame; returns an error message when it is not a call. */
export function parseCallFrame(text: string): { frame: CallFrame } | { id: number; error: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { id: -1, error: 'frame is not JSON' };
  }
  const o = v as Partial<CallFrame> | null;
  const id = o && typeof o === 'object' && Number.isSafeInteger(o.id) && (o.id as number) >= 0 ? (o.id as number) : -1;
  if (!o || typeof o !== 'object' || o.t !== 'call') return { id, error: "frame must be { t: 'call', id, method, args }" };
  if (id < 0) return { id, error: 'id must be a non-negative integer' };
  if (typeof o.method !== 'string') return { id, error: 'method must be a string' };
  if (!Array.isArray(o.args)) return { id, error: 'args must be an array' };
  return { frame: { t: 'call', id, method: o.method, args: o.args } };
}
