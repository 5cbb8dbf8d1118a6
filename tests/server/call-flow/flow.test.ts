import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallState } from '../../../server/call-flow/call-state.ts';
import { answerAfterError, answerCall, continueCall, MAX_INVALID_KEYS, type FlowContext } from '../../../server/call-flow/flow.ts';
import { defaultFlowSettings, type FlowSettings } from '../../../server/call-flow/flow-settings.ts';

// The flow is plain functions: state + event in, state + take changes + verbs out. No HTTP, no storage.
const incoming = { callSid: 'CA1', accountSid: 'AC1', from: '+819011112222', to: '+815012345678' };

function ctx(settings: Partial<FlowSettings> = {}): FlowContext {
  return {
    settings: { ...defaultFlowSettings(), ...settings },
    now: '2026-11-24T00:00:00.000Z',
    promptUrl: (file) => `https://pub.test/media/prompts/${file}`,
    takeUrl: (sid) => `https://pub.test/media/takes/${sid}`,
  };
}

function inMenu(): CallState {
  const answered = answerCall(null, incoming, ctx()).call;
  const recorded = continueCall(answered, { kind: 'recorded', recordingSid: 'RE1', recordingUrl: 'u', durationSeconds: 5, callEnded: false }, ctx());
  return recorded.call;
}

describe('call flow', () => {
  it('answers with welcome, instructions and a Record that reports back to us', () => {
    const result = answerCall(null, incoming, ctx({ maxLengthSeconds: 90, silenceTimeoutSeconds: 4 }));
    assert.deepEqual(result.verbs.map((v) => v.kind), ['say', 'say', 'record', 'redirect']);
    const record = result.verbs[2];
    assert.ok(record?.kind === 'record');
    assert.equal(record.maxLength, 90);
    assert.equal(record.timeout, 4);
    assert.equal(record.finishOnKey, '#');
    assert.equal(record.recordingStatusCallback, '/twilio/recording-status');
    assert.equal(result.call.step, 'welcome');
  });

  it('real-services: Fallback URL — mid-call, a guest who recorded goes on in the menu or is thanked, never welcomed again', () => {
    const settings = defaultFlowSettings();
    const welcome = settings.prompts.welcome.kind === 'tts' ? settings.prompts.welcome.text : '';
    const said = (verbs: readonly { kind: string }[]) => JSON.stringify(verbs);
    const inMenuAgain = answerAfterError(incoming, { path: '/twilio/menu', takeSid: 'RE1' }, ctx());
    assert.equal(inMenuAgain.call.currentTakeSid, 'RE1');
    assert.equal(inMenuAgain.verbs[0]?.kind, 'gather');
    assert.ok(!said(inMenuAgain.verbs).includes(welcome));
    const thanked = answerAfterError(incoming, { path: '/twilio/recorded', takeSid: null }, ctx());
    assert.deepEqual(thanked.verbs.map((v) => v.kind), ['say', 'hangup']);
    assert.ok(!said(thanked.verbs).includes(welcome));
    assert.deepEqual(thanked.takes, [], 'nothing about the take is decided here: it comes home from Twilio');
    // Before anything was recorded, starting over is right.
    assert.equal(answerAfterError(incoming, { path: '/twilio/voice', takeSid: null }, ctx()).call.step, 'welcome');
  });

  it('plays an uploaded audio prompt instead of speaking', () => {
    const settings = defaultFlowSettings();
    const file = `${'a'.repeat(32)}.mp3`;
    const result = answerCall(null, incoming, ctx({ prompts: { ...settings.prompts, welcome: { kind: 'audio', file } } }));
    assert.deepEqual(result.verbs[0], { kind: 'play', url: `https://pub.test/media/prompts/${file}` });
  });

  it('recognises surprise-list numbers however they were typed', () => {
    for (const typed of ['090-1111-2222', '+81 90 1111 2222', '819011112222', '0081-90-1111-2222']) {
      const result = answerCall(null, incoming, ctx({ surpriseNumbers: [typed] }));
      assert.equal(result.call.kind, 'decoy', typed);
      assert.ok(!result.verbs.some((v) => v.kind === 'record'), typed);
    }
    assert.equal(answerCall(null, incoming, ctx({ surpriseNumbers: ['090-1111-2223'] })).call.kind, 'guest');
  });

  it('keeps the take after repeated wrong keys instead of looping forever', () => {
    let call = inMenu();
    for (let i = 1; i < MAX_INVALID_KEYS; i++) {
      const result = continueCall(call, { kind: 'menu-key', takeSid: 'RE1', digits: '9' }, ctx());
      assert.deepEqual(result.takes, []);
      call = result.call;
    }
    const last = continueCall(call, { kind: 'menu-key', takeSid: 'RE1', digits: '9' }, ctx());
    assert.deepEqual(last.takes, [{ kind: 'set-status', recordingSid: 'RE1', status: 'kept' }]);
  });

  it('ignores a key for a take that is no longer current and resumes the call', () => {
    const call = inMenu();
    const result = continueCall(call, { kind: 'menu-key', takeSid: 'RE_OLD', digits: '1' }, ctx());
    assert.deepEqual(result.takes, []);
    assert.equal(result.call, call);
    assert.equal(result.verbs[0]?.kind, 'gather');
  });

  it('settles pending takes as unconfirmed when the call ends', () => {
    const result = continueCall(inMenu(), { kind: 'call-ended' }, ctx());
    assert.deepEqual(result.takes, [{ kind: 'settle-pending', status: 'unconfirmed' }]);
    assert.equal(result.call.step, 'done');
    assert.notEqual(result.call.endedAt, null);
  });
});
