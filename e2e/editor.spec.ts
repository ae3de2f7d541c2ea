// The MIPS editor (Monaco, bundled locally): grammar tokens from the instruction table, live
// assembler diagnostics as markers on the right line, hovers from the table (privileged →
// "traps to the monitor under Disco"), completion, go to definition, drafts that survive a reload.
/// <reference lib="dom" />
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const item = (page: Page, path: string) => page.locator(`[role="treeitem"][data-path="${path}"]`);
const tab = (page: Page, path: string) => page.locator(`[role="tab"][data-path="${path}"]`);
const editor = (page: Page) => page.getByTestId('code-editor');
/** The rendered view line containing `text` (Monaco renders spaces as U+00A0). */
const viewLine = (page: Page, text: string | RegExp) => editor(page).locator('.view-line', { hasText: text });

/** The line number shown in the gutter at the same height as the view line containing `text`. */
async function lineNumberOf(page: Page, text: string | RegExp): Promise<number> {
  const top = await viewLine(page, text).first().evaluate((el) => (el as HTMLElement).style.top);
  const n = await editor(page).locator('.margin-view-overlays > div').evaluateAll(
    (els, t) => els.find((e) => (e as HTMLElement).style.top === t)?.textContent ?? '', top);
  return Number(n.trim());
}

/** Line numbers (gutter) of the lines that carry an error squiggle. */
async function errorLines(page: Page): Promise<number[]> {
  return editor(page).evaluate((root) => {
    const tops = [...root.querySelectorAll('.view-overlays > div')].filter((d) => d.querySelector('.squiggly-error')).map((d) => (d as HTMLElement).style.top);
    return [...root.querySelectorAll('.margin-view-overlays > div')].filter((d) => tops.includes((d as HTMLElement).style.top)).map((d) => Number(d.textContent));
  });
}

async function openHello(page: Page) {
  await item(page, 'programs/hello.s').click();
  await expect(viewLine(page, '__start:')).toBeVisible();
  await expect(page.getByTestId('asm-status')).toContainText('Assembles');
}

/** True once mnemonics, registers, directives, comments and labels each have their own token class. */
const tokensDistinct = (page: Page) => editor(page).evaluate((root) => {
  const cls = (t: string) => [...root.querySelectorAll('.view-line span span')].find((s) => s.textContent === t)?.className ?? '';
  const k = { mnem: cls('syscall'), reg: cls('$v0'), dir: cls('.text'), com: [...root.querySelectorAll('.view-line span span')].find((s) => s.textContent?.startsWith('# write('.replace(' ', '\u00a0')))?.className ?? '', label: cls('__start') };
  return new Set(Object.values(k)).size === 5 && Object.values(k).every((c) => /mtk\d+/.test(c));
});

test('the grammar colours mnemonics, registers, directives and comments differently, in both themes', async ({ page, shot }) => {
  await openHello(page);
  // Monaco tokenises after the editor is visible: poll until the classes are there.
  await expect.poll(() => tokensDistinct(page)).toBe(true);
  await shot('editor-light');
  await page.getByTestId('theme-toggle').click();
  await expect.poll(() => tokensDistinct(page)).toBe(true);
  await shot('editor-dark');
});

test('typing an error shows a marker on its line; fixing it clears the marker', async ({ page, shot }) => {
  await openHello(page);
  expect(await errorLines(page)).toEqual([]);
  const exitLine = await lineNumberOf(page, /\$v0,\s*4001/);
  await viewLine(page, /\$v0,\s*4001/).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('frob    $t0, $t1');
  await expect(tab(page, 'programs/hello.s').getByLabel('unsaved changes')).toBeVisible();
  await expect.poll(() => errorLines(page)).toEqual([exitLine + 1]);
  await expect(page.getByTestId('asm-status')).toContainText(`1 error`);
  await expect(page.getByTestId('asm-status')).toContainText(`line ${exitLine + 1}:`);
  await shot('editor-error-marker');
  // Hovering the squiggle shows the assembler's message.
  await viewLine(page, 'frob').locator('span', { hasText: 'frob' }).last().hover();
  await expect(page.locator('.monaco-hover').filter({ hasText: /frob/ }).first()).toBeVisible();
  // Fix it: replace the bad line with a nop.
  await viewLine(page, 'frob').click();
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.type('nop');
  await expect.poll(() => errorLines(page)).toEqual([]);
  await expect(page.getByTestId('asm-status')).toContainText('Assembles');
});

test('hover shows the instruction description, and privileged ones say they trap to the monitor under Disco', async ({ page, shot }) => {
  await openHello(page);
  await viewLine(page, 'syscall').first().locator('span', { hasText: /^syscall$/ }).hover();
  const hover = page.locator('.monaco-hover:visible');
  await expect(hover).toContainText('System call exception');
  await expect(hover).toContainText('no trap to the monitor');
  await viewLine(page, /\$v0,\s*4001/).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('mtc0    $t0, $12');
  await page.keyboard.press('Escape');
  await viewLine(page, 'mtc0').locator('span', { hasText: /^mtc0$/ }).hover();
  await expect(hover).toContainText('Move to a CP0 register');
  await expect(hover).toContainText('traps to the monitor');
  await shot('editor-hover');
});

test('completion offers mnemonics with signatures, registers and labels; F12 goes to a label', async ({ page, shot }) => {
  await openHello(page);
  await viewLine(page, /\$v0,\s*4001/).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('addi');
  await page.keyboard.press('Control+Space');
  const suggest = page.locator('.suggest-widget');
  await expect(suggest).toContainText('addiu');
  await expect(suggest).toContainText('rt, rs, imm');
  await shot('editor-completion');
  await page.keyboard.press('Escape');
  await page.keyboard.type('u   $a1, $a1, mess');
  await page.keyboard.press('Control+Space');
  await expect(suggest).toContainText('message');
  await page.keyboard.press('Escape');
  // Go to definition of `message` from its use in `la $a1, message`.
  await viewLine(page, /#\s+message,/).click();
  await page.keyboard.press('Home'); // first non-blank: `la`
  for (let i = 0; i < 14; i++) await page.keyboard.press('ArrowRight'); // `la      $a1, m|essage`
  await page.keyboard.press('F12');
  const defLine = await lineNumberOf(page, 'message:');
  await expect.poll(() => editor(page).evaluate((root) => {
    const top = (root.querySelector('.view-overlays .current-line')?.parentElement as HTMLElement | null)?.style.top;
    return [...root.querySelectorAll('.margin-view-overlays > div')].find((d) => (d as HTMLElement).style.top === top)?.textContent?.trim();
  })).toBe(String(defLine));
});

test('unsaved edits survive a reload as a draft; Ctrl+S saves and drops it', async ({ page }) => {
  page.on('dialog', (d) => void d.accept());
  await openHello(page);
  await viewLine(page, /\$v0,\s*4001/).click();
  await page.keyboard.press('End');
  await page.keyboard.type('   # draft edit');
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('disco-lab.draft:') && localStorage.getItem(k)!.includes('# draft edit')))).toBe(true);
  await page.reload();
  await item(page, 'programs/hello.s').click();
  await expect(viewLine(page, '# draft edit')).toBeVisible();
  await expect(tab(page, 'programs/hello.s').getByLabel('unsaved changes')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Output' })).toContainText('Restored unsaved changes to programs/hello.s');
  await viewLine(page, '# draft edit').click();
  await page.keyboard.press('ControlOrMeta+s');
  await expect(tab(page, 'programs/hello.s').getByLabel('unsaved changes')).toHaveCount(0);
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('disco-lab.draft:')).length)).toBe(0);
});
