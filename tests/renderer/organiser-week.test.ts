import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { FlowSettings } from '../../server/call-flow/flow-settings.ts';
import { LoopbackTunnel } from '../../server/tunnel/loopback-tunnel.ts';
import { launchBrowser, RENDERER_DIR, screenshot } from '../support/browser.ts';
import { addDownloadedTake, messageWav } from '../support/library-fixture.ts';
import { startOrganiserApp, type OrganiserApp } from '../support/organiser-app.ts';
import { eventually } from '../support/twilio-harness.ts';

// Issue 18: what a non-technical organiser trips over in the week before the wedding.
describe("the organiser's week (web mode, Chromium)", () => {
  let work: string;
  let app: OrganiserApp;
  let browser: Browser;
  let page: Page;
  const settings = async () => ((await app.rpc('getState', {})).body.value as { settings: FlowSettings }).settings;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-week-'));
    app = await startOrganiserApp({ rendererDir: RENDERER_DIR });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1024, height: 768 }, locale: 'en-US' });
    await page.goto(app.organiser.uiUrl);
  });
  after(async () => {
    await browser.close();
    await app.core.libraryService.checkPending();
    await app.close();
    await rm(work, { recursive: true, force: true });
  });

  it('wizard: explains Twilio with real figures, goes back, and the rehearsal-only path still offers the greetings (item 9)', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: /Phone number \(Twilio\)/ }).click();
    const panel = page.getByTestId('what-is-twilio');
    await panel.locator('summary').click();
    const text = await panel.innerText();
    assert.match(text, /\$1\.15 a month/);
    assert.match(text, /\$0\.0085 a minute/);
    assert.match(text, /since August 2021 Twilio sells Japanese numbers only to companies/);
    // Where to sign up, one click away: links that open in the browser (the window itself never leaves the app).
    const signUp = panel.getByRole('link', { name: /Sign up at Twilio/ });
    assert.deepEqual([await signUp.getAttribute('href'), await signUp.getAttribute('target'), await signUp.getAttribute('rel')], ['https://www.twilio.com/try-twilio', '_blank', 'noopener noreferrer']);
    assert.equal(await panel.getByRole('link').count(), 3);
    await screenshot(page, 'week-01-wizard-what-is-twilio');
    await page.getByRole('button', { name: '← Back' }).click();
    await page.getByTestId('reach-step').waitFor();
    await page.getByRole('button', { name: '← Back' }).click();
    await page.getByText('Choose the language').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: /Phone number \(Twilio\)/ }).click();
    // A finished step is clickable.
    await page.locator('.steps').getByRole('button', { name: 'Language' }).click();
    await page.getByText('Choose the language').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: /Phone number \(Twilio\)/ }).click();
    await page.getByRole('button', { name: 'Skip: rehearsal only, no account' }).click();
    await page.locator('textarea[name="prompt-welcome"]').waitFor();
    const legends = await page.locator('fieldset.prompt legend').allInnerTexts();
    assert.deepEqual(legends.map((l) => Number.parseInt(l, 10)), legends.map((_, i) => i + 1), 'greeting steps numbered 1…n without gaps');
    await screenshot(page, 'week-02-wizard-rehearsal-greetings');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Go to home' }).click();
    await page.getByTestId('home-empty').waitFor();
    assert.match(await page.getByTestId('home-empty').innerText(), /Try a call/, 'an empty Home points to Try a call');
  });

  it('switching the app language never touches the greetings; the editor shows what is saved (item 2)', async () => {
    const before = await settings();
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByRole('button', { name: '設定' }).click();
    await page.locator('textarea[name="prompt-welcome"]').waitFor();
    assert.deepEqual(await settings(), before, 'the line is untouched');
    const welcome = before.prompts.welcome;
    assert.equal(welcome.kind, 'tts');
    assert.equal(await page.locator('textarea[name="prompt-welcome"]').inputValue(), welcome.kind === 'tts' ? welcome.text : '');
    // Voices by human name.
    const voiceOptions = await page.locator('select[name="voice-welcome"] option').allInnerTexts();
    assert.ok(voiceOptions.every((o) => !o.startsWith('Polly.')), voiceOptions.join(', '));
    await screenshot(page, 'week-03-settings-ja-1024');
    // Changing the greetings' language is its own setting, and the editor follows what is saved.
    const other = before.language === 'ja' ? 'en' : 'ja';
    await page.locator('select[name="greetingsLanguage"]').selectOption(other);
    await eventually(async () => (await settings()).language === other, 3000, 'the greetings language');
    const after = await settings();
    const text = after.prompts.welcome.kind === 'tts' ? after.prompts.welcome.text : '';
    await page.locator('textarea[name="prompt-welcome"]').filter({ hasText: text }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Settings' }).waitFor();
    assert.deepEqual(await settings(), after, 'switching back does not touch them either');
  });

  it('an empty album says why and what to do (item 4)', async () => {
    await page.getByRole('button', { name: 'Album', exact: true }).click();
    const empty = page.getByTestId('album-empty');
    await empty.waitFor();
    assert.match(await empty.innerText(), /tick messages in the Library/i);
    await screenshot(page, 'week-04-album-empty');
  });

  it('names belong to a message; withheld callers never share one; reload keeps the tab (items 6, 8, 10)', async () => {
    const shared = '+819011112222';
    const a = addDownloadedTake(app.core, { from: shared, wav: messageWav(2), createdAt: '2026-11-20T10:00:00.000Z' });
    const b = addDownloadedTake(app.core, { from: shared, wav: messageWav(2), createdAt: '2026-11-20T11:00:00.000Z' });
    const w1 = addDownloadedTake(app.core, { from: 'anonymous', wav: messageWav(2), createdAt: '2026-11-20T12:00:00.000Z' });
    const w2 = addDownloadedTake(app.core, { from: 'anonymous', wav: messageWav(2), createdAt: '2026-11-20T13:00:00.000Z' });
    // The checks run on the audio worker: wait for them to finish, not for a time.
    await app.core.libraryService.checkPending();
    assert.ok(app.core.libraryStore.list().every((e) => e.health !== null), 'health checks');
    await page.getByRole('button', { name: 'Library' }).click();
    const row = (sid: string) => page.locator(`tr[data-recording="${sid}"]`);
    await row(a).waitFor();
    const name = (sid: string) => row(sid).locator('input.name');

    await name(a).fill('Aiko');
    await name(a).press('Tab');
    await eventually(() => app.core.libraryStore.get(a)?.callerName === 'Aiko', 3000, 'the name');
    await row(b).getByTestId('name-default').waitFor();
    assert.equal(await name(b).inputValue(), 'Aiko', "the caller's name is the default for their unnamed message");
    await name(b).fill('Ken');
    await name(b).press('Tab');
    await eventually(() => app.core.libraryStore.get(b)?.callerName === 'Ken', 3000, 'the second name');
    assert.equal(app.core.libraryStore.get(a)?.callerName, 'Aiko', 'two guests sharing a phone are named apart');

    await name(w1).fill('Sato');
    await name(w1).press('Tab');
    await eventually(() => app.core.libraryStore.get(w1)?.callerName === 'Sato', 3000, 'the withheld name');
    assert.equal(app.core.libraryStore.get(w2)?.callerName, null, 'withheld callers never share a name');
    assert.match(await row(w2).innerText(), /Withheld number/);
    assert.match(await row(a).getByTestId('duration').innerText(), /^\d:\d\d/, 'durations as 0:23');
    await screenshot(page, 'week-05-library-names');

    await page.reload();
    await page.locator(`tr[data-recording="${a}"]`).waitFor();
    assert.match(page.url(), /#library$/);

    await page.getByLabel('Show trash').check();
    assert.equal(await page.getByTestId('library-empty').innerText(), 'The trash is empty');
    await page.getByLabel('Show trash').uncheck();
  });

  it('trimmer: nothing "saved" until a change; cut parts dimmed; wide handles; soft start/end; the library follows the trim (item 7)', async () => {
    const sid = app.core.libraryStore.list().find((e) => e.callerName === 'Aiko')?.recordingSid ?? '';
    const row = page.locator(`tr[data-recording="${sid}"]`);
    await row.getByRole('button', { name: 'Trim' }).click();
    const wave = page.getByTestId('waveform');
    await wave.locator('canvas').first().waitFor();
    await page.getByTestId('trim-readout').waitFor();
    assert.equal((await page.getByTestId('trim-saved').innerText()).trim(), '', 'nothing to say before a change');
    assert.ok(await page.getByLabel('Soft start').isVisible());
    const handle = await eventually(
      () => wave.evaluate((el) => {
        const host = [...el.querySelectorAll('*')].find((n) => n.shadowRoot)?.shadowRoot;
        const h = host?.querySelector('[part~="region-handle-left"]');
        return h ? h.getBoundingClientRect().width : null;
      }),
      5000,
      'the trim handle',
    );
    assert.ok(handle !== null && handle >= 12, `handle ${handle} px`);
    const dimmed = await wave.evaluate((el) => {
      const host = [...el.querySelectorAll('*')].find((n) => n.shadowRoot)?.shadowRoot;
      return host?.querySelectorAll('[part~="cut-before"], [part~="cut-after"]').length ?? 0;
    });
    assert.equal(dimmed, 2, 'the cut-off parts are drawn over');
    const before = app.core.libraryStore.get(sid)?.edit?.startSeconds ?? -1;
    await wave.focus();
    await wave.press('ArrowRight');
    await page.getByTestId('trim-saved').filter({ hasText: 'Saved' }).waitFor();
    await eventually(() => (app.core.libraryStore.get(sid)?.edit?.startSeconds ?? -1) !== before, 3000, 'the trim');
    await screenshot(page, 'week-06-trimmer');
    await page.getByRole('button', { name: 'Close' }).click();
    await row.getByTestId('edited').waitFor();
  });

  it('export goes exactly to the folder on screen, checked first; ticking zip never resets it (item 1, 10)', async () => {
    await page.getByRole('button', { name: 'Album', exact: true }).click();
    const folder = page.locator('input[name="outputDir"]');
    await folder.waitFor();
    await writeFile(join(work, 'a-file'), 'not a folder');
    await folder.fill(join(work, 'a-file', 'album'));
    await page.getByRole('button', { name: 'Export the album' }).click();
    const problem = page.locator('[data-code="output-folder-not-folder"]');
    await problem.waitFor();
    assert.equal(existsSync(join(work, 'a-file', 'album')), false);

    const target = join(work, 'wedding', 'album');
    await folder.fill(target);
    // The tick shows at once, while it is being saved: hold the save until the box reads ticked.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const passed: Promise<void>[] = [];
    await page.route('**/api/rpc/saveAlbum', (route) => {
      passed.push(held.then(() => route.continue()));
    });
    const zip = page.getByLabel('Also make a zip of the whole album');
    await zip.check();
    assert.equal(await zip.isChecked(), true, 'ticked before the save has answered');
    assert.ok(passed.length > 0, 'the save was held');
    release();
    await Promise.all(passed);
    await page.unroute('**/api/rpc/saveAlbum');
    await eventually(async () => (await app.rpcValue('getAlbum', {})).arrangement.zip, 3000, 'the zip choice to be saved');
    assert.equal(await folder.inputValue(), target, 'ticking zip keeps the typed folder');
    await page.getByRole('button', { name: 'Export the album' }).click();
    await page.getByTestId('export-done').waitFor({ timeout: 60_000 });
    const files = await readdir(target);
    assert.ok(files.some((f) => f.endsWith('.mp3')) && files.some((f) => f.endsWith('.zip')), files.join(', '));
    assert.match(await page.getByTestId('export-done').innerText(), /\d+ tracks/);
    await screenshot(page, 'week-07-album-exported');
  });
});

describe('a line already running is never hidden behind the first-run wizard (item 11)', () => {
  let app: OrganiserApp;
  let browser: Browser;
  let tunnel: LoopbackTunnel;
  before(async () => {
    tunnel = new LoopbackTunnel();
    app = await startOrganiserApp({ rendererDir: RENDERER_DIR, fixedTunnel: tunnel });
    await app.controller.start();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
    await app.close();
    await tunnel.close();
  });

  it('opens on Home with live calls, and lists only what is missing', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    await page.goto(app.organiser.uiUrl);
    await page.getByText('Live calls').waitFor();
    assert.equal(await page.getByText('Choose the language').count(), 0);
    const missing = await page.getByTestId('still-to-set-up').innerText();
    assert.match(missing, /Twilio account/);
    assert.doesNotMatch(missing, /public address/i);
    await screenshot(page, 'week-08-home-running-line');
  });
});
