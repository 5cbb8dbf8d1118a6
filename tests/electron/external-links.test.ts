import assert from 'node:assert/strict';
import { test } from 'node:test';
import { externalLink } from '../../electron/external-links.ts';

test("the desktop window opens only Twilio's and ngrok's https pages in the browser", () => {
  for (const url of ['https://www.twilio.com/try-twilio', 'https://console.twilio.com/', 'https://www.twilio.com/en-us/voice/pricing/us', 'https://dashboard.ngrok.com/get-started/your-authtoken']) {
    assert.equal(externalLink(url), url, url);
  }
  for (const url of [
    'http://www.twilio.com/try-twilio',
    'https://twilio.com.evil.example/',
    'https://evil.example/?u=https://www.twilio.com',
    'https://www.twilio.com@evil.example/',
    'https://user:pass@www.twilio.com/',
    'https://www.twilio.com:8443/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'shukuden-app://ui/index.html',
    'not a url',
  ]) {
    assert.equal(externalLink(url), null, url);
  }
});
