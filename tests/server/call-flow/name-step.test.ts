import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { decodeWav, type Pcm } from '../../../server/audio/wav.ts';
import { defaultFlowSettings } from '../../../server/call-flow/flow-settings.ts';
import { DATABASE_FILE } from '../../../server/store/database.ts';
import { LoopbackTunnel } from '../../../server/tunnel/loopback-tunnel.ts';
import { scriptedCaller, type ScriptStep } from '../../../server/voice-sim/caller.ts';
import { speakToFile } from '../../support/audio-tools.ts';
import { ACCOUNT_SID, AUTH_TOKEN, GUEST_NUMBER, LINE_NUMBER, heard } from '../../support/line-harness.ts';
import { startOrganiserApp, type OrganiserApp } from '../../support/organiser-app.ts';
import { hangUpWhileRecording, press, speak } from '../../support/script.ts';
import { eventually } from '../../support/twilio-harness.ts';

// The name step walked through the whole app over HTTP: Twilio (the emulator) routes the call to the
// number's voice URL through the tunnel, the voice simulator is the guest, the organiser API reads the library.
describe('the name step: "lastly, please say your name"', () => {
  let app: OrganiserApp;
  let tunnel: LoopbackTunnel;
  let work: string;
  let name: Pcm;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-name-'));
    await speakToFile('Hanako Yamada', join(work, 'name.wav'), 'en');
    name = decodeWav(await readFile(join(work, 'name.wav')));
    app = await startOrganiserApp();
    tunnel = new LoopbackTunnel();
    await tunnel.open(app.twiml.url);
    assert.equal((await app.rpc('connectTwilio', { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, phoneNumber: LINE_NUMBER })).body.ok, true);
    assert.equal((await app.rpc('configureTunnel', { kind: 'public-url', url: tunnel.url })).body.value?.ready, true);
  });
  after(async () => {
    await app.close();
    await tunnel.close();
    await rm(work, { recursive: true, force: true });
  });

  const call = (steps: readonly ScriptStep[]) => app.emulator.placeCall({ to: LINE_NUMBER, from: GUEST_NUMBER, caller: scriptedCaller(steps) });
  const library = async () => (await app.rpc('getLibrary', {})).body.value?.entries ?? [];
  const recordingsOf = (callSid: string) => app.emulator.recordings.filter((r) => r.callSid === callSid);
  const setAskName = async (askName: boolean) => {
    const settings = (await app.rpc('getState', {})).body.value?.settings;
    assert.ok(settings);
    assert.equal((await app.rpc('saveFlowSettings', { settings: { ...settings, askName } })).body.ok, true);
  };

  it('is on by default', () => {
    assert.equal(defaultFlowSettings('ja').askName, true);
    assert.equal(app.core.settings.flow().askName, true);
  });

  it('after 1 the guest says their name: the clip is stored with the kept message, comes home, and plays in the library', async () => {
    const placed = await call([speak(4), press('1'), speak(name, 'silence')]);
    const [take, clip] = recordingsOf(placed.callSid);
    assert.ok(take && clip, 'Twilio holds the message and the name clip');
    assert.ok(clip.durationSeconds >= 1 && clip.durationSeconds <= 5, `a short clip (${clip.durationSeconds} s)`);
    assert.deepEqual(heard(placed).slice(-6), ['keys:1', 'askName', 'beep', `recorded:${clip.durationSeconds}s`, 'thanks', 'hangup:line']);
    // The name's <Record> reports to its own callback: Twilio told the app, and the clip came home.
    assert.ok(placed.callbacks.some((c) => c.url.includes(`/twilio/name-recording-status?take=${take.sid}`) && c.status === 204));
    const stored = await eventually(() => {
      const t = app.core.calls.getTake(take.sid);
      return t?.nameClip?.download.downloadedAt ? t : null;
    }, 15_000, 'the name clip home');
    assert.equal(stored.status, 'kept');
    assert.equal(stored.nameClip?.recordingSid, clip.sid);
    assert.equal(stored.nameClip?.download.localFile, `name-clips/${clip.sid}.wav`);
    assert.ok((await readFile(join(app.dataDir, `name-clips/${clip.sid}.wav`))).equals(clip.wav), 'the verified WAV, byte for byte');
    // One message, not two: the name clip is never a take, a message or an album track.
    const entries = (await library()).filter((e) => e.callSid === placed.callSid);
    assert.deepEqual(entries.map((e) => [e.recordingSid, e.status, e.onAlbum]), [[take.sid, 'kept', true]]);
    assert.equal(app.core.calls.getTake(clip.sid), null);
    assert.deepEqual(entries[0]?.nameClip, { recordingSid: clip.sid, durationSeconds: clip.durationSeconds, localFile: `name-clips/${clip.sid}.wav` });
    // The organiser plays it like a take's audio: loopback only, with the media cookie.
    const session = await fetch(`${app.organiser.url}/api/session`, { method: 'POST', headers: { authorization: `Bearer ${app.organiser.token}` } });
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const media = await fetch(`${app.organiser.url}/api/media/names/${take.sid}`, { headers: { cookie } });
    assert.equal(media.status, 200);
    assert.ok(Buffer.from(await media.arrayBuffer()).equals(clip.wav));
    assert.equal((await fetch(`${app.organiser.url}/api/media/names/${take.sid}`)).status, 401, 'not without the cookie');
    // Never through the tunnel: the public side knows no such route.
    assert.equal((await fetch(`${tunnel.url}/api/media/names/${take.sid}`, { headers: { cookie } })).status, 404);
  });

  it('a guest who hangs up instead of saying their name leaves the kept message exactly as without the step', async () => {
    const placed = await call([speak(3), press('1'), hangUpWhileRecording]);
    assert.deepEqual(heard(placed).slice(-5), ['keys:1', 'askName', 'beep', 'recorded:nothing', 'hangup:caller']);
    const [take] = recordingsOf(placed.callSid);
    assert.ok(take);
    assert.equal(recordingsOf(placed.callSid).length, 1);
    const stored = await eventually(() => {
      const t = app.core.calls.getTake(take.sid);
      return t?.download.downloadedAt ? t : null;
    }, 15_000, 'the message home');
    assert.deepEqual([stored.status, stored.nameClip], ['kept', null]);
    const entry = (await library()).find((e) => e.recordingSid === take.sid);
    assert.deepEqual([entry?.status, entry?.onAlbum, entry?.nameClip], ['kept', true, null]);
    assert.equal(app.core.calls.getCall(placed.callSid)?.step, 'done');
  });

  it('a guest who hangs up while asked for their name: the message is kept too', async () => {
    const askName = defaultFlowSettings('ja').prompts.askName;
    const hangUpOnAskName: ScriptStep = { on: 'say', reply: 'hangup', when: (p) => p.kind === 'say' && askName.kind === 'tts' && p.text === askName.text };
    const placed = await call([speak(3), press('1'), hangUpOnAskName]);
    assert.deepEqual(heard(placed).slice(-3), ['keys:1', 'askName', 'hangup:caller']);
    const takes = app.core.calls.listTakes(placed.callSid);
    assert.deepEqual(takes.map((t) => [t.status, t.nameClip]), [['kept', null]]);
  });

  it('a name clip whose callbacks were lost is found at Twilio with its message, never adopted as a message', async () => {
    const placed = await call([speak(3), press('1'), speak(name, 'key')]);
    const [take, clip] = recordingsOf(placed.callSid);
    assert.ok(take && clip);
    await eventually(() => app.core.calls.getTake(take.sid)?.nameClip?.download.downloadedAt, 15_000, 'the name clip home');
    // As if neither the name's action nor its status callback had reached the laptop.
    const db = new DatabaseSync(join(app.dataDir, DATABASE_FILE));
    db.prepare('UPDATE takes SET name_recording_sid = NULL, name_recording_url = NULL, name_duration_seconds = NULL, name_local_file = NULL, name_downloaded_at = NULL WHERE recording_sid = ?').run(take.sid);
    db.close();
    const twilio = app.core.twilio();
    assert.ok(twilio);
    const report = await twilio.reconciler.runOnce();
    assert.equal(report.adopted, 0, 'no message adopted');
    await twilio.downloader.idle();
    const stored = app.core.calls.getTake(take.sid);
    assert.equal(stored?.nameClip?.recordingSid, clip.sid);
    assert.ok(stored.nameClip.download.downloadedAt);
    assert.equal(app.core.calls.getTake(clip.sid), null);
    assert.deepEqual(app.core.calls.listTakes(placed.callSid).map((t) => t.recordingSid), [take.sid]);
  });

  it('turned off, the guest is thanked right after 1, as before', async () => {
    await setAskName(false);
    try {
      const placed = await call([speak(3), press('1')]);
      assert.deepEqual(heard(placed).slice(-3), ['keys:1', 'thanks', 'hangup:line']);
      assert.equal(recordingsOf(placed.callSid).length, 1);
      assert.deepEqual(app.core.calls.listTakes(placed.callSid).map((t) => [t.status, t.nameClip]), [['kept', null]]);
    } finally {
      await setAskName(true);
    }
  });
});
