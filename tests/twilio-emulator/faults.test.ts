import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TwilioEmulator } from '../support/twilio-emulator/emulator.ts';
import { ACCOUNTS, get, MAIN, sdk, wav } from './fixtures.ts';

const BALANCE = /\/Balance\.json$/;
const MEDIA = /\/Recordings\/RE\w{32}\.wav$/;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe('injected faults', () => {
  let emulator: TwilioEmulator;
  let balanceUrl: string;
  let mediaUrl: string;
  let audio: Buffer;
  before(async () => {
    emulator = await new TwilioEmulator({ accounts: ACCOUNTS }).start();
    balanceUrl = `${emulator.url}/2010-04-01/Accounts/${MAIN.sid}/Balance.json`;
    audio = wav(3);
    mediaUrl = `${emulator.addRecording({ accountSid: MAIN.sid, callSid: `CA${'0'.repeat(32)}`, wav: audio, durationSeconds: 3 }).recordingUrl}.wav`;
  });
  beforeEach(() => emulator.clearFaults());
  after(() => emulator.stop());

  it('status: Twilio error JSON with that status and code 20500, once, then normal again', async () => {
    emulator.injectFault({ path: BALANCE, fault: { kind: 'status', status: 503 } });
    const failed = await get(balanceUrl);
    assert.equal(failed.status, 503);
    assert.deepEqual(await failed.json(), { code: 20500, message: 'Service Unavailable', more_info: 'https://www.twilio.com/docs/errors/20500', status: 503 });
    assert.equal((await get(balanceUrl)).status, 200);
  });

  it('status: the SDK sees it as a RestException', async () => {
    emulator.injectFault({ method: 'GET', path: BALANCE, fault: { kind: 'status', status: 500 } });
    await assert.rejects(sdk(MAIN, emulator.url).balance.fetch(), { status: 500, code: 20500 });
  });

  it('rate-limit: 429 with Retry-After and code 20429', async () => {
    emulator.injectFault({ path: BALANCE, fault: { kind: 'rate-limit', retryAfterSeconds: 7 } });
    const limited = await get(balanceUrl);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.equal(((await limited.json()) as { code: number }).code, 20429);
    assert.equal((await get(balanceUrl)).status, 200);
  });

  it('slow: waits at least that long, then answers normally', async () => {
    emulator.injectFault({ path: BALANCE, fault: { kind: 'slow', ms: 300 } });
    const { value, ms } = await timed(() => get(balanceUrl));
    assert.equal(value.status, 200);
    assert.ok(ms >= 290, `took ${ms} ms`);
    // Only once: the next one answers normally (no upper bound on time: the machine may be busy).
    assert.equal((await get(balanceUrl)).status, 200);
  });

  it('drop: the connection closes without a response', async () => {
    emulator.injectFault({ path: BALANCE, fault: { kind: 'drop' } });
    await assert.rejects(get(balanceUrl));
    assert.equal(emulator.requests.at(-1)?.status, 0, 'logged as unanswered');
    assert.equal((await get(balanceUrl)).status, 200);
  });

  it('times: exactly that many matching requests fail, and only for the given method', async () => {
    emulator.injectFault({ method: 'GET', path: BALANCE, times: 2, fault: { kind: 'status', status: 502 } });
    emulator.injectFault({ method: 'POST', path: BALANCE, fault: { kind: 'drop' } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(balanceUrl)).status);
    assert.deepEqual(statuses, [502, 502, 200]);
  });

  it('truncate: full Content-Length, then fewer bytes and a cut connection', async () => {
    emulator.injectFault({ path: MEDIA, fault: { kind: 'truncate', bytes: 1000 } });
    const response = await get(mediaUrl);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-length'), String(audio.length));
    // Depending on timing the client either notices the cut (rejects) or ends up short.
    const received = await response.arrayBuffer().then(
      (bytes) => bytes.byteLength,
      () => null,
    );
    assert.ok(received === null || received < audio.length, `received ${received} bytes`);
    assert.ok(Buffer.from(await (await get(mediaUrl)).arrayBuffer()).equals(audio), 'the next download is whole');
  });

  it('corrupt: same length, but no RIFF header', async () => {
    emulator.injectFault({ path: MEDIA, fault: { kind: 'corrupt' } });
    const body = Buffer.from(await (await get(mediaUrl)).arrayBuffer());
    assert.equal(body.length, audio.length);
    assert.notEqual(body.subarray(0, 4).toString('latin1'), 'RIFF');
    assert.ok(body.subarray(4).equals(audio.subarray(4)));
  });

  it('stall: the first bytes, a pause, then the rest, intact', async () => {
    emulator.injectFault({ path: MEDIA, fault: { kind: 'stall', afterBytes: 100, ms: 400 } });
    const started = performance.now();
    const response = await get(mediaUrl);
    const headersAfter = performance.now() - started;
    const body = Buffer.from(await response.arrayBuffer());
    const total = performance.now() - started;
    // Lower bounds only (a busy machine makes things slower, never faster): the pause happened after the headers.
    assert.ok(total >= 390, `the body took ${total} ms (headers after ${headersAfter} ms)`);
    assert.ok(body.equals(audio));
  });

  it('media faults wait for a download that would succeed: not JSON routes, not a 404', async () => {
    emulator.injectFault({ path: /./, fault: { kind: 'corrupt' } });
    assert.equal((await get(balanceUrl)).status, 200);
    assert.equal((await get(mediaUrl.replace(/RE\w{32}/, `RE${'0'.repeat(32)}`))).status, 404);
    const body = Buffer.from(await (await get(mediaUrl)).arrayBuffer());
    assert.notEqual(body.subarray(0, 4).toString('latin1'), 'RIFF', 'consumed by the first real download');
    assert.equal(Buffer.from(await (await get(mediaUrl)).arrayBuffer()).subarray(0, 4).toString('latin1'), 'RIFF');
  });
});
