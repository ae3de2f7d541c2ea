// The Debug view (issue #17): break on a source line of a user program running under Disco,
// read the registers and the pmap, trace the next TLB miss and see the monitor's path beside
// the native one, step back 100 instructions and forward again to the same state; the inspector
// panes (memmap, the miss heat map, caches, hardware TLB owners), reverse continue back to the
// breakpoint line, and a snapshot file saved and loaded back.
/// <reference lib="dom" />
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { openFile } from './helpers';

const EXPERIMENT = 'experiments/tlb-miss-walkthrough-disco.json';

/** "… · 12,345 instructions of vm0 vCPU 0" → 12345. */
async function instructions(page: Page): Promise<number> {
  const t = (await page.getByTestId('debug-status').textContent()) ?? '';
  const m = /([\d,]+) instructions of/.exec(t);
  return m ? Number(m[1].replace(/,/g, '')) : -1;
}

test('Debug: a line breakpoint under Disco, registers and pmap, the TLB-miss path beside the native one, step back 100 and forward again', async ({ page, workspaceDir, shot }) => {
  test.setTimeout(120_000);
  const lw = readFileSync(join(workspaceDir, 'programs/tlbwalk.s'), 'utf8').split('\n').findIndex((l) => l.includes('lw      $t0, 0($s0)')) + 1;
  expect(lw).toBeGreaterThan(0);

  await openFile(page, EXPERIMENT);
  await page.getByRole('button', { name: 'Debug', exact: true }).first().click();
  const view = page.getByRole('region', { name: 'Debug' });
  const status = view.getByTestId('debug-status');
  await expect(status).toHaveAttribute('data-state', 'paused', { timeout: 30_000 });

  // a breakpoint on the lw of tlbwalk.s, then Continue (F5)
  await view.getByLabel('New breakpoint').fill(`programs/tlbwalk.s:${lw}`);
  await view.getByRole('button', { name: 'Add breakpoint' }).click();
  await expect(view.getByTestId('debug-breakpoints')).toContainText(`tlbwalk.s:${lw}`);
  await page.keyboard.press('F5');
  await expect(status).toHaveAttribute('data-reason', 'breakpoint', { timeout: 30_000 });
  await expect(status).toHaveAttribute('data-state', 'paused');
  await expect(view.getByTestId('debug-location')).toContainText(`tlbwalk.s:${lw}`);
  await expect(view.getByTestId('debug-disasm').locator('tr[aria-current="true"]')).toContainText('lw');
  await expect(view.getByTestId('debug-breakpoints')).toContainText('1 hit');

  // registers: the pc is the lw's address, in user mode; the virtual CP0 beside the hardware CP0
  const pc = await view.getByTestId('debug-registers').locator('[data-reg="pc"]').textContent();
  expect(pc).toMatch(/^0x[0-9a-f]{8}$/);
  await expect(view.getByTestId('debug-disasm').locator('tr[aria-current="true"]')).toContainText(pc!);
  await expect(view.getByRole('region', { name: 'Registers' })).toContainText('user mode');
  await expect(view.getByTestId('debug-cp0').locator('[data-hw-cp0="Status"]')).toHaveText(/^0x[0-9a-f]{8}$/);
  // the pmap of vm0: guest pages backed by machine pages
  await expect(view.getByTestId('debug-pmap').locator('tbody tr').first()).toBeVisible();
  expect(await view.getByTestId('debug-pmap').locator('tbody tr').count()).toBeGreaterThan(8);
  await expect(view.getByTestId('debug-l2tlb')).toContainText('misses');

  // the next TLB miss, natively and under Disco
  await view.getByRole('button', { name: 'Trace next TLB miss' }).click();
  const native = view.getByTestId('miss-native'), disco = view.getByTestId('miss-disco');
  await expect(native).toBeVisible({ timeout: 60_000 });
  await expect(disco).toBeVisible();
  await expect(native).toContainText('tlbwr');
  await expect(native).toContainText('eret');
  await expect(native).toContainText('kernel/kernel.s');
  await expect(disco).toContainText('trap into the monitor');
  await expect(disco.locator('tr[data-action="l2tlb-probe"]')).toHaveCount(1);
  await expect(disco).toContainText(/emulate (tlbwr|eret)|insert into the hardware TLB/);
  await expect(disco).toContainText('emulate.tlbwr');
  const nTotal = Number((await view.getByTestId('miss-native-total').textContent())!.replace(/,/g, ''));
  const dTotal = Number((await view.getByTestId('miss-disco-total').textContent())!.replace(/,/g, ''));
  expect(dTotal).toBeGreaterThan(nTotal);
  await expect(view.getByTestId('miss-caption')).toContainText('pmap');
  await expect(view.getByTestId('miss-caption')).toContainText('L2 TLB');
  await expect(view.getByTestId('miss-caption')).toContainText('virtual TLB');
  await view.getByTestId('miss-caption').scrollIntoViewIfNeeded();
  await shot('debug-miss-path');
  await expect(status).toHaveAttribute('data-state', 'paused');

  // step back 100 instructions of the vCPU, then forward 100: the same pc and registers
  await expect.poll(() => instructions(page)).toBeGreaterThan(100);
  const before = await instructions(page);
  const regs = await view.getByTestId('debug-registers').textContent();
  await view.getByRole('button', { name: 'Step back' }).click();
  await expect.poll(() => instructions(page), { timeout: 30_000 }).toBe(before - 100);
  await expect(view.getByTestId('debug-registers')).not.toHaveText(regs!);
  await view.getByRole('button', { name: 'Step forward' }).click();
  await expect.poll(() => instructions(page), { timeout: 30_000 }).toBe(before);
  await expect(view.getByTestId('debug-registers')).toHaveText(regs!);
  await expect(view.getByTestId('debug-registers').locator('[data-reg="pc"]')).toHaveText(pc!);

  await view.getByRole('button', { name: 'Close the Debug view' }).click();
  await expect(view).toBeHidden();
});

