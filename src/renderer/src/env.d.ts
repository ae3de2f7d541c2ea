import type { DiscoApi } from '../../shared/api';

declare global {
  interface Window {
    /**
     * The Disco Lab API. In Electron the preload exposes it; in browser mode the renderer
     * installs its WebSocket client here at start-up (src/api.ts), so both look the same to
     * the UI, to devtools and to the e2e tests.
     */
    api?: DiscoApi;
  }
}
export {};
