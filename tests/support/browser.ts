import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Built renderer (npm test builds it first via pretest). */
export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));
/** Screenshots land here for a person to look at. */
export const SCREENS_DIR = fileURLToPath(new URL('../../test-artifacts/screens', import.meta.url));

/** Debian's Chromium, driven by playwright-core, with the flags this machine needs. */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(`${RENDERER_DIR}/index.html`)) throw new Error('The renderer is not built: run "npm run build" (npm test does it first).');
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run', ...extraArgs],
  });
}

/** Saves a full-page screenshot as test-artifacts/screens/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENS_DIR}/${name}.png`, fullPage: true });
}
