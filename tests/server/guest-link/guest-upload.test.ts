import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importPromptAudio } from '../../../server/audio/prompt-audio.ts';
import { defaultPrompts, TTS_DEFAULTS } from '../../../server/call-flow/prompts.ts';
import { decodeWav, durationSeconds } from '../../../server/audio/wav.ts';
import { ffmpeg, speakToFile } from '../../support/audio-tools.ts';
import { startGuestLink, type GuestHarness } from '../../support/guest-harness.ts';
import { eventually } from '../../support/twilio-harness.ts';

const id = () => randomBytes(16).toString('base64url');

async function upload(link: string, body: Buffer, query: { key?: string; session?: string; status?: string; name?: string } = {}) {
  const params = new URLSearchParams({ key: query.key ?? id(), session: query.session ?? id(), status: query.status ?? 'kept', name: query.name ?? '' });
  const response = await fetch(`${link}/upload?${params}`, { method: 'POST', headers: { 'content-type': 'audio/mp4' }, body: new Uint8Array(body) });
  const text = await response.text();
  return { status: response.status, text, json: (text.startsWith('{') ? JSON.parse(text) : null) as { ok: boolean; recordingSid?: string; error?: { code: string; en: string; ja: string } } | null };
}

/** Sends the head of `body` with a Content-Length for all of it, then drops the connection: a phone losing signal mid-upload. */
function uploadCutOff(link: string, body: Buffer, key: string, session: string): Promise<void> {
  const url = new URL(`${link}/upload?${new URLSearchParams({ key, session, status: 'kept', name: '' })}`);
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'audio/mp4', 'content-length': body.length } });
    req.on('error', () => resolve());
    req.write(body.subarray(0, Math.floor(body.length / 2)), () => {
      req.destroy();
      resolve();
    });
  });
}

