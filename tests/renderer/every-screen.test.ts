import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { OrganiserState } from '../../server/api/contract.ts';
import { LoopbackTunnel } from '../../server/tunnel/loopback-tunnel.ts';
import { scriptedCaller } from '../../server/voice-sim/caller.ts';
import { launchBrowser, RENDERER_DIR, screenshot } from '../support/browser.ts';
import { withFfmpegGate } from '../support/ffmpeg-gate.ts';
import { addDownloadedTake, messageWav } from '../support/library-fixture.ts';
import { ACCOUNT_SID, AUTH_TOKEN, GUEST_NUMBER, LINE_NUMBER } from '../support/line-harness.ts';
import { startOrganiserApp, type OrganiserApp } from '../support/organiser-app.ts';
import { eventually } from '../support/twilio-harness.ts';

const LANGUAGES = ['ja', 'en'] as const;
const SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
] as const;

// Issue 18: every screen in both languages at both sizes, written to test-artifacts/screens/tour-*.png for a
// person to look at, with the checks a person would make on each (raw codes, clipped text without a tooltip).
describe('every screen, in Japanese and English, at 1024 and 1280 wide', () => {
  let work: string;
  let app: OrganiserApp;
  let browser: Browser;
  let page: Page;
  let tunnel: LoopbackTunnel;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-tour-'));
    app = await startOrganiserApp({ rendererDir: RENDERER_DIR });
    tunnel = new LoopbackTunnel();
    await tunnel.open(app.twiml.url);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: SIZES[0] });
  });
  after(async () => {
    await browser.close();
    await app.core.libraryService.checkPending();
    await app.close();
    await tunnel.close();
    await rm(work, { recursive: true, force: true });
  });

  /** Shows the current screen in each language at each size, saves it, and checks what a person would see. */
  async function shots(name: string, check?: (language: 'ja' | 'en') => Promise<void>): Promise<void> {
    for (const language of LANGUAGES) {
      await app.rpc('setLanguage', { language });
      await page.waitForFunction((l) => document.documentElement.lang === l, language);
      await check?.(language);
      if (language === 'ja') {
        // Japanese wraps between phrases, never inside a word (「電/話」「アルバ/ム」).
        assert.equal(await page.evaluate(() => getComputedStyle(document.body).wordBreak), 'auto-phrase');
      }
      for (const size of SIZES) {
        await page.setViewportSize(size);
        const text = await page.locator('body').innerText();
        assert.doesNotMatch(text, /client:rehearsal|Polly\.|undefined|NaN|\[object/, `${name} (${language}) shows a raw code`);
        const clipped = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('body *')]
            .filter((el) => el.children.length === 0 && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow === 'hidden')
            .filter((el) => !el.title && !el.closest('[title]'))
            .map((el) => el.textContent ?? ''),
        );
        assert.deepEqual(clipped, [], `${name} (${language}, ${size.width}): text cut off without a tooltip`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} (${language}, ${size.width}): ${overflow} px wider than the window`);
        await screenshot(page, `tour-${name}-${language}-${size.width}`);
      }
    }
    await app.rpc('setLanguage', { language: 'en' });
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.setViewportSize(SIZES[0]);
  }

  it('the setup wizard, step by step', async () => {
    await page.goto(app.organiser.uiUrl);
    await page.getByRole('button', { name: 'English' }).waitFor();
    await shots('wizard-1-language');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByTestId('reach-step').waitFor();
    await shots('wizard-1b-how-guests-reach-you');
    await page.locator('button[name="reach-phone"]').click();
    await page.getByTestId('what-is-twilio').locator('summary').click();
    await shots('wizard-2-twilio');
    await page.getByLabel('Account SID').fill(ACCOUNT_SID);
    await page.getByLabel('Auth Token').fill(AUTH_TOKEN);
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText('Choose the number guests will call.').waitFor();
    await shots('wizard-3-number');
    await page.getByRole('radio', { name: new RegExp(LINE_NUMBER.replace('+', '\\+')) }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Twilio needs a public internet address').waitFor();
    await shots('wizard-4-public-address');
    await page.getByLabel('I have my own public URL').check();
    await page.getByLabel('Public URL', { exact: true }).fill(tunnel.url);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.locator('[data-testid="stage-verified"][data-state="ok"]').waitFor();
    await shots('wizard-5-public-address-verified');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('textarea[name="prompt-welcome"]').waitFor();
    await shots('wizard-6-greetings', async (language) => {
      const legends = await page.locator('fieldset.prompt legend').allInnerTexts();
      assert.deepEqual(legends.map((l) => Number.parseInt(l, 10)), legends.map((_, i) => i + 1), `greeting steps numbered 1…n (${language})`);
    });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('All set').waitFor();
    await shots('wizard-7-done');
    await page.getByRole('button', { name: 'Go to home' }).click();
    await page.getByText('Live calls').waitFor();
  });

  it('Home empty, then with a live call; Library, Album, Try a call and Settings with nothing in them', async () => {
    await shots('home-empty', async (language) => {
      const hint = await page.getByTestId('home-empty').innerText();
      assert.match(hint, language === 'ja' ? /「電話を試す」/ : /Try a call/, 'an empty Home points to Try a call');
      assert.equal(await page.getByTestId('home-empty').getByRole('link').innerText(), language === 'ja' ? '電話を試す' : 'Try a call');
    });
    await app.emulator.placeCall({
      to: LINE_NUMBER,
      from: GUEST_NUMBER,
      caller: scriptedCaller([
        {
          on: 'record',
          reply: { kind: 'hangup' },
          before: async () => {
            await page.locator('[data-testid="live-calls"] tr[data-call]').waitFor();
            await shots('home-live-call');
          },
        },
      ]),
    });
    await eventually(async () => ((await app.rpc('getState', {})).body.value as OrganiserState).liveCalls.length === 0, 5000, 'the call to end');

    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByTestId('library-empty').waitFor();
    await shots('library-empty');
    await page.getByLabel('Show trash').check();
    await shots('library-trash-empty', async (language) => {
      assert.equal(await page.getByTestId('library-empty').innerText(), language === 'ja' ? 'ゴミ箱は空です' : 'The trash is empty');
    });
    await page.getByLabel('Show trash').uncheck();
    await page.getByRole('button', { name: 'Album', exact: true }).click();
    await page.getByTestId('album-empty').waitFor();
    await shots('album-empty');
    await page.getByRole('button', { name: 'Try a call' }).click();
    await page.locator('button.callbtn').waitFor();
    await shots('try-a-call');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.locator('textarea[name="prompt-welcome"]').waitFor();
    await shots('settings', async (language) => {
      const voices = await page.locator('select[name="voice-welcome"] option').allInnerTexts();
      assert.ok(voices.length > 1 && voices.every((v) => /^[\p{L}\p{N} ]+[（(].+[）)]$/u.test(v)), `voices by human name (${language}): ${voices.join(', ')}`);
      assert.ok(voices.some((v) => (language === 'ja' ? /（女性/ : /\(female/).test(v)), voices.join(', '));
      assert.ok(await page.getByRole('button', { name: language === 'ja' ? /試聴|▶/ : /Preview|▶/ }).first().isVisible(), 'a ▶ preview');
      assert.equal(await page.locator('input[name="askName"]').isChecked(), true, 'the name step, on by default');
      assert.ok(await page.locator('textarea[name="prompt-askName"]').isVisible(), 'its prompt is editable like the others');
    });
  });

  it('Home, Library, Trimmer and Album with messages; the album exporting', async () => {
    const takes = [
      { from: '+819011110001', name: '佐々木ひかり（大学の同級生・テニス部）', seconds: 23 },
      { from: '+819022220002', name: 'Kenji Watanabe-Hoffmann from the Osaka office', seconds: 119.7 },
      { from: 'anonymous', name: null, seconds: 4 },
      { from: 'client:rehearsal', name: null, seconds: 3 },
    ];
    // The first two guests said their name after keeping their message (the name step).
    const sids = takes.map((t, i) =>
      addDownloadedTake(app.core, { from: t.from, wav: messageWav(t.seconds), durationSeconds: Math.round(t.seconds + 1.6), createdAt: `2026-11-2${i}T10:00:00.000Z`, ...(i < 2 ? { nameClipWav: messageWav(1.2) } : {}) }),
    );
    takes.forEach((t, i) => {
      if (t.name) app.core.libraryStore.setCallerName(t.from, t.name);
      void sids[i];
    });
    await eventually(() => app.core.libraryStore.list().every((e) => e.health !== null), 10_000, 'health checks');

    await page.getByRole('button', { name: 'Home' }).click();
    await page.locator('[data-testid="messages"] tr[data-recording]').nth(3).waitFor();
    await shots('home-messages', async (language) => {
      const durations = await page.locator('[data-testid="messages"] [data-testid="duration"]').allInnerTexts();
      const format = language === 'ja' ? /^(\d+分)?\d+秒$/ : /^\d+:\d\d$/;
      assert.ok(durations.every((d) => format.test(d)), `durations as 0:23 / 1分59秒 (${language}): ${durations.join(', ')}`);
      // Named as the library names them; the number is kept for a hover.
      const kenji = page.locator(`[data-testid="messages"] tr[data-recording="${sids[1]}"] td.caller`);
      assert.equal(await kenji.innerText(), 'Kenji Watanabe-Hoffmann from the Osaka office');
      assert.equal(await kenji.getAttribute('title'), '+819022220002');
    });

    await page.getByRole('button', { name: 'Library' }).click();
    await page.locator(`tr[data-recording="${sids[0]}"]`).waitFor();
    await shots('library', async (language) => {
      const durations = await page.locator('[data-testid="duration"]').allInnerTexts();
      const format = language === 'ja' ? /^(\d+分)?\d+秒/ : /^\d+:\d\d/;
      assert.ok(durations.every((d) => format.test(d)), `durations as 0:23 / 1分59秒 (${language}): ${durations.join(', ')}`);
      assert.match(await page.locator(`tr[data-recording="${sids[3]}"]`).innerText(), language === 'ja' ? /リハーサル/ : /[Rr]ehearsal/);
      // ▶ for the name clip beside the name field, only where the guest said one.
      assert.equal(await page.getByTestId('name-clip').count(), 2);
      assert.equal(await page.locator(`tr[data-recording="${sids[0]}"]`).getByRole('button', { name: language === 'ja' ? 'お名前の録音を聞く' : 'Hear them say their name' }).count(), 1);
    });

    await page.locator(`tr[data-recording="${sids[1]}"]`).getByRole('button', { name: 'Trim' }).click();
    await page.getByTestId('waveform').locator('canvas').first().waitFor();
    await page.getByTestId('trim-readout').waitFor();
    await shots('trimmer', async () => {
      // Every time label under the waveform is shown whole (one at the very end was cut off by the frame).
      const cut = await page.evaluate(() => {
        const frame = document.querySelector('.wave-timeline [part="timeline"]')?.getBoundingClientRect();
        const labels = [...document.querySelectorAll('.wave-timeline [part~="timeline-notch"]')].filter((notch) => notch.textContent);
        if (!frame || labels.length === 0) return ['(no timeline labels)'];
        return labels.flatMap((notch) => {
          const range = document.createRange();
          range.selectNodeContents(notch);
          return range.getBoundingClientRect().right > frame.right + 0.5 ? [notch.textContent ?? ''] : [];
        });
      });
      assert.deepEqual(cut, []);
    });
    await page.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Album', exact: true }).click();
    await page.locator('[data-testid="tracklist"] li').nth(1).waitFor();
    await shots('album');

    // Exporting: ffmpeg is held at a gate so the screen can be seen mid-export, then the export is cancelled.
    await withFfmpegGate(work, ['*'], async () => {
      await page.locator('input[name="outputDir"]').fill(join(work, 'album'));
      await page.getByRole('button', { name: 'Export the album' }).click();
      await page.getByRole('progressbar').waitFor();
      await shots('album-exporting', async (language) => {
        assert.match(await page.getByTestId('export-count').innerText(), language === 'ja' ? /^完了 0 \/ 4 曲$/ : /^0 of 4 tracks done$/);
      });
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.locator('[role="alert"][data-code="export-cancelled"]').waitFor({ timeout: 30_000 });
    });
    await page.getByRole('button', { name: 'Export the album' }).click();
    await page.getByTestId('export-done').waitFor({ timeout: 120_000 });
    await shots('album-exported', async (language) => {
      assert.match(await page.getByTestId('export-done').innerText(), language === 'ja' ? /\d+ 曲/ : /\d+ tracks/, '「3 曲」, not "3 MP3"');
    });
  });
});
