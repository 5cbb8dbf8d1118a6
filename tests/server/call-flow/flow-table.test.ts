import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallState } from '../../../server/call-flow/call-state.ts';
import {
  adoptCall,
  answerAfterError,
  answerCall,
  continueCall,
  MAX_EMPTY_RETRIES,
  MAX_INVALID_KEYS,
  MAX_MENU_REPEATS,
  NAME_MAX_SECONDS,
  type FlowContext,
  type FlowEvent,
  type FlowResult,
} from '../../../server/call-flow/flow.ts';
import { defaultFlowSettings } from '../../../server/call-flow/flow-settings.ts';
import type { Verb } from '../../../server/twiml/verbs.ts';

// Every branch of continueCall as one table: state before + event → state after, take changes, what the guest hears.
const incoming = { callSid: `CA${'1'.repeat(32)}`, accountSid: `AC${'1'.repeat(32)}`, from: '+819011112222', to: '+815012345678' };
const NOW = '2026-11-24T00:00:00.000Z';
const ctx: FlowContext = {
  settings: { ...defaultFlowSettings('en'), minMessageSeconds: 2, surpriseNumbers: ['+81 90-9999-0000'] },
  now: NOW,
  promptUrl: (file) => `https://pub.test/p/${file}`,
  takeUrl: (sid) => `https://pub.test/t/${sid}`,
};
const RE1 = `RE${'1'.repeat(32)}`;

/** What the guest hears and does, in words: prompt texts by key, then verb kinds. */
function heard(verbs: readonly Verb[]): string[] {
  const byText = new Map(Object.entries(ctx.settings.prompts).map(([key, p]) => [p.kind === 'tts' ? p.text : '', key]));
  return verbs.flatMap((v): string[] => {
    if (v.kind === 'say') return [byText.get(v.text) ?? 'say'];
    if (v.kind === 'gather') return [`gather(${heard(v.prompts).join(',')})`];
    if (v.kind === 'redirect') return [`redirect ${v.url.split('?')[0]}`];
    if (v.kind === 'play') return [v.url.startsWith('https://pub.test/t/') ? 'play take' : 'play'];
    return [v.kind];
  });
}

const recording: CallState = { ...answerCall(null, incoming, ctx).call, step: 'recording' };
const inMenu: CallState = { ...recording, step: 'listening', currentTakeSid: RE1 };
const recorded = (durationSeconds: number, callEnded = false): FlowEvent => ({ kind: 'recorded', recordingSid: RE1, recordingUrl: 'https://api.test/RE1', durationSeconds, callEnded });
const take = (status: string) => ({ kind: 'add', take: { recordingSid: RE1, callSid: incoming.callSid, takeNumber: 1, recordingUrl: 'https://api.test/RE1', durationSeconds: status === 'empty' ? 1 : 5, status, createdAt: NOW, updatedAt: NOW } });
const MENU = ['gather(menu)', 'redirect /twilio/menu-timeout'];
const RECORD = ['instructions', 'record', 'redirect /twilio/no-audio'];
const KEPT = [{ kind: 'set-status', recordingSid: RE1, status: 'kept' }];
const noNameStep: FlowContext = { ...ctx, settings: { ...ctx.settings, askName: false } };
const sayingName: CallState = { ...inMenu, step: 'name', currentTakeSid: null };
const NAME_CLIP = { recordingSid: `RE${'2'.repeat(32)}`, recordingUrl: 'https://api.test/RE2', durationSeconds: 2 };

/** The name step's `<Record>`: short, its own action and status callback naming the kept take, no menu after it. */
function checkNameRecord(result: FlowResult): void {
  const record = result.verbs.find((v) => v.kind === 'record');
  assert.ok(record?.kind === 'record');
  assert.equal(record.action, `/twilio/name-recorded?take=${RE1}`);
  assert.equal(record.recordingStatusCallback, `/twilio/name-recording-status?take=${RE1}`, 'never the takes\' callback');
  assert.equal(record.maxLength, NAME_MAX_SECONDS);
  assert.ok(NAME_MAX_SECONDS <= 5);
  assert.equal(record.trim, 'trim-silence');
  assert.ok(!result.verbs.some((v) => v.kind === 'gather' || (v.kind === 'play' && v.url.startsWith('https://pub.test/t/'))), 'no menu, no playback');
}