test('Debug: inspector panes (memmap, miss heat map, caches, TLB owners), reverse continue to the breakpoint line, a snapshot saved and loaded back', async ({ page, workspaceDir, shot }) => {
  test.setTimeout(120_000);
  const lw = readFileSync(join(workspaceDir, 'programs/tlbwalk.s'), 'utf8').split('\n').findIndex((l) => l.includes('lw      $t0, 0($s0)')) + 1;
  await openFile(page, EXPERIMENT);
  await page.getByRole('button', { name: 'Debug', exact: true }).first().click();
  const view = page.getByRole('region', { name: 'Debug' });
  const status = view.getByTestId('debug-status');
  await expect(status).toHaveAttribute('data-state', 'paused', { timeout: 30_000 });
  await view.getByLabel('New breakpoint').fill(`programs/tlbwalk.s:${lw}`);
  await view.getByRole('button', { name: 'Add breakpoint' }).click();

  // two stops on the lw: before its TLB miss, and again once the miss was served
  await view.getByRole('button', { name: 'Continue (F5)' }).click();
  await expect(status).toHaveAttribute('data-reason', 'breakpoint', { timeout: 30_000 });
  await expect.poll(() => instructions(page)).toBeGreaterThan(0);
  const first = await instructions(page);
  await view.getByRole('button', { name: 'Continue (F5)' }).click();
  await expect.poll(() => instructions(page), { timeout: 30_000 }).toBeGreaterThan(first);
  await expect(status).toHaveAttribute('data-reason', 'breakpoint');
  const second = await instructions(page);

  // memmap: 64 machine pages, the monitor's first; "go to page" pages on
  const memmap = view.getByTestId('debug-memmap');
  await expect(memmap.locator('tbody tr')).toHaveCount(64);
  await expect(memmap.locator('tbody tr').first()).toHaveAttribute('data-owner', 'monitor');
  await view.getByLabel('memmap: go to page').fill('0x100');
  await view.getByRole('button', { name: 'memmap: go' }).click();
  await expect(memmap.locator('tbody tr').first().locator('td').first()).toHaveText('0x100');
  await expect(memmap.locator('tbody tr[data-owner="vm0"]').first()).toBeVisible();
  // the miss heat map: rows = pages, one column per node; only the pages with misses
  const heat = view.getByTestId('debug-heat');
  await expect(heat.locator('tbody tr')).toHaveCount(64);
  await expect(heat.locator('thead th')).toContainText(['page', 'node 0', 'writes']);
  await view.getByRole('region', { name: 'Miss counters' }).getByLabel('only pages with misses').check();
  await expect(heat.locator('tbody tr').first().locator('td[data-count]').first()).not.toHaveAttribute('data-count', '0');
  expect(await heat.locator('tbody tr').count()).toBeGreaterThan(0);
  // cache counters per CPU; the hardware TLB names each entry's owner
  await expect(view.getByTestId('debug-caches').locator('tbody tr')).toHaveCount(1);
  await expect(view.getByTestId('debug-hwtlb')).toContainText('vm0 vCPU 0');
  await view.getByTestId('debug-heat').scrollIntoViewIfNeeded();
  await shot('debug-inspector');

  // save a snapshot here (the second stop)
  await view.getByRole('button', { name: 'Save snapshot' }).click();
  await expect(view.getByTestId('debug-snapshot-note')).toContainText('Saved snapshots/tlb-miss-walkthrough-disco.dlsnap');
  expect(readFileSync(join(workspaceDir, 'snapshots/tlb-miss-walkthrough-disco.dlsnap')).subarray(0, 8).toString()).toBe('DLSNAP01');

  // reverse continue: back to the first stop on the breakpoint line
  await view.getByRole('button', { name: 'Reverse continue' }).click();
  await expect.poll(() => instructions(page), { timeout: 30_000 }).toBe(first);
  await expect(status).toHaveAttribute('data-reason', 'breakpoint');
  await expect(view.getByTestId('debug-location')).toContainText(`tlbwalk.s:${lw}`);
  await expect(view.getByTestId('debug-disasm').locator('tr[aria-current="true"]')).toContainText('lw');

  // load the snapshot: the second stop again
  await view.getByRole('button', { name: 'Load snapshot' }).click();
  await expect.poll(() => instructions(page), { timeout: 30_000 }).toBe(second);
  await expect(status).toHaveAttribute('data-reason', 'snapshot');
  await expect(view.getByTestId('debug-location')).toContainText(`tlbwalk.s:${lw}`);
  await view.getByRole('button', { name: 'Close the Debug view' }).click();
});

test('Examples: one click opens the TLB-miss walkthrough in the Debug view (both twins copied back first)', async ({ page, workspaceDir }) => {
  rmSync(join(workspaceDir, 'experiments/tlb-miss-walkthrough-native.json'));
  rmSync(join(workspaceDir, EXPERIMENT));
  await page.getByRole('button', { name: 'Examples', exact: true }).click();
  const dlg = page.getByRole('dialog', { name: 'Examples' });
  await dlg.getByRole('region', { name: 'Workload tlb-miss-walkthrough' }).getByRole('button', { name: /^Debug: the TLB miss/ }).click();
  const view = page.getByRole('region', { name: 'Debug' });
  await expect(view.getByTestId('debug-status')).toHaveAttribute('data-state', 'paused', { timeout: 30_000 });
  await expect(view).toContainText('under Disco');
  expect(existsSync(join(workspaceDir, 'experiments/tlb-miss-walkthrough-native.json'))).toBe(true);
  // Next (F10) steps one instruction
  await page.keyboard.press('F10');
  await expect(view.getByTestId('debug-status')).toHaveAttribute('data-reason', 'step');
});
