import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { memoryLog } from '../../../server/log.ts';
import { DATABASE_FILE, openDatabase, type SqlStatement } from '../../../server/store/database.ts';
import { StepWriter } from '../../../server/store/step-writer.ts';

const setting = (key: string, value: string): SqlStatement => ({ sql: 'INSERT INTO settings (key, value) VALUES (?, ?)', params: [key, value] });

describe('the step writer (a call\'s steps committed on their own thread)', () => {
  let dir: string;
  let db: DatabaseSync;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shukuden-steps-'));
    db = openDatabase(dir);
  });
  after(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** What another connection (a fresh one: nothing cached) reads. */
  const stored = (key: string) => {
    const other = new DatabaseSync(join(dir, DATABASE_FILE), { readOnly: true });
    try {
      return (other.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
    } finally {
      other.close();
    }
  };

  it('resolves once the rows are committed, on a connection that does not wait for the disk', async () => {
    const steps = new StepWriter({ file: join(dir, DATABASE_FILE), fallback: db, log: memoryLog() });
    try {
      const before = await steps.status();
      await Promise.all([steps.write([setting('a', '1'), setting('b', '2')]), steps.write([setting('c', '3')])]);
      assert.deepEqual([stored('a'), stored('b'), stored('c')], ['1', '2', '3']);
      const status = await steps.status();
      // synchronous=NORMAL is 1 (FULL is 2): see Durability in server/store/database.ts.
      assert.equal(status.synchronous, 1);
      assert.ok(status.commits > before.commits);
      assert.equal(steps.pending, 0);
    } finally {
      steps.close();
    }
  });

  it("refuses a write SQLite refuses, with SQLite's error, and stores the others handed over with it", async () => {
    const steps = new StepWriter({ file: join(dir, DATABASE_FILE), fallback: db, log: memoryLog() });
    try {
      // The thread is open (until then the app's connection writes).
      await steps.status();
      // Handed over in the same turn, so the thread takes them as one transaction.
      const results = await Promise.allSettled([steps.write([setting('d', '4')]), steps.write([setting('a', 'again')]), steps.write([setting('e', '5')])]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
      const refused = results[1];
      assert.ok(refused?.status === 'rejected');
      // SQLITE_CONSTRAINT_PRIMARYKEY: what StorageHealth and the call runner read.
      assert.equal((refused.reason as { errcode?: number }).errcode, 1555);
      assert.match(String((refused.reason as Error).message), /UNIQUE constraint failed: settings.key/);
      assert.deepEqual([stored('a'), stored('d'), stored('e')], ['1', '4', '5']);
    } finally {
      steps.close();
    }
  });

  it('commits what was handed over before closing', async () => {
    const steps = new StepWriter({ file: join(dir, DATABASE_FILE), fallback: db, log: memoryLog() });
    await steps.status();
    // Not awaited: close() is synchronous and must not drop them.
    const writes = [steps.write([setting('f', '6')]), steps.write([setting('g', '7')])];
    steps.close();
    assert.deepEqual([stored('f'), stored('g')], ['6', '7']);
    await Promise.all(writes);
  });

  it("writes on the app's own connection when its thread can't open the database", async () => {
    const log = memoryLog();
    const steps = new StepWriter({ file: join(dir, 'no-such-folder', DATABASE_FILE), fallback: db, log });
    try {
      await steps.write([setting('h', '8')]);
      // Once the thread has failed (status() says so), writes still land.
      await assert.rejects(steps.status(), /not running/);
      await steps.write([setting('i', '9')]);
      assert.deepEqual([stored('h'), stored('i')], ['8', '9']);
      assert.ok(log.entries.some((e) => e.level === 'error' && /database thread stopped/.test(e.message)), JSON.stringify(log.entries));
    } finally {
      steps.close();
    }
  });
});
