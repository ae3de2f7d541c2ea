// The new user's path (issue #12.5): a program written from the template runs as a process of
// the guest OS, natively and under Disco in 2 VMs; the Disco run's results are normalised to the
// native run by themselves; Compare; PNG export at the chart's real size. And the short paths,
// counted in user actions and timed: new file → its output under Disco, and new file → a
// comparison native vs Disco, each in three actions.
//
// Depends on guest programs from the workspace (experiment field `guest`, issue #12.1): the Run
// dialog offers the guest OS choices only when the host's experiment schema has `guest`.
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { item, output, pngSize, saveDownload, tab } from './helpers';

// the live console (the run view, once the record opens, has per-VM consoles too)
const consoleOf = (page: Page, source: string) => page.getByTestId('live-console').getByRole('region', { name: `Console of ${source}` });

test('a new guest program runs natively and under 2 VMs; results use the native baseline; compare; PNG export', async ({ page, workspaceDir, shot }, testInfo) => {
  test.setTimeout(240_000);
  // New program from the template (New file dialog, in programs/).
  await item(page, 'programs').click();
  await page.getByRole('button', { name: 'New file' }).click();
  const dlg = page.getByRole('dialog', { name: 'New file' });
  await expect(dlg.getByRole('radio', { name: /Guest user program/ })).toBeChecked();
  await dlg.getByRole('textbox', { name: 'New file path' }).fill('programs/mytest.s');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('asm-status')).toContainText('Assembles');
  await shot('guest-new-program');

  // Natively on the guest OS.
  await page.keyboard.press('F5');
  const run = page.getByTestId('run-dialog');
  await expect(run.getByRole('button', { name: /^On the guest OS natively: 1 CPU/ })).toBeEnabled();
  await run.getByRole('button', { name: /^On the guest OS natively: 1 CPU/ }).click();
  await expect(consoleOf(page, 'machine')).toContainText('hello from mytest', { timeout: 120_000 });
  await expect(consoleOf(page, 'machine')).toContainText('mytest: done');
  await expect(page.getByTestId('run-view')).toBeVisible({ timeout: 120_000 });
  expect(JSON.parse(readFileSync(join(workspaceDir, 'experiments/mytest-native.json'), 'utf8'))).toMatchObject({
    mode: 'native', guest: { programs: ['../programs/mytest.s'], init: 'mytest' },
  });

  // Under Disco, 2 VMs × 1 vCPU.
  await tab(page, 'programs/mytest.s').click();
  await page.keyboard.press('F5');
  await run.getByLabel('VMs', { exact: true }).fill('2');
  await shot('guest-run-dialog');
  await run.getByRole('button', { name: /^Under Disco: 2 VMs × 1 vCPU/ }).click();
  for (const vm of ['vm0', 'vm1']) await expect(consoleOf(page, vm)).toContainText('hello from mytest', { timeout: 120_000 });
  await shot('guest-disco-console');
  const view = page.getByTestId('run-view');
  await expect(view.getByRole('heading', { name: /^mytest-disco disco/ })).toBeVisible({ timeout: 120_000 });
  expect(JSON.parse(readFileSync(join(workspaceDir, 'experiments/mytest-disco.json'), 'utf8'))).toMatchObject({
    mode: 'disco', guest: { programs: ['../programs/mytest.s'], init: 'mytest' }, vms: [{ vcpus: 1, copies: 2 }],
  });
  // Results: the native run is the baseline without asking.
  await expect(view.getByLabel('Baseline run').locator('option:checked')).toContainText(/^mytest-native .*matching native run/);
  await expect(view.getByTestId('overhead')).toContainText(/overhead vs baseline: [+-]\d/);
  await expect(view.getByRole('region', { name: 'Per-VM counters' }).locator('tbody tr')).toHaveCount(2);
  await shot('guest-results');

  // Compare, native baseline by default; PNG export at the chart's size.
  await page.getByRole('tab', { name: /^Runs/ }).click();
  for (const cb of await page.getByRole('checkbox', { name: /Select runs\/mytest-/ }).all()) await cb.check();
  await page.getByRole('button', { name: /^Compare 2 selected/ }).click();
  const cmp = page.getByTestId('compare-view');
  await expect(cmp.getByLabel('Baseline run').locator('option:checked')).toContainText(/^mytest-native/);
  await expect.poll(async () => (await cmp.getByTestId('overhead-cell').allTextContents()).sort()).toEqual([expect.stringMatching(/^[+-]\d+\.\d%$/), 'baseline']);
  const box = (await cmp.getByTestId('compare-chart').locator('.recharts-wrapper > svg.recharts-surface').boundingBox())!;
  const dl = page.waitForEvent('download');
  await cmp.getByRole('button', { name: 'PNG', exact: true }).click();
  expect(pngSize(await saveDownload(await dl, testInfo.outputPath('compare.png')))).toEqual({ width: Math.round(box.width), height: Math.round(box.height) });
  await shot('guest-compare');
  await page.getByTestId('theme-toggle').click();
  await shot('guest-compare-dark');
});

