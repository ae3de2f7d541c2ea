/**
 * Binds the service to IPC: one `ipcMain.handle('disco:<method>')` per contract method, all
 * through the generic `bindService` dispatcher (validation, typed errors, never throws).
 * Calls from frames that are not the app's own pages are refused.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNEL_PREFIX, CONTRACT, EVENT_PREFIX, methodNames, type DiscoEmit, type Dispatch, type Envelope } from '../../shared/api';

export function bindIpc(dispatch: Dispatch, isTrusted: (url: string) => boolean): () => void {
  const names = methodNames(CONTRACT);
  for (const name of names) {
    ipcMain.handle(CHANNEL_PREFIX + name, async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<Envelope> => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrusted(url)) return { ok: false, error: { code: 'E_UNSUPPORTED', message: 'calls are accepted only from the app itself' } };
      return dispatch(name, args);
    });
  }
  return () => names.forEach((n) => ipcMain.removeHandler(CHANNEL_PREFIX + n));
}

/** Publishes an event to every window. */
export const emitToWindows: DiscoEmit = (name, payload) => {
  for (const w of BrowserWindow.getAllWindows()) if (!w.isDestroyed()) w.webContents.send(EVENT_PREFIX + name, payload);
};
