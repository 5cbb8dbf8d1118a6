import assert from 'node:assert/strict';
import { DatabaseSync, StatementSync } from 'node:sqlite';
import { after, before, test } from 'node:test';
import { heard, startLine, type LineHarness } from '../../support/line-harness.ts';
import { speechLike } from '../../../server/voice-sim/speech.ts';
import type { SqlStatement } from '../../../server/store/database.ts';
import { StepWriter } from '../../../server/store/step-writer.ts';

/**
 * Which commits may skip the fsync (store/database.ts `Durability`): a call's own steps, which Twilio
 * can rebuild, and nothing the organiser typed. Every statement the app's connection runs is
 * recorded in order with the synchronous level in force (the last `PRAGMA synchronous` before it);
 * the call's steps go to the step writer's thread (its own connection), which is asked its level.
 * (A single statement outside a transaction commits on its own, at the level then in force.)
 */
let line: LineHarness;
const original = StatementSync.prototype.run;
const originalExec = DatabaseSync.prototype.exec;
const originalWrite = StepWriter.prototype.write;
const commits: string[] = [];
const handedOver: SqlStatement[] = [];
let level = 'FULL';
let watching = false;

before(async () => {
  line = await startLine();
  // The step writer's thread is open (until then, the app's connection writes a call's steps, relaxed).
  await line.core.stepWriter.status();
  (StatementSync.prototype as unknown as Record<string, unknown>)['run'] = function (this: StatementSync, ...args: unknown[]) {
    if (watching) seen(this.sourceSQL);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  DatabaseSync.prototype.exec = function (this: DatabaseSync, sql: string) {
    if (watching) seen(sql);
    return originalExec.call(this, sql);
  };
  StepWriter.prototype.write = function (this: StepWriter, statements: readonly SqlStatement[]) {
    if (watching) handedOver.push(...statements);
    return originalWrite.call(this, statements);
  };
  watching = true;
});

after(async () => {
  watching = false;
  StatementSync.prototype.run = original;
  DatabaseSync.prototype.exec = originalExec;
  StepWriter.prototype.write = originalWrite;
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
  // The call's steps (its row and its take) went to the step writer, which commits at NORMAL (1; FULL is 2).
  assert.ok(handedOver.some((s) => s.sql.startsWith('INSERT INTO calls')) && handedOver.some((s) => s.sql.startsWith('INSERT INTO takes')), JSON.stringify(handedOver.map((s) => s.sql.slice(0, 30))));
  const thread = await line.core.stepWriter.status();
  assert.equal(thread.synchronous, 1);
  assert.ok(thread.commits >= 2, JSON.stringify(thread));
  // Nothing the app's own connection committed meanwhile skipped the fsync.
  const during = commits.splice(0);
  assert.ok(during.every((l) => l === 'FULL'), JSON.stringify(during));

  const [take] = line.core.calls.listTakes(call.callSid);
  assert.ok(take);
  assert.ok(line.core.libraryStore.setTakeName(take.recordingSid, '山田 花子'));
  // The organiser's edit is one statement: it commits at the level in force after the call.
  assert.equal(level, 'FULL');
  assert.equal(line.core.libraryStore.get(take.recordingSid)?.callerName, '山田 花子');
});