describe('guest link uploads (through the loopback tunnel)', () => {
  let guest: GuestHarness;
  let work: string;
  let m4a: Buffer;
  let webm: Buffer;
  let long: Buffer;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-guest-audio-'));
    await speakToFile('Congratulations to you both, from all of us. Have a wonderful day.', join(work, 'speech.wav'));
    // What iOS Safari sends (AAC in MP4) and what Android Chrome sends (Opus in WebM), made by ffmpeg.
    await ffmpeg('-i', join(work, 'speech.wav'), '-c:a', 'aac', '-b:a', '96k', join(work, 'speech.m4a'));
    await ffmpeg('-i', join(work, 'speech.wav'), '-c:a', 'libopus', '-b:a', '64k', join(work, 'speech.webm'));
    await ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:duration=25', '-c:a', 'aac', '-b:a', '32k', join(work, 'long.m4a'));
    m4a = readFileSync(join(work, 'speech.m4a'));
    webm = readFileSync(join(work, 'speech.webm'));
    long = readFileSync(join(work, 'long.m4a'));
    guest = await startGuestLink({ settings: { maxLengthSeconds: 15 }, limits: { requestsPerMinute: 1000, uploadsPerAddress: 25, uploadsPerLink: 1000 } });
  });
  after(async () => {
    await guest.close();
    await rm(work, { recursive: true, force: true });
  });

  const guestTakes = () => guest.core.libraryStore.list().filter((e) => e.source === 'guest-link');
  const recordingFiles = () => readdirSync(join(guest.dataDir, 'recordings')).sort();

  it('accepts an AAC/MP4 upload (what iOS sends): a kept message with its name, on the album, WAV plus the original', async () => {
    const result = await upload(guest.link(), m4a, { name: 'Hana Yamada' });
    assert.equal(result.status, 200, result.text);
    const [take] = guestTakes();
    assert.ok(take);
    assert.equal(take.recordingSid, result.json?.recordingSid);
    assert.equal(take.status, 'kept');
    assert.equal(take.callerName, 'Hana Yamada');
    assert.equal(take.onAlbum, true);
    const pcm = decodeWav(readFileSync(join(guest.dataDir, take.localFile ?? '')));
    assert.deepEqual([pcm.sampleRate, pcm.channels], [48_000, 1]);
    const seconds = durationSeconds(pcm);
    assert.ok(seconds > 2 && seconds < 10, `${seconds} s`);
    assert.deepEqual(readFileSync(join(guest.dataDir, 'recordings', `${take.recordingSid}.original.m4a`)), m4a, 'the original is kept beside it, byte for byte');
    // Health-checked like every other take.
    const checked = await eventually(() => guest.core.libraryStore.get(take.recordingSid)?.health ?? null, 10_000, 'health check');
    assert.ok(checked.integratedLufs !== null && checked.integratedLufs > -40, `loudness ${checked.integratedLufs}`);
  });

  it('accepts WebM/Opus (what Android Chrome sends)', async () => {
    const result = await upload(guest.link(), webm);
    assert.equal(result.status, 200, result.text);
    assert.equal(guestTakes().length, 2);
  });

  it('a retried upload never makes two messages (same key, one after the other and at the same time)', async () => {
    const key = id();
    const session = id();
    const before = guestTakes().length;
    const first = await upload(guest.link(), m4a, { key, session });
    const again = await upload(guest.link(), m4a, { key, session });
    const concurrentKey = id();
    const [c1, c2] = await Promise.all([upload(guest.link(), webm, { key: concurrentKey, session }), upload(guest.link(), webm, { key: concurrentKey, session })]);
    assert.deepEqual([first.status, again.status, c1.status, c2.status], [200, 200, 200, 200]);
    assert.equal(again.json?.recordingSid, first.json?.recordingSid);
    assert.equal(c2.json?.recordingSid, c1.json?.recordingSid);
    assert.equal(guestTakes().length, before + 2);
  });

  it('an upload cut off half-way, then retried, makes exactly one message', async () => {
    const key = id();
    const session = id();
    const before = guestTakes().length;
    const filesBefore = recordingFiles();
    await uploadCutOff(guest.link(), m4a, key, session);
    // Nothing of the broken attempt is stored: the same files and takes as before.
    const sameAsBefore = () => (JSON.stringify(recordingFiles()) === JSON.stringify(filesBefore) && guestTakes().length === before ? true : null);
    await eventually(sameAsBefore, 5000, 'nothing stored from the broken upload');
    const retried = await upload(guest.link(), m4a, { key, session });
    assert.equal(retried.status, 200);
    assert.equal(guestTakes().length, before + 1);
  });

  it('refuses bad input with a clear error and stores nothing: wrong token 404, oversize 413, non-audio 415, too long 422', async () => {
    const takesBefore = guestTakes().length;
    const filesBefore = recordingFiles();
    const wrong = await upload(`${guest.publicUrl}/g/${id()}`, m4a);
    assert.deepEqual([wrong.status, wrong.text], [404, 'Not found'], 'no detail');
    const page = await fetch(`${guest.publicUrl}/g/${id()}`);
    assert.equal(page.status, 404);

    const oversize = await upload(guest.link(), randomBytes(3_000_000));
    assert.equal(oversize.status, 413);
    assert.equal(oversize.json?.error?.code, 'too-large');

    const junk = await upload(guest.link(), randomBytes(50_000));
    assert.equal(junk.status, 415);
    assert.equal(junk.json?.error?.code, 'not-audio');
    assert.match(junk.json?.error?.ja ?? '', /録音/);
    // Looks like WebM by its first bytes, isn't: decoding decides, not the header or the magic.
    const fake = await upload(guest.link(), Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), randomBytes(20_000)]));
    assert.equal(fake.status, 415);
    const html = await upload(guest.link(), Buffer.from('<html><body>hello</body></html>'.repeat(10)));
    assert.equal(html.status, 415);

    const tooLong = await upload(guest.link(), long);
    assert.equal(tooLong.status, 422);
    assert.equal(tooLong.json?.error?.code, 'too-long');
    assert.match(tooLong.json?.error?.en ?? '', /longer than 15 seconds/);

    assert.equal(guestTakes().length, takesBefore);
    assert.deepEqual(recordingFiles(), filesBefore);
  });

  it('a new link makes the old one 404 at once; switched off, the link is 404', async () => {
    const old = guest.link();
    assert.equal((await fetch(old)).status, 200);
    guest.core.guestLink.regenerate();
    assert.notEqual(guest.link(), old);
    assert.equal((await fetch(old)).status, 404);
    assert.equal((await upload(old, m4a)).status, 404);
    assert.equal((await fetch(guest.link())).status, 200);
    guest.core.guestLink.update({ enabled: false });
    assert.equal((await fetch(guest.link())).status, 404);
    assert.equal((await fetch(`${guest.link()}/info`)).status, 404);
    guest.core.guestLink.update({ enabled: true });
    assert.equal((await fetch(`${guest.link()}/info`)).status, 200);
  });

  it('the token is at least 128 bits of randomness and the page has a strict CSP', async () => {
    const token = guest.core.guestLink.current().token;
    assert.ok(Buffer.from(token, 'base64url').length * 8 >= 128);
    const page = await fetch(guest.link());
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  });

  it("the page gets the organiser's own welcome (text or audio), not the phone's default, and nothing about other guests", async () => {
    const line = guest.core.settings.flow();
    const info = async () => (await (await fetch(`${guest.link()}/info`)).json()) as Record<string, unknown>;
    const text = await info();
    assert.deepEqual(Object.keys(text).sort(), ['language', 'maxSeconds', 'phoneNumber', 'title', 'welcomeAudio', 'welcomeText']);
    // The default phone welcome ("Thank you for calling…") is not sent: the page shows its own.
    for (const language of ['ja', 'en'] as const) {
      guest.core.settings.saveFlow({ ...line, prompts: { ...line.prompts, welcome: defaultPrompts(language).welcome } });
      assert.deepEqual([(await info())['welcomeText'], (await info())['welcomeAudio']], [null, false], language);
    }
    const own = 'みんなで二人をお祝いしよう！ Let us all cheer for them!';
    guest.core.settings.saveFlow({ ...line, prompts: { ...line.prompts, welcome: { kind: 'tts', text: own, ...TTS_DEFAULTS.ja } } });
    assert.equal((await info())['welcomeText'], own);
    assert.equal((await fetch(`${guest.link()}/welcome`)).status, 404, 'no audio welcome yet');
    const file = await importPromptAudio(readFileSync(join(work, 'speech.wav')), guest.core.promptDir);
    guest.core.settings.saveFlow({ ...line, prompts: { ...line.prompts, welcome: { kind: 'audio', file } } });
    const withAudio = await info();
    assert.deepEqual([withAudio['welcomeAudio'], withAudio['welcomeText']], [true, null]);
    const audio = await fetch(`${guest.link()}/welcome`);
    assert.equal(audio.status, 200);
    assert.match(audio.headers.get('content-type') ?? '', /^audio\//);
    guest.core.settings.saveFlow(line);
  });

  it('the organiser API is unreachable through the tunnel', async () => {
    for (const path of ['/api/rpc/getState', '/api/rpc/getLibrary', '/api/session']) {
      const response = await fetch(`${guest.publicUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(response.status, 404, path);
    }
    for (const path of ['/api/events', '/', '/index.html', `/api/media/takes/${guestTakes()[0]?.recordingSid}`]) {
      assert.equal((await fetch(`${guest.publicUrl}${path}`)).status, 404, path);
    }
  });

  it('a guest forging X-Forwarded-For is still one address: the tunnel’s own entry counts', async () => {
    const flood = await startGuestLink({ limits: { requestsPerMinute: 5, uploadsPerAddress: 25, uploadsPerLink: 1000 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await fetch(`${flood.link()}/info`, { headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } })).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
    } finally {
      await flood.close();
    }
  });

  it('a flood from one address is refused with 429 and stores nothing', async () => {
    const before = guestTakes().length;
    const filesBefore = recordingFiles();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await upload(guest.link(), Buffer.from('not audio at all, just noise'))).status);
    assert.ok(statuses.includes(429), statuses.join(','));
    const limited = await upload(guest.link(), m4a);
    assert.equal(limited.status, 429);
    assert.equal(limited.json?.error?.code, 'rate-limited');
    assert.equal(guestTakes().length, before);
    assert.deepEqual(recordingFiles(), filesBefore);
  });
});
