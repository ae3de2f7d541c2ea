// Runs belong to the host (issue #12.4–5): reloading the page during a run lists the run again,
// its console continues where it was, and Stop works — the run slot is freed, no E_BUSY.
// Progress: a first run of an experiment has an indeterminate bar with live figures; a later run
// is measured against the previous one.
/// <reference lib="dom" />
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { config, item, openFile, output } from './helpers';

/** Prints a numbered line every ~1.5M instructions (CPU 0; the others wait); after `lines` lines (0: never) powers off. */
const ticker = (lines: number) => `        .text
        .globl __start
        .set noreorder
__start:
        lui     $s0, 0xbf00
        lw      $t0, 0x4000($s0)
        bnez    $t0, park
        nop
        li      $s1, 0              # line number
line:   addiu   $s1, $s1, 1
        la      $a0, msg
put:    lbu     $t1, 0($a0)
        beqz    $t1, num
        nop
        sw      $t1, 0($s0)
        b       put
        addiu   $a0, $a0, 1
num:    addiu   $t1, $s1, 0         # print the line number in decimal (up to 99999)
        li      $t2, 10000
digit:  divu    $t1, $t2
        mflo    $t3
        mfhi    $t1
        addiu   $t3, $t3, 48
        sw      $t3, 0($s0)
        li      $t4, 10
        divu    $t2, $t4
        mflo    $t2
        bnez    $t2, digit
        nop
        li      $t3, 10
        sw      $t3, 0($s0)
        li      $t5, 500000         # delay
delay:  addiu   $t5, $t5, -1
        bnez    $t5, delay
        nop
        li      $t6, ${lines}
        beq     $s1, $t6, off
        nop
        b       line
        nop
off:    sw      $zero, 0x3000($s0)
halt:   b       halt
        nop
park:   wait
        b       park
        nop
        .data
msg:    .asciiz "tick "
`;

test('a reload during a run: the run is still listed, its console continues, Stop works', async ({ page, workspaceDir, shot }) => {
  writeFileSync(join(workspaceDir, 'programs/ticker.s'), ticker(0));
  writeFileSync(join(workspaceDir, 'experiments/ticker.json'), JSON.stringify({ name: 'ticker', machine: 'uma-smp4', machineOverrides: { cpuModel: 'fast' }, mode: 'native', programs: ['../programs/ticker.s'], limits: { maxCycles: 1e14 } }, null, 2));
  await openFile(page, 'experiments/ticker.json');
  await config(page).getByRole('button', { name: 'Run', exact: true }).click();
  // First run of this experiment: nothing to measure against — an indeterminate bar and live figures.
  await expect(page.getByTestId('progress-indeterminate')).toBeVisible();
  await expect(page.getByTestId('progress-basis')).toContainText('First run of this experiment');
  await expect(page.getByTestId('run-cycles')).toContainText(/[1-9][\d,]* cycles/);
  await page.getByRole('tab', { name: /^Console/ }).click();
  const consoleView = page.getByTestId('live-console');
  await expect(consoleView).toContainText('tick 00003');
  const before = await consoleView.textContent();

  await page.reload();
  // The tab comes back, and so does the run: listed, attached, with its console so far.
  await expect(page.getByRole('tab', { name: 'Output' })).toHaveAttribute('aria-selected', 'true');
  await expect(output(page)).toContainText(/Attached to run-1 \(experiments\/ticker\.json\)/);
  await expect(page.getByRole('button', { name: /1 run running/ })).toBeVisible();
  await page.getByRole('tab', { name: /^Runs/ }).click();
  await expect(page.getByTestId('running-run')).toContainText('experiments/ticker.json');
  await expect(page.getByTestId('running-run')).toContainText('(attached)');
  await page.getByTestId('running-run').getByRole('button', { name: 'Console' }).click();
  await expect(consoleView).toContainText('tick 00001'); // the output from before the reload
  const lastBefore = Number(/tick (\d+)\s*$/.exec(before!.trim())![1]);
  await expect.poll(async () => Number(/tick (\d+)\s*$/.exec((await consoleView.textContent())!.trim())?.[1] ?? 0)).toBeGreaterThan(lastBefore + 1); // it continues
  await expect(item(page, 'experiments/ticker.json')).toBeVisible();
  await expect(config(page).getByTestId('run-status')).toHaveAttribute('data-state', 'running');
  await shot('run-attached-after-reload');

  // Stop works from the reloaded page; the record is saved and the slot is free again.
  await config(page).getByRole('button', { name: 'Stop' }).click();
  await page.getByRole('tab', { name: 'Output' }).click();
  await expect(output(page)).toContainText(/Run run-1 of experiments\/ticker\.json stopped early \(stopped\) — partial record/);
  const rec = readdirSync(join(workspaceDir, 'runs')).find((f) => f.startsWith('ticker-'))!;
  expect(JSON.parse(readFileSync(join(workspaceDir, 'runs', rec), 'utf8'))).toMatchObject({ partial: true, status: { reason: 'stopped' } });
  await expect(page.getByRole('button', { name: /run running/ })).toHaveCount(0);

  // A second run is measured against the first (its cycles), not against the cycle limit.
  await page.locator('[role="tab"][data-path="experiments/ticker.json"]').click();
  await config(page).getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-cycles')).toContainText(/[1-9][\d,]* cycles/);
  // The first record is partial: still no estimate (only complete runs count).
  await expect(page.getByTestId('progress-basis')).toContainText('First run of this experiment');
  await config(page).getByRole('button', { name: 'Stop' }).click();
  await expect(output(page)).toContainText(/Run run-2 of experiments\/ticker\.json stopped early/);
});

test('progress is measured against the previous complete run of the same experiment', async ({ page, workspaceDir, shot }) => {
  // 1,000 lines ≈ 1.5 G cycles: seconds even at the simulator's full speed, so the second run's
  // progress can be seen between its start and its end; each run up to a minute on a loaded host
  test.setTimeout(240_000);
  writeFileSync(join(workspaceDir, 'programs/ticker.s'), ticker(1000));
  writeFileSync(join(workspaceDir, 'experiments/tickerlong.json'), JSON.stringify({ name: 'tickerlong', machine: 'uma-smp4', machineOverrides: { cpuModel: 'fast' }, mode: 'native', programs: ['../programs/ticker.s'], limits: { maxCycles: 1e14 } }, null, 2));
  await openFile(page, 'experiments/tickerlong.json');
  await config(page).getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('progress-indeterminate')).toBeVisible();
  await expect(output(page)).toContainText(/Run run-1 of experiments\/tickerlong\.json finished \(exit\)/, { timeout: 60_000 });
  const first = JSON.parse(readFileSync(join(workspaceDir, 'runs', readdirSync(join(workspaceDir, 'runs')).find((f) => f.startsWith('tickerlong-'))!), 'utf8'));
  await page.locator('[role="tab"][data-path="experiments/tickerlong.json"]').click();
  await config(page).getByRole('button', { name: 'Run', exact: true }).click();
  const basis = page.getByTestId('progress-basis');
  await expect(basis).toContainText(`of the previous run (${first.cycles.toLocaleString('en-US')} cycles)`);
  const bar = config(page).getByRole('progressbar');
  // the run takes as long as the first one (tens of seconds on a loaded host): wait as long as it may take
  await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(0.2);
  await shot('run-progress-vs-previous');
  await expect(output(page)).toContainText(/Run run-2 of experiments\/tickerlong\.json finished/, { timeout: 60_000 });
  await page.locator('[role="tab"][data-path="experiments/tickerlong.json"]').click();
  await expect(bar).toHaveAttribute('value', '1');
});
