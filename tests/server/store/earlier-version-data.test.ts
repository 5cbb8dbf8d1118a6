import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { defaultPrompts } from '../../../server/call-flow/prompts.ts';
import { CallStore } from '../../../server/store/call-store.ts';
import { DATABASE_FILE, openDatabase } from '../../../server/store/database.ts';
import { SettingsStore } from '../../../server/store/settings-store.ts';

const RE = `RE${'a'.repeat(32)}`;

// A data folder written before the name step existed (issue 19): its messages and the organiser's
// greetings must come through the upgrade untouched, with the new parts at their defaults.
describe('a data folder from before the name step', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shukuden-earlier-'));
    const db = new DatabaseSync(join(dir, DATABASE_FILE));
    // The takes table as the previous version created it (no name_* columns).
    db.exec(`CREATE TABLE takes (
      recording_sid TEXT PRIMARY KEY, call_sid TEXT NOT NULL, take_number INTEGER NOT NULL, recording_url TEXT NOT NULL,
      duration_seconds INTEGER NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
      media_ready_at TEXT, source TEXT NOT NULL DEFAULT 'live', local_file TEXT, downloaded_at TEXT,
      download_attempts INTEGER NOT NULL DEFAULT 0, download_error TEXT, note TEXT NOT NULL DEFAULT '',
      album TEXT NOT NULL DEFAULT 'auto', trashed_at TEXT, edit TEXT, health TEXT, health_error TEXT, caller_name TEXT)`);
    db.prepare("INSERT INTO takes (recording_sid, call_sid, take_number, recording_url, duration_seconds, status, created_at, updated_at) VALUES (?, ?, 1, 'https://api.test/r', 7, 'kept', 'x', 'x')").run(
      RE,
      `CA${'b'.repeat(32)}`,
    );
    // The organiser's English line with their own welcome, saved without askName or its prompt.
    const { askName: _new, ...earlierPrompts } = { ...defaultPrompts('en'), welcome: { kind: 'tts', text: 'Hi from Mia and Ken!', language: 'en-US', voice: 'Polly.Joanna' } };
    db.exec('CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    db.prepare("INSERT INTO settings (key, value) VALUES ('line', ?)").run(
      JSON.stringify({ language: 'en', prompts: earlierPrompts, maxLengthSeconds: 90, silenceTimeoutSeconds: 5, minMessageSeconds: 1, surpriseNumbers: [], defaultCountryCode: '1' }),
    );
    db.close();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('keeps every message and gains the name clip columns (no clip yet)', () => {
    const db = openDatabase(dir);
    try {
      const take = new CallStore(db).getTake(RE);
      assert.deepEqual([take?.status, take?.durationSeconds, take?.nameClip], ['kept', 7, null]);
      assert.deepEqual(new CallStore(db).nameClipsToDownload(), []);
    } finally {
      db.close();
    }
  });

  it("keeps the organiser's greetings, not damaged: the name step on, its prompt in the line's language", () => {
    const db = openDatabase(dir);
    try {
      const settings = new SettingsStore(db);
      const flow = settings.flow();
      assert.deepEqual(settings.problems(), []);
      assert.equal(flow.maxLengthSeconds, 90);
      assert.deepEqual(flow.prompts.welcome, { kind: 'tts', text: 'Hi from Mia and Ken!', language: 'en-US', voice: 'Polly.Joanna' });
      assert.equal(flow.askName, true);
      assert.deepEqual(flow.prompts.askName, defaultPrompts('en').askName);
    } finally {
      db.close();
    }
  });
});
