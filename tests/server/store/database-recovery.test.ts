import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { encodeWav } from '../../../server/audio/wav.ts';
import type { CallState } from '../../../server/call-flow/call-state.ts';
import { takeWrites } from '../../../server/call-flow/take-writes.ts';
import { createCore, type Core } from '../../../server/core.ts';
import { memoryLog } from '../../../server/log.ts';
import { DATABASE_FILE } from '../../../server/store/database.ts';
import { speechLike } from '../../../server/voice-sim/speech.ts';
import { scriptedCaller } from '../../../server/voice-sim/caller.ts';
import { ACCOUNT_SID, AUTH_TOKEN, GUEST_NUMBER, LINE_NUMBER, startLine } from '../../support/line-harness.ts';
import { press, speak } from '../../support/script.ts';
import { connect, eventually, sid } from '../../support/twilio-harness.ts';

/** A message as the line leaves it: call and take rows, and the verified WAV in the recordings folder. */
async function message(core: Core, seconds: number): Promise<string> {
  const callSid = sid('CA');
  const recordingSid = sid('RE');
  const now = new Date().toISOString();
  const call: CallState = { callSid, accountSid: ACCOUNT_SID, from: GUEST_NUMBER, to: LINE_NUMBER, kind: 'guest', step: 'done', startedAt: now, endedAt: now, recordCount: 1, emptyCount: 0, currentTakeSid: null, menuTimeouts: 0, invalidKeys: 0 };
  core.calls.save(call, takeWrites([{ kind: 'add', take: { recordingSid, callSid, takeNumber: 1, recordingUrl: `https://api.twilio.com/x/${recordingSid}`, durationSeconds: seconds, status: 'kept', createdAt: now, updatedAt: now } }], [], now));
  await mkdir(join(core.dataDir, 'recordings'), { recursive: true });
  await writeFile(join(core.dataDir, 'recordings', `${recordingSid}.wav`), encodeWav(speechLike(seconds)));
  core.calls.markDownloaded(recordingSid, `recordings/${recordingSid}.wav`, now);
  return recordingSid;
}

/** Garbage over the file's first pages, as a bad sector or a half-synced copy leaves it. */
async function damage(dataDir: string): Promise<void> {
  const file = await open(join(dataDir, DATABASE_FILE), 'r+');
  await file.write(Buffer.alloc(8192, 0x5a), 0, 8192, 0);
  await file.close();
  await rm(join(dataDir, `${DATABASE_FILE}-wal`), { force: true });
}

describe('a damaged database file at start', () => {
  let dataDir: string;
  const start = () => createCore({ dataDir, authToken: AUTH_TOKEN, publicUrl: 'http://127.0.0.1', log: memoryLog() });
  beforeEach(async () => (dataDir = await mkdtemp(join(tmpdir(), 'shukuden-damaged-'))));
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('without a backup: keeps the damaged file, says so in plain words, and every WAV is a message again', async () => {
    const before = start();
    const sids = [await message(before, 2), await message(before, 3)];
    before.close();
    await damage(dataDir);

    const core = start();
    try {
      const kept = (await readdir(dataDir)).filter((n) => n.startsWith(`${DATABASE_FILE}.damaged-`));
      assert.equal(kept.filter((n) => !n.endsWith('-shm') && !n.endsWith('-wal')).length, 1, 'the damaged file is kept, renamed');
      const notice = core.storage.list().find((p) => p.code === 'database-replaced');
      assert.ok(notice, 'the organiser is told');
      assert.match(notice.text.en, /damaged and there was no backup yet[\s\S]*Every message is back/);
      assert.match(notice.text.ja, /壊れていて/);
      const library = core.libraryStore.list();
      assert.deepEqual(library.map((e) => e.recordingSid).sort(), [...sids].sort(), 'every WAV is in the library');
      assert.ok(library.every((e) => e.status === 'unconfirmed' && e.localFile));
    } finally {
      core.close();
    }
  });

  it('with a backup: names, notes and cuts survive, and messages after the backup come back from disk', async () => {
    const before = start();
    const first = await message(before, 3);
    before.libraryStore.setCallerName(GUEST_NUMBER, 'Aunt Keiko');
    before.libraryStore.update(first, { note: 'the funny one' });
    before.libraryStore.saveEdit(first, { startSeconds: 0.5, endSeconds: 2.5, fadeInSeconds: 0.05, fadeOutSeconds: 0.3, gainDb: 0 });
    const backupFile = await before.backups.takeNow();
    assert.ok(backupFile && existsSync(backupFile));
    const later = await message(before, 2);
    before.close();
    await damage(dataDir);

    const core = start();
    try {
      assert.ok(core.storage.list().some((p) => p.code === 'database-restored'));
      const entry = core.libraryStore.get(first);
      assert.equal(entry?.callerName, 'Aunt Keiko');
      assert.equal(entry?.note, 'the funny one');
      assert.equal(entry?.edit?.startSeconds, 0.5);
      assert.equal(entry?.status, 'kept');
      assert.ok(core.libraryStore.get(later), 'the message after the backup is back from the recordings folder');
    } finally {
      core.close();
    }
  });

  it('keeps only the newest few backups', async () => {
    const core = start();
    try {
      for (let i = 0; i < 7; i++) {
        await message(core, 1);
        await core.backups.takeNow(new Date(Date.UTC(2026, 5, 1, 12, i)));
      }
      const names = (await readdir(join(dataDir, 'backups'))).sort();
      assert.equal(names.length, 5);
      assert.equal(names.at(-1), 'shukuden-20260601T120600000Z.sqlite');
    } finally {
      core.close();
    }
  });
});

