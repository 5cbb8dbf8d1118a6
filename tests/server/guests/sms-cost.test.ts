import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countriesOfNumber } from '../../../server/guests/calling-codes.ts';
import { smsCost, widestPrice } from '../../../server/guests/sms-cost.ts';
import { readSmsPrice } from '../../../server/twilio/sms-price.ts';

describe("an SMS round's price", () => {
  it("finds a number's country by its calling code (+1: the US or Canada; unknown codes: none)", () => {
    assert.deepEqual(countriesOfNumber('+819012345678'), ['JP']);
    assert.deepEqual(countriesOfNumber('+14155550100'), ['US', 'CA']);
    assert.deepEqual(countriesOfNumber('+85291234567'), ['HK']);
    assert.deepEqual(countriesOfNumber('+447700900123'), ['GB']);
    assert.deepEqual(countriesOfNumber('+2991234'), [], 'Greenland is not in the table: price unknown');
    assert.deepEqual(countriesOfNumber('09012345678'), [], 'not E.164');
  });

  it("reads Twilio's record: the range of current_price over carriers, strings or numbers, none when it lists none", () => {
    const country = { priceUnit: 'usd', outboundSmsPrices: [{ prices: [{ current_price: '0.0900', base_price: '0.0950', number_type: 'mobile' }] }, { prices: [{ current_price: 0.08 }] }] };
    assert.deepEqual(readSmsPrice(country), { unit: 'USD', min: 0.08, max: 0.09 });
    assert.equal(readSmsPrice({ priceUnit: 'USD', outboundSmsPrices: [] }), null);
    assert.equal(readSmsPrice({ priceUnit: 'USD', outboundSmsPrices: null }), null);
    assert.equal(readSmsPrice({ priceUnit: null, outboundSmsPrices: country.outboundSmsPrices }), null);
  });

  it('adds up segments × each recipient’s price; unknown as soon as one price is', () => {
    const jp = { unit: 'USD', min: 0.08, max: 0.09 };
    const us = { unit: 'USD', min: 0.0083, max: 0.0083 };
    const cost = smsCost([
      { segments: 2, price: jp },
      { segments: 1, price: us },
    ]);
    assert.equal(cost.kind, 'known');
    if (cost.kind === 'known') {
      assert.deepEqual(cost.perSegment, { min: 0.0083, max: 0.09 });
      assert.ok(Math.abs(cost.total.min - 0.1683) < 1e-9 && Math.abs(cost.total.max - 0.1883) < 1e-9);
    }
    assert.deepEqual(smsCost([{ segments: 1, price: jp }, { segments: 1, price: null }]), { kind: 'unknown', unknownFor: 1 });
    assert.deepEqual(smsCost([{ segments: 1, price: jp }, { segments: 1, price: { ...us, unit: 'JPY' } }]), { kind: 'unknown', unknownFor: 2 }, 'two currencies cannot be added');
    assert.deepEqual(smsCost([]), { kind: 'nothing' });
    assert.deepEqual(widestPrice([us, { unit: 'USD', min: 0.01, max: 0.01 }]), { unit: 'USD', min: 0.0083, max: 0.01 });
    assert.equal(widestPrice([us, null]), null);
    assert.equal(widestPrice([]), null);
  });
});
