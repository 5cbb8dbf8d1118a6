import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { defaultFlowSettings } from '../../server/call-flow/flow-settings.ts';
import { ffmpeg } from '../support/audio-tools.ts';
import { launchBrowser, RENDERER_DIR } from '../support/browser.ts';
import { startOrganiserApp, type OrganiserApp } from '../support/organiser-app.ts';
import { eventually } from '../support/twilio-harness.ts';

// A long rehearsal call: the page's clock is Playwright's fake one, moved forward on purpose, so
// "a minute later" takes no wall time. The microphone hears loud noise, never silence, so only
// the keys, the hang-up button (or the long maximum) can end a recording.
describe('rehearsal call: keys and hang-up keep working however long the call runs', () => {
  let work: string;
  let app: OrganiserApp;
  let browser: Browser;
  let page: Page;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-rehearsal-long-'));
    // Loud white noise: a steady tone is taken for background noise by the browser's noise suppression.
    const noise = join(work, 'noise.wav');
    await ffmpeg('-f', 'lavfi', '-i', 'anoisesrc=color=white:amplitude=1:duration=120', '-ar', '48000', '-ac', '1', noise);
    app = await startOrganiserApp({ rendererDir: RENDERER_DIR });
    await app.rpc('finishSetup', { mode: 'rehearsal' });
    // The longest message Twilio allows here, so moving the clock 3 minutes doesn't end a recording by itself.
    assert.equal((await app.rpc('saveFlowSettings', { settings: { ...defaultFlowSettings('en'), maxLengthSeconds: 600 } })).body.ok, true);
    browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${noise}`, '--autoplay-policy=no-user-gesture-required']);
    page = await browser.newPage({ viewport: { width: 1100, height: 900 }, locale: 'en-US' });
    // Timers run in step with real time unless the test moves the clock forward.
    await page.clock.install();
    await page.goto(app.organiser.uiUrl);
    await page.getByRole('button', { name: 'Try a call' }).click();
  });
  after(async () => {
    await browser.close();
    await app.close();
    await rm(work, { recursive: true, force: true });
  });

  const waitLine = (text: string) => page.getByTestId('line-state').filter({ hasText: text }).waitFor({ timeout: 60_000 });
  // The guest talks for two real seconds (the microphone runs on real time; shorter counts as "not heard").
  const speak = () => page.waitForTimeout(2000);
  const takes = () => app.core.libraryStore.list().filter((e) => e.source === 'rehearsal');

  it('# still ends the recording a minute after the spoken prompts, and 3 still records again three minutes after playback', async () => {
    await page.getByRole('button', { name: /Call/ }).click();
    await waitLine('Recording');
    await page.clock.fastForward('01:01');
    await speak();
    await page.getByRole('button', { name: '#', exact: true }).click();
    await waitLine('Waiting for a key');
    await page.getByRole('button', { name: '3', exact: true }).click();
    await waitLine('Recording');
    await page.clock.fastForward('03:01');
    await speak();
    await page.keyboard.press('#');
    await waitLine('Waiting for a key');
    await page.getByRole('button', { name: '1', exact: true }).click();
    await waitLine('Call ended');
    const statuses = await eventually(() => (takes().length === 2 ? takes().map((t) => t.status).sort() : null), 10_000, 'both takes');
    assert.deepEqual(statuses, ['kept', 'superseded']);
  });

  it('hanging up mid-recording, long after the prompts, keeps the message as unconfirmed', async () => {
    const before = takes().length;
    await page.getByRole('button', { name: /Call/ }).click();
    await waitLine('Recording');
    await page.clock.fastForward('01:01');
    await speak();
    await page.getByRole('button', { name: 'Hang up' }).click();
    await waitLine('Call ended');
    const added = await eventually(() => (takes().length === before + 1 ? takes().slice(before) : null), 10_000, 'the take of the hung-up call');
    assert.deepEqual(added.map((t) => t.status), ['unconfirmed']);
    assert.ok(added[0]?.localFile, 'the recording is in the library');
  });
});
