import assert from 'node:assert/strict';
import { DatabaseSync, StatementSync } from 'node:sqlite';
import { after, before, test } from 'node:test';
import { heard, startLine, type LineHarness } from '../../support/line-harness.ts';
import { speechLike } from '../../../server/voice-sim/speech.ts';

/**
 * Which commits may skip the fsync (store/database.ts `Durability`): a call's own steps, which Twilio
 * can rebuild, and nothing the organiser typed. Every statement the app runs is recorded in order
 * with the synchronous level in force (the last `PRAGMA synchronous` before it).
 * (A single statement outside a transaction commits on its own, at the level then in force.)
 */
let line: LineHarness;
const original = StatementSync.prototype.run;
const originalExec = DatabaseSync.prototype.exec;
const commits: string[] = [];
let level = 'FULL';
let watching = false;

before(async () => {
  line = await startLine();
  (StatementSync.prototype as unknown as Record<string, unknown>)['run'] = function (this: StatementSync, ...args: unknown[]) {
    if (watching) seen(this.sourceSQL);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  DatabaseSync.prototype.exec = function (this: DatabaseSync, sql: string) {
    if (watching) seen(sql);
    return originalExec.call(this, sql);
  };
  watching = true;
});

after(async () => {
  watching = false;
  StatementSync.prototype.run = original;
  DatabaseSync.prototype.exec = originalExec;
  await line.close();
});

function seen(sql: string): void {
  const pragma = /^PRAGMA synchronous = (\w+)/.exec(sql);
  if (pragma) level = pragma[1] ?? '';
  else if (sql === 'COMMIT') commits.push(level);
}

test("a call's steps commit without waiting for the disk; the organiser's name for the message waits for it", async () => {
  const call = await line.call([
    { on: 'record', reply: { kind: 'speak', audio: speechLike(2), end: 'key' } },
    { on: 'gather', reply: { kind: 'press', digits: '1' } },
  ]);
  assert.ok(heard(call).includes('play:take'), heard(call).join(' '));
  const during = commits.splice(0);
  // The collection saw the call's writes (it can't pass by seeing nothing).
  assert.ok(during.length >= 2, JSON.stringify(during));
  assert.ok(during.every((l) => l === 'NORMAL'), JSON.stringify(during));

  const [take] = line.core.calls.listTakes(call.callSid);
  assert.ok(take);
  assert.ok(line.core.libraryStore.setTakeName(take.recordingSid, '山田 花子'));
  // The organiser's edit is one statement: it commits at the level in force after the call.
  assert.equal(level, 'FULL');
  assert.equal(line.core.libraryStore.get(take.recordingSid)?.callerName, '山田 花子');
});
