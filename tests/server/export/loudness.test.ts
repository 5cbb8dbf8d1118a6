import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { mediaDurationSeconds } from '../../../server/export/media-duration.ts';
import { RENDER_SETTINGS, renderTrack } from '../../../server/export/render-track.ts';
import { FFMPEG } from '../../support/audio-tools.ts';
import { ebur128, run } from './export-fixture.ts';

// Real (synthesised) speech is far peakier than the fixture's speech-like noise: loudnorm can't
// stay linear on it, so this exercises the measured gain + true-peak limiter path.
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
  test(`peaky speech (${name}) lands at −16 LUFS ±1 with true peak ≤ −1.5 dBTP after MP3`, async () => {
    const input = join(dir, `${name}.wav`);
    const output = join(dir, `${name}.mp3`);
    await renderTrack(FFMPEG, { input, inputSeconds: await mediaDurationSeconds(FFMPEG, input), edit: null, tags: null, cover: null, output });
    const { integrated, truePeak } = await ebur128(output);
    console.log(`# ${name}: ${integrated} LUFS, ${truePeak} dBTP`);
    assert.ok(Math.abs(integrated - RENDER_SETTINGS.targetLufs) <= 1, `${integrated} LUFS`);
    assert.ok(truePeak <= RENDER_SETTINGS.ceilingDbtp, `${truePeak} dBTP`);
  });
}
