import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeWav, durationSeconds } from '../../server/audio/wav.ts';
import { defaultPrompts } from '../../server/call-flow/prompts.ts';
import { heard, startLine, type LineHarness } from '../support/line-harness.ts';
import {
  hangUpDuringPlayback,
  hangUpInMenu,
  hangUpWhileRecording,
  press,
  pressNothing,
  speak,
  staySilent,
} from '../support/script.ts';

/** After 1 the guest says their name (the name step is on by default): two seconds, then silence. */
const sayName = speak(2, 'silence');
const NAME_SAID = ['askName', 'beep', 'recorded:2s', 'thanks', 'hangup:line'];

// Every branch of the call flow, walked by the voice simulator over real loopback HTTP:
// simulated Twilio -> forwarding "tunnel" -> Express app -> SQLite, recordings in the Twilio emulator.
describe('the phone line', () => {
  let line: LineHarness;
  // Recordings stay undownloadable for 400 ms, as Twilio documents they may be when the action arrives.
  before(async () => (line = await startLine({ mediaDelayMs: 400 })));
  after(() => line.close());

  it('welcomes, records, plays the message back, and keeps it on 1', async () => {
    const call = await line.call([speak(4), press('1'), sayName]);
    assert.deepEqual(heard(call), [
      'welcome',
      'instructions',
      'beep',
      'recorded:4s',
      'playbackIntro',
      'play:take',
      'menu',
      'keys:1',
      ...NAME_SAID,
    ]);
    const welcome = call.events.find((e) => e.kind === 'say');
    assert.deepEqual(welcome && { language: welcome.language, voice: welcome.voice }, { language: 'ja-JP', voice: 'Polly.Mizuki' });

    // The guest heard exactly what they recorded, although it was not downloadable at first.
    const played = call.events.find((e) => e.kind === 'play');
    const recorded = line.emulator.recordings.find((r) => r.callSid === call.callSid);
    assert.ok(played && played.kind === 'play' && recorded);
    assert.ok(played.body.equals(recorded.wav), 'playback is the recording itself');
    assert.ok(Math.abs(durationSeconds(decodeWav(played.body)) - 4) < 0.3);

    const takes = line.core.calls.listTakes(call.callSid);
    assert.deepEqual(
      takes.map((t) => ({ sid: t.recordingSid, status: t.status, seconds: t.durationSeconds })),
      [{ sid: recorded.sid, status: 'kept', seconds: 4 }],
    );
    assert.equal(line.core.calls.getCall(call.callSid)?.step, 'done');
    assert.ok(call.callbacks.every((c) => c.status === 204), 'status callbacks accepted');
  });

  it('records again on 3 and keeps the old take as superseded', async () => {
    const call = await line.call([speak(3), press('3'), speak(5), press('1'), sayName]);
    assert.deepEqual(heard(call), [
      'welcome', 'instructions', 'beep', 'recorded:3s', 'playbackIntro', 'play:take', 'menu', 'keys:3',
      'instructions', 'beep', 'recorded:5s', 'playbackIntro', 'play:take', 'menu', 'keys:1', ...NAME_SAID,
    ]);
    const takes = line.core.calls.listTakes(call.callSid);
    assert.deepEqual(takes.map((t) => [t.takeNumber, t.status, t.durationSeconds]), [
      [1, 'superseded', 3],
      [2, 'kept', 5],
    ]);
  });

  it('asks for 1 or 3 after another key and returns to the menu with the same recording', async () => {
    const call = await line.call([speak(3), press('7'), press('1'), sayName]);
    assert.deepEqual(heard(call).slice(5), ['play:take', 'menu', 'keys:7', 'invalidKey', 'menu', 'keys:1', ...NAME_SAID]);
    const menus = call.events.filter((e) => e.kind === 'gather').map((e) => e.kind === 'gather' && e.verb.action);
    assert.equal(new Set(menus).size, 1, 'both menus refer to the same take');
    assert.deepEqual(line.core.calls.listTakes(call.callSid).map((t) => t.status), ['kept']);
  });

  it('repeats the menu twice when no key is pressed, then keeps the message', async () => {
    const call = await line.call([speak(3), pressNothing, pressNothing, pressNothing]);
    assert.deepEqual(heard(call).slice(6), ['menu', 'keys:none', 'menu', 'keys:none', 'menu', 'keys:none', 'thanks', 'hangup:line']);
    assert.deepEqual(line.core.calls.listTakes(call.callSid).map((t) => t.status), ['kept']);
  });

  it('keeps the take as unconfirmed when the guest hangs up during playback', async () => {
    const call = await line.call([speak(3), hangUpDuringPlayback]);
    assert.deepEqual(heard(call).slice(-2), ['play:take', 'hangup:caller']);
    assert.deepEqual(line.core.calls.listTakes(call.callSid).map((t) => t.status), ['unconfirmed']);
    assert.notEqual(line.core.calls.getCall(call.callSid)?.endedAt, null);
  });

  it('keeps the take as unconfirmed when the guest hangs up in the menu', async () => {
    const call = await line.call([speak(3), hangUpInMenu]);
    assert.deepEqual(line.core.calls.listTakes(call.callSid).map((t) => t.status), ['unconfirmed']);
  });

  it('keeps what was said when the guest hangs up while recording', async () => {
    const call = await line.call([speak(6, 'hangup')]);
    assert.deepEqual(heard(call), ['welcome', 'instructions', 'beep', 'recorded:6s', 'hangup:caller']);
    const takes = line.core.calls.listTakes(call.callSid);
    assert.deepEqual(takes.map((t) => [t.status, t.durationSeconds]), [['unconfirmed', 6]]);
  });

  it('ends a recording on silence as well as on #', async () => {
    const call = await line.call([speak(3, 'silence'), press('1')]);
    assert.ok(heard(call).includes('recorded:3s'));
    assert.deepEqual(line.core.calls.listTakes(call.callSid).map((t) => t.status), ['kept']);
  });

  it("says it couldn't hear the guest, retries twice, then says goodbye", async () => {
    const call = await line.call([staySilent, staySilent, staySilent]);
    assert.deepEqual(heard(call), [
      'welcome', 'instructions', 'beep', 'recorded:nothing',
      'couldNotHear', 'instructions', 'beep', 'recorded:nothing',
      'couldNotHear', 'instructions', 'beep', 'recorded:nothing',
      'goodbyeNoAudio', 'hangup:line',
    ]);
    assert.deepEqual(line.core.calls.listTakes(call.callSid), []);
    // real-services: Recording status callback parameters — each silent recording is reported
    // 'absent' (ErrorCode, no From/To, no media URL); the line answers 2xx and keeps nothing.
    const absent = call.callbacks.filter((c) => c.url.includes('/twilio/recording-status'));
    assert.equal(absent.length, 3);
    assert.ok(absent.every((c) => c.status >= 200 && c.status < 300), `answered 2xx: ${absent.map((c) => c.status).join(', ')}`);
  });

  it("real-services: Gather's finishOnKey — # in the menu is a wrong key like any other, not silence", async () => {
    const call = await line.call([speak(2), press('#'), press('1'), sayName]);
    assert.deepEqual(heard(call).slice(3), ['recorded:2s', 'playbackIntro', 'play:take', 'menu', 'keys:#', 'invalidKey', 'menu', 'keys:1', ...NAME_SAID]);
  });

  it('recovers when the guest speaks on the second try', async () => {
    const call = await line.call([staySilent, speak(2), press('1')]);
    assert.deepEqual(heard(call).slice(3, 8), ['recorded:nothing', 'couldNotHear', 'instructions', 'beep', 'recorded:2s']);
    assert.deepEqual(line.core.calls.listTakes(call.callSid).map((t) => t.status), ['kept']);
  });

  it('ends cleanly when the guest hangs up before saying anything', async () => {
    const call = await line.call([hangUpWhileRecording]);
    assert.deepEqual(heard(call).slice(-1), ['hangup:caller']);
    assert.deepEqual(line.core.calls.listTakes(call.callSid), []);
    assert.equal(line.core.calls.getCall(call.callSid)?.step, 'done');
  });

  it('keeps every call to itself when many guests call at once', async () => {
    const scripts = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0 ? [speak(2 + (i % 4)), press('1')] : i % 3 === 1 ? [speak(2), press('3'), speak(3 + (i % 2)), press('1')] : [speak(4), hangUpInMenu],
    );
    const calls = await Promise.all(scripts.map((steps, i) => line.call(steps, { from: `+8190000000${String(i).padStart(2, '0')}` })));
    calls.forEach((call, i) => {
      const takes = line.core.calls.listTakes(call.callSid);
      const ours = line.emulator.recordings.filter((r) => r.callSid === call.callSid).map((r) => r.sid);
      assert.deepEqual(takes.map((t) => t.recordingSid).sort(), ours.sort(), `call ${i} has exactly its own takes`);
      const expected = i % 3 === 0 ? ['kept'] : i % 3 === 1 ? ['superseded', 'kept'] : ['unconfirmed'];
      assert.deepEqual(takes.map((t) => t.status), expected, `call ${i}`);
      assert.equal(line.core.calls.getCall(call.callSid)?.from, `+8190000000${String(i).padStart(2, '0')}`);
    });
  });

  it('carries on after the app restarts in the middle of a call', async () => {
    const call = await line.call([speak(3), press('1', () => line.restart()), sayName]);
    assert.deepEqual(heard(call).slice(-7), ['menu', 'keys:1', ...NAME_SAID]);
    assert.deepEqual(line.core.calls.listTakes(call.callSid).map((t) => t.status), ['kept']);
  });
});

