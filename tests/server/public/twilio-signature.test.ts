import assert from 'node:assert/strict';
import { test } from 'node:test';
import twilio from 'twilio';
import { expectedSignature, twilioSignatureProblem } from '../../../server/public/twilio-signature.ts';

const TOKEN = '5d41402abc4b2a76b9719d911017c592';
const PARAMS = { CallSid: `CA${'1'.repeat(32)}`, From: '+819012345678', Caller: '山田 花子+', Digits: '1#', Empty: '' };

test("our signature is twilio-node's, for ASCII and Japanese parameters", () => {
  for (const url of ['https://a1b2.ngrok.app/twilio/voice', 'http://127.0.0.1:43211/twilio/menu?take=RE0123', 'https://line.example.jp:8443/twilio/recorded']) {
    assert.equal(expectedSignature(TOKEN, url, PARAMS), twilio.getExpectedTwilioSignature(TOKEN, url, PARAMS), url);
    assert.equal(expectedSignature(TOKEN, url, {}), twilio.getExpectedTwilioSignature(TOKEN, url, {}), url);
  }
});

test('a request is accepted exactly when twilio-node would accept it', () => {
  // [the URL the request arrived at, the URL Twilio signed]
  const cases: [string, string][] = [
    ['https://a1b2.ngrok.app/twilio/voice', 'https://a1b2.ngrok.app/twilio/voice'],
    ['https://a1b2.ngrok.app/twilio/voice', 'https://a1b2.ngrok.app:443/twilio/voice'],
    ['https://a1b2.ngrok.app:443/twilio/voice', 'https://a1b2.ngrok.app/twilio/voice'],
    ['http://127.0.0.1:43211/twilio/menu?take=RE0123', 'http://127.0.0.1:43211/twilio/menu?take=RE0123'],
    ['http://127.0.0.1:43211/twilio/menu?take=RE0123', 'http://127.0.0.1/twilio/menu?take=RE0123'],
    ['http://127.0.0.1:43211/twilio/menu?take=RE0123', 'http://127.0.0.1:43211/twilio/menu?take=RE9999'],
    ['https://a1b2.ngrok.app/twilio/voice', 'https://a1b2.ngrok.app/twilio/recorded'],
    ['https://a1b2.ngrok.app/twilio/voice', 'https://other.ngrok.app/twilio/voice'],
    ['https://a1b2.ngrok.app/twilio/voice', 'http://a1b2.ngrok.app/twilio/voice'],
  ];
  let accepted = 0;
  for (const [url, signedUrl] of cases) {
    const signature = twilio.getExpectedTwilioSignature(TOKEN, signedUrl, PARAMS);
    const sdk = twilio.validateRequest(TOKEN, signature, url, PARAMS);
    assert.equal(twilioSignatureProblem(TOKEN, signature, url, PARAMS) === null, sdk, `${url} signed as ${signedUrl}`);
    if (sdk) accepted++;
  }
  // Both outcomes were exercised.
  assert.ok(accepted > 0 && accepted < cases.length);
});

test('a changed parameter, another token or no signature is refused', () => {
  const url = 'https://a1b2.ngrok.app/twilio/voice';
  const signature = expectedSignature(TOKEN, url, PARAMS);
  assert.equal(twilioSignatureProblem(TOKEN, signature, url, PARAMS), null);
  assert.equal(twilioSignatureProblem(TOKEN, signature, url, { ...PARAMS, Digits: '3' }), 'invalid signature');
  assert.equal(twilioSignatureProblem('0'.repeat(32), signature, url, PARAMS), 'invalid signature');
  assert.equal(twilioSignatureProblem(TOKEN, undefined, url, PARAMS), 'missing signature');
  assert.equal(twilioSignatureProblem(TOKEN, signature.slice(1), url, PARAMS), 'invalid signature');
});
