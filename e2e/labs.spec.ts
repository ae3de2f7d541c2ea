// The Labs view (issue #14.4): open it from the header, run a small lab (bare-hello on 1, 2 and 4
// CPUs, written into the workspace by the test), see its progress, our figure with the paper's
// values beside it, the shape checks green; the table; reopen it instantly from the cache; click
// through to a point's run record; a line figure with paper markers from the same cache; Stop.
/// <reference lib="dom" />
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { item, output, tab } from './helpers';

const HELLO = {
  name: 'hello-cpus', title: 'bare-hello by CPUs (native = 1 CPU)', description: 'A token passes through every CPU in turn: more CPUs take longer, and wait longer.', source: 'made up for the e2e test',
  sweep: { template: '../experiments/bare-hello.json', params: { cpus: [1, 2, 4] }, set: { machineOverrides: { nodes: 1, cpusPerNode: '{cpus}', cpuModel: 'fast' } } },
  metrics: { kernel: '/totals/buckets/kernel', idle: '/totals/buckets/idle', total: ['/totals/buckets/kernel', '/totals/buckets/idle', '/totals/buckets/user'], cycles: '/cycles' },
  figure: { type: 'stacked-bars', x: 'cpus', values: ['kernel', 'idle'], normalize: { where: { cpus: 1 }, metric: 'total', scale: 100 }, unit: '% of the 1-CPU run' },
  paper: [{ at: { cpus: 1 }, values: { kernel: 98, idle: 2, total: 100 } }, { at: { cpus: 2 }, values: { kernel: 190, idle: 180, total: 370 } }, { at: { cpus: 4 }, values: { kernel: 380, idle: 1100, total: 1480 } }],
  checks: [
    { name: 'more CPUs take longer', explanation: 'the token passes through every CPU in turn', kind: 'increasing', along: 'cpus', metric: 'cycles' },
    { name: 'idle time grows with the CPUs', explanation: 'the CPUs wait for the token', kind: 'greater', left: { at: { cpus: 4 }, metric: 'idle' }, right: { at: { cpus: 1 }, metric: 'idle' } },
  ],
};

/** Records every text the lab status shows (the run may be quicker than a poll). */
async function recordStatus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { labStatus: string[] };
    w.labStatus = [];
    const note = () => {
      const t = document.querySelector('[data-testid="lab-status"]');
      const bar = t?.querySelector('progress');
      const text = `${bar ? '[bar] ' : ''}${t?.textContent ?? ''}`;
      if (w.labStatus.at(-1) !== text) w.labStatus.push(text);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    note();
  });
}
const statusSeen = (page: Page) => page.evaluate(() => (window as unknown as { labStatus: string[] }).labStatus);

