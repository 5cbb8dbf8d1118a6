import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createCore } from '../../../server/core.ts';
import { listen } from '../../../server/listen.ts';
import { memoryLog } from '../../../server/log.ts';
import { newSid } from '../../../server/twilio/sids.ts';
import { AUTH_TOKEN, signedPost, voiceParams } from '../../support/line-harness.ts';

describe('a line with no public address yet', () => {
  it('refuses a signed webhook with 403 (there is no URL Twilio could have signed), stores nothing, and keeps serving', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'shukuden-no-public-'));
    const log = memoryLog();
    const core = createCore({ dataDir, authToken: AUTH_TOKEN, log });
    const server = await listen(core.httpApp, { port: 0, host: '127.0.0.1' });
    try {
      const callSid = newSid('CA');
      const response = await signedPost(`${server.url}/twilio/voice`, voiceParams(callSid));
      assert.equal(response.status, 403);
      assert.equal(core.calls.getCall(callSid), null);
      assert.ok(log.entries.some((e) => e.level === 'warn' && JSON.stringify(e.fields).includes('no public address')));
      // The server is still there for the next request.
      assert.equal((await fetch(`${server.url}/nothing-here`)).status, 404);
    } finally {
      await server.close();
      core.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
