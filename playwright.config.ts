// Playwright: the e2e specs in e2e/, run by `npm run test:e2e` (scripts/run-e2e.mjs) against the
// built app. One fixture (e2e/fixtures.ts) starts either the browser-mode web host + Debian
// Chromium (default) or Electron (DISCO_E2E_TARGET=electron). Reporters: list, plus JSON to
// $PLAYWRIGHT_JSON_OUTPUT_NAME when set (npm test reads the counts from it).
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/artifacts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: true,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  use: { viewport: { width: 1280, height: 800 }, trace: 'off', screenshot: 'only-on-failure' },
});
