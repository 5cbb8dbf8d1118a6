import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newCall } from '../../../server/call-flow/call-state.ts';
import { CallStore } from '../../../server/store/call-store.ts';
import { openDatabase } from '../../../server/store/database.ts';
import { SettingsStore } from '../../../server/store/settings-store.ts';

const NOW = '2026-11-24T00:00:00.000Z';

describe('call store', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'shukuden-store-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it("stores a take from Twilio's recording callback even if the record action never arrived", () => {
    const store = new CallStore(openDatabase(dir));
    const call = { ...newCall({ callSid: 'CA1', accountSid: 'AC1', from: '+1', to: '+2' }, 'guest', NOW), recordCount: 1 };
    store.save(call, [], NOW);
    store.recordingReady({ recordingSid: 'RE1', callSid: 'CA1', recordingUrl: 'https://x/RE1', durationSeconds: 7 }, NOW);
    assert.deepEqual(store.listTakes('CA1').map((t) => [t.recordingSid, t.status, t.durationSeconds]), [['RE1', 'pending', 7]]);
    // The action arrives late and settles the take; the callback must not have blocked it.
    store.save(call, [{ kind: 'add', take: { recordingSid: 'RE1', callSid: 'CA1', takeNumber: 1, recordingUrl: 'https://x/RE1', durationSeconds: 7, status: 'pending', createdAt: NOW, updatedAt: NOW } }], NOW);
    store.save(call, [{ kind: 'set-status', recordingSid: 'RE1', status: 'kept' }], NOW);
    // A late duplicate callback changes nothing about the decision.
    store.recordingReady({ recordingSid: 'RE1', callSid: 'CA1', recordingUrl: 'https://x/RE1', durationSeconds: 7 }, NOW);
    assert.equal(store.getTake('RE1')?.status, 'kept');
  });

  it('keeps a take from a call it never saw, as unconfirmed', () => {
    const store = new CallStore(openDatabase(dir));
    store.recordingReady({ recordingSid: 'RE2', callSid: 'CA_UNKNOWN', recordingUrl: 'https://x/RE2', durationSeconds: 3 }, NOW);
    assert.equal(store.getTake('RE2')?.status, 'unconfirmed');
  });

  it('survives reopening: what was committed is there', () => {
    const store = new CallStore(openDatabase(dir));
    assert.equal(store.getTake('RE1')?.status, 'kept');
    assert.equal(store.getCall('CA1')?.recordCount, 1);
  });

  it('refuses invalid settings and keeps the previous ones', () => {
    const settings = new SettingsStore(openDatabase(dir));
    const before = settings.line();
    assert.throws(() => settings.saveLine({ ...before, maxLengthSeconds: 5 }));
    assert.throws(() => settings.saveLine({ ...before, prompts: { ...before.prompts, welcome: { kind: 'audio', file: '../../etc/passwd' } } }));
    assert.deepEqual(new SettingsStore(openDatabase(dir)).line(), before);
  });
});