describe('a damaged database with a Twilio account connected', () => {
  it('gives each message brought back from disk its name clip again, from the files alone (before Twilio is asked)', async () => {
    const line = await startLine({ settings: { askName: true } });
    try {
      line.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER });
      await connect(line.core);
      const call = await line.emulator.placeCall({ to: LINE_NUMBER, from: GUEST_NUMBER, caller: scriptedCaller([speak(3), press('1'), speak(2, 'silence')]) });
      const [take, clip] = line.emulator.recordings.filter((r) => r.callSid === call.callSid);
      assert.ok(take && clip, 'a message and its name clip at Twilio');
      await eventually(() => line.core.calls.getTake(take.sid)?.nameClip?.download.downloadedAt, 15_000, 'both home');
      await line.core.disconnectTwilio({ restore: false });
      await line.restart(() => damage(line.dataDir));
      const recovered = line.core.calls.getTake(take.sid);
      assert.ok(recovered?.download.localFile, 'the message is back from the recordings folder');
      assert.equal(recovered.nameClip?.recordingSid, clip.sid, 'with its name clip');
      assert.equal(recovered.nameClip?.download.localFile, `name-clips/${clip.sid}.wav`);
      assert.equal(recovered.nameClip?.durationSeconds, clip.durationSeconds);
      assert.equal(line.core.calls.getTake(clip.sid), null, 'the clip is not a message of its own');
      // Starting again changes nothing: the clip is its message's already.
      await line.restart();
      assert.equal(line.core.calls.getTake(take.sid)?.nameClip?.recordingSid, clip.sid);
      assert.equal(line.core.calls.listTakes().length, 1);
    } finally {
      await line.close();
    }
  });

  it('gives every message brought back from disk its caller again, from Twilio', async () => {
    const line = await startLine();
    try {
      line.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER });
      await connect(line.core);
      const call = await line.emulator.placeCall({ to: LINE_NUMBER, from: GUEST_NUMBER, caller: scriptedCaller([speak(3), press('1')]) });
      const recording = line.emulator.recordings.find((r) => r.callSid === call.callSid) ?? assert.fail('recorded at Twilio');
      await eventually(() => line.core.calls.getTake(recording.sid)?.download.downloadedAt, 15_000, 'the download');
      await line.core.disconnectTwilio({ restore: false });
      await line.restart(() => damage(line.dataDir));
      const recovered = line.core.libraryStore.get(recording.sid);
      assert.ok(recovered?.localFile, 'back from the recordings folder at once');
      assert.notEqual(recovered.callerNumber, GUEST_NUMBER, 'the caller is not known yet');
      const twilio = await connect(line.core);
      await twilio.reconciler.runOnce();
      assert.equal(line.core.libraryStore.get(recording.sid)?.callerNumber, GUEST_NUMBER);
      assert.equal(line.core.calls.listTakes().length, 1, 'once');
      await line.core.disconnectTwilio({ restore: true });
    } finally {
      await line.close();
    }
  });
});
