import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { currentArrangement } from '../../../server/export/arrangement.ts';
import { importCover } from '../../../server/export/cover.ts';
import { exportAlbum } from '../../../server/export/export-album.ts';
import { UserError } from '../../../server/user-error.ts';
import { FFMPEG } from '../../support/audio-tools.ts';
import { addDownloadedTake } from '../../support/library-fixture.ts';
import { makePicture, run, scaledMessage, tempCore } from './export-fixture.ts';

/** Every .mp3 left behind decodes whole; nothing partial or temporary remains. */
async function assertNoBadFiles(dir: string): Promise<void> {
  const names = await readdir(dir);
  assert.deepEqual(names.filter((n) => n.includes('.partial') || n.endsWith('.tmp.mp3')), []);
  for (const name of names.filter((n) => n.endsWith('.mp3'))) {
    await run(FFMPEG, ['-v', 'error', '-xerror', '-i', join(dir, name), '-f', 'null', '-']);
  }
}

test('cancelling mid-export kills ffmpeg, removes partial files and says so', async () => {
  const fixture = await tempCore();
  try {
    for (let i = 0; i < 6; i++) addDownloadedTake(fixture.core, { from: `+8190000000${i}`, wav: scaledMessage(1, 6), createdAt: `2025-05-03T0${i}:00:00.000Z` });
    const out = join(fixture.dir, 'out');
    const controller = new AbortController();
    let sawDone = false;
    const error = await exportAlbum({
      dataDir: fixture.core.dataDir,
      arrangement: currentArrangement(fixture.core.settings, fixture.core.libraryStore.list()),
      entries: fixture.core.libraryStore.list(),
      outputDir: out,
      concurrency: 2,
      signal: controller.signal,
      onProgress: (p) => {
        // Cancel while the next tracks are being rendered.
        if (!sawDone && p.tracks.some((t) => t.status === 'done') && p.tracks.some((t) => t.status === 'rendering')) {
          sawDone = true;
          controller.abort();
        }
      },
    }).then(() => null, (e: unknown) => e);
    assert.ok(error instanceof UserError, String(error));
    assert.equal(error.code, 'export-cancelled');
    assert.match(error.text.en, /cancelled/);
    assert.match(error.text.ja, /中止/);
    await assertNoBadFiles(out);
    const names = await readdir(out);
    assert.ok(!names.some((n) => n.endsWith('.m3u8')), 'no playlist for an unfinished album');
    assert.ok(names.filter((n) => n.endsWith('.mp3')).length < 6);
  } finally {
    await fixture.close();
  }
});

test('a full disk stops the export cleanly with a UserError that says what to do', async (t) => {
  const fixture = await tempCore();
  const out = join(fixture.dir, 'tiny');
  await mkdir(out);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=120k', 'tmpfs', out], { stdio: 'ignore' });
  } catch {
    await fixture.close();
    t.skip('mounting a tiny tmpfs needs root (mount -t tmpfs failed here)');
    return;
  }
  try {
    for (let i = 0; i < 4; i++) addDownloadedTake(fixture.core, { from: `+8190000001${i}`, wav: scaledMessage(1, 4), createdAt: `2025-05-03T0${i}:00:00.000Z` });
    await writeFile(join(out, 'filler'), Buffer.alloc(30_000)); // leaves room for one track or two, not four
    const error = await exportAlbum({
      dataDir: fixture.core.dataDir,
      arrangement: currentArrangement(fixture.core.settings, fixture.core.libraryStore.list()),
      entries: fixture.core.libraryStore.list(),
      outputDir: out,
    }).then(() => null, (e: unknown) => e);
    assert.ok(error instanceof UserError, String(error));
    assert.equal(error.code, 'export-disk-full');
    assert.match(error.text.en, /full.*Free some space/s);
    assert.match(error.text.ja, /空き容量/);
    await assertNoBadFiles(out);
  } finally {
    execFileSync('umount', [out]);
    await fixture.close();
  }
});

test('an arrangement with a trashed or unknown message is refused, naming each one', async () => {
  const fixture = await tempCore();
  try {
    const sid = addDownloadedTake(fixture.core, { from: '+819000000099', wav: scaledMessage(1) });
    const trashed = addDownloadedTake(fixture.core, { from: '+819000000098', wav: scaledMessage(1) });
    fixture.core.libraryStore.update(trashed, { trashed: true });
    const arrangement = { ...currentArrangement(fixture.core.settings, fixture.core.libraryStore.list()), recordingSids: [sid, trashed, 'REnope'] };
    await assert.rejects(exportAlbum({ dataDir: fixture.core.dataDir, arrangement, entries: fixture.core.libraryStore.list(), outputDir: join(fixture.dir, 'o') }), (e: UserError) => {
      assert.equal(e.code, 'album-has-problems');
      assert.match(e.text.en, /track 2 .*in the trash; track 3 \(REnope\): not in the library/);
      return true;
    });
  } finally {
    await fixture.close();
  }
});

test('covers: PNG is resized to ≤ 600×600 JPEG; other formats and damaged files are refused', async () => {
  const fixture = await tempCore();
  try {
    await makePicture(join(fixture.dir, 'big.png'), '1600x1000');
    const name = await importCover(fixture.core.dataDir, join(fixture.dir, 'big.png'));
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', join(fixture.core.dataDir, 'album', name)]);
    assert.equal(stdout.trim(), 'mjpeg,600,374');
    await makePicture(join(fixture.dir, 'pic.gif'), '100x100');
    await assert.rejects(importCover(fixture.core.dataDir, join(fixture.dir, 'pic.gif')), { code: 'cover-format' });
    await makePicture(join(fixture.dir, 'whole.jpg'), '1200x800');
    const whole = await (await import('node:fs/promises')).readFile(join(fixture.dir, 'whole.jpg'));
    await writeFile(join(fixture.dir, 'cut.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
    await assert.rejects(importCover(fixture.core.dataDir, join(fixture.dir, 'cut.jpg')), { code: 'cover-unreadable' });
    assert.deepEqual((await readdir(join(fixture.core.dataDir, 'album'))).filter((n) => n.includes('partial')), []);
  } finally {
    await fixture.close();
  }
});
