import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, RENDERER_DIR, screenshot } from '../support/browser.ts';
import { addDownloadedTake, messageWav } from '../support/library-fixture.ts';
import { startOrganiserApp, type OrganiserApp } from '../support/organiser-app.ts';
import { eventually } from '../support/twilio-harness.ts';

describe('library and trimmer (web mode, Chromium)', () => {
  let app: OrganiserApp;
  let browser: Browser;
  let page: Page;
  let sid: string;
  before(async () => {
    app = await startOrganiserApp({ rendererDir: RENDERER_DIR });
    await app.rpc('finishSetup', { mode: 'rehearsal' });
    sid = addDownloadedTake(app.core, { from: '+819011110001', wav: messageWav(6), createdAt: '2026-11-20T10:00:00.000Z', nameClipWav: messageWav(1.5) });
    addDownloadedTake(app.core, { from: '+819022220002', wav: messageWav(3), status: 'unconfirmed', createdAt: '2026-11-21T11:00:00.000Z' });
    addDownloadedTake(app.core, { from: '+819033330003', wav: Buffer.from('not a wav at all'), createdAt: '2026-11-22T12:00:00.000Z' });
    // The checks run on the audio worker: wait for them to finish, not for a time.
    await app.core.libraryService.checkPending();
    assert.ok(app.core.libraryStore.list().every((e) => e.health !== null || e.healthError !== null), 'health checks');
    browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
    page = await browser.newPage({ viewport: { width: 1280, height: 820 }, locale: 'en-US' });
  });
  after(async () => {
    await browser.close();
    await app.close();
  });

  const saved = () => app.core.libraryStore.get(sid)?.edit;

  it('lists every message with its check, names a caller, and shows a broken file as that message’s problem', async () => {
    await page.goto(app.organiser.uiUrl);
    await page.getByRole('button', { name: 'Library' }).click();
    await page.locator('[data-testid="library"] tr[data-recording]').nth(2).waitFor();
    assert.equal(await page.locator('[data-testid="library"] tr[data-recording]').count(), 3);
    const broken = page.locator('tr[data-recording]', { hasText: '+819033330003' });
    assert.match(await broken.getByTestId('health').innerText(), /can't be read/);
    assert.equal(await broken.getByRole('button', { name: 'Trim' }).isDisabled(), true);
    // Listen to the guest saying their name while typing it: ▶ plays the name clip, the name field keeps the focus.
    const nameField = page.getByLabel('Name +819011110001');
    await nameField.click();
    const row = page.locator(`tr[data-recording="${sid}"]`);
    await row.getByRole('button', { name: 'Hear them say their name' }).click();
    await row.getByRole('button', { name: 'Pause' }).waitFor();
    assert.match(await page.locator('audio').evaluate((a: HTMLAudioElement) => a.currentSrc), new RegExp(`/api/media/names/${sid}$`));
    await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 0);
    assert.equal(await nameField.evaluate((el) => el === document.activeElement), true, 'still typing in the name field');
    await nameField.fill('Aiko Tanaka');
    await nameField.press('Tab');
    await eventually(() => app.core.libraryStore.get(sid)?.callerName === 'Aiko Tanaka', 3000, 'the name to be saved');
    await screenshot(page, '11-library');
  });

  it('trims on the waveform: drag a handle, I/O at the playhead, arrows, and the cut survives a reload', async () => {
    await page.locator(`tr[data-recording="${sid}"]`).getByRole('button', { name: 'Trim' }).click();
    const wave = page.getByTestId('waveform');
    await wave.locator('canvas').first().waitFor();
    const readout = page.getByTestId('trim-readout');
    const startOf = async () => Number(await readout.getAttribute('data-start'));
    const endOf = async () => Number(await readout.getAttribute('data-end'));

    // Drag the region's left handle to the right.
    const handle = wave.locator('[part~="region-handle-left"]');
    const box = await handle.boundingBox();
    assert.ok(box, 'the region has a left handle');
    const before = await startOf();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await eventually(() => (saved()?.startSeconds ?? 0) > before + 0.2, 3000, 'the dragged start to be saved');

    // Click on the waveform to move the playhead, then I sets the start there; O the end.
    const waveBox = await wave.boundingBox();
    assert.ok(waveBox);
    await page.mouse.click(waveBox.x + waveBox.width * 0.2, waveBox.y + waveBox.height / 2);
    await wave.press('i');
    await eventually(() => Math.abs((saved()?.startSeconds ?? 0) - 7.6 * 0.2) < 0.4, 3000, 'I to set the start at the playhead');
    await page.mouse.click(waveBox.x + waveBox.width * 0.7, waveBox.y + waveBox.height / 2);
    await wave.press('o');
    await eventually(() => Math.abs((saved()?.endSeconds ?? 0) - 7.6 * 0.7) < 0.4, 3000, 'O to set the end at the playhead');

    // Arrow keys nudge the start by 50 ms; Ctrl+Z undoes.
    const start = saved()?.startSeconds ?? 0;
    await wave.press('ArrowRight');
    await eventually(() => Math.abs((saved()?.startSeconds ?? 0) - (start + 0.05)) < 0.002, 3000, 'the nudge');
    await wave.press('Control+z');
    await eventually(() => Math.abs((saved()?.startSeconds ?? 0) - start) < 0.002, 3000, 'undo');
    await page.getByLabel('Soft end').selectOption({ label: 'Long' });
    await eventually(() => saved()?.fadeOutSeconds === 1, 3000, 'the fade');
    await screenshot(page, '12-trimmer');

    const kept = saved();
    await page.reload();
    await page.getByRole('button', { name: 'Library' }).click();
    await page.locator(`tr[data-recording="${sid}"]`).getByRole('button', { name: 'Trim' }).click();
    await page.getByTestId('waveform').locator('canvas').first().waitFor();
    assert.equal(await startOf(), kept?.startSeconds);
    assert.equal(await endOf(), kept?.endSeconds);
    assert.equal(await page.getByLabel('Soft end').inputValue(), '1');
  });
});
