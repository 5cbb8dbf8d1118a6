import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newCall, type Take, type TakeStatus } from '../../../server/call-flow/call-state.ts';
import type { TakeChange } from '../../../server/call-flow/flow.ts';
import { adoptRecording, mergeStatus, nameClipReady, nameClipWrites, recordingAbsent, recordingReady, takeWrites, type KnownTake } from '../../../server/call-flow/take-writes.ts';
import { callHasEnded, flowEventOf, incomingOf, nameClipTakeOf } from '../../../server/call-flow/twilio-webhook.ts';

const NOW = '2026-11-24T00:00:00.000Z';
const CA = `CA${'a'.repeat(32)}`;
const AC = `AC${'b'.repeat(32)}`;
const RE = `RE${'c'.repeat(32)}`;
const take = (status: TakeStatus, recordingSid = RE): Take => ({ recordingSid, callSid: CA, takeNumber: 2, recordingUrl: 'https://api.test/r', durationSeconds: 5, status, createdAt: NOW, updatedAt: NOW });

describe('take rules', () => {
  it('a status someone decided is never overwritten; an undecided one gives way', () => {
    const rows: [TakeStatus, TakeStatus, TakeStatus][] = [
      ['pending', 'kept', 'kept'],
      ['unconfirmed', 'pending', 'pending'],
      ['unconfirmed', 'empty', 'empty'],
      ['kept', 'pending', 'kept'],
      ['superseded', 'pending', 'superseded'],
      ['empty', 'pending', 'empty'],
    ];
    for (const [stored, decided, result] of rows) assert.equal(mergeStatus(stored, decided), result, `${stored} + ${decided}`);
  });

  const cases: { name: string; stored: KnownTake[]; changes: TakeChange[]; writes: unknown[] }[] = [
    { name: 'a new take is inserted', stored: [], changes: [{ kind: 'add', take: take('pending') }], writes: [{ kind: 'insert', take: take('pending'), source: 'live', mediaReadyAt: null }] },
    {
      name: 'a take its callback stored first is updated with the merged status',
      stored: [{ recordingSid: RE, status: 'unconfirmed' }],
      changes: [{ kind: 'add', take: take('pending') }],
      writes: [{ kind: 'update', recordingSid: RE, set: { takeNumber: 2, status: 'pending', updatedAt: NOW } }],
    },
    { name: 'a status is set on a take of the call', stored: [{ recordingSid: RE, status: 'pending' }], changes: [{ kind: 'set-status', recordingSid: RE, status: 'kept' }], writes: [{ kind: 'update', recordingSid: RE, set: { status: 'kept', updatedAt: NOW } }] },
    { name: 'a status for a take the call does not have changes nothing', stored: [], changes: [{ kind: 'set-status', recordingSid: RE, status: 'kept' }], writes: [] },
    {
      name: 'settling touches only pending takes',
      stored: [{ recordingSid: 'REa', status: 'kept' }, { recordingSid: 'REb', status: 'pending' }, { recordingSid: 'REc', status: 'superseded' }],
      changes: [{ kind: 'settle-pending', status: 'unconfirmed' }],
      writes: [{ kind: 'update', recordingSid: 'REb', set: { status: 'unconfirmed', updatedAt: NOW } }],
    },
    {
      name: 'a take added and settled in one step is settled',
      stored: [],
      changes: [{ kind: 'add', take: take('pending') }, { kind: 'settle-pending', status: 'unconfirmed' }],
      writes: [{ kind: 'insert', take: take('pending'), source: 'live', mediaReadyAt: null }, { kind: 'update', recordingSid: RE, set: { status: 'unconfirmed', updatedAt: NOW } }],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(takeWrites(c.changes, c.stored, NOW), c.writes));

  const ready = { recordingSid: RE, callSid: CA, recordingUrl: 'https://api.test/r', durationSeconds: 5 };
  const live = { ...newCall({ callSid: CA, accountSid: AC, from: '+1', to: '+2' }, 'guest', NOW), recordCount: 2 };
  const readyCases = [
    { name: 'a recording of a live call waits for its menu', call: live, status: 'pending', takeNumber: 2 },
    { name: 'a recording of an ended call is unconfirmed', call: { ...live, endedAt: NOW }, status: 'unconfirmed', takeNumber: 2 },
    { name: 'a recording of a call we never saw is unconfirmed', call: null, status: 'unconfirmed', takeNumber: 1 },
  ] as const;
  for (const c of readyCases) {
    it(c.name, () => {
      const [write] = recordingReady(c.call, null, ready, NOW);
      assert.ok(write?.kind === 'insert');
      assert.deepEqual([write.take.status, write.take.takeNumber, write.mediaReadyAt], [c.status, c.takeNumber, NOW]);
    });
  }
  it('a recording already stored is marked ready, its status kept and its length taken from the callback (real-services: RecordingDuration)', () => {
    assert.deepEqual(recordingReady(live, { recordingSid: RE, status: 'kept' }, ready, NOW), [
      { kind: 'update', recordingSid: RE, set: { mediaReadyAt: NOW, durationSeconds: ready.durationSeconds } },
    ]);
  });
  it('an absent (silent) recording of a known call is settled as empty; of an unknown call, nothing is written', () => {
    assert.deepEqual(recordingAbsent(live, { recordingSid: RE, status: 'pending' }, NOW), [{ kind: 'update', recordingSid: RE, set: { status: 'empty', updatedAt: NOW } }]);
    assert.deepEqual(recordingAbsent(null, { recordingSid: RE, status: 'pending' }, NOW), []);
    assert.deepEqual(recordingAbsent(live, null, NOW), []);
  });

  it('a recording found at Twilio is adopted as unconfirmed with its call; a while-away one supersedes the one before', () => {
    const found = { callSid: CA, accountSid: AC, from: '+1', to: '+2', startedAt: NOW, endedAt: null };
    const recording = { recordingSid: RE, recordingUrl: 'https://api.test/r', durationSeconds: 5, createdAt: NOW };
    const first = adoptRecording({ call: null, takes: [] }, found, recording, 'reconciled');
    assert.equal(first.call?.step, 'done');
    assert.equal(first.call?.endedAt, NOW);
    assert.deepEqual(first.writes.map((w) => w.kind === 'insert' && [w.take.status, w.take.takeNumber, w.source]), [['unconfirmed', 1, 'reconciled']]);
    const earlier: KnownTake = { recordingSid: 'REold', status: 'unconfirmed', source: 'while-away' };
    const second = adoptRecording({ call: first.call, takes: [earlier] }, found, recording, 'while-away');
    assert.equal(second.call, null, 'the call is known');
    assert.deepEqual(second.writes[1], { kind: 'update', recordingSid: 'REold', set: { status: 'superseded', updatedAt: NOW } });
    assert.deepEqual(adoptRecording({ call: first.call, takes: [{ recordingSid: RE, status: 'kept' }] }, found, recording, 'reconciled').writes, [], 'known takes are left alone');
  });
});

describe('name clip rules', () => {
  const NAME = `RE${'d'.repeat(32)}`;
  const clip = { recordingSid: NAME, recordingUrl: 'https://api.test/n', durationSeconds: 2 };
  const kept: KnownTake = { recordingSid: RE, status: 'kept' };
  const named: KnownTake = { ...kept, nameClip: { recordingSid: NAME } };
  const write = { kind: 'name-clip', takeSid: RE, clip };

  it("the name step's clip goes with its take, only a take of this call", () => {
    assert.deepEqual(takeWrites([{ kind: 'name-clip', takeSid: RE, clip }], [kept], NOW), [write]);
    assert.deepEqual(takeWrites([{ kind: 'name-clip', takeSid: RE, clip }], [], NOW), [], 'a take of another call (or none) gets nothing');
  });

  it('a take keeps its first name clip; the status callback (the media ready) gives the file its own length', () => {
    const rows: [string, KnownTake | null, 'action' | 'ready' | 'found', unknown[]][] = [
      ['action, nothing stored yet', kept, 'action', [write]],
      ['callback, nothing stored yet', kept, 'ready', [write]],
      ['callback after the action', named, 'ready', [write]],
      ['action after the callback: the callback length stays', named, 'action', []],
      ['a second clip for a named take', { ...kept, nameClip: { recordingSid: `RE${'e'.repeat(32)}` } }, 'ready', []],
      ['no take', null, 'ready', []],
    ];
    for (const [name, take, from, writes] of rows) assert.deepEqual(nameClipWrites(take, clip, from), writes, name);
  });

  it("the name clip's own callback stores it only with a take of the same call", () => {
    assert.deepEqual(nameClipReady(CA, { ...kept, callSid: CA }, clip), [write]);
    assert.deepEqual(nameClipReady(CA, { ...kept, callSid: `CA${'f'.repeat(32)}` }, clip), []);
  });

  it('found at Twilio: a recording after a kept take is its name clip, never a message; a known clip is left alone', () => {
    const found = { callSid: CA, accountSid: AC, from: '+1', to: '+2', startedAt: NOW, endedAt: NOW };
    const recording = { ...clip, createdAt: NOW };
    const call = { ...newCall(found, 'guest', NOW), step: 'done' as const };
    assert.deepEqual(adoptRecording({ call, takes: [kept] }, found, recording, 'reconciled'), { call: null, writes: [write] });
    assert.deepEqual(adoptRecording({ call, takes: [named] }, found, recording, 'reconciled'), { call: null, writes: [] });
    const afterUnconfirmed = adoptRecording({ call, takes: [{ recordingSid: RE, status: 'unconfirmed' }] }, found, recording, 'reconciled');
    assert.equal(afterUnconfirmed.writes[0]?.kind, 'insert', 'no kept take: a message as before');
  });
});

describe("Twilio's webhook form", () => {
  const form = { CallSid: CA, AccountSid: AC, From: '+81901', To: '+81502' };
  const rec = { ...form, RecordingSid: RE, RecordingUrl: 'https://api.twilio.com/r', RecordingDuration: '7' };
  const rows = [
    { path: '/twilio/recorded', form: rec, event: { kind: 'recorded', recordingSid: RE, recordingUrl: rec.RecordingUrl, durationSeconds: 7, callEnded: false } },
    { path: '/twilio/recorded', form: { ...rec, Digits: 'hangup' }, event: { kind: 'recorded', recordingSid: RE, recordingUrl: rec.RecordingUrl, durationSeconds: 7, callEnded: true } },
    { path: '/twilio/recorded', form: { ...rec, CallStatus: 'completed' }, event: { kind: 'recorded', recordingSid: RE, recordingUrl: rec.RecordingUrl, durationSeconds: 7, callEnded: true } },
    { path: '/twilio/recorded', form: { ...rec, RecordingSid: 'RE1' }, event: null },
    { path: '/twilio/recorded', form: { ...rec, RecordingDuration: '-1' }, event: null },
    { path: '/twilio/recorded', form: { ...rec, RecordingUrl: 'file:///etc/passwd' }, event: null },
    { path: '/twilio/no-audio', form, event: { kind: 'no-audio' } },
    { path: '/twilio/menu', form: { ...form, Digits: '1', take: RE }, event: { kind: 'menu-key', takeSid: RE, digits: '1' } },
    { path: '/twilio/menu', form: { ...form, take: 'nonsense' }, event: { kind: 'menu-key', takeSid: '', digits: '' } },
    { path: '/twilio/menu-timeout', form: { ...form, take: RE }, event: { kind: 'menu-timeout', takeSid: RE } },
    { path: '/twilio/name-recorded', form: { ...rec, take: RE }, event: { kind: 'name-recorded', takeSid: RE, clip: { recordingSid: RE, recordingUrl: rec.RecordingUrl, durationSeconds: 7 }, callEnded: false } },
    { path: '/twilio/name-recorded', form: { ...rec, take: RE, Digits: 'hangup' }, event: { kind: 'name-recorded', takeSid: RE, clip: { recordingSid: RE, recordingUrl: rec.RecordingUrl, durationSeconds: 7 }, callEnded: true } },
    { path: '/twilio/name-recorded', form: rec, event: null },
    { path: '/twilio/name-recorded', form: { ...rec, take: RE, RecordingSid: 'RE1' }, event: null },
    { path: '/twilio/voice', form, event: undefined },
    { path: '/elsewhere', form, event: undefined },
  ];
  for (const row of rows) {
    it(`${row.path} ${JSON.stringify(row.form).slice(-40)}`, () => assert.deepEqual(flowEventOf(row.path, row.form), row.event));
  }

  it("reads the take a name clip's status callback names, only a well-formed one", () => {
    assert.equal(nameClipTakeOf({ ...form, take: RE }), RE);
    assert.equal(nameClipTakeOf({ ...form, take: 'RE1' }), null);
    assert.equal(nameClipTakeOf(form), null);
  });

  it('reads the caller only from well-formed SIDs, and knows when a call is over', () => {
    assert.deepEqual(incomingOf(form), { callSid: CA, accountSid: AC, from: '+81901', to: '+81502' });
    assert.equal(incomingOf({ ...form, CallSid: 'CA123' }), null);
    assert.deepEqual(['completed', 'busy', 'failed', 'no-answer', 'canceled', 'in-progress', 'ringing', undefined].map((s) => callHasEnded({ CallStatus: s })), [true, true, true, true, true, false, false, false]);
  });
});
