// Renderer-only development server for browser mode (`npx vite --config vite.web.config.ts`):
// hot reload of src/renderer, with /rpc proxied to a running web host
// (`node out/web/server.js --port 5317`). The proxy rewrites Origin to the host's own origin,
// which is the only origin the host accepts.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

const target = process.env.DISCO_WEB_HOST ?? 'http://127.0.0.1:5317';

export default defineConfig({
  root: resolve('src/renderer'),
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/rpc': {
        target: target.replace(/^http/, 'ws'),
        ws: true,
        changeOrigin: true,
        configure: (proxy) => {
          proxy.on('proxyReqWs', (req) => req.setHeader('origin', target));
        },
      },
    },
  },
  build: { outDir: resolve('out/renderer'), emptyOutDir: true },
});
