import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { importPromptAudio } from '../../../server/audio/prompt-audio.ts';
import { encodeWav } from '../../../server/audio/wav.ts';
import { defaultFlowSettings } from '../../../server/call-flow/flow-settings.ts';
import { parseTwiml } from '../../../server/twiml/parse.ts';
import type { GatherPrompt, Verb } from '../../../server/twiml/verbs.ts';
import { speechLike } from '../../../server/voice-sim/speech.ts';
import { ACCOUNT_SID, GUEST_NUMBER, LINE_NUMBER, signedPost } from '../../support/line-harness.ts';
import { sid } from '../../support/twilio-harness.ts';
import { launch, startWorld, type App, type World } from './harness.ts';

const COUPLE = '+819099998888';

/** A URL as the guest's experience depends on it: prompt file, take, or path without our state and host. */
function url(value: string): string {
  const parsed = new URL(value, 'https://relative.invalid');
  const prompt = /\/(?:media\/)?prompts\/([a-f0-9]+\.(?:mp3|wav))$/.exec(parsed.pathname);
  if (prompt) return `prompt:${prompt[1]}`;
  const take = /\/media\/takes\/(RE\w{32})$/.exec(parsed.pathname)?.[1] ?? (parsed.pathname === '/twilio/take' ? parsed.searchParams.get('sid') : null);
  if (take) return `take:${take}`;
  parsed.searchParams.delete('s');
  return `${parsed.pathname}${parsed.search}`;
}

function prompt(p: GatherPrompt): GatherPrompt {
  return p.kind === 'play' ? { ...p, url: url(p.url) } : p;
}

function normalised(xml: string): readonly Verb[] {
  return parseTwiml(xml).map((verb): Verb => {
    switch (verb.kind) {
      case 'say':
      case 'pause':
      case 'hangup':
        return verb;
      case 'play':
        return prompt(verb) as Verb;
      case 'record':
        return { ...verb, action: verb.action && url(verb.action), recordingStatusCallback: verb.recordingStatusCallback && url(verb.recordingStatusCallback) };
      case 'gather':
        return { ...verb, action: verb.action && url(verb.action), prompts: verb.prompts.map(prompt) };
      case 'redirect':
        return { ...verb, url: url(verb.url) };
    }
  });
}

/** One side of the comparison: where the line lives, and how Twilio would reach it. */
interface Line {
  /** Resolves an action URL from the last TwiML against this line. */
  readonly base: string;
  post(url: string, params: Record<string, string>): Promise<string>;
}

