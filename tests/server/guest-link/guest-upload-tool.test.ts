/**
 * When Shukuden's own audio tool fails (ffmpeg missing, blocked or killed), a guest's upload is
 * never refused as "not audio" — which would make the page drop the recording — but answered
 * "try later" (the page keeps it and sends it again), and Home tells the organiser the fix.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ffmpeg, speakToFile } from '../../support/audio-tools.ts';
import { startGuestLink, type GuestHarness } from '../../support/guest-harness.ts';

const id = () => randomBytes(16).toString('base64url');

async function upload(link: string, body: Buffer, key: string, session: string) {
  const params = new URLSearchParams({ key, session, status: 'kept', name: '' });
  const response = await fetch(`${link}/upload?${params}`, { method: 'POST', headers: { 'content-type': 'audio/mp4' }, body: new Uint8Array(body) });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), json: (text.startsWith('{') ? JSON.parse(text) : null) as { ok: boolean; error?: { code: string; en: string; ja: string } } | null };
}

describe('guest link uploads when the audio tool fails', () => {
  let guest: GuestHarness;
  let work: string;
  let m4a: Buffer;
  let killed: string;
  const saved = process.env['FFMPEG_PATH'];
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-guest-tool-'));
    await speakToFile('Congratulations, both of you.', join(work, 'speech.wav'));
    await ffmpeg('-i', join(work, 'speech.wav'), '-c:a', 'aac', '-b:a', '96k', join(work, 'speech.m4a'));
    m4a = readFileSync(join(work, 'speech.m4a'));
    // What macOS does to a blocked program: it starts, and is killed at once.
    killed = join(work, 'ffmpeg-killed');
    writeFileSync(killed, '#!/bin/sh\nkill -9 $$\n');
    chmodSync(killed, 0o755);
    guest = await startGuestLink();
  });
  after(async () => {
    if (saved === undefined) delete process.env['FFMPEG_PATH'];
    else process.env['FFMPEG_PATH'] = saved;
    await guest.close();
    await rm(work, { recursive: true, force: true });
  });

  const guestTakes = () => guest.core.libraryStore.list().filter((e) => e.source === 'guest-link');
  const notices = () => guest.core.storage.list().filter((problem) => problem.code === 'guest-audio-tool-failed');

  it('a killed or missing ffmpeg: "try again later" (a 5xx the page retries), nothing stored, Home says what to do — once', async () => {
    const key = id();
    const session = id();
    for (const path of [killed, join(work, 'no-such-ffmpeg')]) {
      process.env['FFMPEG_PATH'] = path;
      const result = await upload(guest.link(), m4a, key, session);
      assert.equal(result.status, 503, path);
      assert.equal(result.json?.error?.code, 'try-later');
      assert.match(result.json?.error?.en ?? '', /kept on this phone/);
      assert.ok(Number(result.retryAfter) > 0);
    }
    assert.deepEqual(guestTakes(), []);
    const recordings = join(guest.dataDir, 'recordings');
    assert.deepEqual(existsSync(recordings) ? readdirSync(recordings) : [], [], 'no file written');
    const [notice, ...more] = notices();
    assert.ok(notice, 'Home shows it');
    assert.equal(more.length, 0, 'once, however many uploads failed');
    assert.match(notice.text.en, /audio tool \(ffmpeg\) could not run.*wait on their phones.*install it again/s);
    assert.match(notice.text.ja, /ffmpeg.*もう一度インストール/s);

    // The page sends the same recording again once ffmpeg works: stored, exactly once.
    delete process.env['FFMPEG_PATH'];
    const retried = await upload(guest.link(), m4a, key, session);
    assert.equal(retried.status, 200);
    assert.equal(guestTakes().length, 1);
  });

  it('a file ffmpeg itself refuses is still "not audio" (415), not "try later"', async () => {
    delete process.env['FFMPEG_PATH'];
    const fake = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypM4A '), randomBytes(4000)]);
    const result = await upload(guest.link(), fake, id(), id());
    assert.equal(result.status, 415);
    assert.equal(result.json?.error?.code, 'not-audio');
  });
});