interface Row {
  readonly name: string;
  readonly call: CallState;
  readonly event: FlowEvent;
  readonly step: CallState['step'];
  readonly takes: readonly unknown[];
  readonly heard: readonly string[];
  readonly check?: (result: FlowResult) => void;
  /** Settings other than the table's (the name step off). */
  readonly ctx?: FlowContext;
}

const table: readonly Row[] = [
  { name: 'a message is played back with the menu', call: recording, event: recorded(5), step: 'listening', takes: [take('pending')], heard: ['playbackIntro', 'play take', ...MENU] },
  { name: 'a too-short message is empty and the guest records again', call: recording, event: recorded(1), step: 'recording', takes: [take('empty')], heard: ['couldNotHear', ...RECORD] },
  {
    name: 'too many empty recordings end politely',
    call: { ...recording, emptyCount: MAX_EMPTY_RETRIES },
    event: { kind: 'no-audio' },
    step: 'done',
    takes: [],
    heard: ['goodbyeNoAudio', 'hangup'],
  },
  { name: 'nothing recorded: we could not hear you', call: recording, event: { kind: 'no-audio' }, step: 'recording', takes: [], heard: ['couldNotHear', ...RECORD], check: (r) => assert.equal(r.call.emptyCount, 1) },
  {
    name: 'hanging up while recording keeps the take, unconfirmed, and ends the call',
    call: recording,
    event: recorded(5, true),
    step: 'done',
    takes: [take('unconfirmed')],
    heard: ['hangup'],
    check: (r) => assert.equal(r.call.endedAt, NOW),
  },
  {
    name: '1 keeps the take, then asks for the name (said nothing: Twilio goes on to the thanks)',
    call: inMenu,
    event: { kind: 'menu-key', takeSid: RE1, digits: '1' },
    step: 'name',
    takes: KEPT,
    heard: ['askName', 'record', 'thanks', 'hangup'],
    check: checkNameRecord,
  },
  { name: '1 with the name step off keeps the take and thanks', ctx: noNameStep, call: inMenu, event: { kind: 'menu-key', takeSid: RE1, digits: '1' }, step: 'done', takes: KEPT, heard: ['thanks', 'hangup'] },
  {
    name: 'a name said is stored with the kept take, then thanks',
    call: sayingName,
    event: { kind: 'name-recorded', takeSid: RE1, clip: NAME_CLIP, callEnded: false },
    step: 'done',
    takes: [{ kind: 'name-clip', takeSid: RE1, clip: NAME_CLIP }],
    heard: ['thanks', 'hangup'],
  },
  {
    name: 'hanging up while saying the name still stores the clip',
    call: sayingName,
    event: { kind: 'name-recorded', takeSid: RE1, clip: NAME_CLIP, callEnded: true },
    step: 'done',
    takes: [{ kind: 'name-clip', takeSid: RE1, clip: NAME_CLIP }],
    heard: ['hangup'],
  },
  {
    name: 'hanging up instead of saying the name leaves the kept take as it is',
    call: sayingName,
    event: { kind: 'call-ended' },
    step: 'done',
    // Only a pending take is settled: the kept one is not touched.
    takes: [{ kind: 'settle-pending', status: 'unconfirmed' }],
    heard: ['hangup'],
  },
  {
    name: '3 supersedes the take and records again',
    call: inMenu,
    event: { kind: 'menu-key', takeSid: RE1, digits: '3' },
    step: 'recording',
    takes: [{ kind: 'set-status', recordingSid: RE1, status: 'superseded' }],
    heard: RECORD,
    check: (r) => assert.equal(r.call.recordCount, recording.recordCount + 1),
  },
  { name: 'a wrong key repeats the menu with the same take', call: inMenu, event: { kind: 'menu-key', takeSid: RE1, digits: '7' }, step: 'menu', takes: [], heard: ['invalidKey', ...MENU] },
  {
    name: 'the last tolerated wrong key keeps the take',
    call: { ...inMenu, invalidKeys: MAX_INVALID_KEYS - 1 },
    event: { kind: 'menu-key', takeSid: RE1, digits: '7' },
    step: 'done',
    // Kept without the guest's say-so: no name is asked of someone who may have gone.
    takes: KEPT,
    heard: ['thanks', 'hangup'],
  },
  { name: 'an empty key press counts as a timeout', call: inMenu, event: { kind: 'menu-key', takeSid: RE1, digits: '' }, step: 'menu', takes: [], heard: MENU },
  { name: 'no key repeats the menu', call: inMenu, event: { kind: 'menu-timeout', takeSid: RE1 }, step: 'menu', takes: [], heard: MENU },
  {
    name: 'no key after the last repeat keeps the take',
    call: { ...inMenu, menuTimeouts: MAX_MENU_REPEATS },
    event: { kind: 'menu-timeout', takeSid: RE1 },
    step: 'done',
    takes: [{ kind: 'set-status', recordingSid: RE1, status: 'kept' }],
    heard: ['thanks', 'hangup'],
  },
  { name: 'a key for an old take resumes the menu, changing nothing', call: inMenu, event: { kind: 'menu-key', takeSid: 'RE_OLD', digits: '1' }, step: 'listening', takes: [], heard: MENU },
  { name: 'a stale timeout while recording resumes the recording', call: recording, event: { kind: 'menu-timeout', takeSid: RE1 }, step: 'recording', takes: [], heard: RECORD },
  { name: 'a stale step on a finished call hangs up', call: { ...inMenu, step: 'done', currentTakeSid: null }, event: { kind: 'menu-key', takeSid: RE1, digits: '1' }, step: 'done', takes: [], heard: ['hangup'] },
  {
    name: 'the call ending settles pending takes',
    call: inMenu,
    event: { kind: 'call-ended' },
    step: 'done',
    takes: [{ kind: 'settle-pending', status: 'unconfirmed' }],
    heard: ['hangup'],
    check: (r) => assert.equal(r.call.currentTakeSid, null),
  },
];

