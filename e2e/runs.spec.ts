// Runs end to end: an experiment runs in a worker of the host, progress advances, the record is
// saved to runs/ and opens as results — a Figure-5 chart with the four categories, per-CPU
// breakdown, counters — with exports; a second run against the first as baseline shows the
// overhead; stopping a run leaves a partial record marked as such.
/// <reference lib="dom" />
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { config, item, openFile } from './helpers';

/** Runs an experiment from its tab; when the record is saved it opens as results. */
async function runExperiment(page: Page, path: string, name: string) {
  await openFile(page, path);
  await config(page).getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Output' })).toContainText(new RegExp(`Run run-\\d+ of ${path} finished`), { timeout: 60_000 });
  await expect(page.locator('[role="tab"][data-path][aria-selected="true"]')).toHaveAttribute('data-path', new RegExp(`^runs/${name}-`));
  await expect(page.getByTestId('run-view')).toBeVisible();
}

test('runs an experiment natively: progress, saved record, results chart with four categories, exports', async ({ page, workspaceDir, shot }, testInfo) => {
  await runExperiment(page, 'experiments/bare-hello.json', 'bare-hello');
  // Back on the experiment: its run finished, with the simulated time and host speed it reached.
  await page.locator('[role="tab"][data-path="experiments/bare-hello.json"]').click();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveAttribute('data-state', 'finished');
  await expect(status.getByTestId('run-cycles')).toContainText(/[1-9][\d,]* cycles/);
  await expect(status.getByRole('progressbar')).toHaveAttribute('value', '1');
  await shot('run-controls');
  await status.getByRole('button', { name: /^runs\/bare-hello-/ }).click();
  const records = readdirSync(join(workspaceDir, 'runs')).filter((f) => /^bare-hello-.*\.json$/.test(f));
  expect(records).toHaveLength(1);
  expect(JSON.parse(readFileSync(join(workspaceDir, 'runs', records[0]), 'utf8'))).toMatchObject({ schema: 'disco-lab/run@1', partial: false });

  // The record opened as results.
  const view = page.getByTestId('run-view');
  await expect(view).toBeVisible();
  const chart = view.getByTestId('figure5-chart');
  for (const c of ['User', 'Kernel', 'Monitor', 'Idle']) await expect(chart.locator('.recharts-legend-item', { hasText: c })).toBeVisible();
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(view.getByRole('region', { name: 'Per-CPU breakdown' }).locator('.recharts-xAxis .recharts-cartesian-axis-tick')).toHaveCount(8);
  await expect(view.getByRole('region', { name: 'Counters' })).toContainText('counters.instructions');
  await expect(view.getByRole('region', { name: 'Monitor time by cause' })).toContainText('native run has no virtual machine monitor');
  await shot('results-light');

  // Live console of the run.
  await page.getByRole('tab', { name: /Console/ }).click();
  await expect(page.getByTestId('live-console')).toContainText(/hello/i);

  // Exports produce files.
  for (const [button, re] of [['CSV', /bare-hello-.*-results\.csv$/], ['PNG', /-chart\.png$/], ['SVG', /-chart\.svg$/], ['JSON', /-results\.json$/]] as const) {
    const dl = page.waitForEvent('download');
    await view.getByRole('button', { name: button, exact: true }).click();
    const d = await dl;
    expect(d.suggestedFilename()).toMatch(re);
    const file = testInfo.outputPath(`export-${button}`);
    await d.saveAs(file);
    const bytes = readFileSync(file);
    if (button === 'CSV') expect(bytes.toString()).toContain('label,user,kernel,monitor,idle,total');
    if (button === 'PNG') expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    if (button === 'SVG') expect(bytes.toString()).toContain('<svg');
    if (button === 'JSON') expect(JSON.parse(bytes.toString())).toHaveProperty('normalised');
  }

  // Dark theme screenshot of the same view.
  await page.getByTestId('theme-toggle').click();
  await shot('results-dark');
});

