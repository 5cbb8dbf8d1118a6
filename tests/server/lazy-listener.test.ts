import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import { describe, it } from 'node:test';
import { lazyListener } from '../../server/lazy-listener.ts';
import { listen } from '../../server/listen.ts';
import { memoryLog } from '../../server/log.ts';

/** Serves `handle` on loopback while `use` runs. */
async function serving(handle: RequestListener, use: (url: string) => Promise<void>): Promise<void> {
  const server = await listen(handle, { port: 0, host: '127.0.0.1' });
  try {
    await use(server.url);
  } finally {
    await server.close();
  }
}

describe('lazyListener', () => {
  it('reads the listener on the first request, once, and every request is answered by it', async () => {
    let loads = 0;
    let release: () => void = () => undefined;
    const loading = new Promise<void>((resolve) => (release = resolve));
    const lazy = lazyListener(
      async () => {
        loads++;
        await loading;
        return (req, res) => void res.end(`loaded:${req.url}`);
      },
      { log: memoryLog(), what: 'The test app' },
    );
    await serving(lazy.handle, async (url) => {
      assert.equal(loads, 0, 'nothing read before a request needs it');
      // Two requests while it loads: both wait for the same load.
      const first = fetch(`${url}/a`).then((r) => r.text());
      const second = fetch(`${url}/b`).then((r) => r.text());
      while (loads === 0) await new Promise((resolve) => setImmediate(resolve));
      release();
      assert.deepEqual(await Promise.all([first, second]), ['loaded:/a', 'loaded:/b']);
      assert.equal(await (await fetch(`${url}/c`)).text(), 'loaded:/c');
      assert.equal(loads, 1);
    });
  });

  it('preload() reads it without a request; requests then use that one', async () => {
    let loads = 0;
    const lazy = lazyListener(
      () => {
        loads++;
        return Promise.resolve((_req, res) => void res.end('ok'));
      },
      { log: memoryLog(), what: 'The test app' },
    );
    await lazy.preload();
    assert.equal(loads, 1);
    await serving(lazy.handle, async (url) => assert.equal(await (await fetch(url)).text(), 'ok'));
    assert.equal(loads, 1);
  });

  it('a listener that cannot be read: a 500 in plain Japanese and English for every request, logged once', async () => {
    const log = memoryLog();
    const lazy = lazyListener(() => Promise.reject(new Error('Cannot find module express')), { log, what: 'The test app' });
    await lazy.preload();
    await serving(lazy.handle, async (url) => {
      for (const path of ['/', '/x']) {
        const response = await fetch(`${url}${path}`);
        assert.equal(response.status, 500);
        const text = await response.text();
        assert.match(text, /Restart Shukuden/);
        assert.match(text, /再起動/);
      }
    });
    assert.deepEqual(
      log.entries.map((e) => [e.level, e.message]),
      [['error', 'The test app could not be loaded']],
    );
  });
});
