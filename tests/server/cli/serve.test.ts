import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CallStore } from '../../../server/store/call-store.ts';
import { openDatabase } from '../../../server/store/database.ts';
import { TwilioEmulator } from '../../support/twilio-emulator/emulator.ts';
import { scriptedCaller } from '../../../server/voice-sim/caller.ts';
import { placeCall } from '../../../server/voice-sim/simulator.ts';
import { ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER } from '../../support/line-harness.ts';
import { press, speak } from '../../support/script.ts';
import { freePort, spawnServe } from '../../support/spawn-serve.ts';

describe('npm run serve', () => {
  let work: string;
  let emulator: TwilioEmulator;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-serve-'));
    emulator = await new TwilioEmulator({ accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN }], mediaDelayMs: 200 }).start();
  });
  after(async () => {
    await emulator.stop();
    await rm(work, { recursive: true, force: true });
  });

  const callLine = (voiceUrl: string) =>
    placeCall({
      voiceUrl,
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: '+819011112222',
      to: LINE_NUMBER,
      caller: scriptedCaller([speak(3), press('1')]),
      recordings: emulator,
    });

  it('serves the line headless, keeps messages in the data folder, and stops on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = join(work, 'line');
    const serve = spawnServe(['--data-dir', dataDir, '--port', String(port), '--public-url', `http://127.0.0.1:${port}/`], {
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      SHUKUDEN_TWILIO_API_BASE: emulator.url,
    });
    try {
      assert.equal(await serve.line('TwiML server:'), `http://127.0.0.1:${port}`);
      const webhook = await serve.line('Voice webhook:');
      assert.equal(webhook, `http://127.0.0.1:${port}/twilio/voice`);
      const call = await callLine(webhook);
      assert.ok(call.events.some((e) => e.kind === 'play' && e.status === 200), 'the guest heard their message back');
      const takes = new CallStore(openDatabase(dataDir)).listTakes(call.callSid);
      assert.deepEqual(takes.map((t) => [t.status, t.durationSeconds]), [['kept', 3]]);
    } finally {
      serve.child.kill('SIGTERM');
    }
    assert.equal(await serve.exited(), 0);
  });

  it('picks a free port with --port 0 and prints it', async () => {
    const serve = spawnServe(['--data-dir', join(work, 'zero'), '--port', '0'], { TWILIO_AUTH_TOKEN: AUTH_TOKEN });
    try {
      const url = await serve.line('TwiML server:');
      assert.match(url, /^http:\/\/127\.0\.0\.1:(\d+)$/);
      assert.notEqual(url, 'http://127.0.0.1:0');
      assert.equal((await fetch(`${url}/nothing-here`)).status, 404);
    } finally {
      serve.child.kill('SIGTERM');
    }
    assert.equal(await serve.exited(), 0);
  });

  it('refuses calls, and says why, when TWILIO_AUTH_TOKEN is not set', async () => {
    const serve = spawnServe(['--data-dir', join(work, 'notoken'), '--port', '0']);
    try {
      const url = await serve.line('TwiML server:');
      assert.match(serve.stderr(), /TWILIO_AUTH_TOKEN is not set/);
      const call = await callLine(`${url}/twilio/voice`);
      assert.deepEqual(call.events.map((e) => e.kind), ['application-error']);
    } finally {
      serve.child.kill('SIGTERM');
    }
  });

  it('explains bad input and exits non-zero without starting', async () => {
    const file = join(work, 'a-file');
    await writeFile(file, 'not a folder');
    const cases: [string[], RegExp][] = [
      [['--bogus'], /Unknown option '--bogus'[\s\S]*Usage: npm run serve/],
      [['--port', 'abc'], /"abc" is not a port number/],
      [['--port', '70000'], /not a port number/],
      [['--public-url', 'ftp://example.com'], /not a usable public URL/],
      [['--public-url', 'https://example.com/?x=1'], /not a usable public URL/],
      [['--data-dir', join(file, 'sub')], /can't use the data folder[\s\S]*データフォルダ/],
    ];
    for (const [args, message] of cases) {
      const serve = spawnServe(args, { TWILIO_AUTH_TOKEN: AUTH_TOKEN });
      assert.equal(await serve.exited(), 2, args.join(' '));
      assert.match(serve.stderr(), message, args.join(' '));
      assert.doesNotMatch(serve.stdout(), /TwiML server/);
    }
  });

  it('says so when the port is taken', async () => {
    const port = await freePort();
    const first = spawnServe(['--data-dir', join(work, 'p1'), '--port', String(port)], { TWILIO_AUTH_TOKEN: AUTH_TOKEN });
    try {
      await first.line('TwiML server:');
      const second = spawnServe(['--data-dir', join(work, 'p2'), '--port', String(port)], { TWILIO_AUTH_TOKEN: AUTH_TOKEN });
      assert.equal(await second.exited(), 2);
      assert.match(second.stderr(), new RegExp(`Can't listen on port ${port}`));
    } finally {
      first.child.kill('SIGTERM');
    }
  });
});
