import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { _electron as electron } from 'playwright-core';
import { electronBinary } from '../../scripts/electron-binary.ts';
import { LoopbackTunnel } from '../../server/tunnel/loopback-tunnel.ts';
import { TwilioEmulator } from '../support/twilio-emulator/emulator.ts';
import { ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER } from '../support/line-harness.ts';
import { eventually } from '../support/twilio-harness.ts';

const MAIN = fileURLToPath(new URL('../../out/main/index.js', import.meta.url));
const binary = electronBinary();
const skip = binary ? false : 'no Electron binary on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1); this smoke test runs wherever Electron is installed';

describe('desktop app (Electron)', () => {
  it('launches into a sandboxed window, serves the organiser API over IPC, and restores the number on quit', { skip }, async () => {
    const userData = await mkdtemp(join(tmpdir(), 'shukuden-electron-'));
    const twilio = await new TwilioEmulator({ accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN }] }).start();
    twilio.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER, voiceUrl: 'https://before.example/voice' });
    const app = await electron.launch({
      executablePath: binary ?? undefined,
      // A fake microphone, so the rehearsal's capture can be exercised without hardware.
      args: [MAIN, '--no-sandbox', '--use-fake-device-for-media-stream'],
      env: { ...process.env, SHUKUDEN_USER_DATA: userData, SHUKUDEN_TWILIO_API_BASE: twilio.url },
    });
    const tunnel = new LoopbackTunnel();
    try {
      const page = await app.firstWindow();
      await page.getByText(/First-time setup|はじめの設定/).waitFor();
      // Loaded from our privileged scheme, whose responses carry the CSP header (frame-ancestors only works as a header).
      assert.match(page.url(), /^shukuden-app:\/\/ui\//);
      assert.match((await page.evaluate(() => fetch(location.href).then((r) => r.headers.get('content-security-policy')))) ?? '', /frame-ancestors 'none'/);
      // The rehearsal microphone is allowed to our page; the camera and everything else are not.
      assert.deepEqual(
        await page.evaluate(async () => {
          const attempt = (constraints: MediaStreamConstraints) => navigator.mediaDevices.getUserMedia(constraints).then((s) => (s.getTracks().forEach((t) => t.stop()), 'allowed'), (e: Error) => e.name);
          return [await attempt({ audio: true }), await attempt({ video: true }), (await navigator.permissions.query({ name: 'geolocation' })).state];
        }),
        ['allowed', 'NotAllowedError', 'denied'],
      );
      // The renderer has the bridge and nothing of Node.
      assert.deepEqual(await page.evaluate(() => [typeof (window as unknown as { shukuden?: { transport: string } }).shukuden?.transport, typeof (globalThis as { require?: unknown }).require]), ['string', 'undefined']);
      const connected = await page.evaluate(
        ([sid, token, number]) => (window as unknown as { shukuden: { call(m: string, i: unknown): Promise<{ ok: boolean }> } }).shukuden.call('connectTwilio', { accountSid: sid, authToken: token, phoneNumber: number, takeOver: true }),
        [ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER],
      );
      assert.equal(connected.ok, true);
      const state = (await page.evaluate(() => (window as unknown as { shukuden: { call(m: string, i: unknown): Promise<{ value: { line: { stages: { server: { detail: string } } } } }> } }).shukuden.call('getState', {}))).value;
      await tunnel.open(state.line.stages.server.detail);
      await page.evaluate((url) => (window as unknown as { shukuden: { call(m: string, i: unknown): Promise<unknown> } }).shukuden.call('configureTunnel', { kind: 'public-url', url }), tunnel.url);
      await eventually(() => twilio.number(LINE_NUMBER)?.voiceUrl === `${tunnel.url}/twilio/voice`, 10_000, 'the number to be wired');
      // The line is live once verified (the renderer polls nothing: ask the same way the UI does).
      await page.waitForFunction(async () => (await (window as unknown as { shukuden: { call(m: string, i: unknown): Promise<{ value: { line: { ready: boolean } } }> } }).shukuden.call('getState', {})).value.line.ready, undefined, { timeout: 10_000, polling: 50 });
      // Closing the window while live asks; "keep running in the background" hides it and the line stays up.
      const asked = await app.evaluate(async ({ BrowserWindow, dialog }) => {
        const questions: string[] = [];
        dialog.showMessageBox = (async (...args: unknown[]) => {
          const options = args.find((a): a is { buttons: string[] } => typeof a === 'object' && a !== null && 'buttons' in a);
          questions.push(options?.buttons.join(' | ') ?? '');
          return { response: 0, checkboxChecked: false };
        }) as typeof dialog.showMessageBox;
        const [win] = BrowserWindow.getAllWindows();
        win?.close();
        while (win?.isVisible()) await new Promise((resolve) => setTimeout(resolve, 20));
        return { questions, windows: BrowserWindow.getAllWindows().length };
      });
      assert.equal(asked.windows, 1, 'the window is hidden, not closed');
      assert.equal(asked.questions.length, 1);
      assert.match(asked.questions[0] ?? '', /^(Keep running in the background \| Quit \| Cancel|バックグラウンドで続ける \| 終了する \| キャンセル)$/);
      assert.equal(twilio.number(LINE_NUMBER)?.voiceUrl, `${tunnel.url}/twilio/voice`, 'still live in the background');
      await app.close();
      assert.equal(twilio.number(LINE_NUMBER)?.voiceUrl, 'https://before.example/voice');
    } finally {
      await app.close().catch(() => undefined);
      await tunnel.close();
      await twilio.stop();
      await rm(userData, { recursive: true, force: true });
    }
  });
});
