import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase, transaction } from '../../../server/store/database.ts';
import { scriptedCaller } from '../../../server/voice-sim/caller.ts';
import { ACCOUNT_SID, GUEST_NUMBER, heard, LINE_NUMBER, startLine, type LineHarness } from '../../support/line-harness.ts';
import { press, speak } from '../../support/script.ts';
import { mountSmallDisk, type SmallDisk } from '../../support/tmpfs.ts';
import { connect, eventually } from '../../support/twilio-harness.ts';

const disk = await mountSmallDisk('6m');
const skip = 'skip' in disk ? disk.skip : false;

describe('a full disk', { skip }, () => {
  const small = disk as SmallDisk;
  after(() => small.unmount());

  it('is reported as a full disk, not as SQLite\'s "cannot rollback"', async () => {
    const db = openDatabase(join(small.dir, 'db-only'));
    db.exec('CREATE TABLE blobs (b BLOB)');
    await small.fill();
    try {
      assert.throws(
        () => transaction(db, () => db.prepare('INSERT INTO blobs VALUES (?)').run(Buffer.alloc(2 * 1024 * 1024, 7))),
        (error: Error) => /full/i.test(error.message) && !/cannot rollback/.test(error.message),
      );
    } finally {
      db.close();
      await small.free();
    }
  });

  describe('while calls come in', () => {
    let line: LineHarness;
    before(async () => {
      line = await startLine({ dataDir: join(small.dir, 'data') });
      line.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER });
      await connect(line.core);
    });
    after(async () => {
      await line.core.disconnectTwilio({ restore: true });
      await line.close();
    });

    it('keeps answering, says so on Home in plain words, and brings the message home once there is room', async () => {
      await small.fill();
      const call = await line.emulator.placeCall({ to: LINE_NUMBER, from: GUEST_NUMBER, caller: scriptedCaller([speak(4), press('1')]) });
      assert.deepEqual(heard(call).slice(0, 3), ['welcome', 'instructions', 'beep'], 'the guest was welcomed and recorded');
      const recording = line.emulator.recordings.find((r) => r.callSid === call.callSid);
      assert.ok(recording, 'the message is safe at Twilio');

      const problem = await eventually(() => line.core.storage.list().find((p) => p.code === 'disk-full'), 10_000, 'the disk-full problem');
      assert.match(problem.text.en, /^The disk is full — free space on the drive holding .*data/);
      assert.match(problem.text.ja, /^ディスクがいっぱいです — /);
      assert.equal(line.core.calls.getTake(recording.sid)?.download.downloadedAt ?? null, null);
      assert.deepEqual((await readdir(join(line.dataDir, 'recordings'))).filter((n) => n.endsWith('.partial')), [], 'no half-written file takes the space');

      await small.free();
      const take = await eventually(() => {
        const t = line.core.calls.getTake(recording.sid);
        return t?.download.downloadedAt ? t : null;
      }, 15_000, 'the download once there is room');
      assert.equal(take.download.localFile, `recordings/${recording.sid}.wav`);
      await eventually(() => !line.core.storage.list().some((p) => p.code === 'disk-full'), 5000, 'the problem to clear');
    });
  });
});
