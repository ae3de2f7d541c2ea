// Bundles the Node-side entry points that are not part of the Electron app:
// the CLI (out/cli/index.mjs) and the browser-mode web host (out/web/server.js, when present),
// and the worker threads the hosts start (the run worker and the assembler worker).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = [
  ['src/main/cli/index.ts', 'out/cli/index.mjs'],
  ['src/main/web/server.ts', 'out/web/server.js'],
  ['src/main/run/worker.ts', 'out/run/worker.js'],
  ['src/main/service/asm-worker.ts', 'out/run/asm-worker.js'],
  ['src/main/debug/worker.ts', 'out/run/debug-worker.js'],
];
for (const [entry, outfile] of entries) {
  if (!existsSync(entry)) continue;
  await build({
    entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    packages: 'external', sourcemap: true, logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}
console.log('build:cli: ok');
