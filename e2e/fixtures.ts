/**
 * The one e2e fixture. Specs import `test` and `expect` from here and receive:
 *   - `page`:          the Disco Lab window (1280×800)
 *   - `workspaceDir`:  a fresh temporary workspace, copied from resources/examples
 *   - `target`:        'web' (default) or 'electron' (DISCO_E2E_TARGET=electron)
 *   - `shot(name)`:    saves test-results/screenshots/<name>.png
 * Every test also fails if the page logged an uncaught exception or a console error (CSP
 * violations show up there).
 *
 * Browser mode starts `node out/web/server.js --workspace DIR --port 0`, reads the URL it
 * prints, and drives Debian's Chromium (found by scripts/ensure-tools.mjs) with a fresh user
 * data dir. Electron mode launches out/main/index.js with `--workspace DIR`. Both need
 * `npm run build` first (npm test does it).
 */
import { test as base, expect, chromium, _electron, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// @ts-expect-error — plain ESM helper without type declarations
import { findChromium } from '../scripts/ensure-tools.mjs';

export type Target = 'web' | 'electron';
const ROOT = resolve(import.meta.dirname, '..');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

interface Fixtures {
  target: Target;
  workspaceDir: string;
  page: Page;
  shot: (name: string) => Promise<void>;
}

/** Starts the web host; resolves with its URL once it printed it. */
function startWebHost(workspace: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [join(ROOT, 'out/web/server.js'), '--workspace', workspace, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((ok, fail) => {
    let out = '';
    let err = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /Disco Lab web host: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) ok({ url: m[1], proc });
    });
    proc.stderr!.on('data', (d) => (err += d));
    proc.on('exit', (code) => fail(new Error(`web host exited (${code}) before printing its URL:\n${out}${err}`)));
  });
}

export const test = base.extend<Fixtures>({
  target: [(process.env.DISCO_E2E_TARGET === 'electron' ? 'electron' : 'web') as Target, { option: true }],

  workspaceDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'disco-e2e-ws-'));
    cpSync(join(ROOT, 'resources/examples'), dir, { recursive: true });
    for (const f of ['programs', 'machines', 'experiments', 'runs']) mkdirSync(join(dir, f), { recursive: true });
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },

  page: async ({ target, workspaceDir }, use) => {
    if (target === 'electron') {
      // The app folder: Electron runs package.json's main, out/main/index.js.
      const app = await _electron.launch({ args: [ROOT, '--workspace', workspaceDir], cwd: ROOT });
      const page = await app.firstWindow();
      await page.setViewportSize({ width: 1280, height: 800 });
      await use(page);
      await app.close();
      return;
    }
    const executablePath = findChromium();
    if (!executablePath) throw new Error('Chromium not found. Install it with: sudo apt-get install -y chromium (or set DISCO_CHROMIUM)');
    const host = await startWebHost(workspaceDir);
    const profile = mkdtempSync(join(tmpdir(), 'disco-e2e-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
    await page.goto(host.url);
    await use(page);
    expect(problems, 'the page reported errors').toEqual([]);
    await context.close();
    host.proc.kill('SIGTERM');
    rmSync(profile, { recursive: true, force: true });
  },

  shot: async ({ page }, use) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await use(async (name) => {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
    });
  },
});

export { expect };
