import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startOrganiserApp } from '../../support/organiser-app.ts';

describe("the invitation's deadline", () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'shukuden-deadline-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('is saved through the organiser API, refused when not a date, and still there after a restart', async () => {
    const first = await startOrganiserApp({ dataDir });
    try {
      assert.equal((await first.rpc('getState', {})).body.value?.invitation.deadline, '', 'none at first');
      const saved = await first.rpc('setInvitationDeadline', { deadline: '2026-12-20' });
      assert.deepEqual(saved.body.value, { deadline: '2026-12-20' });
      const bad = await first.rpc('setInvitationDeadline', { deadline: '20 December' });
      assert.equal(bad.body.ok, false);
      assert.ok(bad.body.error?.en && bad.body.error.ja, 'a problem in both languages');
      assert.equal((await first.rpc('getState', {})).body.value?.invitation.deadline, '2026-12-20', 'bad input changes nothing');
    } finally {
      await first.close();
    }
    const second = await startOrganiserApp({ dataDir });
    try {
      assert.equal((await second.rpc('getState', {})).body.value?.invitation.deadline, '2026-12-20');
      await second.rpc('setInvitationDeadline', { deadline: '' });
      assert.equal((await second.rpc('getState', {})).body.value?.invitation.deadline, '', 'cleared');
    } finally {
      await second.close();
    }
  });
});
