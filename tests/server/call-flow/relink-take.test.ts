import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallState } from '../../../server/call-flow/call-state.ts';
import { relinkRecoveredTake, type FoundCall, type KnownTake } from '../../../server/call-flow/take-writes.ts';

const CA = `CA${'a'.repeat(32)}`;
const STAND_IN = `CR${'d'.repeat(32)}`;
const RE = `RE${'c'.repeat(32)}`;
const found: FoundCall = { callSid: CA, accountSid: `AC${'b'.repeat(32)}`, from: '+819012345678', to: '+815012345678', startedAt: '2026-11-24T00:00:00.000Z', endedAt: null };
const known: CallState = { ...found, kind: 'guest', step: 'done', endedAt: '2026-11-24T00:03:00.000Z', recordCount: 2, emptyCount: 0, currentTakeSid: null, menuTimeouts: 0, invalidKeys: 0 };
const recovered: KnownTake = { recordingSid: RE, status: 'kept' };
const other: KnownTake = { recordingSid: 'REother', status: 'unconfirmed' };
const moved = { kind: 'update', recordingSid: RE, set: { callSid: CA } };
const removed = { kind: 'remove-call', callSid: STAND_IN };

describe('relinking a recovered take to its real call', () => {
  const cases: { name: string; call: CallState | null; standInTakes: KnownTake[]; newCall: boolean; writes: unknown[] }[] = [
    { name: 'an unknown call is added, the take moves, the emptied stand-in goes', call: null, standInTakes: [recovered], newCall: true, writes: [moved, removed] },
    { name: 'a known call is kept as it is', call: known, standInTakes: [recovered], newCall: false, writes: [moved, removed] },
    { name: 'a stand-in with other takes stays', call: known, standInTakes: [recovered, other], newCall: false, writes: [moved] },
    { name: 'a take no longer on the stand-in is not moved (its call is still added)', call: null, standInTakes: [other], newCall: true, writes: [] },
    { name: 'nothing to do when the call is known and the take has moved', call: known, standInTakes: [], newCall: false, writes: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = relinkRecoveredTake({ call: c.call, standInTakes: c.standInTakes }, RE, STAND_IN, found);
      assert.deepEqual(result.writes, c.writes);
      if (c.newCall) {
        assert.deepEqual(result.call, { ...found, kind: 'guest', step: 'done', endedAt: found.startedAt, recordCount: 0, emptyCount: 0, currentTakeSid: null, menuTimeouts: 0, invalidKeys: 0 });
      } else {
        assert.equal(result.call, null);
      }
    });
  }
});
