import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnServe } from '../../support/spawn-serve.ts';

describe('npm run serve -- --guest-link', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-serve-guest-'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('turns the guest link on and prints it; the page opens there, the organiser API does not', async () => {
    const serve = spawnServe(['--data-dir', join(work, 'line'), '--port', '0', '--guest-link']);
    try {
      const url = await serve.line('Guest link:');
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/g\/[A-Za-z0-9_-]{24,}$/);
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<main id="guest"/);
      const origin = new URL(url).origin;
      assert.equal((await fetch(`${origin}/api/rpc/getState`, { method: 'POST' })).status, 404);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited();
    }
  });
});
