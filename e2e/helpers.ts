// Small helpers shared by the specs: tree rows, tabs, opening a file whose row sits inside a
// (collapsed) group of the experiments folder, Monaco text, downloads, PNG decoding.
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import type { Download, Page } from '@playwright/test';
import { expect } from './fixtures';

/** The tree row of a workspace path (exact, unlike a name match). */
export const item = (page: Page, path: string) => page.locator(`[role="treeitem"][data-path="${path}"]`);
/** The editor tab of a workspace path. */
export const tab = (page: Page, path: string) => page.locator(`[role="tab"][data-path="${path}"]`);
export const config = (page: Page) => page.getByRole('complementary', { name: 'Configuration' });
export const output = (page: Page) => page.getByRole('list', { name: 'Output' });

/** Reveals a file's tree row — expanding the groups of the experiments folder on the way — and opens it. */
export async function openFile(page: Page, path: string): Promise<void> {
  const row = item(page, path);
  await expect(item(page, path.slice(0, path.indexOf('/')))).toBeVisible(); // the tree is there
  for (let i = 0; i < 6 && !(await row.isVisible()); i++) {
    const name = path.split('/').pop()!;
    const groups = page.locator('[role="treeitem"][data-kind="group"][aria-expanded="false"]');
    let clicked = false;
    for (const g of await groups.all()) {
      const gp = (await g.getAttribute('data-path')) ?? '';
      const workload = /\/#([^/]+)/.exec(gp)?.[1] ?? '';
      if (gp.startsWith(path.slice(0, path.lastIndexOf('/') + 1) + '#') && name.startsWith(workload + '-')) { await g.click(); clicked = true; break; }
    }
    if (!clicked) break;
  }
  await row.click();
  await expect(tab(page, path)).toHaveAttribute('aria-selected', 'true');
}

/** The text of the Monaco editor inside `testId` (lines joined by \n; Monaco renders spaces as U+00A0). */
export async function monacoText(page: Page, testId = 'text-editor'): Promise<string> {
  return page.getByTestId(testId).locator('.view-line').evaluateAll((ls) => ls.map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n'));
}

/** Saves a download to `file` and returns its bytes. */
export async function saveDownload(d: Download, file: string): Promise<Buffer> {
  await d.saveAs(file);
  return readFileSync(file);
}

/** Width and height of a PNG (IHDR). */
export function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Decodes an 8-bit RGBA or RGB, non-interlaced PNG (as Chromium's canvas writes) to RGBA pixels. */
export function decodePng(png: Buffer): { width: number; height: number; pixel(x: number, y: number): [number, number, number, number] } {
  const { width, height } = pngSize(png);
  const bitDepth = png[24], colorType = png[25], interlace = png[28];
  if (bitDepth !== 8 || (colorType !== 6 && colorType !== 2) || interlace !== 0) throw new Error(`unsupported PNG: depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`);
  const bpp = colorType === 6 ? 4 : 3;
  const idat: Buffer[] = [];
  for (let off = 8; off < png.length;) {
    const len = png.readUInt32BE(off), type = png.toString('latin1', off + 4, off + 8);
    if (type === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[y * stride + x - bpp] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      out[y * stride + x] = (line[x] + pred) & 255;
    }
  }
  return {
    width, height,
    pixel: (x, y) => {
      const i = y * stride + x * bpp;
      return [out[i], out[i + 1], out[i + 2], bpp === 4 ? out[i + 3] : 255];
    },
  };
}

/** How many pixels of `png` are within `tol` of the colour `hex` (`#4e79a7`). */
export function countColour(png: Buffer, hex: string, tol = 6): number {
  const img = decodePng(png);
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
    const [pr, pg, pb] = img.pixel(x, y);
    if (Math.abs(pr - r) <= tol && Math.abs(pg - g) <= tol && Math.abs(pb - b) <= tol) n++;
  }
  return n;
}

/** Opens an experiment, runs it from the right panel and waits for its record to open in Results. */
export async function runToRecord(page: Page, path: string): Promise<void> {
  await openFile(page, path);
  await config(page).getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('tab', { name: 'Output' }).click();
  await expect(output(page)).toContainText(new RegExp(`of ${path.replace(/[./]/g, '\\$&')} finished \\(exit\\)`), { timeout: 90_000 });
  await expect(page.getByTestId('run-view')).toBeVisible();
}
