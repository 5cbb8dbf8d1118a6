import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LoopbackTunnel } from '../../../server/tunnel/loopback-tunnel.ts';
import { AUTH_TOKEN } from '../../support/line-harness.ts';
import { freePort, spawnServe } from '../../support/spawn-serve.ts';
import { eventually } from '../../support/twilio-harness.ts';

describe('npm run serve: tunnel and public URL', () => {
  let work: string;
  before(async () => (work = await mkdtemp(join(tmpdir(), 'shukuden-serve-tunnel-'))));
  after(() => rm(work, { recursive: true, force: true }));

  it('verifies an own public URL (a reverse proxy) and prints each status change', async () => {
    const port = await freePort();
    const proxy = new LoopbackTunnel();
    const publicUrl = (await proxy.open(`http://127.0.0.1:${port}`)).url;
    const serve = spawnServe(['--data-dir', join(work, 'own'), '--port', String(port), '--public-url', publicUrl], { TWILIO_AUTH_TOKEN: AUTH_TOKEN });
    try {
      assert.equal(await serve.line('Line verified: ok'), '');
      assert.equal(await serve.line('Voice webhook:'), `${publicUrl}/twilio/voice`);
      assert.match(serve.stdout(), /Line tunnel: ok http:\/\/127\.0\.0\.1:\d+\nLine number: skipped/);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited();
      await proxy.close();
    }
  });

  it('says when the public URL does not reach the app', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const serve = spawnServe(['--data-dir', join(work, 'nowhere'), '--port', '0', '--public-url', nowhere], { TWILIO_AUTH_TOKEN: AUTH_TOKEN });
    try {
      const line = await serve.line('Line verified: failed');
      assert.match(line, /can't be reached/);
      assert.match(line, /接続できない/);
      assert.doesNotMatch(serve.stdout(), /Voice webhook/);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited();
    }
  });

  it('stops with the fix when --tunnel ngrok has no authtoken', async () => {
    const serve = spawnServe(['--data-dir', join(work, 'notoken'), '--port', '0', '--tunnel', 'ngrok'], { TWILIO_AUTH_TOKEN: AUTH_TOKEN });
    assert.equal(await serve.exited(), 2);
    assert.match(serve.stderr(), /ngrok needs your authtoken[\s\S]*NGROK_AUTHTOKEN/);
  });

  it('keeps trying, and says why, when ngrok cannot be reached', async () => {
    const serve = spawnServe(['--data-dir', join(work, 'offline'), '--port', '0', '--tunnel', 'ngrok'], {
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      NGROK_AUTHTOKEN: '2fAkEtOkEn0123456789abcdefghij_KLMNOPQRSTUVWXYZ0123456',
    });
    try {
      const line = await serve.line('Line tunnel: failed');
      assert.match(line, /Can't reach ngrok/);
      await eventually(() => serve.child.exitCode === null, 1000, 'still running');
    } finally {
      serve.child.kill('SIGTERM');
    }
    assert.equal(await serve.exited(), 0);
  });

  it('refuses contradictory flags', async () => {
    for (const [args, message] of [
      [['--tunnel', 'localtunnel'], /only one is "ngrok"/],
      [['--tunnel', 'ngrok', '--public-url', 'https://example.com'], /either --tunnel ngrok or --public-url/],
      [['--domain', 'x.ngrok.app'], /--domain goes with --tunnel ngrok/],
    ] as const) {
      const serve = spawnServe([...args], { TWILIO_AUTH_TOKEN: AUTH_TOKEN });
      assert.equal(await serve.exited(), 2);
      assert.match(serve.stderr(), message);
    }
  });
});
