import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallState } from '../../../server/call-flow/call-state.ts';
import { guestTakeAdded, type GuestUpload, type GuestVisit } from '../../../server/call-flow/guest-take.ts';
import type { KnownTake } from '../../../server/call-flow/take-writes.ts';

const STARTED = '2026-11-24T00:00:00.000Z';
const NOW = '2026-11-24T00:05:00.000Z';
const visit: GuestVisit = { callSid: `GL${'a'.repeat(32)}`, accountSid: 'guest-link', from: 'guest:aaaaaaaa', to: 'guest-link' };
const RE = `RE${'c'.repeat(32)}`;
const upload = (status: GuestUpload['status'], name = ''): GuestUpload => ({ recordingSid: RE, wavFile: `recordings/${RE}.wav`, originalFile: `recordings/${RE}.original.webm`, seconds: 7.6, status, name });
const open: CallState = { ...visit, kind: 'guest', step: 'recording', startedAt: STARTED, endedAt: null, recordCount: 1, emptyCount: 0, currentTakeSid: null, menuTimeouts: 0, invalidKeys: 0 };
const earlier: KnownTake = { recordingSid: 'REearlier', status: 'superseded', source: 'guest-link' };

describe('guest-link take rule', () => {
  const cases: {
    name: string;
    call: CallState | null;
    takes: KnownTake[];
    upload: GuestUpload;
    expect: { step: CallState['step']; endedAt: string | null; recordCount: number; startedAt: string; takeNumber: number; callerName: string | null } | null;
  }[] = [
    { name: 'a first take sent starts and ends a new visit', call: null, takes: [], upload: upload('kept', '  Aiko  '), expect: { step: 'done', endedAt: NOW, recordCount: 1, startedAt: NOW, takeNumber: 1, callerName: 'Aiko' } },
    { name: 'a take recorded again leaves a new visit listening', call: null, takes: [], upload: upload('superseded'), expect: { step: 'listening', endedAt: null, recordCount: 1, startedAt: NOW, takeNumber: 1, callerName: null } },
    { name: 'a later take is numbered after the visit’s takes and ends it when sent', call: open, takes: [earlier], upload: upload('kept'), expect: { step: 'done', endedAt: NOW, recordCount: 2, startedAt: STARTED, takeNumber: 2, callerName: null } },
    { name: 'a take recorded again keeps the visit where the page put it', call: open, takes: [earlier], upload: upload('superseded', 'Ken'), expect: { step: 'recording', endedAt: null, recordCount: 2, startedAt: STARTED, takeNumber: 2, callerName: 'Ken' } },
    { name: 'a take already stored changes nothing', call: open, takes: [{ recordingSid: RE, status: 'kept', source: 'guest-link' }], upload: upload('kept'), expect: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = guestTakeAdded({ call: c.call, takes: c.takes }, visit, c.upload, NOW);
      if (c.expect === null) {
        assert.deepEqual(result, { call: null, writes: [] });
        return;
      }
      const { call, writes } = result;
      assert.ok(call);
      assert.deepEqual(
        { step: call.step, endedAt: call.endedAt, recordCount: call.recordCount, startedAt: call.startedAt },
        { step: c.expect.step, endedAt: c.expect.endedAt, recordCount: c.expect.recordCount, startedAt: c.expect.startedAt },
      );
      assert.equal(call.callSid, visit.callSid);
      assert.equal(call.kind, 'guest');
      assert.deepEqual(writes, [
        {
          kind: 'insert',
          take: { recordingSid: RE, callSid: visit.callSid, takeNumber: c.expect.takeNumber, recordingUrl: `guest-link:recordings/${RE}.original.webm`, durationSeconds: 8, status: c.upload.status, createdAt: NOW, updatedAt: NOW },
          source: 'guest-link',
          mediaReadyAt: NOW,
          home: { localFile: `recordings/${RE}.wav`, downloadedAt: NOW },
          callerName: c.expect.callerName,
        },
      ]);
    });
  }
});
