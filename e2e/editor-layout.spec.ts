// Editor and layout fixes (issue #12.4): hovering a register in a CP0 operand names the CP0
// register; completion after `$` lists registers before labels; label operands have a colour;
// the horizontal scrollbar never hides the last line; the editor shows ≥ 28 lines at 1280×800;
// panels resize with the keyboard (and the mouse) and remember their size; Ctrl+J hides results.
/// <reference lib="dom" />
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { item, openFile } from './helpers';

const editor = (page: Page) => page.getByTestId('code-editor');
const viewLine = (page: Page, text: string | RegExp) => editor(page).locator('.view-line', { hasText: text });

async function openHello(page: Page) {
  await openFile(page, 'programs/hello.s');
  await expect(page.getByTestId('asm-status')).toContainText('Assembles');
}

test('CP0 operands name the CP0 register on hover; $ completes registers first; label operands are coloured', async ({ page, shot }) => {
  await openHello(page);
  await viewLine(page, /\$v0,\s*4001/).click();
  await page.keyboard.press('Home');
  await page.keyboard.type('        mtc0    $t0, $12\n');
  const cp0 = viewLine(page, 'mtc0').locator('span span', { hasText: /^\$12$/ });
  await cp0.hover();
  const hover = page.locator('.monaco-hover-content:visible');
  await expect(hover).toContainText('CP0 register 12: Status');
  await expect(hover).not.toContainText('general-purpose register');
  await shot('editor-cp0-hover');
  // …while the first operand is still a general-purpose register.
  await page.mouse.move(0, 0);
  await viewLine(page, 'mtc0').locator('span span', { hasText: /^\$t0$/ }).hover();
  await expect(page.locator('.monaco-hover-content:visible')).toContainText('general-purpose register 8');

  // Completion right after `$`: registers, not labels, at the top.
  await viewLine(page, 'mtc0').click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('        addu    $t1, $');
  const suggest = page.locator('.suggest-widget');
  await expect(suggest).toBeVisible();
  const first = await suggest.locator('.monaco-list-row').first().textContent();
  expect(first).toMatch(/^\$/);
  expect(first).toMatch(/GPR/);
  await page.keyboard.press('Escape');

  // Label operands have their own colour (`la $a1, message`: `message` is not plain text).
  const colour = (text: RegExp) => viewLine(page, 'la ').locator('span span', { hasText: text }).first().evaluate((s) => getComputedStyle(s).color);
  const label = await colour(/^message$/);
  const plain = await editor(page).locator('.view-lines').evaluate((e) => getComputedStyle(e).color);
  expect(label).not.toBe(plain);
  expect(label).not.toBe(await colour(/^\$a1$/));
  expect(label).toBe('rgb(0, 121, 79)'); // the light theme's label-operand colour
});

test('the last line is not hidden by the horizontal scrollbar; ≥ 28 lines show at 1280×800', async ({ page, workspaceDir, shot }) => {
  const lines = Array.from({ length: 80 }, (_, i) => `        nop                     # line ${i + 1}`);
  lines[10] = `        nop  # ${'a very long comment '.repeat(12)}`;
  writeFileSync(join(workspaceDir, 'programs/long.s'), `        .text\n${lines.join('\n')}\nlast:   nop                     # the last line\n`);
  await openFile(page, 'programs/long.s');
  const ed = editor(page);
  await expect(ed.locator('.view-lines')).toContainText('line 1');
  const visible = await ed.locator('.monaco-scrollable-element.editor-scrollable').evaluate((e) => e.getBoundingClientRect().height);
  expect(Math.floor(visible / 18)).toBeGreaterThanOrEqual(28);
  await ed.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
  await expect(viewLine(page, 'the last line')).toBeVisible();
  // The bottom of the lowest rendered line (the empty line after the last newline) is above the bar.
  const lastBottom = await ed.locator('.view-line').evaluateAll((ls) => Math.max(...ls.map((l) => l.getBoundingClientRect().bottom)));
  const bar = (await ed.locator('.editor-scrollable > .scrollbar.horizontal').boundingBox())!;
  expect(bar.height).toBeGreaterThan(5);
  expect(lastBottom).toBeLessThanOrEqual(bar.y + 0.5);
  await shot('editor-last-line');
});

test('panels resize with the keyboard and the mouse, remember their size; Ctrl+J hides the results', async ({ page, shot }) => {
  await expect(item(page, 'programs')).toBeVisible();
  const files = page.getByRole('navigation', { name: 'Files' });
  const results = page.getByRole('region', { name: 'Results' });
  const w0 = (await files.boundingBox())!.width;
  const split = page.getByRole('separator', { name: 'Resize the file tree' });
  await split.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await files.boundingBox())!.width).toBe(w0 + 32);
  await expect(split).toHaveAttribute('aria-valuenow', String(w0 + 32));
  await page.keyboard.press('Home');
  await expect(split).toHaveAttribute('aria-valuenow', '150');
  await page.keyboard.press('Enter');
  await expect(split).toHaveAttribute('aria-valuenow', String(w0));

  // The results panel: taller with ArrowUp, by dragging too.
  const h0 = (await results.boundingBox())!.height;
  const rsplit = page.getByRole('separator', { name: 'Resize the results panel' });
  await rsplit.focus();
  await page.keyboard.press('Shift+ArrowUp');
  await expect.poll(async () => (await results.boundingBox())!.height).toBe(h0 + 64);
  const b = (await rsplit.boundingBox())!;
  await page.mouse.move(b.x + b.width / 2, b.y + 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + 52, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => Math.round((await results.boundingBox())!.height)).toBe(h0 + 14);
  // The config panel, dragged wider to the left.
  const csplit = page.getByRole('separator', { name: 'Resize the configuration panel' });
  const cw0 = Number(await csplit.getAttribute('aria-valuenow'));
  await csplit.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(csplit).toHaveAttribute('aria-valuenow', String(cw0 + 16));
  await shot('layout-resized');

  // Remembered across a reload.
  await page.reload();
  await expect(page.getByRole('separator', { name: 'Resize the results panel' })).toHaveAttribute('aria-valuenow', String(h0 + 14));
  await expect(page.getByRole('separator', { name: 'Resize the configuration panel' })).toHaveAttribute('aria-valuenow', String(cw0 + 16));

  // Ctrl+J hides and shows the results panel.
  await page.keyboard.press('ControlOrMeta+j');
  await expect(results).toBeHidden();
  await expect(page.getByRole('button', { name: 'Show results (Ctrl+J)' })).toBeVisible();
  await page.keyboard.press('ControlOrMeta+j');
  await expect(results).toBeVisible();
});
