import assert from 'node:assert/strict';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseFile } from 'music-metadata';
import { currentArrangement, saveArrangement } from '../../../server/export/arrangement.ts';
import { importCover } from '../../../server/export/cover.ts';
import { exportAlbum, type ExportProgress, type ExportResult } from '../../../server/export/export-album.ts';
import { RENDER_SETTINGS } from '../../../server/export/render-track.ts';
import { addDownloadedTake } from '../../support/library-fixture.ts';
import { ebur128, makePicture, run, scaledMessage, tempCore } from './export-fixture.ts';

const TRIM = { startSeconds: 0.3, endSeconds: 3.4, fadeInSeconds: 0.2, fadeOutSeconds: 0.5, gainDb: 0 };
let fixture: Awaited<ReturnType<typeof tempCore>>;
let out: string;
let result: ExportResult;
let quietSid: string;
const events: ExportProgress[] = [];

before(async () => {
  fixture = await tempCore();
  const { core } = fixture;
  // Far too quiet (about −40 LUFS), trimmed and faded; far too loud (clipped near 0 dBFS), named.
  quietSid = addDownloadedTake(core, { from: '+819012345678', wav: scaledMessage(0.16), createdAt: '2025-05-03T01:00:00.000Z' });
  addDownloadedTake(core, { from: '+818011112222', wav: scaledMessage(8), createdAt: '2025-05-03T02:00:00.000Z' });
  core.libraryStore.setCallerName('+818011112222', '山田 花子 🎉');
  assert.ok(core.libraryStore.saveEdit(quietSid, TRIM));
  await makePicture(join(fixture.dir, 'cover.png'), '1200x900');
  const coverFile = await importCover(core.dataDir, join(fixture.dir, 'cover.png'));
  out = join(fixture.dir, 'out');
  const arrangement = saveArrangement(core.settings, {
    ...currentArrangement(core.settings, core.libraryStore.list(), new Date('2025-06-01')),
    albumTitle: '結婚おめでとう',
    albumArtist: '太郎 & 花子',
    year: 2025,
    coverFile,
    mix: { enabled: true, gapSeconds: 1, intro: null, outro: null },
    zip: true,
  });
  result = await exportAlbum({ dataDir: core.dataDir, arrangement, entries: core.libraryStore.list(), outputDir: out, onProgress: (p) => events.push(p) });
});

after(() => fixture.close());

test('the default arrangement lists on-album messages by time', () => {
  assert.equal(result.tracks.length, 2);
  assert.deepEqual(result.tracks.map((t) => t.file), ['01 - メッセージ 1（090-1234-5678）.mp3', '02 - 山田 花子.mp3']);
});

test('ffprobe: MP3, 44.1 kHz, mono, constant bitrate, duration of the trimmed part', async () => {
  const expected = [TRIM.endSeconds - TRIM.startSeconds, 4];
  for (const [i, track] of result.tracks.entries()) {
    const path = join(out, track.file);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=codec_name,sample_rate,channels,bit_rate:format=duration', '-of', 'json', path]);
    const probe = JSON.parse(stdout) as { streams: { codec_name: string; sample_rate: string; channels: number; bit_rate: string }[]; format: { duration: string } };
    assert.equal(probe.streams[0]?.codec_name, 'mp3');
    assert.equal(probe.streams[0]?.sample_rate, '44100');
    assert.equal(probe.streams[0]?.channels, 1);
    assert.equal(probe.streams[0]?.bit_rate, '128000');
    assert.ok(Math.abs(Number(probe.format.duration) - (expected[i] ?? 0)) <= 0.05, `${track.file}: ${probe.format.duration} s vs ${expected[i]} s`);
    // CBR: every frame is 417 or 418 bytes (128 kbit/s at 44.1 kHz, ±1 padding byte).
    const frames = await run('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'packet=size', '-of', 'csv=p=0', path]);
    const sizes = new Set(frames.stdout.split('\n').map((line) => Number.parseInt(line, 10)).filter((n) => n > 0));
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `frame sizes ${[...sizes].join(',')}`);
  }
});

