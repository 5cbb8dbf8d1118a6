import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryLog } from '../../../server/log.ts';
import { DATABASE_FILE, openDatabase } from '../../../server/store/database.ts';
import { BACKSTOP_PAGES, WalCheckpoints } from '../../../server/store/wal-checkpoints.ts';
import { eventually } from '../../support/twilio-harness.ts';

test("the app's commits leave checkpoints to the checkpoint thread, which brings them into the database file", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shukuden-wal-'));
  const db = openDatabase(dir);
  try {
    db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    const file = join(dir, DATABASE_FILE);
    const before = statSync(file).size;
    // ~2,000 pages of commits: past SQLite's default threshold (1,000) where a commit would checkpoint itself.
    const insert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    for (let i = 0; i < 2000; i++) insert.run(`bench.${i}`, 'x'.repeat(3000));
    assert.equal(statSync(file).size, before, 'no commit copied pages into the database file');

    const log = memoryLog();
    const checkpoints = new WalCheckpoints({ file, everyMs: 10, log });
    try {
      await eventually(() => statSync(file).size >= before + 2000 * 3000, 10_000, 'the checkpoint thread to write the pages into the database file');
    } finally {
      checkpoints.stop();
    }
    assert.equal(db.prepare('SELECT count(*) AS n FROM settings WHERE key LIKE ?').get('bench.%')?.['n'], 2000);
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
});
