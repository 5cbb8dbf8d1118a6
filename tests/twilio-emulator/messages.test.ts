import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import twilio from 'twilio';
import { segmentCount } from '../../server/twilio/sms-segments.ts';
import { TwilioEmulator } from '../support/twilio-emulator/emulator.ts';
import { exchangeProblems } from '../support/openapi.ts';
import { ACCOUNTS, GUEST, LINE, MAIN, OTHER, sdk } from './fixtures.ts';

const SMS_NUMBER = '+14155550100';

/** A receiver for status callbacks: each form, and whether its signature checks out for MAIN. */
async function callbackReceiver() {
  const seen: { params: Record<string, string>; signed: boolean }[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${req.url ?? ''}`;
      seen.push({ params, signed: twilio.validateRequest(MAIN.authToken, String(req.headers['x-twilio-signature'] ?? ''), url, params) });
      res.writeHead(204).end();
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms-status`,
    seen,
    /** Resolves once a callback satisfying `done` has arrived (no timers: each arrival re-checks). */
    async until(done: () => boolean): Promise<void> {
      while (!done()) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the emulator: Messages (SMS)', () => {
  let emulator: TwilioEmulator;
  let receiver: Awaited<ReturnType<typeof callbackReceiver>>;
  before(async () => {
    emulator = await new TwilioEmulator({ accounts: ACCOUNTS }).start();
    emulator.addNumber({ accountSid: MAIN.sid, phoneNumber: SMS_NUMBER, smsCapable: true });
    emulator.addNumber({ accountSid: MAIN.sid, phoneNumber: LINE });
    emulator.addNumber({ accountSid: OTHER.sid as string, phoneNumber: '+14155550199', smsCapable: true });
    receiver = await callbackReceiver();
  });
  after(async () => {
    await emulator.stop();
    await receiver.close();
  });
  const client = () => sdk(MAIN, emulator.url);

  it("reports a number's SMS capability", async () => {
    const [sms, voiceOnly] = await Promise.all([SMS_NUMBER, LINE].map(async (n) => (await client().incomingPhoneNumbers.list({ phoneNumber: n }))[0]?.capabilities.sms));
    assert.deepEqual([sms, voiceOnly], [true, false]);
  });

  it('creates a message (queued), then sends status callbacks signed with the auth token: sent, delivered', async () => {
    const message = await client().messages.create({ to: GUEST, from: SMS_NUMBER, body: 'こんにちは！お祝いのメッセージをお願いします。', statusCallback: `${receiver.url}?send=1` });
    assert.match(message.sid, /^SM[0-9a-f]{32}$/);
    assert.equal(message.status, 'queued');
    assert.equal(message.numSegments, '1');
    await receiver.until(() => receiver.seen.some((s) => s.params['MessageStatus'] === 'delivered'));
    assert.deepEqual(receiver.seen.map((s) => [s.params['MessageSid'], s.params['MessageStatus'], s.signed]), [
      [message.sid, 'sent', true],
      [message.sid, 'delivered', true],
    ]);
    const fetched = await client().messages(message.sid).fetch();
    assert.equal(fetched.status, 'delivered');
    assert.ok(fetched.dateSent instanceof Date);
  });

  it('ends a message to an unreachable handset undelivered with 30003', async () => {
    emulator.setUnreachable('+819099990000');
    const message = await client().messages.create({ to: '+819099990000', from: SMS_NUMBER, body: 'hello', statusCallback: receiver.url });
    await receiver.until(() => receiver.seen.some((s) => s.params['MessageSid'] === message.sid && s.params['MessageStatus'] === 'undelivered'));
    const last = receiver.seen.at(-1);
    assert.equal(last?.params['ErrorCode'], '30003');
    assert.equal((await client().messages(message.sid).fetch()).errorCode, 30003);
  });

  it("refuses what Twilio refuses: a sender that can't text (21606), another account's number, a STOP'd recipient (21610), a bad number (21211)", async () => {
    await assert.rejects(client().messages.create({ to: GUEST, from: LINE, body: 'x' }), { status: 400, code: 21606 });
    await assert.rejects(client().messages.create({ to: GUEST, from: '+14155550199', body: 'x' }), { status: 400, code: 21606 });
    await assert.rejects(client().messages.create({ to: '090-1234', from: SMS_NUMBER, body: 'x' }), { status: 400, code: 21211 });
    emulator.optOut(SMS_NUMBER, GUEST);
    await assert.rejects(client().messages.create({ to: GUEST, from: SMS_NUMBER, body: 'again' }), { status: 400, code: 21610 });
    await assert.rejects(client().messages('SM' + '0'.repeat(32)).fetch(), { status: 404, code: 20404 });
  });

  it('counts segments as Twilio does (GSM-7 160/153, UCS-2 70/67)', () => {
    assert.deepEqual([segmentCount('a'.repeat(160)), segmentCount('a'.repeat(161)), segmentCount('あ'.repeat(70)), segmentCount('あ'.repeat(71)), segmentCount('あ'.repeat(134)), segmentCount('あ'.repeat(135))], [1, 2, 1, 2, 2, 3]);
  });

  it('answered every Messages request with what the spec declares', () => {
    const requests = emulator.requests.filter((r) => r.path.includes('/Messages'));
    assert.ok(requests.length >= 7);
    const seen = new Set<string>();
    for (const request of requests) assert.deepEqual(exchangeProblems(request, seen), [], `${request.method} ${request.path} ${request.status}`);
  });
});