describe('the same call flow on the laptop and on the hosted line', () => {
  let world: World;
  let app: App;
  let laptop: Line;
  let hosted: Line;
  before(async () => {
    world = await startWorld();
    app = await launch(world, { alwaysOn: true });
    // An audio welcome (served as an asset on the hosted line), and a surprise list.
    const file = await importPromptAudio(encodeWav(speechLike(1)), app.core.promptDir);
    const settings = defaultFlowSettings('en');
    app.core.settings.saveFlow({ ...settings, prompts: { ...settings.prompts, welcome: { kind: 'audio', file } }, surpriseNumbers: ['090-9999-8888'], defaultCountryCode: '81', maxLengthSeconds: 90 });
    assert.equal((await app.core.alwaysOn.sync()).kind, 'ready');
    const post = (resolveTo: (u: string) => string) => async (target: string, params: Record<string, string>) => {
      const response = await signedPost(resolveTo(target), params, { signUrl: target });
      assert.equal(response.status, 200, `${target} answered`);
      return response.text();
    };
    laptop = { base: app.voiceUrl(), post: post((u) => u) };
    const hostedUrl = app.core.alwaysOn.voiceUrl();
    assert.ok(hostedUrl);
    hosted = { base: hostedUrl, post: post((u) => world.emulator.resolve(u)) };
  });
  after(async () => {
    await app.quit();
    await world.close();
  });

  /** Runs one step on both lines and checks the guest would get the same TwiML; returns both raw answers. */
  async function both(step: string, next: (xml: string, line: Line) => string, params: Record<string, string>, state: { laptop: string; hosted: string }) {
    const callSid = { laptop: `CA${'1'.repeat(32)}`, hosted: `CA${'2'.repeat(32)}` };
    const base = { AccountSid: ACCOUNT_SID, From: GUEST_NUMBER, To: LINE_NUMBER, CallStatus: 'in-progress', ApiVersion: '2010-04-01', Direction: 'inbound' };
    const onLaptop = await laptop.post(next(state.laptop, laptop), { ...base, CallSid: callSid.laptop, ...params });
    const onHosted = await hosted.post(next(state.hosted, hosted), { ...base, CallSid: callSid.hosted, ...params });
    assert.deepEqual(normalised(onHosted), normalised(onLaptop), `${step}: same TwiML`);
    return { laptop: onLaptop, hosted: onHosted };
  }

  /** The action URL of the first verb of `kind` in the last answer, absolute against the line. */
  const action = (kind: 'record' | 'gather' | 'redirect') => (xml: string, line: Line) => {
    const verb = parseTwiml(xml).find((v) => v.kind === kind);
    const target = verb?.kind === 'redirect' ? verb.url : verb?.kind === 'record' || verb?.kind === 'gather' ? verb.action : undefined;
    assert.ok(target, `the answer has a ${kind} with a URL`);
    return new URL(target, line.base).href;
  };

  it('welcome, record, playback and menu, every key, no audio, keep: verb for verb', async () => {
    const take1 = sid('RE');
    const take2 = sid('RE');
    const recording = (recordingSid: string, seconds: number) => ({ RecordingSid: recordingSid, RecordingUrl: `${world.emulator.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${recordingSid}`, RecordingDuration: String(seconds), Digits: '#' });

    let state = await both('voice', (_xml, line) => line.base, { CallStatus: 'ringing' }, { laptop: '', hosted: '' });
    const welcome = normalised(state.hosted);
    assert.equal(welcome[0]?.kind, 'play');
    assert.match(welcome[0]?.kind === 'play' ? welcome[0].url : '', /^prompt:[a-f0-9]+\.wav$/, 'the audio welcome, from the assets');
    assert.deepEqual(welcome.map((v) => v.kind), ['play', 'say', 'record', 'redirect']);
    assert.equal(welcome[2]?.kind === 'record' ? welcome[2].maxLength : 0, 90, "the organiser's settings");

    state = await both('recorded', action('record'), recording(take1, 5), state);
    assert.deepEqual(normalised(state.hosted).map((v) => (v.kind === 'play' ? v.url : v.kind)), ['say', `take:${take1}`, 'gather', 'redirect']);
    state = await both('wrong key', action('gather'), { Digits: '5' }, state);
    state = await both('no key', action('redirect'), {}, state);
    state = await both('record again', action('gather'), { Digits: '3' }, state);
    state = await both('nothing heard', action('redirect'), {}, state);
    const couldNotHear = defaultFlowSettings('en').prompts.couldNotHear;
    assert.deepEqual(normalised(state.hosted)[0], { kind: 'say', text: couldNotHear.kind === 'tts' ? couldNotHear.text : '', language: 'en-US', voice: 'Polly.Joanna' });
    state = await both('recorded again', action('record'), recording(take2, 4), state);
    // Keep: the laptop asks for the guest's name; the hosted line skips that step (its recordings come
    // home only by reconciliation, where a name clip would pass for a message) and thanks at once.
    const keep = { AccountSid: ACCOUNT_SID, From: GUEST_NUMBER, To: LINE_NUMBER, CallStatus: 'in-progress', Digits: '1' };
    const keptOnLaptop = normalised(await laptop.post(action('gather')(state.laptop, laptop), { ...keep, CallSid: `CA${'1'.repeat(32)}` }));
    const keptOnHosted = normalised(await hosted.post(action('gather')(state.hosted, hosted), { ...keep, CallSid: `CA${'2'.repeat(32)}` }));
    const { askName, thanks } = defaultFlowSettings('en').prompts;
    assert.deepEqual(keptOnLaptop.map((v) => (v.kind === 'say' ? v.text : v.kind)), [askName.kind === 'tts' ? askName.text : '', 'record', thanks.kind === 'tts' ? thanks.text : '', 'hangup']);
    assert.deepEqual(keptOnHosted.map((v) => (v.kind === 'say' ? v.text : v.kind)), [thanks.kind === 'tts' ? thanks.text : '', 'hangup']);
  });

  it('gives the couple the decoy on both', async () => {
    const callSid = { laptop: sid('CA'), hosted: sid('CA') };
    const params = (which: 'laptop' | 'hosted') => ({ CallSid: callSid[which], AccountSid: ACCOUNT_SID, From: COUPLE, To: LINE_NUMBER, CallStatus: 'ringing' });
    const onLaptop = await laptop.post(laptop.base, params('laptop'));
    const onHosted = await hosted.post(hosted.base, params('hosted'));
    assert.deepEqual(normalised(onHosted), normalised(onLaptop));
    assert.deepEqual(normalised(onHosted).map((v) => v.kind), ['say', 'hangup']);
  });

  it('refuses requests Twilio did not sign, like the laptop does', async () => {
    const hostedUrl = app.core.alwaysOn.voiceUrl() ?? '';
    const params = { CallSid: sid('CA'), AccountSid: ACCOUNT_SID, From: GUEST_NUMBER, To: LINE_NUMBER };
    const forged = await signedPost(world.emulator.resolve(hostedUrl), params, { signUrl: hostedUrl, token: 'not-the-auth-token' });
    assert.equal(forged.status, 400, 'real-services: protected Functions');
    // The state in the URL is covered by the signature: changing it breaks the signature.
    const signedFor = `${hostedUrl.replace('/voice', '/menu')}?take=${sid('RE')}&s=AAAA`;
    const altered = await signedPost(world.emulator.resolve(signedFor.replace('s=AAAA', 's=BBBB')), params, { signUrl: signedFor });
    assert.equal(altered.status, 400);
  });
});
