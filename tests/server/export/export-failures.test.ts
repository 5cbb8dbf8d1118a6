import assert from 'node:assert/strict';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { currentArrangement } from '../../../server/export/arrangement.ts';
import { importCover } from '../../../server/export/cover.ts';
import { exportAlbum } from '../../../server/export/export-album.ts';
import type { FfmpegCommand } from '../../../server/export/ffmpeg-job.ts';
import { mediaDurationSeconds } from '../../../server/export/media-duration.ts';
import { renderTrack } from '../../../server/export/render-track.ts';
import { measureTrackLevel } from '../../../server/export/track-level-source.ts';
import { UserError } from '../../../server/user-error.ts';
import { FFMPEG } from '../../support/audio-tools.ts';
import { addDownloadedTake } from '../../support/library-fixture.ts';
import { onTinyDisk } from '../../support/tiny-disk.ts';
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
  try {
    await onTinyDisk(t, out, '120k', async () => {
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
    });
  } finally {
    await fixture.close();
  }
});

test('a track render that runs out of disk fails, so a cut-off track is never kept as a whole one', async (t) => {
  // ffmpeg writes the end of the file when it finishes; a full disk there was reported but exited 0,
  // and the export then tagged and kept the cut-off track (seen once in the test above).
  const fixture = await tempCore();
  try {
    const input = join(fixture.dir, 'message.wav');
    await writeFile(input, scaledMessage(1, 8));
    const traced: FfmpegCommand[] = [];
    const job = { input, inputSeconds: await mediaDurationSeconds(FFMPEG, input), edit: null, level: await measureTrackLevel(FFMPEG, input, null), tags: null, cover: null };
    await renderTrack(FFMPEG, { ...job, output: join(fixture.dir, 'whole.mp3') }, { trace: (c) => void traced.push(c) });
    const [rendered] = traced;
    assert.ok(rendered, 'the render command was traced');
    const tiny = join(fixture.dir, 'tiny');
    await onTinyDisk(t, tiny, '32k', async () => {
      assert.ok((await stat(join(fixture.dir, 'whole.mp3'))).size > 64 * 1024, 'the track is larger than the disk');
      // The same command, its output on the tiny disk.
      const args = [...rendered.args.slice(0, -1), join(tiny, 'cut.mp3')];
      await assert.rejects(run(rendered.program, args), (error: { code?: number; stderr?: string }) => {
        assert.notEqual(error.code, 0);
        assert.match(error.stderr ?? '', /No space left on device/);
        return true;
      });
    });
  } finally {
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
