import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importPromptAudio, sniffAudio } from '../../../server/audio/prompt-audio.ts';
import { defaultFlowSettings } from '../../../server/call-flow/flow-settings.ts';
import { UserError } from '../../../server/user-error.ts';
import { ffmpeg, ffprobe, speakToFile } from '../../support/audio-tools.ts';
import { heard, startLine } from '../../support/line-harness.ts';
import { press, speak } from '../../support/script.ts';
import { onTinyDisk } from '../../support/tiny-disk.ts';

describe('organiser prompt audio', () => {
  let work: string;
  let prompts: string;
  let speech: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-prompt-test-'));
    prompts = join(work, 'prompts');
    await mkdir(prompts);
    speech = join(work, 'speech.wav');
    await speakToFile('Welcome to the wedding message line. Thank you for calling.', speech);
  });
  after(() => rm(work, { recursive: true, force: true }));

  const filesIn = async () => (await readdir(prompts)).sort();

  it('keeps WAV and MP3 byte for byte', async () => {
    const wav = await readFile(speech);
    const wavName = await importPromptAudio(wav, prompts);
    assert.match(wavName, /^[a-f0-9]{32}\.wav$/);
    assert.ok((await readFile(join(prompts, wavName))).equals(wav));

    await ffmpeg('-i', speech, '-c:a', 'libmp3lame', '-b:a', '64k', join(work, 'speech.mp3'));
    const mp3 = await readFile(join(work, 'speech.mp3'));
    assert.equal(sniffAudio(mp3), 'mp3');
    const mp3Name = await importPromptAudio(mp3, prompts);
    assert.match(mp3Name, /\.mp3$/);
    assert.ok((await readFile(join(prompts, mp3Name))).equals(mp3));
  });

  it('converts an M4A voice memo (index at the end) to WAV that Twilio can play', async () => {
    const m4a = join(work, 'memo.m4a');
    await ffmpeg('-i', speech, '-c:a', 'aac', '-b:a', '96k', m4a);
    const source = await ffprobe(m4a);
    const name = await importPromptAudio(await readFile(m4a), prompts);
    assert.match(name, /\.wav$/);
    const converted = await ffprobe(join(prompts, name));
    assert.equal(converted.stream.codec_name, 'pcm_s16le');
    assert.equal(converted.stream.channels, 1);
    assert.equal(converted.stream.sample_rate, '16000');
    assert.ok(Math.abs(converted.duration - source.duration) < 0.1, `${converted.duration} vs ${source.duration}`);
  });

  it('converts raw AAC (ADTS) too', async () => {
    const aac = join(work, 'memo.aac');
    await ffmpeg('-i', speech, '-c:a', 'aac', '-f', 'adts', aac);
    const bytes = await readFile(aac);
    assert.equal(sniffAudio(bytes), 'aac');
    assert.match(await importPromptAudio(bytes, prompts), /\.wav$/);
  });

  it('refuses files it cannot play, saying what to use, and writes nothing', async () => {
    const before = await filesIn();
    const cases: [Buffer, string][] = [
      [Buffer.from('%PDF-1.7 not audio at all'), 'prompt-audio-unsupported'],
      [Buffer.alloc(0), 'prompt-audio-empty'],
      [Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypM4A '), Buffer.alloc(200, 7)]), 'prompt-audio-unreadable'],
    ];
    for (const [bytes, code] of cases) {
      await assert.rejects(importPromptAudio(bytes, prompts), (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.equal(error.code, code);
        assert.match(error.text.en, /\./);
        assert.match(error.text.ja, /。/);
        return true;
      });
    }
    assert.deepEqual(await filesIn(), before);
  });

  it('a full disk: says so and what to do, and leaves no file behind (a voice memo, and a WAV kept as is)', async (t) => {
    const tiny = join(work, 'tiny-prompts');
    await ffmpeg('-y', '-i', speech, '-c:a', 'aac', '-b:a', '96k', join(work, 'full-disk.m4a'));
    const memo = await readFile(join(work, 'full-disk.m4a'));
    const wav = await readFile(speech);
    await onTinyDisk(t, tiny, '32k', async () => {
      for (const bytes of [memo, wav]) {
        assert.ok(bytes.length > 32 * 1024 || sniffAudio(bytes) === 'm4a', 'bigger than the disk, or converted to a WAV that is');
        await assert.rejects(importPromptAudio(bytes, tiny), (error: unknown) => {
          assert.ok(error instanceof UserError, String(error));
          assert.equal(error.code, 'prompt-audio-disk-full');
          assert.match(error.text.en, /disk is full.*free some space/i);
          assert.match(error.text.ja, /空き容量/);
          return true;
        });
        assert.deepEqual(await readdir(tiny), [], 'nothing half-written is left');
      }
    });
  });

  it('an ffmpeg that is killed (blocked by the system): says the audio tool failed, not that the file is damaged, and writes nothing', async () => {
    const killed = join(work, 'ffmpeg-killed');
    await writeFile(killed, '#!/bin/sh\nkill -9 $$\n');
    await chmod(killed, 0o755);
    await ffmpeg('-y', '-i', speech, '-c:a', 'aac', '-b:a', '96k', join(work, 'killed.m4a'));
    const before = await filesIn();
    await assert.rejects(importPromptAudio(await readFile(join(work, 'killed.m4a')), prompts, { FFMPEG_PATH: killed }), (error: unknown) => {
      assert.ok(error instanceof UserError, String(error));
      assert.equal(error.code, 'audio-tool-failed');
      assert.match(error.text.en, /audio tool \(ffmpeg\) could not run.*Nothing was changed/);
      assert.match(error.text.ja, /ffmpeg/);
      return true;
    });
    assert.deepEqual(await filesIn(), before);
  });

  it('names the fix when ffmpeg is missing', async () => {
    const m4a = await readFile(join(work, 'memo.m4a'));
    await assert.rejects(importPromptAudio(m4a, prompts, { FFMPEG_PATH: join(work, 'nope') }), /FFMPEG_PATH/);
  });

  it('plays an uploaded voice memo to callers through the public media route', async () => {
    const line = await startLine();
    try {
      const memo = await readFile(join(work, 'memo.m4a'));
      const file = await importPromptAudio(memo, join(line.dataDir, 'prompts'));
      const settings = defaultFlowSettings();
      line.core.settings.saveFlow({ ...settings, prompts: { ...settings.prompts, welcome: { kind: 'audio', file } } });
      const call = await line.call([speak(2), press('1')]);
      assert.deepEqual(heard(call).slice(0, 2), ['play:prompt', 'instructions']);
      const played = call.events[0];
      assert.ok(played?.kind === 'play');
      assert.ok(played.body.equals(await readFile(join(line.dataDir, 'prompts', file))));
    } finally {
      await line.close();
    }
  });
});
