// Results and Compare (issue #12.4): a Disco run is normalised to the matching native run (same
// workload, same machine) by itself, in Results and in Compare; monitor causes are explained;
// per-VM counters; causes and counters side by side; x labels never overlap; tooltips carry
// units; the chart exports whole — PNG at its displayed size and at 2×, SVG — with its bars.
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { config, countColour, openFile, output, pngSize, runToRecord, saveDownload } from './helpers';

const USER = '#4e79a7', KERNEL = '#f28e2b', MONITOR = '#e15759';

/** The x-axis tick labels of a chart do not overlap (their boxes are disjoint). */
async function ticksDisjoint(chart: Locator) {
  const boxes = await chart.locator('.recharts-xAxis-tick-labels .x-tick text').evaluateAll((ts) => ts.map((t) => { const r = t.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; }));
  expect(boxes.length).toBeGreaterThan(1);
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, b] = [boxes[i], boxes[j]];
    expect(a[1] <= b[0] || b[1] <= a[0] || a[3] <= b[2] || b[3] <= a[2], `tick ${i} and ${j} overlap`).toBe(true);
  }
}

/** Exports the chart in `scope` and checks the files: real size, 2×, bars drawn, SVG standalone. */
async function checkExports(page: Page, scope: Locator, chart: Locator, out: (name: string) => string, colours: string[]) {
  const shown = await chart.locator('.recharts-wrapper > svg.recharts-surface').boundingBox();
  const w = Math.round(shown!.width), h = Math.round(shown!.height);
  expect(w).toBeGreaterThan(300);
  expect(h).toBeGreaterThan(150);
  for (const [button, scale] of [['PNG', 1], ['PNG 2×', 2]] as const) {
    const dl = page.waitForEvent('download');
    await scope.getByRole('button', { name: button, exact: true }).click();
    const png = await saveDownload(await dl, out(`chart-${scale}x.png`));
    expect(pngSize(png)).toEqual({ width: w * scale, height: h * scale });
    // The bars are in it (their colours, over a real area), not just a legend swatch.
    for (const c of colours) expect(countColour(png, c), `${c} pixels at ${scale}×`).toBeGreaterThan(400 * scale * scale);
  }
  const dl = page.waitForEvent('download');
  await scope.getByRole('button', { name: 'SVG', exact: true }).click();
  const svg = (await saveDownload(await dl, out('chart.svg'))).toString();
  expect(svg).toMatch(new RegExp(`^<svg[^>]* width="${w}" height="${h}"`));
  expect(svg).toContain('recharts-bar-rectangle');
  expect(svg).not.toContain('var(--');
  for (const c of colours) expect(svg).toContain(c);
  for (const l of ['User', 'Kernel', 'Monitor', 'Idle']) expect(svg).toContain(`>${l}<`);
}

test('a Disco run is normalised to its matching native run; Compare, causes, per-VM counters, exports', async ({ page, shot }, testInfo) => {
  test.setTimeout(180_000);
  await runToRecord(page, 'experiments/pmake-native-1cpu.json');
  await runToRecord(page, 'experiments/pmake-disco-1cpu-2vm.json');

  // Results of the Disco run: the native run of the same workload and machine is the baseline.
  const view = page.getByTestId('run-view');
  await expect(view.getByRole('heading', { name: /^pmake-disco-1cpu-2vm disco/ })).toBeVisible();
  await expect(view.getByLabel('Baseline run').locator('option:checked')).toContainText(/^pmake-native-1cpu .*matching native run/);
  await expect(view.getByTestId('baseline-auto')).toBeVisible();
  await expect(view.getByTestId('overhead')).toContainText(/overhead vs baseline: \+\d/);
  const chart = view.getByTestId('figure5-chart');
  await expect(chart.locator('.recharts-xAxis .recharts-cartesian-axis-tick')).toHaveCount(2);
  await ticksDisjoint(chart);
  // Tooltip: values with their unit and the cycles behind them.
  // (the Disco run's user segment: the series are stacked user, kernel, monitor, idle, one
  // rectangle per run each — the last, idle, may be too thin to hover)
  await chart.locator('.recharts-bar-rectangle').nth(1).hover();
  await expect(page.getByTestId('chart-tooltip')).toContainText("% of the baseline's time");
  await expect(page.getByTestId('chart-tooltip')).toContainText(/[\d,]+ cycles/);
  // Causes explained, per-VM counters shown.
  const causes = view.getByRole('region', { name: 'Monitor time by cause' });
  await expect(causes.locator('tr', { hasText: 'tlb.ksseg' })).toContainText('supervisor segment');
  await expect(causes.locator('tr', { hasText: /^trap/ })).toContainText('Every entry into the monitor');
  const vmc = view.getByRole('region', { name: 'Per-VM counters' });
  await expect(vmc.locator('tbody tr')).toHaveCount(2);
  await expect(vmc).toContainText('L2 TLB hits');
  await expect(vmc.locator('tbody tr').first()).toContainText(/vm0\s*exit 0\s*[1-9][\d,]*/);
  // Memory: each VM's footprint, the kernel image and disk pages shared between the two VMs (M < V).
  const mem = view.getByRole('region', { name: 'Memory and sharing' });
  await expect(mem.getByTestId('memory-vms').locator('tbody tr')).toHaveCount(2);
  await expect(mem.getByTestId('memory-vms').locator('tbody tr').nth(1)).toContainText(/vm1\s*[1-9][\d,]*\s*[\d.]+\s*[1-9][\d,]*/);
  await expect(mem.getByTestId('memory-sharing')).toContainText(/saved by sharing \(V − M\)\s*[1-9]/);
  await shot('results-disco-baseline');
  await checkExports(page, view, chart, (n) => testInfo.outputPath(`results-${n}`), [USER, KERNEL, MONITOR]);
  // The record's Source view: valid against the run record schema (Monaco, no false alarms).
  await page.getByRole('button', { name: 'Source', exact: true }).click();
  await expect(page.getByTestId('json-status')).toContainText('✓ JSON, checked against the run record schema');
  await page.getByRole('button', { name: 'Results', exact: true }).click();

  // Compare both: the native run is the baseline by default; causes and counters side by side.
  await page.getByRole('tab', { name: /^Runs/ }).click();
  for (const cb of await page.getByRole('checkbox', { name: /Select runs\/pmake-/ }).all()) await cb.check();
  await page.getByRole('button', { name: /^Compare 2 selected/ }).click();
  const cmp = page.getByTestId('compare-view');
  await expect(cmp.getByLabel('Baseline run').locator('option:checked')).toContainText(/^pmake-native-1cpu/);
  await expect.poll(async () => (await cmp.getByTestId('overhead-cell').allTextContents()).sort()).toEqual([expect.stringMatching(/^\+\d+\.\d%$/), 'baseline']);
  const side = cmp.getByRole('region', { name: 'Monitor time by cause, side by side' });
  await expect(side.locator('thead th')).toHaveCount(4); // cause, 2 runs, description
  await expect(side.locator('tr', { hasText: 'mmio' })).toContainText('device register');
  await expect(cmp.getByRole('region', { name: 'Counters, side by side', exact: true })).toContainText('counters.instructions');
  await expect(cmp.getByRole('region', { name: 'Per-VM counters, side by side' }).locator('tbody tr')).toHaveCount(2);
  await ticksDisjoint(cmp.getByTestId('compare-chart'));
  await shot('compare-disco-native');
  await checkExports(page, cmp, cmp.getByTestId('compare-chart'), (n) => testInfo.outputPath(`compare-${n}`), [USER, KERNEL, MONITOR]);
  await page.getByTestId('theme-toggle').click();
  await shot('compare-disco-native-dark');
});

