import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { spawnServe } from '../support/spawn-serve.ts';

// Headless, the organiser opens the UI in their own browser: its language, not the server's LANG, comes first.
describe('npm run serve: the first-run UI speaks the browser’s language', () => {
  let work: string;
  let browser: Browser;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-first-run-'));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
    await rm(work, { recursive: true, force: true });
  });

  for (const [lang, locale, title, width] of [['en_US.UTF-8', 'ja-JP', 'はじめの設定', 1024], ['ja_JP.UTF-8', 'en-US', 'First-time setup', 1280]] as const) {
    it(`LANG=${lang}, browser ${locale}: “${title}”`, async () => {
      const serve = spawnServe(['--data-dir', join(work, locale), '--port', '0'], { LANG: lang });
      try {
        const ui = await serve.line('Organiser UI:');
        assert.match(await serve.line('Public address:'), /^none — Twilio can't reach this computer yet/);
        assert.doesNotMatch(serve.stdout(), /Voice webhook/, 'no local address is offered as the webhook');
        const page = await browser.newPage({ locale, viewport: { width, height: 800 } });
        await page.goto(ui);
        await page.getByRole('heading', { name: title }).waitFor();
        assert.equal(await page.evaluate(() => document.documentElement.lang), locale.slice(0, 2));
        await screenshot(page, `first-run-${locale}`);
        await page.close();
      } finally {
        serve.child.kill('SIGTERM');
        await serve.exited();
      }
    });
  }
});
