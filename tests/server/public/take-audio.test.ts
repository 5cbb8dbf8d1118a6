import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { fetchTakeAudio } from '../../../server/public/take-audio.ts';

describe('take playback fetch', () => {
  it('real-services: Functions 10-second limit — gives up at its deadline even while a request hangs', async () => {
    // Twilio's media host accepts the request and never answers (a stalled connection).
    const waiting: IncomingMessage[] = [];
    const server = createServer((req) => void waiting.push(req));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      // The deadline the hosted line gets is well under the function's limit; the limit itself
      // is modelled as a race, like Twilio's runtime stopping a function that has not answered.
      const LIMIT_MS = 4000;
      const outcome = await Promise.race([
        fetchTakeAudio(`${base}/2010-04-01/Accounts/AC1/Recordings/RE1`, { apiBase: base, accountSid: 'AC1', authToken: 't', waitMs: 300 }).then((audio) => ({ kind: 'answered' as const, audio })),
        sleep(LIMIT_MS).then(() => ({ kind: 'killed-by-the-limit' as const })),
      ]);
      assert.deepEqual(outcome, { kind: 'answered', audio: null }, 'playback gives up by itself, and the menu follows');
      assert.ok(waiting.length >= 1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
