// The machine form: fields from the parameter table, a preset, a topology diagram that follows
// the form, field-level errors from the validator, and no saving while a field is invalid.
/// <reference lib="dom" />
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const item = (page: Page, path: string) => page.locator(`[role="treeitem"][data-path="${path}"]`);
const tab = (page: Page, path: string) => page.locator(`[role="tab"][data-path="${path}"]`);

test('an invalid topology value shows a field error and cannot be saved; a valid one saves', async ({ page, workspaceDir, shot }) => {
  writeFileSync(join(workspaceDir, 'machines/lab.json'), JSON.stringify({ name: 'lab', nodes: 1, cpusPerNode: 1 }, null, 2) + '\n');
  await item(page, 'machines/lab.json').click();
  const form = page.getByTestId('machine-form');
  await expect(form).toBeVisible();
  await expect(form.getByTestId('machine-validity')).toContainText('valid machine');

  // A preset fills the form; the diagram draws its 4 nodes × 2 CPUs.
  await form.getByLabel('Load a machine preset').selectOption('flash-4x2');
  await expect(form.locator('#mf-nodes')).toHaveValue('4');
  const diagram = form.getByTestId('topology');
  await expect(diagram.locator('[data-node]')).toHaveCount(4);
  await expect(diagram).toContainText('8 CPUs');
  // The diagram follows typing.
  await form.locator('#mf-nodes').fill('2');
  await expect(diagram.locator('[data-node]')).toHaveCount(2);
  await expect(diagram).toContainText('4 CPUs');
  await shot('machine-form-light');

  // Invalid: 0 nodes → a field error under the field; Ctrl+S refuses to save.
  await form.locator('#mf-nodes').fill('0');
  const field = form.locator('[data-field="nodes"]');
  await expect(field.getByRole('alert')).toContainText(/at least 1|must be ≥ 1|minimum|1/);
  await expect(form.locator('#mf-nodes')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await page.keyboard.press('ControlOrMeta+s');
  await expect(page.getByRole('list', { name: 'Output' })).toContainText('Not saved: machines/lab.json');
  expect(JSON.parse(readFileSync(join(workspaceDir, 'machines/lab.json'), 'utf8')).nodes).toBe(1);
  await shot('machine-form-error');

  // A value of the wrong type is an error too.
  await form.locator('#mf-clockMHz').fill('fast');
  await expect(form.locator('[data-field="clockMHz"]').getByRole('alert')).toBeVisible();
  await form.locator('#mf-clockMHz').fill('250');

  // Fixed: saves, and the file on disk is the valid config.
  await form.locator('#mf-nodes').fill('2');
  await expect(form.getByTestId('machine-validity')).toContainText('valid machine');
  await page.keyboard.press('ControlOrMeta+s');
  await expect(tab(page, 'machines/lab.json').getByLabel('unsaved changes')).toHaveCount(0);
  const saved = JSON.parse(readFileSync(join(workspaceDir, 'machines/lab.json'), 'utf8'));
  expect(saved).toMatchObject({ name: 'flash-4x2', nodes: 2, cpusPerNode: 2, clockMHz: 250 });
  const preset = JSON.parse(readFileSync(resolve(import.meta.dirname, '../resources/machines/flash-4x2.json'), 'utf8'));
  expect(saved.caches).toEqual(preset.caches);

  await page.getByTestId('theme-toggle').click();
  await shot('machine-form-dark');
});
