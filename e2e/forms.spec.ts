// Forms and the JSON editor (issue #12.4): the experiment form's mode is never shown selected
// while the file has none, Add program proposes a program (not a disk image), console input
// takes \n escapes, an empty file offers templates; the topology diagram keeps readable labels at
// 8 nodes, never draws what the form marks invalid, and a new machine shows its default memory;
// the Source view is Monaco with the published schemas (validation with line numbers, hover,
// completion).
/// <reference lib="dom" />
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { item, monacoText, openFile, tab } from './helpers';

test('experiment form: no mode shown without one, Add program, console input escapes, empty file templates', async ({ page, workspaceDir, shot }) => {
  writeFileSync(join(workspaceDir, 'experiments/half.json'), JSON.stringify({ name: 'half', machine: 'flash-4x2' }, null, 2));
  await openFile(page, 'experiments/half.json');
  const form = page.getByTestId('experiment-form');
  // "mode is required" — and neither radio claims to be selected.
  await expect(form.locator('[data-field="mode"]').getByRole('alert')).toContainText(/mode|required/);
  await expect(form.getByRole('radio', { name: /Native/ })).not.toBeChecked();
  await expect(form.getByRole('radio', { name: /Disco/ })).not.toBeChecked();
  await shot('experiment-form-no-mode');
  await form.getByRole('radio', { name: /Native/ }).check();
  await expect(form.getByRole('radio', { name: /Native/ })).toBeChecked();
  // The first program proposed is a workspace program, not the guest disk image.
  await expect(form.locator('[id="ef-programs-0-"]')).toHaveValue(/^\.\.\/programs\/[\w-]+\.s$/);
  await form.getByRole('button', { name: 'Add program' }).click();
  await expect(form.locator('[id="ef-programs-1-"]')).toHaveValue(/^\.\.\/programs\/[\w-]+\.s$/);
  await expect(form.locator('[id="ef-programs-1-"]')).not.toHaveValue(/\.img$/);
  await form.getByRole('button', { name: 'Remove program 2' }).click();
  // Console input: \n typed is a newline in the file, and shows as \n again.
  await form.locator('#ef-console-input').fill('pmake 4\\n');
  await expect(form.getByTestId('experiment-validity')).toContainText('valid experiment');
  await page.keyboard.press('ControlOrMeta+s');
  await expect(tab(page, 'experiments/half.json').getByLabel('unsaved changes')).toHaveCount(0);
  expect(JSON.parse(readFileSync(join(workspaceDir, 'experiments/half.json'), 'utf8')).console).toEqual({ input: 'pmake 4\n' });
  await expect(form.locator('#ef-console-input')).toHaveValue('pmake 4\\n');

  // An empty experiment file: templates instead of "type {} first".
  writeFileSync(join(workspaceDir, 'experiments/empty.json'), '');
  await openFile(page, 'experiments/empty.json');
  await expect(page.getByTestId('experiment-empty')).toBeVisible();
  await page.getByTestId('experiment-empty').getByRole('button', { name: 'Native experiment' }).click();
  await expect(form.getByTestId('experiment-validity')).toContainText('valid experiment');
  await expect(form.getByRole('radio', { name: /Native/ })).toBeChecked();
});

