// The same service under Denali and under Disco (issue #18.8): the shipped pair of experiments
// runs from the workbench; the Disco run's Results show what its clients saw; Compare sets the
// two runs side by side with the service table (throughput, response times, CPU per request).
/// <reference lib="dom" />
import { expect, test } from './fixtures';
import { openFile, runToRecord } from './helpers';

test('a Denali run beside a Disco run of the same service, in Compare', async ({ page, shot }) => {
  test.setTimeout(180_000);
  await runToRecord(page, 'experiments/service-denali-4vm.json');
  // the Disco experiment's form has the clients (experiment `load`), one field per scalar
  await openFile(page, 'experiments/service-disco-4vm.json');
  const form = page.getByTestId('experiment-form');
  const clients = form.locator('[data-field="load"]');
  await expect(clients.getByRole('checkbox', { name: /Serve the load generator's clients/ })).toBeChecked();
  await expect(form.locator('[id="ef-load-clientsPerVm"]')).toHaveValue('4');
  await expect(form.locator('[id="ef-load-thinkTimeUs"]')).toHaveValue('1000');
  await form.locator('[id="ef-load-clientsPerVm"]').fill('-1');
  await expect(form.locator('[data-field="load.clientsPerVm"]').getByRole('alert')).toBeVisible();
  await form.locator('[id="ef-load-clientsPerVm"]').fill('4');
  await expect(form.getByTestId('experiment-validity')).toContainText('valid experiment');
  await page.keyboard.press('ControlOrMeta+s');
  await runToRecord(page, 'experiments/service-disco-4vm.json');
  const card = page.getByTestId('run-view').getByRole('region', { name: 'Load' });
  await expect(card).toContainText('Serving the load: 16 clients of 4 VMs under Disco');
  await expect(card.getByTestId('load-table').locator('tr', { hasText: /^requests answered/ })).toContainText('400 / 400 (0)');
  await expect(card.getByTestId('load-latency').locator('.recharts-bar-rectangle').first()).toBeVisible();

  await page.getByRole('tab', { name: /^Runs/ }).click();
  for (const cb of await page.getByRole('checkbox', { name: /Select runs\/service-/ }).all()) await cb.check();
  await page.getByRole('button', { name: /^Compare 2 selected/ }).click();
  const cmp = page.getByTestId('compare-view');
  const table = cmp.getByTestId('compare-service');
  await expect(table.locator('thead th')).toHaveCount(4);   // measure, 2 runs, unit
  await expect(table.locator('thead')).toContainText('(denali)');
  await expect(table.locator('thead')).toContainText('(disco)');
  await expect(table.locator('tr', { hasText: /^requests answered/ }).locator('td.num')).toHaveText(['400', '400']);
  await expect(table.locator('tr', { hasText: /^wrong answers/ }).locator('td.num')).toHaveText(['0', '0']);
  const cpu = await table.locator('tr', { hasText: /^CPU time per request/ }).locator('td.num').allTextContents();
  expect(cpu.map((t) => Number(t.replace(/,/g, ''))).every((x) => x > 0)).toBe(true);
  await table.scrollIntoViewIfNeeded();
  await shot('compare-denali-disco-service');
});

test('Examples: one click runs the service under Denali and under Disco and compares them', async ({ page, workspaceDir }) => {
  test.setTimeout(180_000);
  const { rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  for (const m of ['denali', 'disco']) rmSync(join(workspaceDir, `experiments/service-${m}-4vm.json`));   // copied back first
  await page.getByRole('button', { name: 'Examples', exact: true }).click();
  const dlg = page.getByRole('dialog', { name: 'Examples' });
  const group = dlg.getByRole('region', { name: 'Workload service' });
  await expect(group.getByRole('button', { name: /denali/ })).toHaveCount(1);
  await expect(group.getByRole('button', { name: /disco/ })).toHaveCount(1);
  await group.getByRole('button', { name: 'Run both and compare: Denali beside Disco' }).click();
  const table = page.getByTestId('compare-view').getByTestId('compare-service');
  await expect(table).toBeVisible({ timeout: 120_000 });
  await expect(table.locator('tr', { hasText: /^requests answered/ }).locator('td.num')).toHaveText(['400', '400']);
});
