// The experiment form: native or Disco, VMs with vCPUs/memory/kernel variant, monitor options;
// field errors from the validator; saving writes experiments/*.json.
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { config, output } from './helpers';

const item = (page: Page, path: string) => page.locator(`[role="treeitem"][data-path="${path}"]`);
const tab = (page: Page, path: string) => page.locator(`[role="tab"][data-path="${path}"]`);

test('switches an experiment to Disco, configures VMs and the monitor, validates and saves', async ({ page, workspaceDir, shot }) => {
  await item(page, 'experiments/bare-hello.json').click();
  const form = page.getByTestId('experiment-form');
  await expect(form).toBeVisible();
  await expect(form.getByTestId('experiment-validity')).toContainText('valid experiment');
  await expect(form.locator('#ef-machine')).toHaveValue('flash-4x2');

  await form.getByRole('radio', { name: /Disco/ }).check();
  await expect(form.getByTestId('vm-card')).toHaveCount(1);
  await form.locator('[id="ef-vms-0--vcpus"]').fill('2');
  await form.locator('[id="ef-vms-0--variant"]').selectOption('hal');
  await expect(form.locator('[id="ef-vms-0--kernel"]')).toHaveValue('');   // built from the variant (the experiment's `guest`)
  await form.getByRole('button', { name: 'Add VM' }).click();
  await expect(form.getByTestId('vm-card')).toHaveCount(2);
  // the second VM reads its files from the first over the virtual network (the choices: the other VMs)
  await expect(form.locator('[id="ef-vms-1--fileServer"] option')).toHaveText(['its own disk', 'vm']);
  await form.locator('[id="ef-vms-1--fileServer"]').selectOption('vm');
  await form.locator('#ef-monitor-l2tlbEntries').fill('-5');
  await expect(form.locator('[data-field="monitor.l2tlbEntries"]').getByRole('alert')).toBeVisible();
  await page.keyboard.press('ControlOrMeta+s');
  await expect(page.getByRole('list', { name: 'Output' })).toContainText('Not saved: experiments/bare-hello.json');
  await shot('experiment-form-error');
  await form.locator('#ef-monitor-l2tlbEntries').fill('256');
  await expect(form.getByTestId('experiment-validity')).toContainText('valid experiment');
  await page.keyboard.press('ControlOrMeta+s');
  await expect(tab(page, 'experiments/bare-hello.json').getByLabel('unsaved changes')).toHaveCount(0);
  const saved = JSON.parse(readFileSync(join(workspaceDir, 'experiments/bare-hello.json'), 'utf8'));
  expect(saved.programs).toBeUndefined();
  expect(saved).toMatchObject({ mode: 'disco', monitor: { l2tlbEntries: 256 }, vms: [{ vcpus: 2, variant: 'hal' }, { name: 'vm1', fileServer: 'vm' }] });
  await shot('experiment-form');
});

test('a Denali experiment in the form (VM groups, load, kernel options); its results are summaries, not one bar per VM', async ({ page, shot }) => {
  // Issue #18.8.
  test.setTimeout(120_000);
  await item(page, 'experiments/bare-hello.json').click();
  const form = page.getByTestId('experiment-form');
  await form.getByRole('radio', { name: /Denali/ }).check();
  await expect(form.getByTestId('denali-group')).toHaveCount(1);
  await expect(form.getByTestId('vm-card')).toHaveCount(0);
  await form.locator('[id="ef-denali-vms-0--count"]').fill('50');
  await form.locator('[id="ef-denali-load-durationMs"]').fill('20');
  await form.locator('[id="ef-denali-load-requestsPerClient"]').fill('0');
  await expect(form.getByTestId('experiment-validity')).toContainText('valid experiment');
  await form.locator('[id="ef-denali-vms-0--memoryKB"]').fill('6');
  await expect(form.locator('[data-field="denali.vms[0].memoryKB"]').getByRole('alert')).toBeVisible();
  await form.locator('[id="ef-denali-vms-0--memoryKB"]').fill('32');
  await expect(form.getByTestId('experiment-validity')).toContainText('valid experiment');
  await shot('experiment-form-denali');
  await page.keyboard.press('ControlOrMeta+s');
  await config(page).getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('tab', { name: 'Output' }).click();
  await expect(output(page)).toContainText(/of experiments\/bare-hello\.json finished \(exit\)/, { timeout: 60_000 });
  const view = page.getByTestId('run-view');
  const card = view.getByRole('region', { name: 'Denali' });
  await expect(card).toContainText('Denali: 50 VMs under load');
  await expect(card.getByTestId('denali-table').locator('tr', { hasText: /^response time: median/ })).toContainText(/\d/);
  await expect(card.getByTestId('denali-throughput').locator('.recharts-line')).toHaveCount(1);
  await expect(card.getByTestId('denali-latency').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await shot('results-denali');
});
