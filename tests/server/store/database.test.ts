import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase, transaction } from '../../../server/store/database.ts';

describe('the database file', () => {
  it('is in WAL mode with synchronous=FULL, as its comment says (a commit survives a power cut)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shukuden-db-'));
    try {
      const db = openDatabase(dir);
      assert.equal((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
      // 2 = FULL (0 OFF, 1 NORMAL, 3 EXTRA).
      assert.equal((db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous, 2);
      db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("runs a relaxed transaction with synchronous=NORMAL and leaves every other write FULL, even when it fails", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shukuden-db-'));
    try {
      const db = openDatabase(dir);
      assert.equal(transaction(db, () => synchronous(db), 'relaxed'), 1);
      assert.equal(synchronous(db), 2);
      assert.equal(transaction(db, () => synchronous(db)), 2);
      assert.throws(() => transaction(db, () => { throw new Error('refused'); }, 'relaxed'), /refused/);
      assert.equal(synchronous(db), 2);
      db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
function synchronous(db: DatabaseSync): number {
  return (db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous;
}