test('topology diagram: readable labels at 8 nodes, invalid values not drawn, a new machine shows its default memory', async ({ page, workspaceDir, shot }) => {
  // A new machine from the template dialog (a preset), then one with only a name.
  await item(page, 'machines').click();
  await page.getByRole('button', { name: 'New file' }).click();
  const dlg = page.getByRole('dialog', { name: 'New file' });
  await expect(dlg.getByRole('radio', { name: /Machine \(from a preset\)/ })).toBeChecked();
  await dlg.getByLabel('Machine preset').selectOption('flash-8node');
  await dlg.getByRole('textbox', { name: 'New file path' }).fill('machines/eight.json');
  await dlg.getByRole('button', { name: 'Create' }).click();
  const form = page.getByTestId('machine-form');
  await expect(form.getByTestId('machine-validity')).toContainText('valid machine');
  const saved = JSON.parse(readFileSync(join(workspaceDir, 'machines/eight.json'), 'utf8'));
  expect(saved).toMatchObject({ name: 'eight', nodes: 8 });
  const diagram = form.getByTestId('topology');
  await expect(diagram.locator('[data-node]')).toHaveCount(8);
  // Labels keep a readable size: the boxes wrap into columns instead of shrinking.
  const px = await diagram.locator('.topo-label').first().evaluate((t) => t.getBoundingClientRect().height);
  expect(px).toBeGreaterThanOrEqual(10);
  expect(Number(await diagram.getAttribute('data-columns'))).toBeLessThan(8);
  await shot('machine-8-nodes');

  // Invalid values are not drawn: the diagram keeps the last valid shape and says so.
  await form.locator('#mf-nodes').fill('0');
  await expect(form.locator('[data-field="nodes"]').getByRole('alert')).toBeVisible();
  await expect(diagram.locator('[data-node]')).toHaveCount(8);
  await expect(diagram.getByTestId('topology-invalid')).toContainText('nodes');
  await form.locator('#mf-memoryPerNodeMB').fill('-3');
  await expect(diagram).not.toContainText('-3 MiB');
  await shot('machine-invalid-not-drawn');

  // Its Source view is checked against the machine config schema.
  await form.locator('#mf-nodes').fill('8');
  await form.locator('#mf-memoryPerNodeMB').fill('32');
  await page.getByRole('button', { name: 'Source', exact: true }).click();
  await expect(page.getByTestId('json-status')).toContainText('✓ JSON, checked against the machine config schema');
  await page.getByRole('button', { name: 'Form', exact: true }).click();

  // A machine with only a name shows the default memory, not "0 MiB".
  writeFileSync(join(workspaceDir, 'machines/bare.json'), JSON.stringify({ name: 'bare' }));
  await openFile(page, 'machines/bare.json');
  await expect(page.getByTestId('topology')).toContainText('16 MiB');
  await expect(page.getByTestId('topology')).not.toContainText(' 0 MiB');
  await expect(page.getByTestId('topology-defaults')).toContainText('memoryPerNodeMB');
});

test('Source view: Monaco with the experiment schema — errors with line numbers, hover, completion', async ({ page, shot }) => {
  await openFile(page, 'experiments/bare-hello.json');
  await page.getByRole('button', { name: 'Source', exact: true }).click();
  const ed = page.getByTestId('text-editor');
  await expect(ed.locator('.view-lines')).toContainText('"mode": "native"');
  await expect(ed.locator('.line-numbers').first()).toBeVisible();
  await expect(page.getByTestId('json-status')).toContainText('checked against the experiment schema');
  // A value the schema refuses: marked, and the strip names its line.
  const modeLine = (await monacoText(page)).split('\n').findIndex((l) => l.includes('"mode"')) + 1;
  await ed.locator('.view-line', { hasText: '"mode": "native"' }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft'); // before the comma
  await page.keyboard.press('ArrowLeft'); // before the closing quote
  await page.keyboard.type('x');
  await expect(page.getByTestId('json-status')).toContainText(`line ${modeLine} column`);
  await expect(page.getByTestId('json-status')).toContainText(/native|disco/);
  await expect(ed.locator('.squiggly-error')).toHaveCount(1);
  await shot('json-editor-error');
  await page.keyboard.press('Backspace');
  await expect(page.getByTestId('json-status')).toContainText('✓ JSON');
  // Hover a key: its description from the schema.
  await ed.locator('.view-line span span', { hasText: /^"limits"$/ }).hover();
  await expect(page.locator('.monaco-hover').filter({ hasText: 'When to stop a run' })).toBeVisible();
  // Completion of a property name offers the schema's fields.
  await ed.locator('.view-line', { hasText: '"name": "bare-hello"' }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('"');
  await page.keyboard.press('Control+Space');
  await expect(page.locator('.suggest-widget')).toContainText('machineOverrides');
  await shot('json-editor-completion');
  await page.keyboard.press('Escape');
});
