import assert from 'node:assert/strict';
import { chmod, readdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { OrganiserState } from '../../server/api/contract.ts';
import { LoopbackTunnel } from '../../server/tunnel/loopback-tunnel.ts';
import { SETUP } from '../../server/organiser/organiser-controller.ts';
import { ffprobe, speakToFile } from '../support/audio-tools.ts';
import { assertLinedUp, launchBrowser, RENDERER_DIR, screenshot } from '../support/browser.ts';
import { startOrganiserApp, type OrganiserApp } from '../support/organiser-app.ts';
import { eventually } from '../support/twilio-harness.ts';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;

// A guest opens the link on a phone (Chromium, phone-sized, a fake microphone playing espeak-ng speech),
// through the loopback tunnel, while the organiser watches Home.
describe('guest link page (Chromium phone, fake microphone, loopback tunnel)', () => {
  let work: string;
  let app: OrganiserApp;
  let browser: Browser;
  let phone: BrowserContext;
  let organiser: Page;
  let link: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-guest-page-'));
    const speech = join(work, 'speech.wav');
    await speakToFile('Congratulations to you both. We wish you a long and happy life together, full of laughter and love.', speech);
    app = await startOrganiserApp({ rendererDir: RENDERER_DIR, fixedTunnel: new LoopbackTunnel() });
    browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${speech}`, '--autoplay-policy=no-user-gesture-required']);
    organiser = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    phone = await browser.newContext({ ...PHONE, locale: 'ja-JP' });
  });
  after(async () => {
    await browser.close();
    await app.close();
    await rm(work, { recursive: true, force: true });
  });

  const state = async () => (await app.rpc('getState', {})).body.value as OrganiserState;
  const guestTakes = () => app.core.libraryStore.list().filter((e) => e.source === 'guest-link');
  /** A guest opens the link, records a couple of seconds and stops: the page offers to listen and send. */
  const recorded = async (): Promise<Page> => {
    const page = await phone.newPage();
    await page.goto(link);
    await page.getByTestId('record').click();
    await page.getByTestId('timer').filter({ hasText: /^0:0[2-9]/ }).waitFor({ timeout: 30_000 });
    await page.getByTestId('stop').click();
    await page.getByTestId('playback').waitFor();
    return page;
  };

  it('the wizard asks how guests will reach you; the guest link needs no Twilio account', async () => {
    // A first run (the tunnel given by the test would otherwise count as a line already set up).
    app.core.settings.set(SETUP, { done: false, mode: null });
    await organiser.goto(app.organiser.uiUrl);
    await organiser.getByRole('button', { name: 'English' }).click();
    await organiser.getByTestId('reach-step').waitFor();
    const reach = await organiser.getByTestId('reach-step').innerText();
    assert.match(reach, /Japanese numbers .* only to companies/);
    assert.match(reach, /no Twilio account/);
    await screenshot(organiser, 'guest-01-wizard-reach-en-1280');
    await organiser.setViewportSize({ width: 1024, height: 900 });
    await app.rpc('setLanguage', { language: 'ja' });
    await organiser.getByText('ゲストはどうやってメッセージを残しますか？').waitFor();
    await screenshot(organiser, 'guest-02-wizard-reach-ja-1024');
    await organiser.getByRole('button', { name: /ゲストリンク（Twilio 不要）/ }).click();
    // Straight to the public address: the Twilio steps are skipped.
    await organiser.locator('[data-step="tunnel"]').waitFor();
    assert.equal((await state()).guestLink.enabled, true);
    await app.rpc('setLanguage', { language: 'en' });
    await app.rpc('finishSetup', { mode: 'live' });
    await app.rpc('setGuestLink', { title: 'Aiko & Ken' });
    await app.controller.start();
    const view = await waitFor(async () => {
      const s = await state();
      return s.guestLink.working ? s.guestLink : null;
    });
    assert.ok(view.url);
    link = view.url;
  });

  it('Home shows the link, its QR code, the surprise warning and a ready-to-send invitation', async () => {
    await organiser.setViewportSize({ width: 1280, height: 900 });
    await organiser.goto(app.organiser.uiUrl);
    const card = organiser.getByTestId('guest-link');
    await card.getByTestId('guest-link-qr').waitFor();
    assert.equal(await card.getByTestId('guest-link-url').innerText(), link);
    assert.match(await card.getByTestId('guest-link-status').innerText(), /Guests can leave messages with the link now/);
    assert.match(await card.getByTestId('surprise-warning').innerText(), /Don't send this link to the couple/);
    // The link alone needs no Twilio account: Home does not ask for one.
    assert.equal(await organiser.getByTestId('still-to-set-up').count(), 0);
    await card.locator('summary', { hasText: 'Invitation' }).click();
    const invitation = await card.getByTestId('invitation-text').inputValue();
    assert.ok(invitation.includes(link), 'the invitation carries the link');
    assert.match(invitation, /Aiko & Ken/);
    await card.locator('select[name="inviteLanguage"]').selectOption('ja');
    await card.locator('input[name="deadline"]').fill('2026-12-20');
    assert.equal(await card.getByTestId('deadline-in-words').innerText(), 'Sun 20 December', "the picked date in the app's words");
    await assertLinedUp([card.locator('select[name="inviteLanguage"]'), card.locator('select[name="inviteChannel"]'), card.locator('input[name="deadline"]')], 'bottom', "the invitation's fields");
    const ja = await card.getByTestId('invitation-text').inputValue();
    assert.match(ja, /12月20日.*までに/);
    assert.match(ja, /サプライズ/);
    await screenshot(organiser, 'guest-03-home-en-1280');
    await organiser.setViewportSize({ width: 1024, height: 900 });
    await screenshot(organiser, 'guest-04-home-en-1024');
    // The QR code says the link (decoded with a real QR reader is beyond this machine: check what it was made from).
    const qr = (await app.rpc('getGuestLinkQr', {})).body.value as { url: string; png: string; svg: string };
    assert.equal(qr.url, link);
    assert.match(qr.png, /^data:image\/png;base64,/);
    assert.match(qr.svg, /^<svg[\s\S]*<\/svg>\s*$/);
  });

  it('the Guests screen invitation carries the link and the deadline saved on Home, and its printed page the QR code', async () => {
    await organiser.setViewportSize({ width: 1280, height: 900 });
    await organiser.getByRole('button', { name: 'Guests', exact: true }).click();
    const card = organiser.getByTestId('invitation');
    await card.waitFor();
    assert.equal(await card.getByLabel('Deadline').inputValue(), '2026-12-20', 'the deadline typed on Home was saved, and is the same here');
    const text = await card.getByLabel('Invitation').inputValue();
    assert.ok(text.includes(link), 'the link');
    assert.match(text, /Visit Site|20 December/);
    const qr = (await app.rpc('getGuestLinkQr', {})).body.value;
    const image = card.getByTestId('invitation-qr');
    await image.waitFor({ state: 'attached' });
    assert.equal(await image.getAttribute('src'), qr?.png, "the guest link's QR code");
    assert.equal(await image.isVisible(), false, 'not on the screen');
    await organiser.emulateMedia({ media: 'print' });
    assert.equal(await image.isVisible(), true, 'on the printed page');
    await screenshot(organiser, 'guest-04b-invitation-print-en');
    await organiser.emulateMedia({ media: 'screen' });
    await organiser.getByRole('button', { name: 'Home', exact: true }).click();
  });

  it('Settings, in Japanese and English, at 1024 and 1280', async () => {
    await organiser.getByRole('button', { name: 'Settings' }).click();
    await organiser.getByTestId('guest-link').getByText('Make a new link').waitFor();
    await screenshot(organiser, 'guest-05-settings-en-1024');
    await organiser.setViewportSize({ width: 1280, height: 900 });
    await screenshot(organiser, 'guest-06-settings-en-1280');
    await app.rpc('setLanguage', { language: 'ja' });
    await organiser.getByText('新しいリンクを作る').waitFor();
    await screenshot(organiser, 'guest-07-settings-ja-1280');
    await organiser.setViewportSize({ width: 1024, height: 900 });
    await screenshot(organiser, 'guest-08-settings-ja-1024');
    // Long Japanese sentences wrap: nothing is wider than the window.
    assert.ok(await organiser.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
    await organiser.getByRole('button', { name: 'ホーム' }).click();
    await organiser.getByTestId('guest-link').waitFor();
    await screenshot(organiser, 'guest-09-home-ja-1024');
    await app.rpc('setLanguage', { language: 'en' });
    await organiser.getByRole('button', { name: 'Home' }).waitFor();
    await organiser.getByRole('button', { name: 'Home' }).click();
  });

  it('record → listen → record again → name → send: in the library with its name, on the album, shown live on Home', async () => {
    const page = await phone.newPage();
    await page.goto(link);
    await page.getByTestId('record').waitFor();
    // The page speaks the line's language (English here), and offers the other one.
    assert.match(await page.getByTestId('record').innerText(), /Tap to record/);
    assert.match(await page.locator('h1').innerText(), /Aiko & Ken/);
    // A web page welcome, not the phone's "Thank you for calling" (the line still has its default welcome).
    assert.match(await page.locator('.welcome').innerText(), /collecting congratulations/);
    assert.doesNotMatch(await page.locator('header').innerText(), /calling|お電話/);
    await screenshot(page, 'guest-10-phone-en');
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByText('タップして録音').waitFor();
    assert.match(await page.locator('.welcome').innerText(), /お祝いのメッセージをお預かりします/);
    assert.doesNotMatch(await page.locator('header').innerText(), /calling|お電話/);
    await screenshot(page, 'guest-11-phone-ja');
    await page.getByRole('button', { name: 'English' }).click();

    await page.getByTestId('record').click();
    // The level meter follows the voice.
    await page.waitForFunction(() => parseFloat((document.querySelector('.meter-fill') as HTMLElement | null)?.style.width ?? '0') > 10, undefined, { timeout: 30_000 });
    await page.getByTestId('timer').filter({ hasText: /^0:0[3-9]/ }).waitFor({ timeout: 30_000 });
    // The organiser sees the guest recording, like a call.
    const live = organiser.locator('[data-testid="live-calls"] tr[data-step="recording"]');
    await live.waitFor();
    assert.match(await live.innerText(), /Guest link/);
    await screenshot(page, 'guest-12-phone-recording');
    await screenshot(organiser, 'guest-13-home-live-guest');
    await page.getByTestId('stop').click();
    await page.getByTestId('playback').waitFor();
    await screenshot(page, 'guest-14-phone-review');

    // Record again: the first take goes home as superseded.
    await page.getByTestId('again').click();
    await page.getByTestId('timer').filter({ hasText: /^0:0[3-9]/ }).waitFor({ timeout: 30_000 });
    await page.getByTestId('stop').click();
    await page.getByTestId('playback').waitFor();
    await page.getByLabel('Your name (optional)').fill('Hana Yamada');
    await page.getByTestId('send').click();
    await page.getByTestId('sent').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('sent').innerText(), 'Sent ✓');
    await screenshot(page, 'guest-15-phone-sent');
    await page.getByRole('button', { name: '日本語' }).click();
    await screenshot(page, 'guest-16-phone-sent-ja');

    const takes = await eventually(() => (guestTakes().length === 2 ? guestTakes() : null), 15_000, 'both takes');
    const kept = takes.find((e) => e.status === 'kept');
    const superseded = takes.find((e) => e.status === 'superseded');
    assert.ok(kept && superseded, takes.map((e) => e.status).join(','));
    assert.equal(kept.callerName, 'Hana Yamada');
    assert.equal(kept.callSid, superseded.callSid, 'one visit, two takes');
    assert.equal(kept.onAlbum, true);
    assert.equal(superseded.onAlbum, false);
    assert.ok(kept.durationSeconds >= 3, `${kept.durationSeconds} s`);
    const files = await readdir(join(app.dataDir, 'recordings'));
    assert.ok(files.includes(`${kept.recordingSid}.wav`));
    assert.ok(files.some((f) => f.startsWith(`${kept.recordingSid}.original.`)), files.join(', '));
    // The visit ended with the send: no longer live.
    await organiser.locator('[data-testid="live-calls"]').waitFor({ state: 'detached' });
    await page.close();
  });

  it('exports the guest message as an MP3', async () => {
    const kept = guestTakes().find((e) => e.status === 'kept');
    assert.ok(kept);
    await eventually(() => app.core.libraryStore.get(kept.recordingSid)?.health ?? null, 15_000, 'health check');
    const view = (await app.rpc('getAlbum', {})).body.value;
    assert.ok(view);
    assert.ok(view.tracks.some((t) => t.recordingSid === kept.recordingSid && /Hana Yamada/.test(t.title)), JSON.stringify(view.tracks));
    const out = join(work, 'album');
    await app.rpc('saveAlbum', { arrangement: { ...view.arrangement, outputDir: out } });
    await app.rpc('startExport', {});
    const result = await waitFor(async () => {
      const s = await state();
      if (s.export.error) throw new Error(s.export.error.en);
      return s.export.result;
    });
    assert.ok(result.files >= 1);
    const mp3 = (await readdir(out)).find((f) => f.endsWith('.mp3') && f.includes('Hana Yamada'));
    assert.ok(mp3, (await readdir(out)).join(', '));
    const probe = await ffprobe(join(out, mp3));
    assert.equal(probe.stream.codec_name, 'mp3');
    assert.ok(probe.duration >= 2);
  });

  it('a guest who opens the link and closes it again is no longer shown as live', async () => {
    await organiser.getByRole('button', { name: 'Home' }).click();
    const visits = organiser.locator('[data-testid="live-calls"] tr[data-step]');
    const before = await visits.count();
    const page = await phone.newPage();
    await page.goto(link);
    await page.getByTestId('record').waitFor();
    await waitFor(async () => ((await visits.count()) === before + 1 ? true : null));
    await page.close({ runBeforeUnload: true });
    await waitFor(async () => ((await visits.count()) === before ? true : null));
  });

  it('no recording in the browser, or the microphone blocked: says what to do instead, in plain words', async () => {
    const old = await browser.newContext({ ...PHONE, locale: 'en-US' });
    // A browser without MediaRecorder (an old in-app browser, say).
    await old.addInitScript(() => Reflect.deleteProperty(window, 'MediaRecorder'));
    const page = await old.newPage();
    await page.goto(link);
    assert.match(await page.getByTestId('mic-problem').innerText(), /open this link in Safari \(iPhone\) or Chrome \(Android\)/);
    await screenshot(page, 'guest-18-phone-no-recorder');
    await old.close();

    // The guest said no to the microphone: a browser that answers the permission prompt with "deny".
    const denying = await launchBrowser(['--use-fake-device-for-media-stream', '--deny-permission-prompts']);
    try {
      const denied = await (await denying.newContext({ ...PHONE, locale: 'en-US' })).newPage();
      await denied.goto(link);
      await denied.getByTestId('record').click();
      assert.match(await denied.getByTestId('mic-problem').innerText(), /microphone is blocked[\s\S]*allow the microphone, then reload/);
      await screenshot(denied, 'guest-19-phone-mic-denied');
    } finally {
      await denying.close();
    }
  });

  it("Shukuden's audio tool failing: the phone keeps the recording and tries again, Home says what to do, and the message arrives once it works", async () => {
    const before = guestTakes().length;
    // What macOS does to a blocked program: it starts, and is killed at once.
    const killed = join(work, 'ffmpeg-killed');
    await writeFile(killed, '#!/bin/sh\nkill -9 $$\n');
    await chmod(killed, 0o755);
    const saved = process.env['FFMPEG_PATH'];
    process.env['FFMPEG_PATH'] = killed;
    try {
      const page = await recorded();
      await page.getByTestId('send').click();
      await page.getByTestId('retrying').waitFor();
      assert.equal(guestTakes().length, before, 'nothing stored yet');

      await organiser.getByRole('button', { name: 'Home' }).click();
      const notice = organiser.getByText(/audio tool \(ffmpeg\) could not run/);
      await notice.waitFor();
      assert.match(await notice.innerText(), /wait on their phones[\s\S]*Restart Shukuden/);
      await screenshot(organiser, 'guest-20-home-audio-tool-en');

      if (saved === undefined) delete process.env['FFMPEG_PATH'];
      else process.env['FFMPEG_PATH'] = saved;
      // The page's next try goes through: no tap needed, exactly one message.
      await page.getByTestId('sent').waitFor({ timeout: 60_000 });
      const after = await eventually(() => (guestTakes().length === before + 1 ? guestTakes() : null), 10_000, 'the message');
      assert.equal(after.at(-1)?.status, 'kept');
      await page.close();
    } finally {
      if (saved === undefined) delete process.env['FFMPEG_PATH'];
      else process.env['FFMPEG_PATH'] = saved;
    }
  });

  it('a send that could not get through is finished by reopening the link (kept in IndexedDB), as exactly one message', async () => {
    const before = guestTakes().length;
    const page = await recorded();
    await phone.setOffline(true);
    await page.getByTestId('send').click();
    await page.getByTestId('retrying').waitFor();
    await screenshot(page, 'guest-17-phone-retrying');
    await page.close();
    assert.equal(guestTakes().length, before, 'nothing arrived while offline');

    await phone.setOffline(false);
    const again = await phone.newPage();
    await again.goto(link);
    await again.getByTestId('sent').waitFor({ timeout: 30_000 });
    const after = await eventually(() => (guestTakes().length === before + 1 ? guestTakes() : null), 10_000, 'the finished upload');
    assert.equal(after.at(-1)?.status, 'kept');
    // Opening the link once more sends nothing again.
    const third = await phone.newPage();
    await third.goto(link);
    await third.getByTestId('record').waitFor();
    assert.equal(guestTakes().length, before + 1);
  });
});

async function waitFor<T>(check: () => Promise<T | null | undefined>, ms = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > ms) throw new Error('Timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
