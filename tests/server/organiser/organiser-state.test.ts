import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { newCall } from '../../../server/call-flow/call-state.ts';
import { initialStatus } from '../../../server/connection/connection-status.ts';
import { createCore, type Core } from '../../../server/core.ts';
import { memoryLog } from '../../../server/log.ts';
import { buildOrganiserState } from '../../../server/organiser/organiser-state.ts';
import { ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER } from '../../support/line-harness.ts';
import { sid } from '../../support/twilio-harness.ts';

function liveCalls(core: Core) {
  return buildOrganiserState({
    core, revision: 0, language: 'en', setup: { done: true, mode: 'live' }, connection: initialStatus(),
    twilio: { configured: false, accountSid: null, phoneNumber: null, balance: null }, tunnel: { kind: null, publicUrl: null },
    exportView: { running: false, progress: null, result: null, error: null },
  }).liveCalls;
}

test('a call in progress shows who is calling: the number’s name, else the guest list; withheld callers stay unnamed', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'shukuden-state-'));
  const core = createCore({ dataDir, authToken: AUTH_TOKEN, publicUrl: 'http://127.0.0.1', log: memoryLog() });
  try {
    core.settings.saveFlow({ ...core.settings.flow(), defaultCountryCode: '81' });
    core.libraryStore.setCallerName('+819011110001', 'Aunt Keiko');
    core.guests.addMany([{ name: '佐々木ひかり', phoneInput: '090-2222-0002', phone: '+819022220002', group: '', note: '', declined: false }]);
    const now = new Date().toISOString();
    const callers = ['+819011110001', '+819022220002', '+819033330003', 'anonymous'];
    for (const from of callers) core.calls.save(newCall({ callSid: sid('CA'), accountSid: ACCOUNT_SID, from, to: LINE_NUMBER }, 'guest', now), []);
    const names = new Map(liveCalls(core).map((call) => [call.caller, call.callerName]));
    assert.deepEqual(callers.map((from) => names.get(from)), ['Aunt Keiko', '佐々木ひかり', null, null]);
  } finally {
    core.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