describe('the surprise list', () => {
  let line: LineHarness;
  before(async () => (line = await startLine({ settings: { surpriseNumbers: ['090-9876-5432'] } })));
  after(() => line.close());

  it("gives the couple's own numbers a decoy and records nothing", async () => {
    const call = await line.call([speak(3), press('1')], { from: '+819098765432' });
    assert.deepEqual(heard(call), ['decoy', 'hangup:line']);
    assert.equal(line.emulator.recordings.length, 0);
    assert.deepEqual(line.core.calls.listTakes(call.callSid), []);
    assert.equal(line.core.calls.getCall(call.callSid)?.kind, 'decoy');
  });

  it('still records everyone else', async () => {
    const call = await line.call([speak(3), press('1')], { from: '+819011112222' });
    assert.equal(heard(call)[0], 'welcome');
    assert.equal(line.core.calls.listTakes(call.callSid).length, 1);
  });
});

describe('line settings', () => {
  let line: LineHarness;
  const english = defaultPrompts('en');
  before(async () => (line = await startLine({ settings: { language: 'en', prompts: english, minMessageSeconds: 3 } })));
  after(() => line.close());

  it('speaks English prompts with an English voice', async () => {
    const call = await line.call([speak(4), press('1')]);
    assert.deepEqual(heard(call, english).slice(0, 2), ['welcome', 'instructions']);
    const say = call.events.find((e) => e.kind === 'say');
    assert.equal(say?.kind === 'say' && say.language, 'en-US');
    assert.equal(say?.kind === 'say' && say.text, english.welcome.kind === 'tts' ? english.welcome.text : '');
  });

  it('treats a recording shorter than the minimum as not heard, but keeps it as empty', async () => {
    const call = await line.call([speak(1), speak(4), press('1')]);
    assert.deepEqual(heard(call, english).slice(2, 6), ['beep', 'recorded:1s', 'couldNotHear', 'instructions']);
    assert.deepEqual(line.core.calls.listTakes(call.callSid).map((t) => t.status), ['empty', 'kept']);
  });
});
