/**
 * The API the UI uses: Electron's preload `window.api` when present, else (browser mode) the
 * WebSocket client, which is then installed as `window.api` too.
 */
import type { DiscoApi } from '../../shared/api';
import { createWsClient } from './ws-client';

type Status = (connected: boolean) => void;
const statusListeners = new Set<Status>();

/**
 * True in the desktop app: its application menu owns the keyboard accelerators and sends them as
 * `onCommand` events, so the renderer must not handle the same keys again.
 */
export const hasNativeMenu = window.api !== undefined;

export const api: DiscoApi = window.api ?? (window.api = createWsClient({ onStatus: (c) => statusListeners.forEach((l) => l(c)) }));

/** Browser mode only: notified when the WebSocket connects or drops. */
export function onConnectionStatus(l: Status): () => void {
  statusListeners.add(l);
  return () => statusListeners.delete(l);
}
