import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newCall } from '../../../server/call-flow/call-state.ts';
import type { TakeChange } from '../../../server/call-flow/flow.ts';
import { recordingReady, takeWrites } from '../../../server/call-flow/take-writes.ts';
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
    const ready = { recordingSid: 'RE1', callSid: 'CA1', recordingUrl: 'https://x/RE1', durationSeconds: 7 };
    // Each step as the line runs it: load, decide with the pure rules, save what they return.
    const callback = () => store.save(null, recordingReady(store.getCall('CA1'), store.getTake('RE1'), ready, NOW));
    const step = (changes: readonly TakeChange[]) => store.save(call, takeWrites(changes, store.listTakes('CA1'), NOW));
    step([]);
    callback();
    assert.deepEqual(store.listTakes('CA1').map((t) => [t.recordingSid, t.status, t.durationSeconds]), [['RE1', 'pending', 7]]);
    // The action arrives late and settles the take; the callback must not have blocked it.
    step([{ kind: 'add', take: { ...ready, takeNumber: 1, status: 'pending', createdAt: NOW, updatedAt: NOW } }]);
    step([{ kind: 'set-status', recordingSid: 'RE1', status: 'kept' }]);
    // A late duplicate callback changes nothing about the decision.
    callback();
    assert.equal(store.getTake('RE1')?.status, 'kept');
  });

  it('keeps a take from a call it never saw, as unconfirmed', () => {
    const store = new CallStore(openDatabase(dir));
    const ready = { recordingSid: 'RE2', callSid: 'CA_UNKNOWN', recordingUrl: 'https://x/RE2', durationSeconds: 3 };
    store.save(null, recordingReady(store.getCall('CA_UNKNOWN'), store.getTake('RE2'), ready, NOW));
    assert.equal(store.getTake('RE2')?.status, 'unconfirmed');
  });

  it('reads a call as the database holds it, after every kind of write (its copy in memory never differs)', () => {
    const db = openDatabase(dir);
    const store = new CallStore(db);
    const fresh = () => new CallStore(db).getCall('CA9');
    const call = newCall({ callSid: 'CA9', accountSid: 'AC1', from: '+819011112222', to: '+815012345678' }, 'guest', NOW);
    store.save(call, []);
    assert.deepEqual(store.getCall('CA9'), fresh());
    // A step: the mutable columns change.
    store.save({ ...call, step: 'menu', recordCount: 1, currentTakeSid: 'RE9' }, []);
    assert.deepEqual(store.getCall('CA9'), fresh());
    assert.equal(store.getCall('CA9')?.step, 'menu');
    // The upsert never changes who called or when: neither does the copy in memory.
    store.save({ ...call, from: '+810000000000', kind: 'decoy', startedAt: '2030-01-01T00:00:00.000Z', step: 'done' }, []);
    assert.deepEqual(store.getCall('CA9'), fresh());
    assert.equal(store.getCall('CA9')?.from, '+819011112222');
    // A write the database refused leaves the call as stored.
    assert.throws(() => store.save({ ...call, step: 'listening' }, [{ kind: 'insert', take: { recordingSid: 'RE9', callSid: 'CA_NONE', takeNumber: 1, recordingUrl: 'x', durationSeconds: 1, status: 'pending', createdAt: NOW, updatedAt: NOW }, source: 'live', mediaReadyAt: null }, { kind: 'insert', take: { recordingSid: 'RE9', callSid: 'CA_NONE', takeNumber: 1, recordingUrl: 'x', durationSeconds: 1, status: 'pending', createdAt: NOW, updatedAt: NOW }, source: 'live', mediaReadyAt: null }]));
    assert.deepEqual(store.getCall('CA9'), fresh());
    assert.equal(store.getCall('CA9')?.step, 'done');
    // Removed (a stand-in call relinked to the real one): gone here too.
    store.save(null, [{ kind: 'remove-call', callSid: 'CA9' }]);
    assert.equal(store.getCall('CA9'), null);
    assert.equal(fresh(), null);
  });

  it("reads a call's takes as the database holds them, after every kind of write (the steps' copy in memory never differs)", async () => {
    const db = openDatabase(dir);
    const store = new CallStore(db);
    const fresh = new CallStore(db);
    // What a store that has cached nothing reads: the steps' view of every take of these calls.
    const stored = (callSid: string) => new CallStore(db).listTakes(callSid).map((t) => ({ recordingSid: t.recordingSid, callSid: t.callSid, status: t.status, source: t.source, nameClip: t.nameClip && { recordingSid: t.nameClip.recordingSid } }));
    const same = () => {
      for (const callSid of ['CA7', 'CA8']) assert.deepEqual(store.stepTakes(callSid), stored(callSid), callSid);
      for (const sid of ['RE7', 'RE8', 'RE9']) assert.deepEqual(store.stepTake(sid), fresh.stepTake(sid), sid);
    };
    const take = (recordingSid: string, callSid: string) => ({ recordingSid, callSid, takeNumber: 1, recordingUrl: 'x', durationSeconds: 1, status: 'pending' as const, createdAt: NOW, updatedAt: NOW });
    store.save(newCall({ callSid: 'CA7', accountSid: 'AC1', from: '+1', to: '+2' }, 'guest', NOW), []);
    store.save(newCall({ callSid: 'CA8', accountSid: 'AC1', from: '+1', to: '+2' }, 'guest', NOW), []);
    same();
    // A step's insert (off the event loop in the app: saveStep), and one filed by the reconciler (save).
    await store.saveStep(null, [{ kind: 'insert', take: take('RE7', 'CA7'), source: 'live', mediaReadyAt: null }]);
    store.save(null, [{ kind: 'insert', take: take('RE8', 'CA7'), source: 'reconciled', mediaReadyAt: NOW }]);
    same();
    assert.equal(store.stepTakes('CA7').length, 2);
    // Its status decided; then moved to another call (a stand-in relinked).
    await store.saveStep(null, [{ kind: 'update', recordingSid: 'RE7', set: { status: 'kept', updatedAt: NOW } }]);
    store.save(null, [{ kind: 'update', recordingSid: 'RE8', set: { callSid: 'CA8' } }]);
    same();
    assert.deepEqual(store.stepTakes('CA8').map((t) => t.recordingSid), ['RE8']);
    // The name clip, a rehearsal take's source.
    await store.saveStep(null, [{ kind: 'name-clip', takeSid: 'RE7', clip: { recordingSid: 'RE70', recordingUrl: 'y', durationSeconds: 2 } }]);
    store.markRehearsal('RE8', 'recordings/RE8.wav', NOW);
    same();
    // A write the database refused changes nothing here either.
    await assert.rejects(store.saveStep(null, [{ kind: 'update', recordingSid: 'RE7', set: { status: 'superseded', updatedAt: NOW } }, { kind: 'insert', take: take('RE8', 'CA7'), source: 'live', mediaReadyAt: null }]));
    same();
    assert.equal(store.stepTake('RE7')?.status, 'kept');
    // The call removed: its takes stay.
    store.save(null, [{ kind: 'remove-call', callSid: 'CA7' }]);
    same();
  });

  it('survives reopening: what was committed is there', () => {
    const store = new CallStore(openDatabase(dir));
    assert.equal(store.getTake('RE1')?.status, 'kept');
    assert.equal(store.getCall('CA1')?.recordCount, 1);
  });

  it('refuses invalid settings and keeps the previous ones', () => {
    const settings = new SettingsStore(openDatabase(dir));
    const before = settings.flow();
    assert.throws(() => settings.saveFlow({ ...before, maxLengthSeconds: 5 }));
    assert.throws(() => settings.saveFlow({ ...before, prompts: { ...before.prompts, welcome: { kind: 'audio', file: '../../etc/passwd' } } }));
    assert.deepEqual(new SettingsStore(openDatabase(dir)).flow(), before);
  });
});
