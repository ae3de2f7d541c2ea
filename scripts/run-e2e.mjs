#!/usr/bin/env node
// Runs the Playwright e2e specs (e2e/*.spec.ts) against the built app.
//
//   browser mode (default): needs Chromium — $DISCO_CHROMIUM, /usr/bin/chromium, or PATH; as root
//     on Debian it is installed with apt-get (scripts/ensure-tools.mjs); otherwise this fails
//     with the exact command to run.
//   DISCO_E2E_TARGET=electron: launches Electron instead (needs its binary).
//
// Reporters: list, plus JSON to $PLAYWRIGHT_JSON_OUTPUT_NAME when set. Extra arguments are
// passed to `playwright test` (e.g. a spec file or `-g name`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureTools, findChromium } from './ensure-tools.mjs';

const target = process.env.DISCO_E2E_TARGET === 'electron' ? 'electron' : 'web';
const needed = target === 'electron' ? ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'] : ['out/web/server.js', 'out/renderer/index.html'];
const missingBuild = needed.filter((f) => !existsSync(f));
if (missingBuild.length) {
  console.error(`run-e2e: the app is not built (missing ${missingBuild.join(', ')}). Run: npm run build`);
  process.exit(1);
}
if (target === 'web') {
  ensureTools(['chromium']);
  const chromium = findChromium();
  if (!chromium) {
    console.error('run-e2e: Chromium is required for the e2e tests and was not found.');
    console.error('run-e2e: install it with:  sudo apt-get update && sudo apt-get install -y chromium');
    console.error('run-e2e: or point DISCO_CHROMIUM at a Chromium/Chrome executable.');
    process.exit(1);
  }
  console.log(`run-e2e: browser mode, Chromium at ${chromium}`);
} else {
  console.log('run-e2e: Electron mode');
}
const r = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], { stdio: 'inherit', env: process.env });
process.exit(r.status ?? 1);
