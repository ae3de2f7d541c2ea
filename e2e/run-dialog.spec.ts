// The Run dialog's guest OS choices follow the host's experiment schema (issue #12.2): without
// `guest` they are offered but disabled, with a note; once the schema has `guest` they are
// enabled and write the contract's shape — experiments/<program>-native.json and
// <program>-disco.json, `guest: { programs, init }`, one machine for both, no VM kernel — and
// "natively and under Disco" starts both. The host's schema answer is edited on the WebSocket
// (Playwright's routeWebSocket: `guest` removed, or added), so this checks the UI side on any
// host; the full path, with the guest OS running the program, is e2e/guest-program.spec.ts.
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { openFile, output } from './helpers';

/** Answers `experiment.schema()` with the host's schema changed by `edit` (a host with or without `guest`). */
async function withSchema(page: Page, edit: (props: Record<string, unknown>) => void) {
  await page.routeWebSocket(/\/rpc$/, (ws) => {
    const server = ws.connectToServer();
    const schemaCalls = new Set<number>();
    ws.onMessage((m) => {
      const f = JSON.parse(String(m)) as { id: number; method: string };
      if (f.method === 'experiment.schema') schemaCalls.add(f.id);
      server.send(m);
    });
    server.onMessage((m) => {
      const f = JSON.parse(String(m)) as { t: string; id: number; env: { ok: boolean; value: { properties: Record<string, unknown> } } };
      if (f.t === 'result' && schemaCalls.delete(f.id) && f.env.ok) {
        edit(f.env.value.properties);
        ws.send(JSON.stringify(f));
      } else ws.send(m);
    });
  });
  await page.reload();
}

test('without guest support in the schema, the guest choices are disabled and say why', async ({ page, shot }) => {
  await withSchema(page, (props) => { delete props.guest; });
  await page.getByRole('button', { name: 'New guest program' }).click();
  await expect(page.getByTestId('asm-status')).toContainText('Assembles');
  await page.keyboard.press('F5');
  const run = page.getByTestId('run-dialog');
  await expect(run.getByRole('button', { name: /^Under Disco/ })).toBeDisabled();
  await expect(run.getByRole('button', { name: /^On the guest OS natively/ })).toBeDisabled();
  await expect(run.getByRole('note')).toContainText('no guest field');
  await expect(run.getByRole('button', { name: /^Bare metal/ })).toBeEnabled();
  await shot('run-dialog-no-guest');
});

test('with guest support in the schema, the Run dialog writes the contract\'s experiments and starts both runs', async ({ page, workspaceDir, shot }) => {
  // The host's experiment schema with `guest` (as the guest-programs half of the issue adds it).
  await withSchema(page, (props) => {
    props.guest ??= { type: 'object', description: 'Guest programs from the workspace', properties: { programs: { type: 'array' }, init: { type: 'string' } } };
  });
  await page.getByRole('button', { name: 'New guest program' }).click();
  await expect(page.getByTestId('asm-status')).toContainText('Assembles');
  await page.keyboard.press('F5');
  const run = page.getByTestId('run-dialog');
  // A guest program (it makes system calls): Disco is proposed; every choice is enabled.
  await expect(run.getByRole('button', { name: /^Under Disco: 2 VMs × 1 vCPU/ })).toHaveClass(/primary/);
  for (const b of [/^Under Disco/, /^On the guest OS natively/, /^Natively and under Disco/, /^Bare metal/]) await expect(run.getByRole('button', { name: b })).toBeEnabled();
  await run.getByLabel('Arguments').fill('3');
  await expect(run).toContainText('Init command line: untitled 3');
  await shot('run-dialog-guest');
  await run.getByRole('button', { name: 'Natively and under Disco, then compare' }).click();
  // both runs end (in a second or two with the guest build cached) and Compare opens over the editor
  await expect(page.getByRole('heading', { name: 'Compare 2 runs' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Close (Esc)' }).click();
  await page.getByRole('tab', { name: 'Output' }).click();
  await expect(output(page)).toContainText('Wrote experiments/untitled-native.json');
  await expect(output(page)).toContainText('Wrote experiments/untitled-disco.json');
  // Both were started: the console's run picker lists both
  await page.getByRole('tab', { name: /^Console/ }).click();
  const picker = page.getByRole('combobox', { name: 'Run whose console is shown' });
  await expect(picker.locator('option', { hasText: 'untitled-native' })).toHaveCount(1, { timeout: 30_000 });
  await expect(picker.locator('option', { hasText: 'untitled-disco' })).toHaveCount(1, { timeout: 30_000 });
  const native = JSON.parse(readFileSync(join(workspaceDir, 'experiments/untitled-native.json'), 'utf8'));
  const disco = JSON.parse(readFileSync(join(workspaceDir, 'experiments/untitled-disco.json'), 'utf8'));
  expect(native).toMatchObject({ name: 'untitled-native', mode: 'native', machine: 'flash-8node', machineOverrides: { nodes: 1 }, guest: { programs: ['../programs/untitled.s'], init: 'untitled 3' } });
  expect(native.programs).toBeUndefined();
  expect(disco).toMatchObject({ name: 'untitled-disco', mode: 'disco', machine: 'flash-8node', machineOverrides: { nodes: 1 }, guest: { programs: ['../programs/untitled.s'], init: 'untitled 3' }, vms: [{ name: 'vm', vcpus: 1, copies: 2, variant: 'ksseg' }] });
  expect(disco.vms[0].kernel).toBeUndefined();
  // The experiment form shows the guest section for them.
  await openFile(page, 'experiments/untitled-disco.json');
  const form = page.getByTestId('experiment-form');
  await expect(form.getByRole('radio', { name: 'Workspace programs on the guest OS' })).toBeChecked();
  await expect(form.locator('[id="ef-guest-programs-0-"]')).toHaveValue('../programs/untitled.s');
  await expect(form.locator('#ef-guest-init')).toHaveValue('untitled 3');
  await expect(form.locator('[id="ef-vms-0--kernel"]')).toHaveAttribute('placeholder', 'built from the variant');
  await shot('experiment-form-guest');
});
