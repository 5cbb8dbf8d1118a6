import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { LoopbackTunnel } from '../../server/tunnel/loopback-tunnel.ts';
import { launchBrowser, RENDERER_DIR, screenshot } from '../support/browser.ts';
import { ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER } from '../support/line-harness.ts';
import { startOrganiserApp, type OrganiserApp } from '../support/organiser-app.ts';

describe('real-services: trial accounts — the setup says guests cannot call, and lets the organiser test anyway', () => {
  let app: OrganiserApp;
  let browser: Browser;
  before(async () => {
    app = await startOrganiserApp({ rendererDir: RENDERER_DIR, trial: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
    await app.close();
  });

  for (const [language, button, refusal, test, notice] of [
    ['en', 'English', /guests can't call the number until you upgrade/, 'Test with the trial (verified numbers only)', /only numbers you verified/],
    ['ja', '日本語', /アップグレードするまでゲストはこの番号に電話できません/, 'トライアルのままテストする（認証済みの番号のみ）', /認証した番号からしか電話できません/],
  ] as const) {
    it(`in ${language}`, async () => {
      const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
      await page.goto(app.organiser.uiUrl);
      await page.getByRole('button', { name: button }).click();
      // How guests reach you: the phone number (Twilio).
      await page.locator('button[name="reach-phone"]').click();
      await page.locator('input[name="accountSid"]').fill(ACCOUNT_SID);
      await page.locator('input[name="authToken"]').fill(AUTH_TOKEN);
      await page.locator('form button[type="submit"]').click();
      const error = page.getByRole('alert');
      await error.waitFor();
      assert.equal(await error.getAttribute('data-code'), 'twilio-trial-account');
      assert.match(await error.innerText(), refusal);
      for (const width of [1024, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        await screenshot(page, `20-trial-refused-${language}-${width}`);
      }
      await page.getByRole('button', { name: test }).click();
      await page.getByTestId('trial-notice').waitFor();
      assert.match(await page.getByTestId('trial-notice').innerText(), notice);
      assert.match(await page.locator('.choices').innerText(), new RegExp(LINE_NUMBER.replace('+', '\\+')));
      for (const width of [1024, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        await screenshot(page, `21-trial-number-${language}-${width}`);
      }
      await page.close();
    });
  }

  it('keeps the choice: the line comes up on the trial account (restarts included)', async () => {
    const tunnel = new LoopbackTunnel();
    await tunnel.open(app.twiml.url);
    try {
      const connected = await app.rpc('connectTwilio', { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, phoneNumber: LINE_NUMBER, allowTrial: true });
      assert.equal(connected.body.ok, true, JSON.stringify(connected.body.error));
      const line = await app.rpc('configureTunnel', { kind: 'public-url', url: tunnel.url });
      assert.equal((line.body.value as { ready: boolean }).ready, true, JSON.stringify(line.body));
      assert.equal(app.emulator.number(LINE_NUMBER)?.voiceUrl, `${tunnel.url}/twilio/voice`);
    } finally {
      await tunnel.close();
    }
  });
});
