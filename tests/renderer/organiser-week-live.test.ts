import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { OrganiserState } from '../../server/api/contract.ts';
import type { TunnelProvider } from '../../server/tunnel/tunnel-provider.ts';
import { UserError } from '../../server/user-error.ts';
import { scriptedCaller } from '../../server/voice-sim/caller.ts';
import { launchBrowser, RENDERER_DIR, screenshot } from '../support/browser.ts';
import { addDownloadedTake, messageWav } from '../support/library-fixture.ts';
import { ACCOUNT_SID, AUTH_TOKEN, GUEST_NUMBER } from '../support/line-harness.ts';
import { startOrganiserApp, type OrganiserApp } from '../support/organiser-app.ts';
import { eventually } from '../support/twilio-harness.ts';

// Issue 18 items 8 and 9: what the organiser sees while things happen.
describe('live calls show the step the guest is in; a message that cannot play says so (item 8)', () => {
  const LINE = '+815011112222';
  let app: OrganiserApp;
  let browser: Browser;
  before(async () => {
    app = await startOrganiserApp({ rendererDir: RENDERER_DIR });
    // The line answers a number pointed straight at it (signed with this account's token).
    app.core.setAuthToken(AUTH_TOKEN);
    app.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE, voiceUrl: `${app.twiml.url}/twilio/voice`, statusCallback: `${app.twiml.url}/twilio/call-status` });
    await app.rpc('finishSetup', { mode: 'rehearsal' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
    await app.core.libraryService.checkPending();
    await app.close();
  });

  for (const language of ['en', 'ja'] as const) {
    it(`a caller past the welcome shows "recording", from the welcome's length (${language})`, async () => {
      await app.rpc('setLanguage', { language });
      const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
      // The page's clock stands still 30 s in the past: the test moves it, never waits on it.
      const start = Date.now();
      await page.clock.install({ time: start - 60_000 });
      await page.clock.pauseAt(start - 30_000);
      await page.goto(app.organiser.uiUrl);
      await page.getByTestId('home-empty').waitFor();
      const row = page.locator('[data-testid="live-calls"] tr[data-call]');
      const heard: string[] = [];
      let seen: { welcome: string; almost: string; after: string } | null = null;
      await app.emulator.placeCall({
        to: LINE,
        from: GUEST_NUMBER,
        caller: {
          ...scriptedCaller([]),
          hear(prompt) {
            if (prompt.kind === 'say') heard.push(prompt.text);
            return 'listen';
          },
          async record() {
            // The guest hears the beep. Twilio tells the app nothing about it.
            await row.waitFor();
            const state = (await app.rpc('getState', {})).body.value as OrganiserState;
            const call = state.liveCalls[0];
            assert.ok(call?.recordingFrom, 'the state says when recording should start');
            const welcomeSeconds = (Date.parse(call.recordingFrom) - Date.parse(call.startedAt)) / 1000;
            const characters = heard.join('').length;
            // Any phone voice speaks between 5 and 20 characters a second.
            assert.ok(welcomeSeconds >= characters / 20 && welcomeSeconds <= characters / 5, `${welcomeSeconds} s for ${characters} characters`);
            const welcome = (await row.getAttribute('data-step')) ?? '';
            await page.clock.fastForward(Date.parse(call.recordingFrom) - 1000 - (start - 30_000));
            const elapsed = Math.floor((Date.parse(call.recordingFrom) - 1000 - Date.parse(call.startedAt)) / 1000);
            await row.locator('td.num').filter({ hasText: `${Math.floor(elapsed / 60)}:${String(elapsed % 60).padStart(2, '0')}` }).waitFor();
            const almost = (await row.getAttribute('data-step')) ?? '';
            await page.clock.fastForward(2000);
            await page.locator('[data-testid="live-calls"] tr[data-step="recording"]').waitFor({ timeout: 5000 }).catch(() => undefined);
            const after = (await row.getAttribute('data-step')) ?? '';
            seen = { welcome, almost, after };
            await screenshot(page, `live-call-recording-${language}-1024`);
            return { kind: 'hangup' };
          },
        },
      });
      assert.deepEqual(seen, { welcome: 'welcome', almost: 'welcome', after: 'recording' });
      await eventually(async () => ((await app.rpc('getState', {})).body.value as OrganiserState).liveCalls.length === 0, 5000, 'the call to end');
      await page.close();
    });
  }

  it('a damaged message says so on its row; one whose file went missing says so when played', async () => {
    await app.rpc('setLanguage', { language: 'en' });
    const damaged = addDownloadedTake(app.core, { from: '+819033334444', wav: Buffer.from('RIFF\0\0\0\0WAVEjunkjunkjunk') });
    const vanishing = addDownloadedTake(app.core, { from: '+819055556666', wav: messageWav(2) });
    await eventually(() => app.core.libraryStore.list().every((e) => e.health !== null || e.healthError !== null), 5000, 'health checks');
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(app.organiser.uiUrl);
    await page.getByRole('button', { name: 'Library' }).click();
    const damagedRow = page.locator(`tr[data-recording="${damaged}"]`);
    await damagedRow.waitFor();
    assert.match(await damagedRow.innerText(), /damaged|can't|cannot/i, 'the damaged file is named on screen');
    assert.equal(await damagedRow.getByRole('button', { name: 'Play' }).isDisabled(), true);

    const row = page.locator(`tr[data-recording="${vanishing}"]`);
    await rm(join(app.core.dataDir, 'recordings', `${vanishing}.wav`));
    await row.getByRole('button', { name: 'Play' }).click();
    const alert = row.getByTestId('cannot-play');
    await alert.waitFor();
    assert.match(await alert.innerText(), /can't play/);
    await screenshot(page, 'library-cannot-play-en-1024');
    await page.close();
  });
});

describe('the line retrying after a network error shows that it is retrying (item 9)', () => {
  let app: OrganiserApp;
  let browser: Browser;
  // A tunnel that can't get out: a network error, which passes by itself, so the line tries again.
  const offline: TunnelProvider = {
    kind: 'ngrok',
    open: () =>
      Promise.reject(new UserError('tunnel-network', { en: 'Cannot reach ngrok: check the internet connection.', ja: 'ngrok に接続できません。インターネット接続を確認してください。' })),
  };
  before(async () => {
    app = await startOrganiserApp({ rendererDir: RENDERER_DIR, fixedTunnel: offline });
    void app.controller.start();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
    await app.close();
  });

  for (const [language, pattern] of [
    ['en', /Trying again in \d+ s|Trying again…/],
    ['ja', /もう一度試すまで \d+ 秒|もう一度試しています…/],
  ] as const) {
    it(`counts down to the next try (${language})`, async () => {
      await app.rpc('setLanguage', { language });
      const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
      await page.goto(app.organiser.uiUrl);
      const notice = page.getByTestId('line-retry');
      await notice.waitFor({ timeout: 10_000 });
      assert.match(await notice.innerText(), pattern);
      await screenshot(page, `home-line-retrying-${language}-1024`);
      await page.close();
    });
  }
});
