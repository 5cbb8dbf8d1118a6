import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { DATABASE_FILE } from '../../server/store/database.ts';
import { heard, startLine, type LineHarness } from '../support/line-harness.ts';
import { hangUpWhileRecording } from '../support/script.ts';

// Another program holds the database's write lock (a second copy of the app, a sync tool):
// every write fails after SQLite's busy timeout. The guest must still be welcomed and recorded.
describe('a database that refuses writes', () => {
  let line: LineHarness;
  let locker: DatabaseSync;
  before(async () => {
    line = await startLine();
    locker = new DatabaseSync(join(line.dataDir, DATABASE_FILE));
    locker.exec('BEGIN EXCLUSIVE');
  });
  after(async () => {
    if (locker.isTransaction) locker.exec('ROLLBACK');
    locker.close();
    await line.close();
  });

  it('still answers with the welcome and <Record>, and says what is wrong', async () => {
    const call = await line.call([hangUpWhileRecording]);
    assert.deepEqual(heard(call).slice(0, 3), ['welcome', 'instructions', 'beep']);
    assert.ok(!call.events.some((e) => e.kind === 'application-error'), 'no "an application error has occurred"');
    const problem = line.core.storage.list().find((p) => p.code === 'database-busy');
    assert.ok(problem, 'the organiser is told');
    assert.match(problem.text.en, /locked by another program/);
  });

  it('takes writes again once the lock is gone', async () => {
    locker.exec('ROLLBACK');
    const call = await line.call([hangUpWhileRecording]);
    assert.ok(line.core.calls.getCall(call.callSid), 'the call is stored');
    assert.ok(!line.core.storage.list().some((p) => p.code === 'database-busy'));
  });
});
