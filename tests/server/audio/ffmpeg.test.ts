import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { resolveFfmpeg, SHIPPED_FFMPEG_PACKAGE, shippedFfmpeg, unpacked } from '../../../server/audio/ffmpeg.ts';
import { UserError } from '../../../server/user-error.ts';

const exec = promisify(execFile);
const PROJECT = fileURLToPath(new URL('../../..', import.meta.url));

describe('the ffmpeg Shukuden ships', () => {
  it('is found from the installed package, with no PATH and no FFMPEG_PATH', () => {
    const found = resolveFfmpeg({});
    assert.equal(realpathSync(found), realpathSync(join(PROJECT, 'node_modules', ...SHIPPED_FFMPEG_PACKAGE.split('/'), process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg')));
    assert.equal(shippedFfmpeg(), found);
  });

  it('has everything the export, prompts and health check use', async () => {
    const ffmpeg = resolveFfmpeg({});
    const list = async (what: string) => (await exec(ffmpeg, ['-hide_banner', `-${what}`], { maxBuffer: 8 << 20 })).stdout;
    const encoders = await list('encoders');
    const decoders = await list('decoders');
    const filters = await list('filters');
    assert.match(encoders, /^ A\S* libmp3lame /m, 'MP3 encoder');
    assert.match(encoders, /^ V\S* mjpeg /m, 'JPEG covers');
    for (const codec of ['aac', 'opus', 'mp3', 'pcm_mulaw', 'png', 'mjpeg']) assert.match(decoders, new RegExp(`^ \\S+ ${codec} `, 'm'), `${codec} decoder`);
    for (const filter of ['loudnorm', 'ebur128', 'alimiter', 'apad', 'atrim', 'afade', 'volume', 'aresample', 'scale', 'concat']) assert.match(filters, new RegExp(`^ \\S+ ${filter} `, 'm'), `${filter} filter`);
    assert.match((await exec(ffmpeg, ['-hide_banner', '-h', 'filter=aresample'])).stdout, /soxr/, 'the soxr resampler');
  });

  it('runs from app.asar.unpacked inside the installed app (asar files are not executable)', () => {
    const inApp = ['', 'Applications', 'Shukuden 祝電.app', 'Contents', 'Resources', 'app.asar', 'node_modules', '@ffmpeg-installer', 'darwin-arm64', 'ffmpeg'].join('/');
    assert.equal(unpacked(inApp), inApp.replace('/app.asar/', '/app.asar.unpacked/'));
    const windows = 'C:\\Program Files\\Shukuden\\resources\\app.asar\\node_modules\\@ffmpeg-installer\\win32-x64\\ffmpeg.exe';
    assert.equal(unpacked(windows), windows.replace('\\app.asar\\', '\\app.asar.unpacked\\'));
    const dev = join(PROJECT, 'node_modules', 'x', 'ffmpeg');
    assert.equal(unpacked(dev), dev, 'a development checkout is left alone');
    assert.equal(unpacked(`${sep}a${sep}app.asar.unpacked${sep}ffmpeg`), `${sep}a${sep}app.asar.unpacked${sep}ffmpeg`);
  });

  it('FFMPEG_PATH overrides it; a wrong one, or none anywhere, names the fix', () => {
    assert.equal(resolveFfmpeg({ FFMPEG_PATH: process.execPath }), process.execPath);
    assert.throws(() => resolveFfmpeg({ FFMPEG_PATH: '/nonexistent/ffmpeg' }), (error: unknown) => error instanceof UserError && error.code === 'ffmpeg-missing' && /FFMPEG_PATH/.test(error.text.en));
    assert.throws(() => resolveFfmpeg({ PATH: '/nonexistent' }, () => null), (error: unknown) => error instanceof UserError && error.code === 'ffmpeg-missing' && /Reinstall Shukuden/.test(error.text.en) && /再インストール/.test(error.text.ja));
  });
});
