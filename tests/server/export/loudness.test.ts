import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { mediaDurationSeconds } from '../../../server/export/media-duration.ts';
import { RENDER_SETTINGS, renderTrack } from '../../../server/export/render-track.ts';
import { measureTrackLevel } from '../../../server/export/track-level-source.ts';
import { FFMPEG } from '../../support/audio-tools.ts';
import { ebur128, run } from './export-fixture.ts';

// Real (synthesised) speech is far peakier than the fixture's speech-like noise: a plain gain to
// −16 LUFS would push its peaks over the ceiling, so this exercises the gain + true-peak limiter path
// (the level planned in-process, the track rendered in one ffmpeg pass).
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shukuden-loudness-'));
  await run('espeak-ng', ['-w', join(dir, 'voice.wav'), 'Congratulations on your wedding! We wish you a long and happy life together. Ha ha, wonderful!']);
  // Phone-like 8 kHz: one peaking at −0.1 dBFS, one far too quiet.
  await run('sox', [join(dir, 'voice.wav'), '-r', '8000', '-c', '1', '-b', '16', join(dir, 'loud.wav'), 'gain', '-n', '-0.1']);
  await run('sox', [join(dir, 'voice.wav'), '-r', '8000', '-c', '1', '-b', '16', join(dir, 'quiet.wav'), 'gain', '-n', '-24']);
});
after(() => rm(dir, { recursive: true, force: true }));

for (const name of ['loud', 'quiet']) {
  test(`peaky speech (${name}) lands at −16 LUFS ±0.5 with true peak ≤ −1.5 dBTP after MP3`, async () => {
    const input = join(dir, `${name}.wav`);
    const output = join(dir, `${name}.mp3`);
    const level = await measureTrackLevel(FFMPEG, input, null);
    await renderTrack(FFMPEG, { input, inputSeconds: await mediaDurationSeconds(FFMPEG, input), edit: null, level, tags: null, cover: null, output });
    const { integrated, truePeak } = await ebur128(output);
    console.log(`# ${name}: ${integrated} LUFS, ${truePeak} dBTP (gain ${level.gainDb.toFixed(2)} dB, limiter ${level.limit})`);
    assert.ok(Math.abs(integrated - RENDER_SETTINGS.targetLufs) <= 0.5, `${integrated} LUFS`);
    assert.ok(truePeak <= RENDER_SETTINGS.ceilingDbtp, `${truePeak} dBTP`);
  });
}