test('tags read back with music-metadata and ffprobe: ID3v2.3, every field, JPEG cover', async () => {
  for (const [i, track] of result.tracks.entries()) {
    const path = join(out, track.file);
    const meta = await parseFile(path);
    assert.ok(meta.format.tagTypes.includes('ID3v2.3'), String(meta.format.tagTypes));
    assert.equal(meta.common.title, i === 0 ? 'メッセージ 1（090-1234-5678）' : '山田 花子 🎉');
    assert.equal(meta.common.artist, meta.common.title);
    assert.equal(meta.common.albumartist, '太郎 & 花子');
    assert.equal(meta.common.album, '結婚おめでとう');
    assert.deepEqual(meta.common.track, { no: i + 1, of: 2 });
    assert.equal(meta.common.year, 2025);
    assert.match(String(meta.common.comment?.[0]?.text ?? meta.common.comment?.[0]), /2025-05-03/);
    const picture = meta.common.picture?.[0];
    assert.equal(picture?.format, 'image/jpeg');
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height:stream_disposition=attached_pic:format_tags', '-of', 'json', path]);
    const probe = JSON.parse(stdout) as { streams: { codec_name: string; width?: number; height?: number; disposition?: { attached_pic: number } }[]; format: { tags: Record<string, string> } };
    const art = probe.streams.find((s) => s.codec_name === 'mjpeg');
    assert.equal(art?.disposition?.attached_pic, 1);
    assert.ok((art?.width ?? 0) <= 600 && (art?.height ?? 0) <= 600, `cover ${art?.width}×${art?.height}`);
    assert.equal(probe.format.tags['album_artist'], '太郎 & 花子');
    assert.equal(probe.format.tags['track'], `${i + 1}/2`);
  }
});

test('ebur128: −16 LUFS ±0.5 and true peak ≤ −1.5 dBTP, from far too quiet and far too loud inputs', async () => {
  for (const track of result.tracks) {
    const { integrated, truePeak } = await ebur128(join(out, track.file));
    console.log(`# ${track.file}: ${integrated} LUFS, ${truePeak} dBTP`);
    assert.ok(Math.abs(integrated - RENDER_SETTINGS.targetLufs) <= 0.5, `${track.file}: ${integrated} LUFS`);
    assert.ok(truePeak <= RENDER_SETTINGS.ceilingDbtp, `${track.file}: ${truePeak} dBTP`);
  }
});

test('the playlist is UTF-8 extended M3U with lengths, titles and relative paths', async () => {
  const text = await readFile(join(out, result.playlist), 'utf8');
  assert.equal(result.playlist, '結婚おめでとう.m3u8');
  assert.deepEqual(text.split('\r\n'), ['#EXTM3U', '#EXTINF:3,メッセージ 1（090-1234-5678）', result.tracks[0]?.file, '#EXTINF:4,山田 花子 🎉', result.tracks[1]?.file, '']);
});

test('the continuous mix holds every track plus the gaps; the zip is valid and complete', async () => {
  assert.ok(result.mix && result.zip);
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', join(out, result.mix)]);
  assert.ok(Math.abs(Number(stdout) - (3.1 + 1 + 4)) <= 0.1, `mix ${stdout}`);
  const mixLoudness = await ebur128(join(out, result.mix));
  assert.ok(Math.abs(mixLoudness.integrated + 16) <= 1, `mix ${mixLoudness.integrated} LUFS`);
  const test = await run('unzip', ['-t', join(out, result.zip)]).catch(() => run('python3', ['-m', 'zipfile', '-t', join(out, result.zip ?? '')]));
  assert.match(test.stdout, /No errors detected|Done testing/);
  const list = await run('python3', ['-c', 'import sys,zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', join(out, result.zip)]);
  assert.deepEqual(list.stdout.trim().split('\n').toSorted(), ['結婚おめでとう/folder.jpg', `結婚おめでとう/${result.mix}`, '結婚おめでとう/結婚おめでとう.m3u8', ...result.tracks.map((t) => `結婚おめでとう/${t.file}`)].toSorted());
});

test('progress: every track went queued → rendering → done, fraction reached 1', () => {
  const last = events.at(-1);
  assert.equal(last?.stage, 'done');
  assert.equal(last?.fraction, 1);
  for (const track of [1, 2]) {
    const statuses = events.map((e) => e.tracks.find((t) => t.track === track)?.status).filter((s, i, all) => s !== all[i - 1]);
    assert.deepEqual(statuses, ['queued', 'rendering', 'done']);
  }
});

test('re-export after changing one trim re-renders only that track', async () => {
  const { core } = fixture;
  const mtimes = await Promise.all(result.tracks.map(async (t) => (await stat(join(out, t.file))).mtimeMs));
  assert.ok(core.libraryStore.saveEdit(quietSid, { ...TRIM, endSeconds: 3.0 }));
  const seen: ExportProgress[] = [];
  const again = await exportAlbum({ dataDir: core.dataDir, arrangement: currentArrangement(core.settings, core.libraryStore.list()), entries: core.libraryStore.list(), outputDir: out, onProgress: (p) => seen.push(p) });
  assert.equal(again.rendered, 1);
  assert.equal(again.skipped, 1);
  const final = seen.at(-1)?.tracks.map((t) => t.status);
  assert.deepEqual(final, ['done', 'skipped-unchanged']);
  assert.ok(!seen.some((e) => e.tracks[1]?.status === 'rendering'));
  const after = await Promise.all(again.tracks.map(async (t) => (await stat(join(out, t.file))).mtimeMs));
  assert.notEqual(after[0], mtimes[0]);
  assert.equal(after[1], mtimes[1]);
  assert.ok(!(await readdir(out)).some((n) => n.endsWith('.partial')));
});
