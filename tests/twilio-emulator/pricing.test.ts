import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JAPAN_SMS_PRICES, TwilioEmulator } from '../support/twilio-emulator/emulator.ts';
import { exchangeProblems } from '../support/openapi.ts';
import { ACCOUNTS, get, MAIN, sdk } from './fixtures.ts';

describe('the emulator: Pricing (SMS prices per country)', () => {
  let emulator: TwilioEmulator;
  before(async () => {
    emulator = await new TwilioEmulator({ accounts: ACCOUNTS }).start();
    emulator.setSmsPrices('JP', JAPAN_SMS_PRICES);
  });
  after(() => emulator.stop());
  const client = () => sdk(MAIN, emulator.url);

  it("answers a country's outbound prices per carrier through the SDK, as strings in price_unit", async () => {
    const country = await client().pricing.v1.messaging.countries('JP').fetch();
    assert.equal(country.isoCountry, 'JP');
    assert.equal(country.country, 'Japan');
    assert.equal(country.priceUnit, 'USD');
    assert.equal(country.url, `${emulator.url}/v1/Messaging/Countries/JP`);
    // The SDK passes each carrier's `prices` through as Twilio wrote them (snake_case).
    const prices = country.outboundSmsPrices.map((c) => [c.carrier, c.mcc, c.mnc, (c.prices as unknown[]).map((p) => (p as Record<string, unknown>)['current_price'])]);
    assert.deepEqual(prices, [
      ['NTT Docomo', '440', '10', ['0.0900']],
      ['KDDI', '440', '50', ['0.0800']],
    ]);
    assert.deepEqual(country.inboundSmsPrices.map((p) => [p.numberType, p.currentPrice]), [['mobile', '0.0075']]);
  });

  it('answers 404 (20404) for a country it has no prices for, and 401 without valid credentials', async () => {
    await assert.rejects(client().pricing.v1.messaging.countries('ZZ').fetch(), { status: 404, code: 20404 });
    const anonymous = await fetch(`${emulator.url}/v1/Messaging/Countries/JP`);
    assert.equal(anonymous.status, 401);
    assert.equal((await get(`${emulator.url}/v1/Messaging/Countries/JP`, { ...MAIN, authToken: 'wrong' })).status, 401);
  });

  it('lets a test take a country away again', async () => {
    emulator.setSmsPrices('GB', { country: 'United Kingdom', priceUnit: 'USD', outbound: [], inbound: [] });
    assert.equal((await client().pricing.v1.messaging.countries('GB').fetch()).country, 'United Kingdom');
    emulator.setSmsPrices('GB', null);
    await assert.rejects(client().pricing.v1.messaging.countries('GB').fetch(), { status: 404 });
  });

  it("answered every Pricing request with what Twilio's spec declares", () => {
    const requests = emulator.requests.filter((r) => r.path.startsWith('/v1/Messaging/'));
    assert.ok(requests.length >= 4);
    const seen = new Set<string>();
    for (const request of requests) assert.deepEqual(exchangeProblems(request, seen), [], `${request.method} ${request.path} ${request.status}`);
    assert.deepEqual([...seen], ['FetchMessagingCountry']);
  });
});
