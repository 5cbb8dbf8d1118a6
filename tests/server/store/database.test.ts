import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../../../server/store/database.ts';

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
});