test('x labels of many runs wrap instead of overlapping', async ({ page, workspaceDir, shot }) => {
  // Five runs of the same program under long names, compared at once.
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const exp = JSON.parse(readFileSync(join(workspaceDir, 'experiments/bare-hello.json'), 'utf8'));
  const names = ['a-rather-long-experiment-name-one', 'a-rather-long-experiment-name-two', 'another-long-experiment-name-three', 'x4', 'the-fifth-experiment-with-a-long-name'];
  for (const n of names) writeFileSync(join(workspaceDir, `experiments/${n}.json`), JSON.stringify({ ...exp, name: n, machineOverrides: { cpuModel: 'fast' } }));
  for (const n of names) {
    await openFile(page, `experiments/${n}.json`);
    await config(page).getByRole('button', { name: 'Run', exact: true }).click();
    await expect(output(page)).toContainText(`of experiments/${n}.json finished`, { timeout: 60_000 });
  }
  await page.getByRole('tab', { name: /^Runs/ }).click();
  for (const cb of await page.getByRole('checkbox').all()) await cb.check();
  await page.getByRole('button', { name: /^Compare 5 selected/ }).click();
  const chart = page.getByTestId('compare-chart');
  await expect(chart.locator('.recharts-xAxis .recharts-cartesian-axis-tick')).toHaveCount(5);
  await ticksDisjoint(chart);
  await shot('compare-five-runs');
  // A label cut short keeps its full text as a tooltip.
  await expect(chart.locator('.x-tick title', { hasText: 'a-rather-long-experiment-name-one' })).toHaveText(/^a-rather-long-experiment-name-one \d\d:\d\d:\d\d$/);
  await expect(chart.locator('.x-tick text', { hasText: '…' }).first()).toBeVisible();
});

test('a NUMA run shows local vs remote misses per CPU, what the policy did, and where pages went over time', async ({ page, shot }) => {
  // Issue #15.7: the quick NUMA experiment (4 nodes, a read-shared scene, the policy on).
  test.setTimeout(180_000);
  await runToRecord(page, 'experiments/raytrace-disco-4node-numa-quick.json');
  const view = page.getByTestId('run-view');
  const loc = view.getByRole('region', { name: 'Memory locality' });
  await expect(loc.locator('table.locality tbody tr')).toHaveCount(4);
  await expect(loc).toContainText(/All CPUs: \d+\.\d% of misses local/);
  const numa = loc.getByTestId('numa-table');
  await expect(numa.locator('tr', { hasText: /^replications per second/ })).toContainText(/[1-9][\d,]*\s*1\/s/);
  await expect(numa.locator('tr', { hasText: /^cost per replication/ })).toContainText(/\d+(\.\d)?\s*µs/);   // one decimal at most (62 µs prints as 62)
  // the heat map: one row per policy run, one column per node; replicas went to every node
  const heat = loc.getByTestId('numa-heat');
  await expect(heat.locator('thead th')).toHaveCount(5);
  const last = heat.locator('tbody tr').last();
  for (let k = 1; k <= 4; k++) await expect(last.locator('td').nth(k)).toHaveText(/^\+[1-9]/);
  await expect(last.locator('td').nth(1)).toHaveAttribute('title', /pages \(\+[\d,]+ since the first policy run\)/);
  await heat.scrollIntoViewIfNeeded();
  await shot('results-numa');
});
