/**
 * The preload bridge: exposes exactly `window.api`, built from the shared contract with the
 * generic client over IPC. No raw `ipcRenderer`, no Node objects reach the page; every channel
 * is the fixed prefix plus a contract name. Built as CommonJS (out/preload/index.cjs) so the
 * window can keep `sandbox: true`.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNEL_PREFIX, CONTRACT, EVENT_PREFIX, createClient, eventNames, type Envelope, type Transport } from '../shared/api';

const events = new Set(eventNames(CONTRACT));

const transport: Transport = {
  call: (method, args) => ipcRenderer.invoke(CHANNEL_PREFIX + method, ...args) as Promise<Envelope>,
  subscribe(event, listener) {
    if (!events.has(event)) throw new Error(`unknown event ${event}`);
    const channel = EVENT_PREFIX + event;
    const handler = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => ipcRenderer.removeListener(channel, handler);
  },
};

contextBridge.exposeInMainWorld('api', createClient(CONTRACT, transport));
