import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { LoopbackTunnel } from '../../server/tunnel/loopback-tunnel.ts';
import { scriptedCaller } from '../../server/voice-sim/caller.ts';
import { launchBrowser, RENDERER_DIR, screenshot } from '../support/browser.ts';
import { ACCOUNT_SID, AUTH_TOKEN, GUEST_NUMBER, LINE_NUMBER } from '../support/line-harness.ts';
import { startOrganiserApp, type OrganiserApp } from '../support/organiser-app.ts';
import { speechLike } from '../../server/voice-sim/speech.ts';
import { press, speak } from '../support/script.ts';

// The organiser's whole first evening, in a real browser against web mode: setup, a call, a message.
describe('organiser UI (web mode, Chromium)', () => {
  let app: OrganiserApp;
  let browser: Browser;
  let page: Page;
  let tunnel: LoopbackTunnel;
  before(async () => {
    app = await startOrganiserApp({ rendererDir: RENDERER_DIR });
    app.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: '+815099998888', voiceUrl: 'https://someone-else.example/voice' });
    tunnel = new LoopbackTunnel();
    await tunnel.open(app.twiml.url);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1100, height: 800 }, locale: 'en-US' });
  });
  after(async () => {
    await browser.close();
    await app.close();
    await tunnel.close();
  });

  it('walks the setup wizard: language, how guests reach you, account (a wrong token first), number, public address, greetings', async () => {
    await page.goto(app.organiser.uiUrl);
    await page.getByRole('button', { name: 'English' }).waitFor();
    await screenshot(page, '01-setup-language');
    await page.getByRole('button', { name: 'English' }).click();
    // How guests reach you: this walk-through is the phone line.
    await page.getByRole('button', { name: /Phone number \(Twilio\)/ }).click();

    await page.getByLabel('Account SID').fill(ACCOUNT_SID);
    await page.getByLabel('Auth Token').fill('0'.repeat(32));
    await page.getByRole('button', { name: 'Check' }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    assert.match(await error.innerText(), /did not accept the Account SID and Auth Token/);
    assert.equal(await error.getAttribute('data-code'), 'twilio-wrong-credentials');
    await screenshot(page, '02-setup-twilio-wrong-token');
    const unsaved = (await app.rpc('getState', {})).body.value as { twilio: { configured: boolean } };
    assert.equal(unsaved.twilio.configured, false, 'a wrong token saves nothing');

    await page.getByLabel('Auth Token').fill(AUTH_TOKEN);
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText('Choose the number guests will call.').waitFor();
    assert.match(await page.locator('.choices').innerText(), /Currently answers another app: https:\/\/someone-else\.example\/voice/);
    await screenshot(page, '03-setup-number');
    await page.getByRole('radio', { name: new RegExp(LINE_NUMBER.replace('+', '\\+')) }).check();
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByText('Twilio needs a public internet address').waitFor();
    await page.getByLabel('I have my own public URL').check();
    await page.getByLabel('Public URL', { exact: true }).fill(tunnel.url);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.locator('[data-testid="stage-verified"][data-state="ok"]').waitFor();
    assert.equal(await page.getByTestId('line-ready').innerText(), 'The line is ready');
    await screenshot(page, '04-setup-public-address-verified');
    assert.equal(app.emulator.number(LINE_NUMBER)?.voiceUrl, `${tunnel.url}/twilio/voice`, 'the number now points at the app');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.locator('textarea[name="prompt-welcome"]').waitFor();
    await page.locator('textarea[name="prompt-welcome"]').fill('Welcome to Aiko and Ken’s message line!');
    await screenshot(page, '05-setup-greetings');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('All set').waitFor();
    await screenshot(page, '06-setup-done');
    await page.getByRole('button', { name: 'Go to home' }).click();
    await page.getByText('Live calls').waitFor();
  });

  it('shows a call live as it moves through the steps, then the message as it comes home', async () => {
    const steps: string[] = [];
    const rowStep = () => page.locator('[data-testid="live-calls"] tr[data-call]').getAttribute('data-step', { timeout: 5000 });
    const call = await app.emulator.placeCall({
      to: LINE_NUMBER,
      from: GUEST_NUMBER,
      caller: scriptedCaller([
        {
          on: 'record',
          reply: { kind: 'speak', audio: speechLike(3), end: 'key' },
          before: async () => {
            await page.locator('[data-testid="live-calls"] tr[data-call]').waitFor();
            steps.push((await rowStep()) ?? '');
            await screenshot(page, '07-home-live-call');
          },
        },
        {
          on: 'gather',
          reply: { kind: 'press', digits: '1' },
          before: async () => {
            await page.locator('[data-testid="live-calls"] tr[data-step="listening"]').waitFor();
            steps.push((await rowStep()) ?? '');
          },
        },
      ]),
    });
    // At the beep the row shows the welcome, or already "recording" if the welcome's estimated length has passed
    // (organiser-week-live.test.ts moves the page's clock to check exactly that).
    assert.ok(steps[0] === 'welcome' || steps[0] === 'recording', steps.join(', '));
    assert.equal(steps[1], 'listening');
    // The call ends: its row goes, the message shows kept and, once downloaded, on this computer.
    await page.locator('[data-testid="live-calls"]').waitFor({ state: 'detached' });
    const row = page.locator(`tr[data-recording]`).first();
    await page.locator('tr[data-recording][data-status="kept"][data-downloaded="true"]').waitFor({ timeout: 10_000 });
    assert.match(await row.innerText(), new RegExp(GUEST_NUMBER.replace('+', '\\+')));
    assert.equal(await page.getByTestId('messages-kept').innerText(), '1');
    assert.equal(await page.getByTestId('calls-today').innerText(), '1');
    // Always-on is off by default: live now, and a quit gives the number back.
    assert.equal(await page.getByTestId('answering-mode').innerText(), 'Calls now: live on this laptop · After you quit: not answered');
    assert.ok(app.emulator.recordings.some((r) => r.callSid === call.callSid));
    await screenshot(page, '08-home-message-arrived');
  });

  it('real-services: Withheld caller ID — shows a withheld caller as withheld, not as a number', async () => {
    await app.emulator.placeCall({ to: LINE_NUMBER, from: '+266696687', caller: scriptedCaller([speak(2), press('1')]) });
    const row = page.locator('tr[data-recording]').first();
    await page.locator('tr[data-recording][data-status="kept"]').nth(1).waitFor();
    assert.match(await row.innerText(), /Withheld number/);
    assert.doesNotMatch(await row.innerText(), /266696687/);
    for (const width of [1024, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await screenshot(page, `08b-home-withheld-caller-${width}`);
    }
    await page.setViewportSize({ width: 1100, height: 800 });
  });

  it('shows settings, and switches language', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByText('Surprise list').waitFor();
    assert.equal(await page.getByTestId('data-folder').innerText(), app.dataDir);
    assert.match(await page.getByTestId('always-on').innerText(), /Keep the line always on[\s\S]*Always-on line: Not using the always-on line\s+After you quit: not answered/);
    await screenshot(page, '09-settings');
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByRole('button', { name: 'ホーム' }).waitFor();
    await page.getByRole('button', { name: 'ホーム' }).click();
    await page.getByText('通話中').waitFor();
    await screenshot(page, '10-home-japanese');
    assert.match(await page.locator('tr[data-recording]').first().innerText(), /非通知/);
    for (const width of [1024, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await screenshot(page, `10b-home-japanese-withheld-${width}`);
    }
  });
});
