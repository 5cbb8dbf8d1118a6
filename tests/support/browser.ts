import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Built renderer (npm test builds it first via pretest). */
export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));
/** Screenshots land here for a person to look at. */
export const SCREENS_DIR = fileURLToPath(new URL('../../test-artifacts/screens', import.meta.url));

/** Debian's Chromium, driven by playwright-core, with the flags this machine needs. */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(`${RENDERER_DIR}/index.html`)) throw new Error('The renderer is not built: run "npm run build" (npm test does it first).');
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run', ...extraArgs],
  });
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (options) => {
    const page = await newPage(options);
    // An error thrown in the page is printed with the test's output: a page React unmounted after an
    // error otherwise only shows up as a locator timing out.
    page.on('pageerror', (error) => console.error(`[page error] ${page.url()}: ${error.stack ?? error.message}`));
    return page;
  };
  return browser;
}

/** Saves a full-page screenshot as test-artifacts/screens/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENS_DIR}/${name}.png`, fullPage: true });
}

/** Fields that sit side by side in one row line up: the same height and, as the row aligns them, the same top or bottom. */
export async function assertLinedUp(fields: readonly Locator[], edge: 'top' | 'bottom', what: string): Promise<void> {
  const boxes = await Promise.all(fields.map(async (field) => (await field.boundingBox()) ?? assert.fail(`${what}: a field is not shown`)));
  const heights = boxes.map((b) => b.height);
  const edges = boxes.map((b) => (edge === 'top' ? b.y : b.y + b.height));
  const spread = (values: readonly number[]) => Math.max(...values) - Math.min(...values);
  assert.ok(spread(heights) < 1, `${what}: heights ${heights.map((h) => h.toFixed(1)).join(', ')}`);
  assert.ok(spread(edges) < 1, `${what}: ${edge}s ${edges.map((e) => e.toFixed(1)).join(', ')}`);
}
