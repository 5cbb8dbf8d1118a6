import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createCore } from '../../../server/core.ts';
import { listen } from '../../../server/listen.ts';
import { memoryLog } from '../../../server/log.ts';
import { createTwilioClient } from '../../../server/twilio/client.ts';
import { scriptedCaller } from '../../../server/voice-sim/caller.ts';
import { speechLike } from '../../../server/voice-sim/speech.ts';
import { ACCOUNT_SID, AUTH_TOKEN, GUEST_NUMBER, LINE_NUMBER, startLine, type LineHarness } from '../../support/line-harness.ts';
import { press, speak } from '../../support/script.ts';
import { connect, CREDENTIALS, eventually } from '../../support/twilio-harness.ts';
import { PRIVACY } from '../../../server/twilio/twilio-account.ts';

const MEDIA = /\/Recordings\/RE[0-9a-f]{32}\.wav$/;

describe('every recording comes home', () => {
  let line: LineHarness;
  beforeEach(async () => {
    line = await startLine({ mediaDelayMs: 150 });
    line.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER });
  });
  afterEach(async () => {
    await line.core.disconnectTwilio({ restore: true });
    await line.close();
  });

  /** A guest calls the real number (routed by the emulator), speaks, presses 1. */
  async function guestLeavesMessage(seconds = 4) {
    const call = await line.emulator.placeCall({ to: LINE_NUMBER, from: GUEST_NUMBER, caller: scriptedCaller([speak(seconds), press('1')]) });
    const recording = line.emulator.recordings.find((r) => r.callSid === call.callSid);
    assert.ok(recording, 'Twilio holds the recording');
    return { call, recording };
  }

  async function home(recordingSid: string) {
    const take = await eventually(() => {
      const t = line.core.calls.getTake(recordingSid);
      return t?.download.downloadedAt ? t : null;
    }, 15_000, `download of ${recordingSid}`);
    return { take, bytes: await readFile(join(line.dataDir, take.download.localFile ?? '')) };
  }

  async function recordingFiles() {
    return (await readdir(join(line.dataDir, 'recordings'))).sort();
  }

  it('real-services: RecordingDuration with trim — a good recording comes home even when the action said another length', async () => {
    await connect(line.core);
    // Two seconds of speech, then four of silence before #: Twilio trims the silence off the file.
    const speech = speechLike(2);
    const padded = { ...speech, samples: Int16Array.from([...speech.samples, ...new Int16Array(speech.sampleRate * 4)]) };
    const call = await line.emulator.placeCall({ to: LINE_NUMBER, from: GUEST_NUMBER, caller: scriptedCaller([speak(padded), press('1')]) });
    const recording = line.emulator.recordings.find((r) => r.callSid === call.callSid);
    assert.ok(recording);
    const { take, bytes } = await home(recording.sid);
    assert.ok(bytes.equals(recording.wav), 'the WAV is home, not failed on its length');
    assert.equal(take.durationSeconds, recording.durationSeconds, "the recording's own length (the status callback's) is kept");
  });

  it('downloads, verifies and keeps the WAV the moment Twilio says it is ready', async () => {
    const twilio = await connect(line.core);
    const { recording } = await guestLeavesMessage(4);
    const { take, bytes } = await home(recording.sid);
    assert.ok(bytes.equals(recording.wav), 'the local copy is byte-identical');
    assert.equal(take.status, 'kept');
    assert.equal(take.download.localFile, `recordings/${recording.sid}.wav`);
    assert.deepEqual(await recordingFiles(), [`${recording.sid}.wav`]);
    // Idempotent: a repeated callback or reconciliation does not download it again.
    const mediaRequests = () => line.emulator.requests.filter((r) => MEDIA.test(r.path)).length;
    const before = mediaRequests();
    twilio.downloader.enqueue(recording.sid);
    await twilio.reconciler.runOnce();
    await twilio.downloader.idle();
    assert.equal(mediaRequests(), before);
  });

  const faults = [
    { name: 'server errors (500, twice)', fault: { kind: 'status', status: 500 }, times: 2 },
    { name: 'rate limiting (429 with Retry-After)', fault: { kind: 'rate-limit', retryAfterSeconds: 1 }, times: 1 },
    { name: 'a slow response', fault: { kind: 'slow', ms: 400 }, times: 1 },
    { name: 'a dropped connection', fault: { kind: 'drop' }, times: 2 },
    { name: 'a truncated body', fault: { kind: 'truncate', bytes: 3000 }, times: 2 },
    { name: 'a corrupt body', fault: { kind: 'corrupt' }, times: 1 },
  ] as const;

  for (const { name, fault, times } of faults) {
    it(`survives ${name} and stores only the intact file`, async () => {
      await connect(line.core);
      line.emulator.injectFault({ method: 'GET', path: MEDIA, fault, times });
      const { recording } = await guestLeavesMessage(3);
      const { bytes } = await home(recording.sid);
      assert.ok(bytes.equals(recording.wav));
      assert.deepEqual(await recordingFiles(), [`${recording.sid}.wav`], 'no partial or duplicate files');
      const attempts = line.emulator.requests.filter((r) => r.path.endsWith(`${recording.sid}.wav`)).length;
      assert.ok(attempts >= 2, `retried (${attempts} requests)`);
    });
  }

  it('marks a download that keeps failing, keeps nothing bad, and gets it on a later pass', async () => {
    const twilio = await connect(line.core);
    line.emulator.injectFault({ method: 'GET', path: MEDIA, fault: { kind: 'corrupt' }, times: 100 });
    const { recording } = await guestLeavesMessage(3);
    const failed = await eventually(() => line.core.calls.getTake(recording.sid)?.download.error, 15_000, 'failure to be recorded');
    assert.match(failed, /bad audio/);
    assert.deepEqual(await recordingFiles(), []);
    line.emulator.clearFaults();
    await twilio.reconciler.runOnce();
    const { bytes } = await home(recording.sid);
    assert.ok(bytes.equals(recording.wav));
  });

  it("a name clip's download that keeps failing is marked, nothing bad is kept, and a later pass brings it home", async () => {
    const twilio = await connect(line.core);
    line.emulator.injectFault({ method: 'GET', path: MEDIA, fault: { kind: 'corrupt' }, times: 100 });
    const call = await line.emulator.placeCall({ to: LINE_NUMBER, from: GUEST_NUMBER, caller: scriptedCaller([speak(3), press('1'), speak(2, 'silence')]) });
    const [message, clip] = line.emulator.recordings.filter((r) => r.callSid === call.callSid);
    assert.ok(message && clip, 'the message and the name clip');
    const failed = await eventually(() => line.core.calls.getTake(message.sid)?.nameClip?.download.error, 15_000, "the name clip's failure to be recorded");
    assert.match(failed, /bad audio/);
    assert.deepEqual(await readdir(join(line.dataDir, 'name-clips')), []);
    line.emulator.clearFaults();
    await twilio.reconciler.runOnce();
    await twilio.downloader.idle();
    const take = line.core.calls.getTake(message.sid);
    assert.ok(take?.nameClip?.download.localFile);
    assert.ok((await readFile(join(line.dataDir, take.nameClip.download.localFile))).equals(clip.wav));
    assert.deepEqual(line.core.calls.listTakes(call.callSid).map((t) => t.recordingSid), [message.sid], 'still one message');
  });

  it('finds a message whose callback never arrived (the app was down), exactly once', async () => {
    // While the app is away, the number is answered by another Shukuden instance (as the always-on line will),
    // so Twilio holds a recording of a call to our number that this app never heard about.
    const away = createCore({ dataDir: join(line.dataDir, 'away'), authToken: AUTH_TOKEN, log: memoryLog(), twilioApiBase: line.emulator.url });
    const awayServer = await listen(away.httpApp, { port: 0, host: '127.0.0.1' });
    away.setPublicUrl(awayServer.url);
    const number = line.emulator.number(LINE_NUMBER);
    assert.ok(number);
    await createTwilioClient(CREDENTIALS, line.emulator.url).incomingPhoneNumbers(number.sid).update({ voiceUrl: `${awayServer.url}/twilio/voice` });
    const { recording, call } = await guestLeavesMessage(5);
    await awayServer.close();
    away.close();
    // A recording on a call to some other number of the account is not ours.
    line.emulator.addRecording({ accountSid: ACCOUNT_SID, callSid: call.callSid.replace(/.$/, '0'), wav: recording.wav, durationSeconds: 5 });

    const twilio = await connect(line.core, { takeOver: true });
    await twilio.reconciler.runOnce();
    const { take, bytes } = await home(recording.sid);
    assert.ok(bytes.equals(recording.wav));
    assert.equal(take.source, 'reconciled');
    assert.equal(take.status, 'unconfirmed');
    assert.equal(line.core.calls.getCall(call.callSid)?.from, GUEST_NUMBER);
    await twilio.reconciler.runOnce();
    assert.equal(line.core.calls.listTakes().length, 1, 'exactly once, and only ours');
  });

  it('deletes from Twilio only after the local copy is verified, and only when asked to', async () => {
    line.core.settings.set(PRIVACY, { deleteFromTwilioAfterDownload: true });
    await connect(line.core);
    line.emulator.injectFault({ method: 'GET', path: MEDIA, fault: { kind: 'corrupt' }, times: 2 });
    const { recording } = await guestLeavesMessage(3);
    const deletes = () => line.emulator.requests.filter((r) => r.method === 'DELETE');
    const { bytes } = await home(recording.sid);
    assert.ok(bytes.equals(recording.wav));
    await eventually(() => deletes().length === 1, 5000, 'the deletion');
    // Every media request before the delete either failed verification or was the good one.
    const order = line.emulator.requests.filter((r) => r.path.includes(recording.sid)).map((r) => r.method);
    assert.equal(order.at(-1), 'DELETE');
    assert.equal(order.filter((m) => m === 'DELETE').length, 1);
  });

  it('keeps recordings at Twilio by default', async () => {
    await connect(line.core);
    const { recording } = await guestLeavesMessage(3);
    await home(recording.sid);
    // idle() waits for the after-download step too, so a DELETE would have been sent by now.
    await line.core.twilio()?.downloader.idle();
    assert.equal(line.emulator.requests.filter((r) => r.method === 'DELETE').length, 0);
  });
});