test('Labs: run a small lab, our figure beside the paper, green checks, the table, instant from the cache, a point\'s run record', async ({ page, workspaceDir, shot }) => {
  test.setTimeout(120_000);
  writeFileSync(join(workspaceDir, 'labs/hello-cpus.json'), JSON.stringify(HELLO, null, 2));
  await expect(item(page, 'labs')).toBeVisible();

  // From the header: the first lab of the workspace (denali-batching, by name); then figure5,
  // nothing cached yet — the paper's bars alone.
  await page.getByRole('button', { name: 'Labs', exact: true }).click();
  const view = page.getByTestId('lab-view');
  await expect(tab(page, 'labs/denali-batching.json')).toHaveAttribute('aria-selected', 'true');
  await view.getByLabel('Lab').selectOption('labs/figure5.json');
  await expect(tab(page, 'labs/figure5.json')).toHaveAttribute('aria-selected', 'true');
  await expect(view.getByRole('heading', { name: /^Figure 5/ })).toBeVisible();
  await expect(view.getByTestId('lab-status-text')).toHaveText('0 of 8 points in the cache; Run computes the other 8');
  await expect(view.getByTestId('lab-chart').locator('.paper-bar .recharts-rectangle').first()).toBeVisible();
  await expect(view.getByTestId('lab-check')).toHaveCount(4);
  for (const c of await view.getByTestId('lab-check').all()) await expect(c).toHaveAttribute('data-state', 'pending'); // not decided: no record yet
  await shot('labs-figure5-uncached');

  // Pick the small lab; run it; progress shows while it runs.
  await view.getByLabel('Lab').selectOption('labs/hello-cpus.json');
  await expect(tab(page, 'labs/hello-cpus.json')).toHaveAttribute('aria-selected', 'true');
  await expect(view.getByTestId('lab-status-text')).toHaveText('0 of 3 points in the cache; Run computes the other 3');
  await recordStatus(page);
  const t0 = Date.now();
  await view.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(view.getByTestId('lab-status-text')).toHaveText(/^Finished: 3 run, 0 from the cache, in \d+ s$/, { timeout: 60_000 });
  const cold = (Date.now() - t0) / 1000;
  const seen = await statusSeen(page);
  expect(seen.some((s) => /^\[bar\] \d of 3 points/.test(s)), seen.join('\n')).toBe(true);
  await expect(output(page)).toContainText(/Lab hello-cpus finished \(3 run, 0 from the cache, [\d.]+ s\): 2 of 2 checks pass/);

  // Our figure with the paper beside it; both checks green, with the numbers that decided them.
  const chart = view.getByTestId('lab-chart');
  await expect(chart.locator('.ours-bar .recharts-rectangle')).toHaveCount(6);   // 3 points × kernel, idle
  await expect(chart.locator('.paper-bar .recharts-rectangle')).toHaveCount(6);
  await expect(view.getByTestId('lab-legend')).toContainText('paper');
  const checks = view.getByTestId('lab-check');
  await expect(checks).toHaveCount(2);
  for (const c of await checks.all()) await expect(c).toHaveAttribute('data-pass', 'true');
  await expect(checks.first()).toContainText(/cycles along cpus = 1, 2, 4: [\d.]+, [\d.]+, [\d.]+ — increasing: yes/);
  await expect(view.getByRole('region', { name: 'Shape checks' })).toContainText('2 of 2 pass');
  // The tooltip: ours and the paper's.
  await chart.locator('.ours-bar .recharts-rectangle').last().hover();
  await expect(page.getByTestId('lab-tooltip')).toContainText(/ours.*paper/);
  await page.mouse.move(5, 5);
  await shot('labs-hello-light');
  await page.getByTestId('theme-toggle').click();
  await shot('labs-hello-dark');
  await page.getByTestId('theme-toggle').click();

  // The table of derived values: ours, the paper's in parentheses, raw counts, a link per point.
  await view.getByRole('button', { name: 'Table', exact: true }).click();
  const rows = view.getByTestId('lab-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText(/^1\s*[\d.]+ \(98\.00\)/);
  await expect(rows.nth(2).getByRole('button', { name: 'Open the run record of cpus=4' })).toBeVisible();
  await shot('labs-hello-table');
  await view.getByRole('button', { name: 'Figure', exact: true }).click();

  // The cache is hidden from the tree; the records are under runs/hello-cpus/.
  await expect(item(page, 'runs/hello-cpus')).toBeVisible();
  await expect(page.locator('[role="treeitem"][data-path^=".disco-lab"]')).toHaveCount(0);

  // Reopened after a reload, from the keyboard: instant, from the cache.
  await page.reload();
  await expect(tab(page, 'labs/hello-cpus.json')).toBeVisible();
  for (const name of ['denali-batching.json', 'figure5.json', 'hello-cpus.json']) await page.getByRole('button', { name: `Close ${name}` }).click();
  await expect(page.getByTestId('lab-view')).toHaveCount(0);
  const t1 = Date.now();
  await page.keyboard.press('Control+Alt+p');
  await expect(view.getByTestId('lab-status-text')).toHaveText(/^All 3 points from the cache \(\d+ ms\) — nothing to run$/);
  await expect(view.getByTestId('lab-check').first()).toHaveAttribute('data-pass', 'true');
  const warm = (Date.now() - t1) / 1000;
  await expect(chart.locator('.ours-bar .recharts-rectangle')).toHaveCount(6);
  console.log(`labs e2e: hello-cpus cold ${cold.toFixed(1)} s (click → finished), from the cache ${warm.toFixed(2)} s (Ctrl+Alt+P → checks shown); host: ${await view.getByTestId('lab-status-text').textContent()}`);
  expect(warm).toBeLessThan(3);

  // Each point one click away: its run record opens in the results view.
  await view.getByRole('navigation', { name: 'Run records of the points' }).getByRole('button', { name: '4', exact: true }).click();
  const rec = page.locator('[role="tab"][data-path^="runs/hello-cpus/cpus4-"]');
  await expect(rec).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('run-view').getByRole('heading', { name: /^bare-hello native/ })).toContainText('native');
  await expect(page.getByTestId('run-view')).toContainText('4 CPUs');
  // A bar opens its point too.
  await tab(page, 'labs/hello-cpus.json').click();
  await page.getByTestId('lab-chart').locator('.ours-bar .recharts-rectangle').first().click();
  await expect(page.locator('[role="tab"][data-path^="runs/hello-cpus/cpus1-"]')).toHaveAttribute('aria-selected', 'true');
});

