// The workbench end to end: open a file from the tree, edit, save with Ctrl+S, see it on disk;
// path escapes through the API are refused with a typed error; the theme toggles and persists.
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DiscoApi } from '../src/shared/api';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** The tree row of a workspace path (exact, unlike a name match). */
const item = (page: Page, path: string) => page.locator(`[role="treeitem"][data-path="${path}"]`);
/** The editor tab of a workspace path. */
const tab = (page: Page, path: string) => page.locator(`[role="tab"][data-path="${path}"]`);

test('opens a workspace file, edits it, saves with Ctrl+S, and the file changes on disk', async ({ page, workspaceDir, shot }) => {
  await expect(page.getByRole('tree', { name: 'Workspace files' })).toBeVisible();
  await expect(item(page, 'programs/hello.s')).toBeVisible();
  await shot('01-start');

  await item(page, 'programs/hello.s').click();
  const editor = page.getByTestId('code-editor');
  await expect(editor.locator('.view-lines')).toContainText('__start:');
  await expect(tab(page, 'programs/hello.s')).toHaveAttribute('aria-selected', 'true');

  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.type('# edited by the e2e test\n');
  await expect(tab(page, 'programs/hello.s').getByLabel('unsaved changes')).toBeVisible();
  await shot('02-edited');

  await page.keyboard.press('ControlOrMeta+s');
  await expect(tab(page, 'programs/hello.s').getByLabel('unsaved changes')).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Output' })).toContainText('Saved programs/hello.s');
  const onDisk = readFileSync(join(workspaceDir, 'programs/hello.s'), 'utf8');
  expect(onDisk.startsWith('# edited by the e2e test\n')).toBe(true);
  expect(onDisk).toContain('Hello from a Disco Lab guest!');
  await shot('03-saved');
});

test('a file changed on disk by another program reloads in its clean tab', async ({ page, workspaceDir }) => {
  const { writeFileSync } = await import('node:fs');
  await item(page, 'README.md').click();
  await expect(page.getByTestId('text-editor').locator('.view-lines')).toContainText('Disco Lab workspace');
  writeFileSync(join(workspaceDir, 'README.md'), '# changed outside\n');
  await expect(page.getByTestId('text-editor').locator('.view-lines')).toHaveText('# changed outside');
});

test('a path escape through the API is refused with E_PATH_ESCAPE', async ({ page }) => {
  await expect(item(page, 'programs/hello.s')).toBeVisible();
  const results = await page.evaluate(async () => {
    const api = (window as unknown as { api: DiscoApi }).api;
    const attempt = (p: Promise<unknown>) => p.then(() => ({ code: 'RESOLVED', message: '' }), (e: { code: string; message: string }) => e);
    return {
      dotdot: await attempt(api.workspace.read('../x')),
      absolute: await attempt(api.workspace.read('/etc/passwd')),
      write: await attempt(api.workspace.write('programs/../../evil.txt', 'x')),
      badArgs: await attempt((api.workspace.read as unknown as (x: number) => Promise<unknown>)(42)),
      ok: await api.workspace.read('programs/hello.s').then((f) => f.path),
    };
  });
  expect(results.dotdot.code).toBe('E_PATH_ESCAPE');
  expect(results.absolute.code).toBe('E_PATH_ESCAPE');
  expect(results.write.code).toBe('E_PATH_ESCAPE');
  expect(results.badArgs.code).toBe('E_INVALID_INPUT');
  expect(results.ok).toBe('programs/hello.s');
});

test('the theme toggles between light and dark and is remembered', async ({ page, shot }) => {
  const html = page.locator('html');
  const before = await html.getAttribute('data-theme');
  expect(['light', 'dark']).toContain(before);
  await page.getByTestId('theme-toggle').click();
  const after = before === 'dark' ? 'light' : 'dark';
  await expect(html).toHaveAttribute('data-theme', after);
  await item(page, 'programs/hello.s').click();
  await expect(page.getByTestId('code-editor').locator('.view-lines')).toContainText('__start:');
  // Wait for Monaco's (asynchronous) syntax colouring before the screenshot.
  await expect.poll(() => page.getByTestId('code-editor').evaluate((r) => new Set([...r.querySelectorAll('.view-line span span')].map((s) => s.className)).size)).toBeGreaterThan(4);
  await shot(`04-theme-${after}`);
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', after);
  await page.keyboard.press('Control+Alt+KeyL');
  await expect(html).toHaveAttribute('data-theme', before!);
  await shot(`05-theme-${before}`);
});

test('keyboard: panels take focus with Ctrl+Alt+1..4, the tree opens files with Enter, Ctrl+/ shows help', async ({ page, shot }) => {
  await expect(item(page, 'programs/hello.s')).toBeVisible();
  await page.keyboard.press('Control+Alt+Digit1');
  await expect(page.getByRole('treeitem').first()).toBeFocused();
  // Walk down to hello.s and open it (waiting for each move: focus follows the roving tab stop).
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-path') ?? '');
  for (let i = 0; i < 200; i++) {
    const at = await focused();
    if (at === 'programs/hello.s') break;
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).not.toBe(at);
  }
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('code-editor').locator('.view-lines')).toContainText('__start:');
  await page.keyboard.press('Control+Alt+Digit2');
  await expect(page.getByTestId('code-editor').locator('textarea, .native-edit-context').first()).toBeFocused();
  await page.keyboard.press('Control+Alt+Digit3');
  await expect(page.getByRole('complementary', { name: 'Configuration' })).toBeFocused();
  await page.keyboard.press('Control+Alt+Digit4');
  await expect(page.getByRole('region', { name: 'Results' })).toBeFocused();
  await page.keyboard.press('Control+Slash');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await shot('06-help');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('creates, renames and deletes a file through the tree toolbar', async ({ page, workspaceDir }) => {
  const { existsSync } = await import('node:fs');
  await item(page, 'programs').click();
  await page.getByRole('button', { name: 'New file' }).click();
  const input = page.getByRole('dialog').getByRole('textbox', { name: 'New file path' });
  await expect(input).toHaveValue('programs/untitled.s');
  await input.fill('programs/loop.s');
  await page.keyboard.press('Enter');
  await expect(item(page, 'programs/loop.s')).toBeVisible();
  expect(existsSync(join(workspaceDir, 'programs/loop.s'))).toBe(true);

  await item(page, 'programs/loop.s').click();
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByRole('dialog').getByRole('textbox').fill('programs/spin.s');
  await page.keyboard.press('Enter');
  await expect(item(page, 'programs/spin.s')).toBeVisible();
  expect(existsSync(join(workspaceDir, 'programs/spin.s'))).toBe(true);
  expect(existsSync(join(workspaceDir, 'programs/loop.s'))).toBe(false);

  await item(page, 'programs/spin.s').click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(item(page, 'programs/spin.s')).toHaveCount(0);
  expect(existsSync(join(workspaceDir, 'programs/spin.s'))).toBe(false);
});
