import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { decodeWav, durationSeconds } from '../../server/audio/wav.ts';
import { speakToFile } from '../support/audio-tools.ts';
import { launchBrowser, RENDERER_DIR, screenshot } from '../support/browser.ts';
import { startOrganiserApp, type OrganiserApp } from '../support/organiser-app.ts';
import { eventually } from '../support/twilio-harness.ts';

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length)) / 32768;
}

// A newcomer with no Twilio account tries the whole line from the laptop: Chromium's fake
// microphone plays a real speech file (espeak-ng) into the call.
describe('rehearsal call (web mode, Chromium, fake microphone)', () => {
  let work: string;
  let app: OrganiserApp;
  let browser: Browser;
  let page: Page;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-rehearsal-'));
    const speech = join(work, 'speech.wav');
    await speakToFile('Congratulations to you both. We wish you a long and happy life together, full of laughter and love.', speech);
    app = await startOrganiserApp({ rendererDir: RENDERER_DIR });
    await app.rpc('finishSetup', { mode: 'rehearsal' });
    browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${speech}`, '--autoplay-policy=no-user-gesture-required']);
    page = await browser.newPage({ viewport: { width: 1100, height: 900 }, locale: 'en-US' });
    await page.goto(app.organiser.uiUrl);
    await page.getByRole('button', { name: 'Try a call' }).click();
  });
  after(async () => {
    await browser.close();
    await app.close();
    await rm(work, { recursive: true, force: true });
  });

  const lineState = () => page.getByTestId('line-state');
  const waitLine = (text: string) => page.getByTestId('line-state').filter({ hasText: text }).waitFor({ timeout: 30_000 });
  const takes = () => app.core.libraryStore.list().filter((e) => e.source === 'rehearsal');

  it('calls, records from the microphone until #, keeps it with 1, and files it like a Twilio recording', async () => {
    await screenshot(page, '13-phone-idle');
    await page.getByRole('button', { name: /Call/ }).click();
    await waitLine('Recording');
    await screenshot(page, '14-phone-recording');
    const recordingStarted = Date.now();
    await page.waitForTimeout(3000);
    await page.getByRole('button', { name: '#', exact: true }).click();
    // How long the microphone was open, however busy the machine was.
    const recordingFor = (Date.now() - recordingStarted) / 1000;
    await waitLine('Waiting for a key');
    // What the line says is on screen as text, voice or not (issue 18 item 5).
    const transcript = await page.getByTestId('transcript').innerText();
    assert.ok((await page.locator('[data-testid="transcript"] li[data-kind="say"]').count()) >= 1, transcript);
    assert.match(transcript, /Press # when you have finished speaking/);
    assert.match(transcript, /Press 1 to keep it, 3 to record again/);
    await screenshot(page, '15-phone-menu');
    await page.getByRole('button', { name: '1', exact: true }).click();
    await waitLine('Call ended');
    await screenshot(page, '16-phone-ended');

    const [take] = await eventually(() => (takes().length === 1 ? takes() : null), 30_000, 'the rehearsal take');
    assert.ok(take);
    assert.equal(take.status, 'kept');
    assert.equal(take.onAlbum, false, 'rehearsals stay off the album unless added');
    assert.equal(take.callerNumber, 'client:rehearsal');
    const pcm = decodeWav(readFileSync(join(app.dataDir, take.localFile ?? '')));
    assert.deepEqual([pcm.sampleRate, pcm.channels], [8000, 1], 'sounds like the real line');
    const seconds = durationSeconds(pcm);
    // Silence at the edges is trimmed like Twilio does, so allow for the gaps in the speech file.
    assert.ok(seconds > 1.5 && seconds <= recordingFor + 1, `${seconds.toFixed(2)} s recorded`);
    assert.ok(rms(pcm.samples) > 0.01, `the recording is not silent (rms ${rms(pcm.samples).toFixed(3)})`);

    // It is in the library, and opens in the trimmer.
    await page.getByRole('button', { name: 'Library' }).click();
    const row = page.locator(`tr[data-recording="${take.recordingSid}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /Rehearsal \(this laptop\)/);
    await row.getByRole('button', { name: 'Trim' }).click();
    await page.getByTestId('waveform').locator('canvas').first().waitFor();
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Try a call' }).click();
  });

  it('records again on 3 and keeps both takes', async () => {
    const before = takes().length;
    await page.getByRole('button', { name: /Call/ }).click();
    await waitLine('Recording');
    await page.waitForTimeout(2000);
    await page.keyboard.press('#');
    await waitLine('Waiting for a key');
    await page.getByRole('button', { name: '3', exact: true }).click();
    await waitLine('Recording');
    await page.waitForTimeout(2000);
    await page.getByRole('button', { name: '#', exact: true }).click();
    await waitLine('Waiting for a key');
    await page.getByRole('button', { name: '1', exact: true }).click();
    await waitLine('Call ended');
    const added = await eventually(() => (takes().length === before + 2 ? takes().slice(before) : null), 30_000, 'two takes');
    assert.deepEqual(added.map((t) => t.status).sort(), ['kept', 'superseded']);
    assert.equal(await lineState().innerText(), 'Call ended');
  });

  it('says what to do when the microphone is denied, and places no call', async () => {
    const denied = await launchBrowser(['--use-fake-device-for-media-stream', '--deny-permission-prompts']);
    try {
      const p = await denied.newPage({ locale: 'en-US' });
      await p.goto(app.organiser.uiUrl);
      await p.getByRole('button', { name: 'Try a call' }).click();
      const callsBefore = app.core.calls.listCalls().length;
      await p.getByRole('button', { name: /Call/ }).click();
      const alert = p.locator('[data-code^="mic-"]');
      await alert.waitFor();
      assert.equal(await alert.getAttribute('data-code'), 'mic-denied');
      assert.match(await alert.innerText(), /Microphone access was denied\. Allow Shukuden/);
      await screenshot(p, '17-phone-mic-denied');
      assert.equal(app.core.calls.listCalls().length, callsBefore);
    } finally {
      await denied.close();
    }
  });
});
