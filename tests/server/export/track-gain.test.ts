import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { currentArrangement } from '../../../server/export/arrangement.ts';
import { exportAlbum } from '../../../server/export/export-album.ts';
import { RENDER_SETTINGS } from '../../../server/export/render-track.ts';
import type { TakeEdit } from '../../../server/library/library-types.ts';
import { addDownloadedTake } from '../../support/library-fixture.ts';
import { ebur128, run, scaledMessage, tempCore } from './export-fixture.ts';

// The trimmer's gain means "this message a little louder or quieter than the others": applied
// after normalisation, under the true-peak ceiling, and the preview plays what the export makes.
let fixture: Awaited<ReturnType<typeof tempCore>>;
let sid: string;
let peakySid: string;
const CUT: TakeEdit = { startSeconds: 0.2, endSeconds: 3.6, fadeInSeconds: 0.05, fadeOutSeconds: 0.3, gainDb: 0 };

before(async () => {
  fixture = await tempCore();
  sid = addDownloadedTake(fixture.core, { from: '+819012345678', wav: scaledMessage(1), createdAt: '2025-05-03T01:00:00.000Z' });
  // Real speech, peaking near full scale: any gain above normalisation has to be limited.
  await run('espeak-ng', ['-w', join(fixture.dir, 'voice.wav'), 'Congratulations to you both! Ha ha, what a wonderful day.']);
  await run('sox', [join(fixture.dir, 'voice.wav'), '-r', '8000', '-c', '1', '-b', '16', join(fixture.dir, 'peaky.wav'), 'gain', '-n', '-0.1']);
  const { readFile } = await import('node:fs/promises');
  peakySid = addDownloadedTake(fixture.core, { from: '+818011112222', wav: await readFile(join(fixture.dir, 'peaky.wav')), createdAt: '2025-05-03T02:00:00.000Z' });
  await fixture.core.libraryService.checkPending();
});

after(() => fixture.close());

/** Exports the album as the app does (levels measured by the library on its worker) and measures each track. */
async function exportWith(gains: Readonly<Record<string, number>>, folder: string) {
  const { core } = fixture;
  for (const [recordingSid, gainDb] of Object.entries(gains)) {
    assert.ok(core.libraryStore.saveEdit(recordingSid, { ...CUT, gainDb }));
    core.libraryService.editSaved(recordingSid);
  }
  const entries = core.libraryStore.list();
  const out = join(fixture.dir, folder);
  const result = await exportAlbum({ dataDir: core.dataDir, arrangement: currentArrangement(core.settings, entries), entries, outputDir: out, level: (input, edit) => core.libraryService.level(input, edit) });
  return Promise.all(result.tracks.map((t) => ebur128(join(out, t.file))));
}

test('+3 dB in the trimmer makes that track 3 dB louder than at 0 dB (ebur128), peaks under the ceiling', async () => {
  const [plain, peakyPlain] = await exportWith({ [sid]: 0, [peakySid]: 0 }, 'zero');
  const [louder, peakyLouder] = await exportWith({ [sid]: 3, [peakySid]: 3 }, 'plus3');
  const [quieter] = await exportWith({ [sid]: -3 }, 'minus3');
  assert.ok(plain && louder && quieter && peakyPlain && peakyLouder);
  console.log(`# 0 dB: ${plain.integrated} LUFS; +3 dB: ${louder.integrated}; −3 dB: ${quieter.integrated}; peaky 0/+3: ${peakyPlain.integrated} / ${peakyLouder.integrated} (${peakyLouder.truePeak} dBTP)`);
  assert.ok(Math.abs(plain.integrated - RENDER_SETTINGS.targetLufs) <= 0.5, `${plain.integrated} LUFS at 0 dB`);
  assert.ok(Math.abs(louder.integrated - plain.integrated - 3) <= 0.5, `+3 dB: ${louder.integrated} vs ${plain.integrated}`);
  assert.ok(Math.abs(quieter.integrated - plain.integrated + 3) <= 0.5, `−3 dB: ${quieter.integrated} vs ${plain.integrated}`);
  // The peaky message is limited (its peaks can't rise), yet still audibly louder.
  assert.ok(peakyLouder.integrated - peakyPlain.integrated >= 1.5, `peaky +3 dB: ${peakyLouder.integrated} vs ${peakyPlain.integrated}`);
  for (const track of [plain, louder, quieter, peakyPlain, peakyLouder]) assert.ok(track.truePeak <= RENDER_SETTINGS.ceilingDbtp, `${track.truePeak} dBTP`);
});

test('the trimmer preview plays at the loudness the export makes: normalisation + the organiser\'s gain', async () => {
  const { core } = fixture;
  const source = await ebur128(join(core.dataDir, 'recordings', `${sid}.wav`));
  const [plus3] = await exportWith({ [sid]: 3 }, 'preview');
  const wave = await core.libraryService.waveform(sid);
  assert.equal(wave.edit.gainDb, 3);
  const preview = source.integrated + wave.normalisationDb + wave.edit.gainDb;
  assert.ok(plus3);
  assert.ok(Math.abs(preview - plus3.integrated) <= 0.5, `preview ${preview.toFixed(1)} LUFS vs export ${plus3.integrated} LUFS`);
});
