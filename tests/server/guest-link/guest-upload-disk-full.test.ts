/**
 * A full disk while a guest sends a recording through the link: the page is told to try later (it
 * keeps the recording and sends it again), Home says the disk is full, nothing half-written stays,
 * and once there is room the same recording is stored, once. Needs root for the tiny disk (tmpfs).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ffmpeg, speakToFile } from '../../support/audio-tools.ts';
import { startGuestLink } from '../../support/guest-harness.ts';
import { onTinyDisk } from '../../support/tiny-disk.ts';

const id = () => randomBytes(16).toString('base64url');

async function upload(link: string, body: Buffer, key: string, session: string) {
  const params = new URLSearchParams({ key, session, status: 'kept', name: '' });
  const response = await fetch(`${link}/upload?${params}`, { method: 'POST', headers: { 'content-type': 'audio/mp4' }, body: new Uint8Array(body) });
  const text = await response.text();
  return { status: response.status, code: (text.startsWith('{') ? (JSON.parse(text) as { error?: { code: string } }).error?.code : undefined) ?? null };
}

test('a full disk: "try later" for the page, "disk full" on Home, nothing half-written, then stored once there is room', async (t) => {
  const work = await mkdtemp(join(tmpdir(), 'shukuden-guest-full-'));
  const guest = await startGuestLink();
  try {
    await speakToFile('Congratulations to you both, from all of us at the office. Have a wonderful day.', join(work, 'speech.wav'));
    await ffmpeg('-i', join(work, 'speech.wav'), '-c:a', 'aac', '-b:a', '128k', join(work, 'speech.m4a'));
    const m4a = readFileSync(join(work, 'speech.m4a'));
    assert.ok(m4a.length > 32 * 1024, 'bigger than the tiny disk');
    const recordings = join(guest.dataDir, 'recordings');
    const [key, session] = [id(), id()];
    const diskFull = () => guest.core.storage.list().some((problem) => problem.code === 'disk-full');
    let mounted = false;
    await onTinyDisk(t, recordings, '32k', async () => {
      mounted = true;
      const result = await upload(guest.link(), m4a, key, session);
      assert.deepEqual(result, { status: 503, code: 'try-later' });
      assert.ok(diskFull(), 'Home says the disk is full');
      assert.deepEqual(readdirSync(recordings), [], 'nothing half-written takes the space');
    });
    if (!mounted) return;
    const retried = await upload(guest.link(), m4a, key, session);
    assert.equal(retried.status, 200);
    assert.equal(guest.core.libraryStore.list().filter((e) => e.source === 'guest-link').length, 1);
    assert.ok(!diskFull(), 'and Home no longer says so');
  } finally {
    await guest.close();
    await rm(work, { recursive: true, force: true });
  }
});
