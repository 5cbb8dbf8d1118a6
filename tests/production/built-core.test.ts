/**
 * The production build, not the sources: `out/main/serve.js` (electron-vite's main build, the
 * same bundled core the desktop app runs) started headless with TypeScript turned off. It takes
 * a call, brings the recording home, exports an album, and deploys the always-on line to the
 * emulator from the prebuilt hosted line. This is what catches "works from sources, breaks bundled".
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { TwilioEmulator } from '../support/twilio-emulator/emulator.ts';
import { scriptedCaller } from '../../server/voice-sim/caller.ts';
import { ACCOUNT_SID, AUTH_TOKEN, GUEST_NUMBER, LINE_NUMBER } from '../support/line-harness.ts';
import { press, speak } from '../support/script.ts';
import { BUILT_SERVE, freePort, spawnServe } from '../support/spawn-serve.ts';

const exec = promisify(execFile);
const HOSTED = /^https:\/\/shukuden-line-\d{4}-live\.twil\.io\/twilio\/voice$/;

/** Polls an async check until it returns something (the app works at its own pace). */
async function until<T>(check: () => Promise<T | null | undefined>, ms: number, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > ms) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Rpc { readonly ok: boolean; readonly value?: unknown; readonly error?: { readonly en: string } }

describe('the production build, headless', () => {
  let work: string;
  let twilio: TwilioEmulator;
  before(async () => {
    assert.ok(existsSync(BUILT_SERVE), 'out/main/serve.js exists: npm test builds it first (npm run build)');
    work = await mkdtemp(join(tmpdir(), 'shukuden-built-'));
    twilio = await new TwilioEmulator({ accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN }], mediaDelayMs: 100 }).start();
    twilio.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER });
  });
  after(async () => {
    await twilio.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('takes a call, brings the recording home, exports an album, and deploys always-on', async () => {
    const dataDir = join(work, 'line');
    const port = await freePort();
    const serve = spawnServe(
      ['--data-dir', dataDir, '--port', String(port), '--public-url', `http://127.0.0.1:${port}`, '--always-on', '--guest-link'],
      { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_PHONE_NUMBER: LINE_NUMBER, SHUKUDEN_TWILIO_API_BASE: twilio.url },
      BUILT_SERVE,
      // Proves nothing on the way is TypeScript: the installed app has no sources to strip.
      ['--no-experimental-strip-types'],
    );
    let stopped = false;
    try {
      // Always-on deploys from the prebuilt hosted line (out/main/hosted-line.cjs).
      const hosted = await serve.line('Always-on line: ready', 30_000);
      assert.match(hosted, HOSTED);
      assert.equal(twilio.number(LINE_NUMBER)?.voiceFallbackUrl, hosted);
      assert.equal(twilio.number(LINE_NUMBER)?.voiceUrl, `http://127.0.0.1:${port}/twilio/voice`);

      const ui = new URL(await serve.line('Organiser UI:'));
      const token = new URLSearchParams(ui.hash.slice(1)).get('token') ?? '';
      const page = await fetch(new URL('/', ui));
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<div id="root">/, 'the built organiser UI is served');
      // The guest link's page comes from the same build.
      const guestPage = await fetch(await serve.line('Guest link:'));
      assert.equal(guestPage.status, 200);
      assert.match(guestPage.headers.get('content-type') ?? '', /text\/html/);
      const rpc = async (method: string, input: unknown = {}): Promise<Rpc> => {
        const response = await fetch(new URL(`/api/rpc/${method}`, ui), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
        return (await response.json()) as Rpc;
      };

      // A guest calls the laptop and keeps the message; the recording comes home.
      const call = await twilio.placeCall({ to: LINE_NUMBER, from: GUEST_NUMBER, caller: scriptedCaller([speak(3), press('1')]) });
      const recording = twilio.recordings.find((r) => r.callSid === call.callSid);
      assert.ok(recording, 'the guest was recorded');
      const entry = await until(async () => {
        const library = (await rpc('getLibrary')).value as { entries: { recordingSid: string; status: string; localFile: string | null }[] };
        return library.entries.find((e) => e.recordingSid === recording.sid && e.status === 'kept' && e.localFile !== null);
      }, 20_000, 'the recording to be downloaded');
      assert.ok(existsSync(join(dataDir, entry.localFile ?? '')));

      // The album: one MP3 track, rendered by the shipped ffmpeg from inside the bundle.
      const album = (await rpc('getAlbum')).value as { defaultOutputDir: string; tracks: { recordingSid: string }[] };
      assert.deepEqual(album.tracks.map((t) => t.recordingSid), [recording.sid]);
      const started = await rpc('startExport');
      assert.equal(started.ok, true, started.error?.en);
      const result = await until(async () => {
        const state = (await rpc('getState')).value as { export: { result: { outputDir: string; files: number } | null; error: { en: string } | null } };
        assert.equal(state.export.error, null, state.export.error?.en);
        return state.export.result;
      }, 60_000, 'the export to finish');
      const mp3s = (await readdir(result.outputDir)).filter((f) => f.endsWith('.mp3'));
      assert.equal(mp3s.length, 1, `one track in ${result.outputDir}`);
      const { stdout } = await exec('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,sample_rate:format=duration', '-of', 'json', join(result.outputDir, mp3s[0] ?? '')]);
      const probed = JSON.parse(stdout) as { streams: { codec_name: string; sample_rate: string }[]; format: { duration: string } };
      assert.deepEqual(probed.streams.map((s) => [s.codec_name, s.sample_rate]), [['mp3', '44100']]);
      assert.ok(Number(probed.format.duration) > 1, 'the message is in it');

      // After a quit the hosted line, deployed from the build, answers and records.
      serve.child.kill('SIGTERM');
      assert.equal(await serve.exited(), 0, serve.stderr());
      stopped = true;
      assert.equal(twilio.number(LINE_NUMBER)?.voiceUrl, hosted);
      const away = await twilio.placeCall({ to: LINE_NUMBER, from: GUEST_NUMBER, caller: scriptedCaller([speak(2), press('1')]) });
      assert.ok(away.events.some((e) => e.kind === 'record' && e.recordingSid !== null), 'the hosted line takes messages');
    } finally {
      if (!stopped) {
        serve.child.kill('SIGTERM');
        await serve.exited();
      }
    }
  });
});
