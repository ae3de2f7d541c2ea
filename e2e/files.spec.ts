// Files (issue #12.3–4): the tree groups the experiments (workload → native / Disco → variants)
// and shows full names; Duplicate; the Examples list of the shipped workloads; a file deleted
// outside the app (banner says so; Ctrl+S does not silently recreate it; keep or close; no
// E_NOT_FOUND); an experiment's error names its file once; a bare-metal program runs from the
// editor with F5 and its experiment file is kept (replacing it asks first).
/// <reference lib="dom" />
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { config, item, openFile, output, tab } from './helpers';

test('the tree groups experiments by workload, native/Disco and variant, and shows full names', async ({ page, workspaceDir, shot }) => {
  const long = 'a-very-long-experiment-name-that-does-not-fit-in-the-panel-native.json';
  writeFileSync(join(workspaceDir, 'experiments', long), JSON.stringify({ name: 'long', machine: 'flash-4x2', mode: 'native', programs: ['../programs/bare-hello.s'] }));
  const groups = page.locator('[role="treeitem"][data-kind="group"][aria-level="2"]');
  await expect(groups).toHaveText([/database\s*9$/, /engineering\s*13$/, /pmake\s*11$/, /pmake-split\s*6$/, /raytrace\s*14$/, /tlb-miss-walkthrough\s*2$/]);
  await item(page, 'experiments/#pmake').click();
  await expect(item(page, 'experiments/#pmake/#native')).toContainText('native');
  await item(page, 'experiments/#pmake/#disco').click();
  await expect(item(page, 'experiments/#pmake/#disco/#variants')).toContainText('variants: hal, kseg0, nol2');
  await item(page, 'experiments/#pmake/#disco/#variants').press('Enter');
  await expect(item(page, 'experiments/pmake-disco-1cpu-1vm-hal.json')).toBeVisible();
  // Full names: not clipped (they wrap), and the path is the tooltip.
  const row = item(page, `experiments/${long}`);
  await expect(row).toHaveAttribute('title', `experiments/${long}`);
  const name = row.locator('.tree-name');
  await expect(name).toHaveText(long);
  expect(await name.evaluate((e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);
  expect((await row.boundingBox())!.height).toBeGreaterThan(30); // wrapped onto more lines
  await shot('tree-groups');
  // Keyboard: a group opens and closes like a folder.
  await item(page, 'experiments/#raytrace').focus();
  await page.keyboard.press('ArrowRight');
  await expect(item(page, 'experiments/#raytrace')).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(item(page, 'experiments/#raytrace')).toHaveAttribute('aria-expanded', 'false');
});

test('Duplicate copies a file under a new name and opens it; Examples lists and restores the shipped workloads', async ({ page, workspaceDir, shot }) => {
  await openFile(page, 'experiments/bare-hello.json');
  await item(page, 'experiments/bare-hello.json').click();
  await page.getByRole('button', { name: 'Duplicate' }).click();
  const name = page.getByRole('dialog').getByRole('textbox');
  await expect(name).toHaveValue('experiments/bare-hello-copy.json');
  await page.keyboard.press('Enter');
  await expect(tab(page, 'experiments/bare-hello-copy.json')).toHaveAttribute('aria-selected', 'true');
  expect(readFileSync(join(workspaceDir, 'experiments/bare-hello-copy.json'), 'utf8')).toBe(readFileSync(join(workspaceDir, 'experiments/bare-hello.json'), 'utf8'));

  rmSync(join(workspaceDir, 'experiments/raytrace-native-1cpu.json'));
  await page.getByRole('button', { name: 'Examples', exact: true }).click();
  const dlg = page.getByRole('dialog', { name: 'Examples' });
  for (const w of ['bare-hello', 'database', 'engineering', 'pmake', 'raytrace', 'tlb-miss-walkthrough']) {
    const section = dlg.getByRole('region', { name: `Workload ${w}`, exact: true });
    await expect(section).toBeVisible();
    await expect(section.locator('p')).toHaveText(/^\S.{10,120}$/); // a one-line description
  }
  await expect(dlg.getByRole('region', { name: 'Workload pmake', exact: true })).toContainText('Parallel make');
  await shot('examples');
  // The deleted example comes back when opened (copied, never overwriting).
  await dlg.getByRole('region', { name: 'Workload raytrace' }).getByRole('button', { name: /native\s+1cpu/ }).click();
  await expect(tab(page, 'experiments/raytrace-native-1cpu.json')).toHaveAttribute('aria-selected', 'true');
  expect(existsSync(join(workspaceDir, 'experiments/raytrace-native-1cpu.json'))).toBe(true);
});

test('a file deleted outside the app: the banner says so, Ctrl+S does not recreate it until kept; close works', async ({ page, workspaceDir, shot }) => {
  await openFile(page, 'programs/hello.s');
  // the content is loaded before the file goes (else the tab says "does not exist": no editor)
  await expect(page.getByTestId('code-editor').locator('.view-lines')).toContainText('Hello from a Disco Lab guest!');
  rmSync(join(workspaceDir, 'programs/hello.s'));
  const banner = page.getByTestId('deleted-banner');
  await expect(banner).toContainText('programs/hello.s was deleted on disk');
  await expect(page.getByRole('button', { name: 'Reload from disk' })).toHaveCount(0);
  await shot('deleted-banner');
  await page.getByTestId('code-editor').locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+s');
  await expect(output(page)).toContainText('Not saved: programs/hello.s was deleted on disk');
  expect(existsSync(join(workspaceDir, 'programs/hello.s'))).toBe(false);
  // Keep: now Ctrl+S recreates it, on purpose.
  await banner.getByRole('button', { name: /Keep editing/ }).click();
  await expect(banner).toHaveCount(0);
  await expect(tab(page, 'programs/hello.s').getByLabel('unsaved changes')).toBeVisible();
  await page.keyboard.press('ControlOrMeta+s');
  await expect.poll(() => existsSync(join(workspaceDir, 'programs/hello.s'))).toBe(true);
  expect(readFileSync(join(workspaceDir, 'programs/hello.s'), 'utf8')).toContain('Hello from a Disco Lab guest!');
  // Deleted again: close the tab from the banner. No E_NOT_FOUND anywhere.
  rmSync(join(workspaceDir, 'programs/hello.s'));
  await banner.getByRole('button', { name: 'Close the tab' }).click();
  await expect(tab(page, 'programs/hello.s')).toHaveCount(0);
  await page.reload();
  await expect(item(page, 'programs')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Results' })).not.toContainText('E_NOT_FOUND');
  await expect(page.locator('.placeholder.error-text')).toHaveCount(0);
});

test('a broken experiment\'s error names its file once', async ({ page, workspaceDir }) => {
  writeFileSync(join(workspaceDir, 'experiments/broken.json'), JSON.stringify({ name: 'broken', machine: 'flash-4x2', mode: 'native', programs: ['../programs/nope.s'] }));
  await openFile(page, 'experiments/broken.json');
  await config(page).getByRole('button', { name: 'Run', exact: true }).click();
  const line = output(page).locator('li', { hasText: 'Could not start' });
  await expect(line).toContainText('programs[0]: programs/nope.s does not exist');
  expect((await line.textContent())!.match(/experiments\/broken\.json/g)).toHaveLength(1);
});

test('F5 on a bare-metal program: the Run dialog writes its experiment, runs it, and asks before replacing it', async ({ page, workspaceDir, shot }) => {
  await item(page, 'programs').click();
  await page.keyboard.press('Control+Alt+KeyN');
  const dlg = page.getByRole('dialog', { name: 'New file' });
  await dlg.getByRole('radio', { name: /Bare-metal program/ }).check();
  await dlg.getByRole('textbox', { name: 'New file path' }).fill('programs/blink.s');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('asm-status')).toContainText('Assembles');
  await page.keyboard.press('F5');
  const run = page.getByTestId('run-dialog');
  await expect(run.getByRole('button', { name: /^Bare metal: 1 CPU/ })).toHaveClass(/primary/); // guessed: it writes CP0/devices
  await run.getByLabel('CPUs', { exact: true }).fill('2');
  await shot('run-dialog-bare');
  await run.getByRole('button', { name: /^Bare metal: 2 CPUs/ }).click();
  await expect(page.getByTestId('live-console')).toContainText('hello from blink on bare metal', { timeout: 30_000 });
  const exp = JSON.parse(readFileSync(join(workspaceDir, 'experiments/blink-bare.json'), 'utf8'));
  expect(exp).toMatchObject({ name: 'blink-bare', mode: 'native', programs: ['../programs/blink.s'], machine: 'flash-8node', machineOverrides: { nodes: 2 } });
  await expect(page.getByTestId('run-view')).toBeVisible({ timeout: 30_000 }); // the record opened
  // Other settings would change the file: the app asks; "Run it as it is" keeps it.
  await tab(page, 'programs/blink.s').click();
  await page.keyboard.press('F5');
  await run.getByLabel('CPUs', { exact: true }).fill('1');
  await run.getByRole('button', { name: /^Bare metal: 1 CPU/ }).click();
  const ask = page.getByRole('dialog', { name: 'experiments/blink-bare.json exists' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Run it as it is' }).click();
  await page.getByRole('tab', { name: 'Output' }).click();
  await expect(output(page)).toContainText(/Run run-2 of experiments\/blink-bare\.json finished/, { timeout: 30_000 });
  expect(JSON.parse(readFileSync(join(workspaceDir, 'experiments/blink-bare.json'), 'utf8')).machineOverrides).toEqual({ nodes: 2 });
});
