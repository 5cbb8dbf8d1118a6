import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isListedNumber, isWithheldCaller } from '../../../server/call-flow/phone-number.ts';
import { trackTitle } from '../../../server/export/track-tags.ts';
import { heard, startLine } from '../../support/line-harness.ts';
import { press, speak } from '../../support/script.ts';

// real-services: Withheld caller ID — what Twilio puts in From when a caller hides their number (非通知).
const WITHHELD = ['Anonymous', 'anonymous', 'Restricted', 'Unknown', 'Blocked', 'Unavailable', '', '+266696687', '+7378742833', '+2562533', '+8656696', '+86282452253'];

describe('withheld caller ID (非通知)', () => {
  it('recognises every form Twilio uses, and nothing else', () => {
    for (const from of WITHHELD) assert.equal(isWithheldCaller(from), true, JSON.stringify(from));
    for (const from of ['+819011112222', '090-1111-2222', '+12025550123', 'client:rehearsal', 'Ken']) assert.equal(isWithheldCaller(from), false, from);
  });

  it('never matches the surprise list, even if the placeholder was typed into it', () => {
    for (const from of WITHHELD) assert.equal(isListedNumber(from, ['+266696687', 'anonymous', 'Restricted', '090-1111-2222'], '81'), false, JSON.stringify(from));
    assert.equal(isListedNumber('+819011112222', ['090-1111-2222'], '81'), true);
  });

  it('answers withheld callers as guests and shows them as withheld, not as a number', async () => {
    const line = await startLine({ settings: { surpriseNumbers: ['+266696687', 'Anonymous'] } });
    try {
      for (const from of ['Anonymous', '+266696687']) {
        const call = await line.call([speak(2), press('1')], { from });
        assert.equal(heard(call)[0], 'welcome', `${from} is a guest, never given the decoy`);
      }
      // The read model keeps Twilio's From; every screen labels it through isWithheldCaller.
      const froms = line.core.libraryStore.list().map((e) => e.callerNumber);
      assert.ok(froms.length === 2 && froms.every(isWithheldCaller), 'both messages are from withheld callers');
      const entries = line.core.libraryStore.list();
      assert.ok(entries.every((e, i) => trackTitle(e, i + 1).includes('非通知') && !trackTitle(e, i + 1).includes('266696687')), 'album titles too');
    } finally {
      await line.close();
    }
  });
});