/** Records a user action (a click or a key) with the time since the start. */
function actions(testInfo: { annotations: { type: string; description?: string }[] }) {
  const t0 = Date.now();
  let n = 0;
  return {
    act: async (what: string, f: () => Promise<unknown>) => { n++; await f(); testInfo.annotations.push({ type: `action ${n}`, description: `${what} (+${((Date.now() - t0) / 1000).toFixed(1)} s)` }); },
    done: (what: string) => {
      const s = ((Date.now() - t0) / 1000).toFixed(1);
      testInfo.annotations.push({ type: 'result', description: `${what}: ${n} actions, ${s} s` });
      console.log(`new-user path — ${what}: ${n} actions, ${s} s`);
      return n;
    },
  };
}

test('from an empty workspace view to the program\'s output under Disco in three actions', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await expect(page.getByTestId('welcome')).toBeVisible();
  const a = actions(testInfo);
  await a.act('click "New guest program" (welcome page)', () => page.getByRole('button', { name: 'New guest program' }).click());
  await expect(page.getByTestId('asm-status')).toContainText('Assembles');
  await a.act('press F5', () => page.keyboard.press('F5'));
  const disco = page.getByTestId('run-dialog').getByRole('button', { name: /^Under Disco: 2 VMs × 1 vCPU/ });
  await expect(disco).toBeEnabled(); // needs guest programs (the experiment field `guest`)
  await a.act('click "Under Disco: 2 VMs × 1 vCPU"', () => disco.click());
  await expect(consoleOf(page, 'vm0')).toContainText('hello from untitled', { timeout: 120_000 });
  expect(a.done('new file → its output under Disco')).toBeLessThanOrEqual(3);
});

test('from an empty workspace view to a comparison of the program native vs Disco in three actions', async ({ page, shot }, testInfo) => {
  test.setTimeout(180_000);
  await expect(page.getByTestId('welcome')).toBeVisible();
  const a = actions(testInfo);
  await a.act('click "New guest program" (welcome page)', () => page.getByRole('button', { name: 'New guest program' }).click());
  await expect(page.getByTestId('asm-status')).toContainText('Assembles');
  await a.act('press F5', () => page.keyboard.press('F5'));
  const both = page.getByTestId('run-dialog').getByRole('button', { name: 'Natively and under Disco, then compare' });
  await expect(both).toBeEnabled(); // needs guest programs (the experiment field `guest`)
  await a.act('click "Natively and under Disco, then compare"', () => both.click());
  const cmp = page.getByTestId('compare-view');
  await expect(cmp.getByTestId('compare-row')).toHaveCount(2, { timeout: 150_000 });
  await expect(cmp.getByLabel('Baseline run').locator('option:checked')).toContainText(/^untitled-native/);
  await expect.poll(async () => (await cmp.getByTestId('overhead-cell').allTextContents()).sort()).toEqual([expect.stringMatching(/^[+-]\d+\.\d%$/), 'baseline']);
  expect(a.done('new file → comparison native vs Disco')).toBeLessThanOrEqual(3);
  await shot('guest-three-actions-compare');
  await page.getByRole('tab', { name: 'Output' }).click();
  await expect(output(page)).toContainText('Wrote experiments/untitled-native.json');
  await expect(output(page)).toContainText('Wrote experiments/untitled-disco.json');
});
