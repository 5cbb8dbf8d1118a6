import assert from 'node:assert/strict';
import { DatabaseSync, StatementSync } from 'node:sqlite';
import { after, before, test } from 'node:test';
import { addDownloadedTake, messageWav } from '../../support/library-fixture.ts';
import { heard, startLine, type LineHarness } from '../../support/line-harness.ts';
import { speechLike } from '../../../server/voice-sim/speech.ts';
import type { SqlStatement } from '../../../server/store/database.ts';
import { StepWriter } from '../../../server/store/step-writer.ts';

/**
 * Every SQL statement the webhook path runs, collected by running real calls through the line
 * (each statement's SQL is recorded whenever it runs), so a statement added later can't escape.
 * Each must find its rows through an index or a primary key: a webhook costs the same with 30 or
 * 30,000 messages in the library.
 */
const ran = new Set<string>();
let recording = false;
const originals = {
  run: StatementSync.prototype.run,
  get: StatementSync.prototype.get,
  all: StatementSync.prototype.all,
  iterate: StatementSync.prototype.iterate,
  exec: DatabaseSync.prototype.exec,
  // A call's steps run on the step writer's thread: their SQL is recorded when handed over.
  write: StepWriter.prototype.write,
};

function watch(): void {
  for (const name of ['run', 'get', 'all', 'iterate'] as const) {
    const original = originals[name] as (this: StatementSync, ...args: unknown[]) => unknown;
    (StatementSync.prototype as unknown as Record<string, unknown>)[name] = function (this: StatementSync, ...args: unknown[]) {
      if (recording) ran.add(this.sourceSQL);
      return original.apply(this, args);
    };
  }
  DatabaseSync.prototype.exec = function (this: DatabaseSync, sql: string) {
    if (recording) ran.add(sql);
    return originals.exec.call(this, sql);
  };
  StepWriter.prototype.write = function (this: StepWriter, statements: readonly SqlStatement[]) {
    if (recording) for (const { sql } of statements) ran.add(sql);
    return originals.write.call(this, statements);
  };
}

function unwatch(): void {
  Object.assign(StatementSync.prototype, { run: originals.run, get: originals.get, all: originals.all, iterate: originals.iterate });
  DatabaseSync.prototype.exec = originals.exec;
  StepWriter.prototype.write = originals.write;
}

/** The query plan's steps that read a whole table (or a whole index) instead of looking rows up. */
function scans(db: DatabaseSync, sql: string): string[] {
  // Unbound parameters are NULL; the plan does not depend on their values.
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[];
  return rows.map((r) => r.detail).filter((detail) => /^SCAN /.test(detail) && !/^SCAN CONSTANT ROW/.test(detail));
}

let line: LineHarness;

before(async () => {
  line = await startLine();
  // A library that already holds messages, as on the wedding day.
  for (let i = 0; i < 30; i++) addDownloadedTake(line.core, { from: `+8190${String(i).padStart(8, '0')}`, wav: messageWav(1) });
  await line.core.libraryService.checkPending();
  watch();
});

after(async () => {
  unwatch();
  await line.close();
});

test('every statement a call runs uses an index or a primary key', async () => {
  const audio = speechLike(2);
  recording = true;
  let call;
  try {
    // Every webhook of the normal path: voice, recorded, menu (3: again), recorded, menu (1: keep),
    // the name said (its action and its own status callback), the take's playback, and Twilio's
    // recording-status and call-status callbacks.
    call = await line.call([
      { on: 'record', reply: { kind: 'speak', audio, end: 'key' } },
      { on: 'gather', reply: { kind: 'press', digits: '3' } },
      { on: 'record', reply: { kind: 'speak', audio, end: 'key' } },
      { on: 'gather', reply: { kind: 'press', digits: '1' } },
      { on: 'record', reply: { kind: 'speak', audio, end: 'silence' } },
    ]);
  } finally {
    recording = false;
  }
  assert.ok(heard(call).includes('play:take'), heard(call).join(' '));
  assert.equal(call.callbacks.filter((c) => c.status < 200 || c.status >= 300).length, 0);
  const statements = [...ran];
  // The collection saw the path's reads and writes (it can't pass by seeing nothing).
  assert.ok(statements.some((sql) => /SELECT \* FROM calls WHERE call_sid = \?/.test(sql)), statements.join('\n'));
  assert.ok(statements.some((sql) => /INSERT INTO takes/.test(sql)), statements.join('\n'));
  assert.ok(statements.some((sql) => /SET name_recording_sid = \?/.test(sql)), statements.join('\n'));
  const db = new DatabaseSync(`${line.dataDir}/shukuden.sqlite`, { readOnly: true });
  try {
    for (const sql of statements) assert.deepEqual(scans(db, sql), [], `scans the table:\n${sql}`);
  } finally {
    db.close();
  }
});

test('the check itself catches a statement that reads the whole takes table', () => {
  const db = new DatabaseSync(`${line.dataDir}/shukuden.sqlite`, { readOnly: true });
  try {
    assert.notDeepEqual(scans(db, 'SELECT recording_sid FROM takes WHERE local_file IS NOT NULL'), []);
    assert.notDeepEqual(scans(db, 'SELECT * FROM takes ORDER BY created_at'), []);
    assert.deepEqual(scans(db, 'SELECT * FROM takes WHERE recording_sid = ?'), []);
    // A name clip is found by its own RecordingSid through its partial index.
    assert.deepEqual(scans(db, 'SELECT * FROM takes WHERE name_recording_sid = ?'), []);
  } finally {
    db.close();
  }
});
