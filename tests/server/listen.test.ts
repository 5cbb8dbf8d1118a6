import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { DEFAULT_LIMITS, listen, type Listening } from '../../server/listen.ts';

/** A client that opens a socket and does only what the test says. */
async function socketTo(listening: Listening): Promise<{ socket: Socket; gone: Promise<unknown> }> {
  const socket = connect(listening.port, '127.0.0.1');
  const gone = once(socket, 'close');
  socket.on('error', () => undefined);
  // Read whatever the server says (a 408), so its closing the socket is seen.
  socket.resume();
  await once(socket, 'connect');
  return { socket, gone };
}

// Small limits so the test is quick; it waits for the server to close sockets, never for a duration.
describe('the public listener closes slow sockets and caps connections', { timeout: 20_000 }, () => {
  let slow: Listening;
  before(async () => {
    const app = express();
    app.post('/twilio/voice', express.urlencoded({ extended: false }), (_req, res) => void res.type('text/xml').send('<Response/>'));
    // The aborted body is the client's doing: answer quietly (the real app's error handler does the same).
    app.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(400).end());
    slow = await listen(app, { port: 0, host: '127.0.0.1', limits: { headersTimeoutMs: 200, requestTimeoutMs: 400, checkEveryMs: 50, maxConnections: 100 } });
  });
  after(() => slow.close());

  it('fits Twilio: a request must arrive within its 15 s webhook budget', () => {
    assert.ok(DEFAULT_LIMITS.headersTimeoutMs < DEFAULT_LIMITS.requestTimeoutMs);
    assert.ok(DEFAULT_LIMITS.requestTimeoutMs <= 15_000);
    assert.ok(DEFAULT_LIMITS.checkEveryMs <= 1000, 'checked often, not every 30 s');
  });

  it('closes a socket that never finishes its headers', async () => {
    const { socket, gone } = await socketTo(slow);
    socket.write('POST /twilio/voice HTTP/1.1\r\nHost: example\r\n');
    await gone;
  });

  it('closes a socket that never finishes its body', async () => {
    const { socket, gone } = await socketTo(slow);
    socket.write('POST /twilio/voice HTTP/1.1\r\nHost: example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nCallSid=CA');
    await gone;
  });

  it('still answers a whole request', async () => {
    const response = await fetch(`${slow.url}/twilio/voice`, { method: 'POST', body: new URLSearchParams({ CallSid: 'CA1' }) });
    assert.equal(response.status, 200);
  });

  it('closes connections over the cap at once and keeps the others', async () => {
    const capped = await listen(express(), { port: 0, host: '127.0.0.1', limits: { ...DEFAULT_LIMITS, maxConnections: 2 } });
    try {
      const kept = [await socketTo(capped), await socketTo(capped)];
      // The server has counted both before the third arrives.
      while ((await new Promise<number>((resolve) => capped.server.getConnections((_e, n) => resolve(n)))) < 2) await new Promise((r) => setImmediate(r));
      const extra = await socketTo(capped);
      await extra.gone;
      assert.ok(kept.every(({ socket }) => !socket.destroyed && socket.readyState === 'open'), 'the first two stay open');
      for (const { socket } of kept) socket.destroy();
    } finally {
      await capped.close();
    }
  });
});
