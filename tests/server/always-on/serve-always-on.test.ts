import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TwilioEmulator } from '../../support/twilio-emulator/emulator.ts';
import { scriptedCaller } from '../../../server/voice-sim/caller.ts';
import { ACCOUNT_SID, AUTH_TOKEN, GUEST_NUMBER, LINE_NUMBER } from '../../support/line-harness.ts';
import { press, speak } from '../../support/script.ts';
import { freePort, spawnServe } from '../../support/spawn-serve.ts';
import { ORGANISER_FALLBACK } from './harness.ts';

const HOSTED = /^https:\/\/shukuden-line-\d{4}-live\.twil\.io\/twilio\/voice$/;

describe('npm run serve --always-on', () => {
  let work: string;
  let twilio: TwilioEmulator;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-serve-always-on-'));
    twilio = await new TwilioEmulator({ accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN }], mediaDelayMs: 100 }).start();
    twilio.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER, voiceFallbackUrl: ORGANISER_FALLBACK });
  });
  after(async () => {
    await twilio.stop();
    await rm(work, { recursive: true, force: true });
  });

  const env = () => ({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_PHONE_NUMBER: LINE_NUMBER, SHUKUDEN_TWILIO_API_BASE: twilio.url });
  const start = async (dataDir: string, extra: string[]) => {
    const port = await freePort();
    return spawnServe(['--data-dir', dataDir, '--port', String(port), '--public-url', `http://127.0.0.1:${port}`, ...extra], env());
  };

  it('deploys, sets the fallback, says so in plain words, and leaves the number on the hosted line on SIGTERM', async () => {
    const dataDir = join(work, 'line');
    const serve = await start(dataDir, ['--always-on']);
    let exited = false;
    try {
      const ready = await serve.line('Always-on line: ready', 30_000);
      assert.match(ready, HOSTED);
      assert.equal(twilio.number(LINE_NUMBER)?.voiceFallbackUrl, ready, 'the fallback is set before it says ready');
      assert.match(await serve.line('Line mode:'), /^live on this laptop \/ このパソコンで受付中$/);
      serve.child.kill('SIGTERM');
      assert.equal(await serve.exited(), 0);
      exited = true;
      assert.equal(twilio.number(LINE_NUMBER)?.voiceUrl, ready, 'the hosted line answers while Shukuden is closed');
      assert.match(serve.stdout(), /Line mode: always on, hosted by Twilio \/ 常時受付（Twilio 上で受付中）/);
      const call = await twilio.placeCall({ to: LINE_NUMBER, from: GUEST_NUMBER, caller: scriptedCaller([speak(2), press('1')]) });
      assert.ok(call.events.some((e) => e.kind === 'record' && e.recordingSid !== null), 'and takes messages');
    } finally {
      if (!exited) {
        serve.child.kill('SIGTERM');
        await serve.exited();
      }
    }

    // Next launch, without the flag: the choice is remembered and the number comes back to the laptop.
    const again = await start(dataDir, []);
    try {
      assert.match(await again.line('Always-on line: ready', 30_000), HOSTED);
      assert.match(twilio.number(LINE_NUMBER)?.voiceUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/twilio\/voice$/);
    } finally {
      again.child.kill('SIGTERM');
      assert.equal(await again.exited(), 0);
    }

    // --uninstall-always-on removes it and gives the number back as it was.
    const uninstall = spawnServe(['--data-dir', dataDir, '--uninstall-always-on'], env());
    assert.equal(await uninstall.exited(), 0, uninstall.stderr());
    assert.match(uninstall.stdout(), /Always-on line: removed from your Twilio account/);
    assert.deepEqual(twilio.services, []);
    assert.deepEqual({ voiceUrl: twilio.number(LINE_NUMBER)?.voiceUrl, fallback: twilio.number(LINE_NUMBER)?.voiceFallbackUrl }, { voiceUrl: '', fallback: ORGANISER_FALLBACK });
  });

  it('refuses contradictory flags', async () => {
    const serve = spawnServe(['--always-on', '--no-always-on'], { TWILIO_AUTH_TOKEN: AUTH_TOKEN });
    assert.equal(await serve.exited(), 2);
    assert.match(serve.stderr(), /either --always-on or --no-always-on/);
  });
});