describe('call flow, branch by branch', () => {
  for (const row of table) {
    it(row.name, () => {
      const result = continueCall(row.call, row.event, row.ctx ?? ctx);
      assert.equal(result.call.step, row.step);
      assert.deepEqual(result.takes, row.takes);
      assert.deepEqual(heard(result.verbs), row.heard);
      row.check?.(result);
    });
  }
});

describe('answering and adopting a call', () => {
  const cases = [
    { name: 'a guest is welcomed and recorded', from: incoming.from, answer: ['welcome', ...RECORD], answerStep: 'welcome', kind: 'guest', adoptedStep: 'recording' },
    { name: 'a surprise-list number gets the decoy', from: '+819099990000', answer: ['decoy', 'hangup'], answerStep: 'done', kind: 'decoy', adoptedStep: 'done' },
  ] as const;
  for (const c of cases) {
    it(c.name, () => {
      const answered = answerCall(null, { ...incoming, from: c.from }, ctx);
      assert.deepEqual(heard(answered.verbs), c.answer);
      assert.equal(answered.call.step, c.answerStep);
      assert.equal(answered.call.kind, c.kind);
      // A later webhook for the same call that we never saw answered picks it up where it must be.
      const adopted = adoptCall({ ...incoming, from: c.from }, ctx);
      assert.deepEqual(adopted, { ...answered.call, step: c.adoptedStep });
    });
  }

  it('a repeated voice webhook while the guest says their name thanks them (the name is not asked twice)', () => {
    const again = answerCall(sayingName, incoming, ctx);
    assert.equal(again.call, sayingName);
    assert.deepEqual(heard(again.verbs), ['thanks', 'hangup']);
  });

  it('a failed name action reaches the fallback: thanks, no new welcome', () => {
    const fallback = answerAfterError(incoming, { path: '/twilio/name-recorded', takeSid: RE1 }, ctx);
    assert.deepEqual(heard(fallback.verbs), ['thanks', 'hangup']);
    assert.deepEqual(fallback.takes, []);
  });

  it('a repeated voice webhook resumes a known call without changing it', () => {
    const again = answerCall(inMenu, incoming, ctx);
    assert.equal(again.call, inMenu);
    assert.deepEqual(heard(again.verbs), MENU);
  });
});
