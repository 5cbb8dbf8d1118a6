import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryLog } from '../../../server/log.ts';
import { startGuestLink } from '../../support/guest-harness.ts';

test('a guest page missing from the app (a damaged install): the guest is asked to come back in plain words, the organiser’s log says why', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'shukuden-no-page-'));
  const log = memoryLog();
  const guest = await startGuestLink({ pageDir: empty, log });
  try {
    const response = await fetch(guest.link());
    assert.equal(response.status, 503);
    const text = await response.text();
    assert.match(text, /ただいまこのページを表示できません/);
    assert.match(text, /not available right now/);
    assert.doesNotMatch(text, /npm|build|install/i, 'nothing meant for the organiser or a developer');
    assert.ok(log.entries.some((entry) => entry.level === 'error' && /guest page is missing.*install Shukuden again/.test(entry.message)), JSON.stringify(log.entries));
  } finally {
    await guest.close();
    await rm(empty, { recursive: true, force: true });
  }
});
