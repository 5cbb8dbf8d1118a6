/**
 * The loopback tunnel stands in for ngrok: it must pass requests on as ngrok does, including the
 * forwarded headers ngrok adds (ngrok docs, "Forwarded Headers Reference": x-forwarded-for is the
 * client's address, appended when the request already has one; x-forwarded-proto likewise;
 * x-forwarded-host is the client's own, else its Host).
 */
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { LoopbackTunnel } from '../../../server/tunnel/loopback-tunnel.ts';

function get(url: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => res.resume().on('end', resolve));
    req.on('error', reject).end();
  });
}

test('adds the forwarded headers ngrok adds, appending to what the client sent', async () => {
  const seen: IncomingHttpHeaders[] = [];
  const app = createServer((req, res) => {
    seen.push(req.headers);
    res.end('ok');
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const tunnel = new LoopbackTunnel();
  try {
    const { url } = await tunnel.open(`http://127.0.0.1:${(app.address() as AddressInfo).port}`);
    await get(`${url}/plain`, {});
    await get(`${url}/forged`, { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'guest.example' });
    const [plain, forged] = seen;
    assert.equal(plain?.['x-forwarded-for'], '127.0.0.1', 'the address the tunnel saw');
    assert.equal(plain?.['x-forwarded-proto'], 'http');
    assert.equal(plain?.['x-forwarded-host'], new URL(url).host);
    assert.equal(forged?.['x-forwarded-for'], '203.0.113.7, 127.0.0.1', 'appended: the last entry is the one the tunnel added');
    assert.equal(forged?.['x-forwarded-proto'], 'https, http');
    assert.equal(forged?.['x-forwarded-host'], 'guest.example');
  } finally {
    await tunnel.close();
    await new Promise((resolve) => app.close(resolve));
  }
});
