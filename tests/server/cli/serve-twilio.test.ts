import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CallStore } from '../../../server/store/call-store.ts';
import { openDatabase } from '../../../server/store/database.ts';
import { TwilioEmulator } from '../../support/twilio-emulator/emulator.ts';
import { scriptedCaller } from '../../../server/voice-sim/caller.ts';
import { ACCOUNT_SID, AUTH_TOKEN, GUEST_NUMBER, LINE_NUMBER } from '../../support/line-harness.ts';
import { press, speak } from '../../support/script.ts';
import { freePort, spawnServe } from '../../support/spawn-serve.ts';
import { mountSmallDisk } from '../../support/tmpfs.ts';
import { eventually } from '../../support/twilio-harness.ts';

const PREVIOUS = { voiceUrl: 'https://previous-app.example/voice', statusCallback: 'https://previous-app.example/status' };

describe('npm run serve with a Twilio account', () => {
  let work: string;
  let twilio: TwilioEmulator;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-serve-twilio-'));
    twilio = await new TwilioEmulator({ accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN }], mediaDelayMs: 100 }).start();
    twilio.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER, ...PREVIOUS });
  });
  after(async () => {
    await twilio.stop();
    await rm(work, { recursive: true, force: true });
  });

  const env = { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_PHONE_NUMBER: LINE_NUMBER };
  const start = async (dataDir: string, extra: string[] = []) => {
    const port = await freePort();
    const serve = spawnServe(['--data-dir', dataDir, '--port', String(port), '--public-url', `http://127.0.0.1:${port}`, ...extra], {
      ...env,
      SHUKUDEN_TWILIO_API_BASE: twilio.url,
    });
    return { serve, port };
  };

  it('refuses to take over a number that answers another app, changing nothing', async () => {
    const { serve } = await start(join(work, 'refuse'));
    assert.equal(await serve.exited(), 2);
    assert.match(serve.stderr(), /currently answers another app[\s\S]*--take-over/);
    assert.equal(twilio.number(LINE_NUMBER)?.voiceUrl, PREVIOUS.voiceUrl);
  });

  it('wires the number, takes a call, and restores the previous webhook on SIGTERM', async () => {
    const { serve, port } = await start(join(work, 'wire'), ['--take-over']);
    assert.equal(await serve.line('Phone number:'), LINE_NUMBER);
    assert.equal(await serve.line('Balance:'), '25.00 USD');
    assert.equal(twilio.number(LINE_NUMBER)?.voiceUrl, `http://127.0.0.1:${port}/twilio/voice`);
    const call = await twilio.placeCall({ to: LINE_NUMBER, from: GUEST_NUMBER, caller: scriptedCaller([speak(3), press('1')]) });
    assert.ok(call.events.some((e) => e.kind === 'say'), 'the guest was answered by the app');
    serve.child.kill('SIGTERM');
    assert.equal(await serve.exited(), 0);
    const restored = twilio.number(LINE_NUMBER);
    assert.deepEqual({ voiceUrl: restored?.voiceUrl, statusCallback: restored?.statusCallback }, PREVIOUS);
  });

  it('loses nothing when killed in the middle of a download: after a restart the message arrives once, intact', async () => {
    const dataDir = join(work, 'killed');
    const first = await start(dataDir, ['--take-over']);
    await first.serve.line('Phone number:');
    // Twilio sends part of the file, then stalls: the app is killed while holding a partial download.
    twilio.injectFault({ method: 'GET', path: /\/Recordings\/RE[0-9a-f]{32}\.wav$/, fault: { kind: 'stall', afterBytes: 4000, ms: 30_000 }, times: 1 });
    const requestsBefore = twilio.requests.length;
    const call = await twilio.placeCall({ to: LINE_NUMBER, from: GUEST_NUMBER, caller: scriptedCaller([speak(4), press('1')]) });
    const recording = twilio.recordings.find((r) => r.callSid === call.callSid);
    assert.ok(recording);
    // The stall holds the download open for far longer than the test runs: killing now is mid-download.
    await eventually(() => twilio.requests.slice(requestsBefore).some((r) => r.path.endsWith(`${recording.sid}.wav`)), 10_000, 'the download to start');
    first.serve.child.kill('SIGKILL');
    await first.serve.exited();
    twilio.clearFaults();

    const second = await start(dataDir, ['--take-over']);
    try {
      await second.serve.line('Phone number:');
      const store = new CallStore(openDatabase(dataDir));
      const take = await eventually(() => {
        const t = store.getTake(recording.sid);
        return t?.download.downloadedAt ? t : null;
      }, 20_000, 'the download after restart').catch((error: unknown) => {
        throw new Error(`${String(error)}\nserver stdout:\n${second.serve.stdout()}\nserver stderr:\n${second.serve.stderr()}`);
      });
      assert.ok((await readFile(join(dataDir, take.download.localFile ?? ''))).equals(recording.wav));
      // The earlier test's message is adopted and downloaded too: a partial file of that download
      // still in flight is not a leftover, so look only once every download has finished.
      await eventually(() => store.listTakes().every((t) => t.download.downloadedAt !== null), 20_000, 'every download to finish');
      const files = await readdir(join(dataDir, 'recordings'));
      assert.deepEqual(files.filter((f) => f.includes(recording.sid)), [`${recording.sid}.wav`], 'one file for the message');
      assert.deepEqual(files.filter((f) => f.endsWith('.partial')), [], 'no partial download left behind');
      // The earlier test's message on the same number is found by reconciliation too; each exactly once.
      const sids = store.listTakes().map((t) => t.recordingSid);
      assert.equal(sids.filter((s) => s === recording.sid).length, 1);
      assert.equal(new Set(sids).size, sids.length);
    } finally {
      second.serve.child.kill('SIGTERM');
      await second.serve.exited();
    }
  });

  it('keeps running when the disk is full, and brings the message home once there is room', async (t) => {
    const disk = await mountSmallDisk('8m');
    if ('skip' in disk) return t.skip(disk.skip);
    const dataDir = join(disk.dir, 'data');
    const { serve } = await start(dataDir, ['--take-over']);
    let db: ReturnType<typeof openDatabase> | null = null;
    try {
      await serve.line('Phone number:');
      await disk.fill();
      const call = await twilio.placeCall({ to: LINE_NUMBER, from: GUEST_NUMBER, caller: scriptedCaller([speak(4), press('1')]) });
      assert.ok(call.events.some((e) => e.kind === 'record'), 'the guest was recorded');
      const recording = twilio.recordings.find((r) => r.callSid === call.callSid);
      assert.ok(recording);
      await eventually(() => /disk-full/.test(serve.stderr()), 15_000, 'the full disk to be reported');
      assert.equal(serve.child.exitCode, null, `still running; stderr:\n${serve.stderr()}`);
      await disk.free();
      // The reconciler (at the latest) brings it home; the database is only read here.
      db = openDatabase(dataDir);
      const store = new CallStore(db);
      await eventually(() => store.getTake(recording.sid)?.download.downloadedAt, 60_000, 'the download once there is room').catch((error: unknown) => {
        throw new Error(`${String(error)}\nserver stderr:\n${serve.stderr()}`);
      });
    } finally {
      db?.close();
      serve.child.kill('SIGTERM');
      await serve.exited();
      await disk.unmount();
    }
  });
});
