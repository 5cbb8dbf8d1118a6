import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { _electron as electron } from 'playwright-core';
import { LoopbackTunnel } from '../../server/tunnel/loopback-tunnel.ts';
import { TwilioEmulator } from '../../server/twilio-emulator/emulator.ts';
import { ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER } from '../support/line-harness.ts';
import { eventually } from '../support/twilio-harness.ts';

/**
 * The Electron binary, if this machine has one (it is skipped at install here:
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1). Read from the package's path.txt rather than
 * require('electron'), which would try to download a missing binary.
 */
function electronBinary(): string | null {
  const pkg = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  try {
    const path = join(pkg, 'dist', readFileSync(join(pkg, 'path.txt'), 'utf8').trim());
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

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
      args: [MAIN, '--no-sandbox'],
      env: { ...process.env, SHUKUDEN_USER_DATA: userData, SHUKUDEN_TWILIO_API_BASE: twilio.url },
    });
    const tunnel = new LoopbackTunnel();
    try {
      const page = await app.firstWindow();
      await page.getByText(/First-time setup|はじめの設定/).waitFor();
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