test('Labs: a line figure with the paper as markers, from the same cache; Stop ends a running lab', async ({ page, workspaceDir, shot }) => {
  test.setTimeout(90_000);
  writeFileSync(join(workspaceDir, 'labs/hello-cpus.json'), JSON.stringify(HELLO, null, 2));
  // The same sweep drawn as a line: its points have the same content keys.
  writeFileSync(join(workspaceDir, 'labs/hello-line.json'), JSON.stringify({ ...HELLO, name: 'hello-line', title: 'bare-hello: cycles by CPUs', figure: { type: 'line', x: 'cpus', values: ['cycles'], unit: 'cycles' }, paper: [{ at: { cpus: 2 }, values: { cycles: 24000 } }, { at: { cpus: 4 }, values: { cycles: 50000 } }] }, null, 2));
  writeFileSync(join(workspaceDir, 'programs/spin.s'), '        .text\n        .globl __start\n__start:\nspin:   b    spin\n        nop\n');
  writeFileSync(join(workspaceDir, 'experiments/spin.json'), JSON.stringify({ name: 'spin', machine: 'uma-smp4', machineOverrides: { cpuModel: 'fast', nodes: 1, cpusPerNode: 1 }, mode: 'native', programs: ['../programs/spin.s'], limits: { maxCycles: 1e14 } }));
  writeFileSync(join(workspaceDir, 'labs/spin.json'), JSON.stringify({ name: 'spin', title: 'Spins until stopped', sweep: { template: '../experiments/spin.json', params: { seed: [1, 2, 3] }, set: { seed: '{seed}' } }, metrics: { cycles: '/cycles' }, figure: { type: 'bars', x: 'seed', values: ['cycles'] }, checks: [] }));
  await expect(item(page, 'labs')).toBeVisible();

  await page.keyboard.press('Control+Alt+p');
  const view = page.getByTestId('lab-view');
  await view.getByLabel('Lab').selectOption('labs/hello-cpus.json');
  await view.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(view.getByTestId('lab-status-text')).toHaveText(/^Finished: 3 run/, { timeout: 60_000 });

  await view.getByLabel('Lab').selectOption('labs/hello-line.json');
  await expect(view.getByTestId('lab-status-text')).toHaveText(/^All 3 points from the cache/);
  const chart = view.getByTestId('lab-chart');
  await expect(chart.locator('circle.ours-dot')).toHaveCount(3);
  await expect(chart.locator('circle.paper-marker')).toHaveCount(2);
  await expect(view.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
  await expect(view.getByTestId('lab-check').first()).toHaveAttribute('data-pass', 'true');
  await shot('labs-line');

  // A lab that would never end: it takes both run slots, Stop ends it, nothing is kept.
  await view.getByLabel('Lab').selectOption('labs/spin.json');
  await view.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(view.getByTestId('lab-progress')).toBeVisible();
  await expect(view.getByTestId('lab-status-text')).toContainText('running 2');
  await expect(page.getByRole('status')).toContainText(/● lab spin 0\/3/);
  await shot('labs-running');
  await view.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(view.getByTestId('lab-status-text')).toHaveText(/^Stopped \(0 run, 0 from the cache, in \d+ s\); 3 points have no record yet$/, { timeout: 20_000 });
  await expect(view.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
  await expect(page.getByRole('status')).not.toContainText('● lab');
});