test('a second run compared to the first as baseline shows its overhead', async ({ page, workspaceDir, shot }) => {
  // Same program on a fast (1 CPI) machine vs the timing model: two different times.
  const exp = JSON.parse(readFileSync(join(workspaceDir, 'experiments/bare-hello.json'), 'utf8'));
  writeFileSync(join(workspaceDir, 'experiments/bare-hello-fast.json'), JSON.stringify({ ...exp, name: 'bare-hello-fast', machineOverrides: { cpuModel: 'fast' } }, null, 2));
  await runExperiment(page, 'experiments/bare-hello-fast.json', 'bare-hello-fast');
  await runExperiment(page, 'experiments/bare-hello.json', 'bare-hello');
  const view = page.getByTestId('run-view');
  await expect(view.getByRole('heading', { name: /^bare-hello native/ })).toBeVisible();
  const base = await view.getByLabel('Baseline run').locator('option', { hasText: 'bare-hello-fast' }).getAttribute('value');
  await view.getByLabel('Baseline run').selectOption(base!);
  await expect(view.getByTestId('overhead')).toContainText(/overhead vs baseline: [+-]\d/);
  await expect(view.getByTestId('figure5-chart').locator('.recharts-xAxis .recharts-cartesian-axis-tick')).toHaveCount(2);
  await shot('results-baseline');

  // Compare: pick both runs from the workspace history.
  await page.getByRole('tab', { name: /^Runs/ }).click();
  const compareBtn = page.getByRole('button', { name: /^Compare/ });
  await expect(compareBtn).toBeDisabled();
  for (const cb of await page.getByRole('checkbox', { name: /Select runs\/bare-hello/ }).all()) await cb.check();
  await compareBtn.click();
  const cmp = page.getByTestId('compare-view');
  await expect(cmp).toBeVisible();
  await cmp.getByLabel('Baseline run').selectOption({ label: (await cmp.getByLabel('Baseline run').locator('option', { hasText: 'bare-hello-fast' }).textContent())! });
  await expect(cmp.getByTestId('compare-row')).toHaveCount(2);
  await expect.poll(async () => (await cmp.getByTestId('overhead-cell').allTextContents()).sort()).toEqual([expect.stringMatching(/^\+\d+\.\d%$/), 'baseline']);
  await expect(cmp.getByRole('region', { name: 'Configuration differences' })).toContainText('machine.cpuModel');
  await expect(cmp.getByRole('region', { name: 'Configuration differences' })).toContainText('fast');
  for (const c of ['User', 'Kernel', 'Monitor', 'Idle']) await expect(cmp.getByTestId('compare-chart').locator('.recharts-legend-item', { hasText: c })).toBeVisible();
  await shot('compare');
  await cmp.getByRole('button', { name: 'Close (Esc)' }).click();
  await expect(cmp).toHaveCount(0);
});

test('stopping a run leaves a partial record marked as such', async ({ page, workspaceDir }) => {
  writeFileSync(join(workspaceDir, 'programs/spin.s'), '        .text\n        .globl __start\n__start:\nloop:   b loop\n        nop\n');
  writeFileSync(join(workspaceDir, 'experiments/spin.json'), JSON.stringify({ name: 'spin', machine: 'uma-smp4', mode: 'native', programs: ['../programs/spin.s'], limits: { maxCycles: 1e14 } }));
  await item(page, 'experiments/spin.json').click();
  await config(page).getByRole('button', { name: 'Run', exact: true }).click();
  const status = page.getByTestId('run-status');
  await expect(status.getByTestId('run-cycles')).toContainText(/[1-9][\d,]* cycles/);
  await config(page).getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('list', { name: 'Output' })).toContainText(/of experiments\/spin.json stopped early \(stopped\) — partial record/);
  const view = page.getByTestId('run-view');
  await expect(view.locator('.chip.warn')).toContainText('partial — stopped');
  const f = readdirSync(join(workspaceDir, 'runs')).find((x) => x.startsWith('spin-'))!;
  expect(JSON.parse(readFileSync(join(workspaceDir, 'runs', f), 'utf8'))).toMatchObject({ partial: true, status: { reason: 'stopped' } });
});

test('runs a workload under Disco: per-VM console streams, progress advances, stop → results with monitor time', async ({ page, shot }) => {
  await openFile(page, 'experiments/pmake-disco-1cpu-2vm.json');
  await config(page).getByRole('button', { name: 'Run', exact: true }).click();
  const status = page.getByTestId('run-status');
  // Something shows at once (issue #12.4: "nothing for the first 5 s"): preparing, then figures.
  await expect(status).toContainText(/Preparing|cycles/, { timeout: 1_000 });
  await expect(status.getByTestId('run-cycles')).toContainText(/[1-9][\d,]* cycles/);
  const first = await status.getByTestId('run-cycles').textContent();
  await expect(status.getByTestId('run-cycles')).not.toHaveText(first!); // progress advances
  await page.getByRole('tab', { name: /Console/ }).click();
  await expect(page.getByRole('region', { name: 'Console of vm0' })).toBeVisible({ timeout: 60_000 });
  await shot('run-disco-live');
  await config(page).getByRole('button', { name: 'Stop' }).click();
  const view = page.getByTestId('run-view');
  await expect(view).toBeVisible({ timeout: 60_000 });
  await expect(view.locator('.chip', { hasText: 'disco' })).toBeVisible();
  for (const c of ['User', 'Kernel', 'Monitor', 'Idle']) await expect(view.getByTestId('figure5-chart').locator('.recharts-legend-item', { hasText: c })).toBeVisible();
  const causes = view.getByRole('region', { name: 'Monitor time by cause' });
  await expect(causes.locator('table tbody tr').first()).toBeVisible();
  await expect(causes).toContainText('Per VM');
  await shot('results-disco');
});
