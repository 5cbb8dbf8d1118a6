import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { smsCost } from '../../../server/guests/sms-cost.ts';
import { GuestController } from '../../../server/organiser/guest-controller.ts';
import { GuestSms } from '../../../server/organiser/guest-sms.ts';
import { JAPAN_SMS_PRICES } from '../../support/twilio-emulator/emulator.ts';
import { ACCOUNT_SID, LINE_NUMBER, startLine, type LineHarness } from '../../support/line-harness.ts';
import { press, speak } from '../../support/script.ts';
import { connect, eventually } from '../../support/twilio-harness.ts';

const LIST = ['名前,電話,グループ', '髙橋 一郎,090-1111-0001,新郎友人', '伊藤 次郎,090-1111-0002,新郎友人', '新婦 さくら,090-9999-0000,家族', '佐藤 花子,090-2222-0001,新婦友人', 'Emma Stone,,新婦友人', '鈴木 美咲,090-3333-0001,会社'].join('\n');
const pricingRequests = (line: LineHarness) => line.emulator.requests.filter((r) => r.path.startsWith('/v1/Messaging/'));
const TEMPLATE = '{name}さん、お祝いの声のメッセージをお願いします！ 050-1234-5678 へお電話ください。';

describe('SMS invitations and reminders through the Twilio number', () => {
  let line: LineHarness;
  let guests: GuestController;
  const id = (name: string) => guests.view().guests.find((g) => g.name === name)?.id ?? 0;
  before(async () => {
    // The bride's number is on the surprise list: she must never get a text.
    line = await startLine({ settings: { surpriseNumbers: ['090-9999-0000'], defaultCountryCode: '81' } });
    line.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER, smsCapable: true });
    await connect(line.core);
    guests = new GuestController({ core: line.core, language: () => 'ja' });
    guests.import({ kind: 'text', text: LIST });
  });
  after(async () => {
    await line.core.disconnectTwilio({ restore: true });
    await line.close();
  });

  it('offers SMS when the number can send it', async () => {
    const options = await guests.sms.options();
    assert.deepEqual([options.available, options.from, options.reason], [true, LINE_NUMBER, null]);
  });

  it('previews exactly what goes out, to whom, and who is left out and why', () => {
    const plan = guests.sms.plan('invitation', TEMPLATE);
    assert.deepEqual(plan.recipients.map((r) => [r.name, r.to]), [
      ['髙橋 一郎', '+819011110001'],
      ['伊藤 次郎', '+819011110002'],
      ['佐藤 花子', '+819022220001'],
      ['鈴木 美咲', '+819033330001'],
    ]);
    assert.equal(plan.recipients[0]?.body, '髙橋 一郎さん、お祝いの声のメッセージをお願いします！ 050-1234-5678 へお電話ください。');
    assert.equal(plan.recipients[0]?.segments, 1);
    assert.deepEqual(plan.skipped.map((s) => [s.name, s.reason]), [
      ['新婦 さくら', 'surprise'],
      ['Emma Stone', 'no-phone'],
    ]);
    assert.equal(line.emulator.messages.length, 0, 'a preview sends nothing');
  });

  it("shows Twilio's price per segment for each recipient and the round's total, asking once per country", async () => {
    line.emulator.setSmsPrices('JP', JAPAN_SMS_PRICES);
    line.emulator.clearRequests();
    // Japanese text: one segment up to 70 characters, so a long one costs three.
    const long = `{name}さん、${'お祝いのメッセージをお願いします。'.repeat(8)}`;
    const preview = await guests.sms.preview('invitation', long);
    assert.equal(preview.recipients.length, 4);
    for (const r of preview.recipients) assert.deepEqual(r.price, { unit: 'USD', min: 0.08, max: 0.09 });
    const cost = smsCost(preview.recipients);
    assert.equal(cost.kind, 'known');
    const segments = preview.recipients.reduce((n, r) => n + r.segments, 0);
    assert.ok(segments > 4, 'a long Japanese text is several segments each');
    if (cost.kind === 'known') {
      assert.deepEqual(cost.perSegment, { min: 0.08, max: 0.09 });
      assert.ok(Math.abs(cost.total.max - segments * 0.09) < 1e-9 && Math.abs(cost.total.min - segments * 0.08) < 1e-9);
    }
    await guests.sms.preview('reminder', TEMPLATE);
    assert.deepEqual(pricingRequests(line).map((r) => [r.path, r.status]), [['/v1/Messaging/Countries/JP', 200]], 'Japan asked once for the session');
    assert.equal(line.emulator.messages.length, 0, 'a preview sends nothing');
  });

  it('says the price is unknown when the Pricing API fails or has no price for the country', async () => {
    // A fresh controller: its own session, so nothing is cached yet.
    const fresh = new GuestController({ core: line.core, language: () => 'en' });
    line.emulator.injectFault({ method: 'GET', path: /^\/v1\/Messaging\/Countries\/JP$/, fault: { kind: 'status', status: 503 } });
    const failed = await fresh.sms.preview('invitation', TEMPLATE);
    assert.ok(failed.recipients.every((r) => r.price === null));
    assert.deepEqual(smsCost(failed.recipients), { kind: 'unknown', unknownFor: 4 });
    // A failure is asked again next time (and now Twilio answers).
    assert.ok((await fresh.sms.preview('invitation', TEMPLATE)).recipients.every((r) => r.price?.max === 0.09));
    // No answer at all (the emulator holds the request until it stops): the preview doesn't wait for it.
    const patient = new GuestSms(line.core, { priceWaitMs: 50 });
    line.emulator.injectFault({ method: 'GET', path: /^\/v1\/Messaging\/Countries\/JP$/, fault: { kind: 'slow', ms: 10 * 60_000 } });
    assert.ok((await patient.preview('invitation', TEMPLATE)).recipients.every((r) => r.price === null));
    assert.ok((await patient.preview('invitation', TEMPLATE)).recipients.every((r) => r.price?.max === 0.09), 'asked again next time');
    // A country Twilio lists no price for (404), and a US number next to a Japanese one.
    line.emulator.setSmsPrices('JP', null);
    const other = new GuestController({ core: line.core, language: () => 'en' });
    other.add({ name: 'Emma Stone', phone: '+1 415 555 0123' });
    line.emulator.setSmsPrices('US', { ...JAPAN_SMS_PRICES, country: 'United States', outbound: [{ carrier: 'Verizon', mcc: '311', mnc: '480', prices: [{ numberType: 'local', basePrice: '0.0083', currentPrice: '0.0083' }] }] });
    line.emulator.setSmsPrices('CA', { ...JAPAN_SMS_PRICES, country: 'Canada', outbound: [{ carrier: 'Rogers', mcc: '302', mnc: '720', prices: [{ numberType: 'local', basePrice: '0.0100', currentPrice: '0.0100' }] }] });
    const mixed = await other.sms.preview('invitation', TEMPLATE);
    assert.deepEqual(mixed.recipients.find((r) => r.to === '+14155550123')?.price, { unit: 'USD', min: 0.0083, max: 0.01 }, '+1 is the US or Canada: the range of both');
    assert.ok(mixed.recipients.filter((r) => r.to.startsWith('+81')).every((r) => r.price === null));
    assert.deepEqual(smsCost(mixed.recipients), { kind: 'unknown', unknownFor: 4 });
    other.remove(other.view().guests.find((g) => g.phone === '+14155550123')?.id ?? 0);
    line.emulator.setSmsPrices('JP', JAPAN_SMS_PRICES);
  });

  it('sends the invitation to the chosen guests, never to the surprise list, and shows delivery status per guest', async () => {
    line.emulator.setUnreachable('+819011110002');
    line.emulator.optOut(LINE_NUMBER, '+819033330001');
    const chosen = ['髙橋 一郎', '伊藤 次郎', '新婦 さくら', '鈴木 美咲'].map(id);
    // Sending never depends on the price: with none known for Japan it still goes out.
    line.emulator.setSmsPrices('JP', null);
    const result = await guests.sms.send('invitation', TEMPLATE, chosen);
    line.emulator.setSmsPrices('JP', JAPAN_SMS_PRICES);
    assert.equal(result.sent, 2);
    assert.deepEqual(result.refused.map((r) => [r.name, r.problem.code]), [['鈴木 美咲', 'sms-opted-out']]);
    assert.deepEqual(line.emulator.messages.map((m) => m.to).sort(), ['+819011110001', '+819011110002']);
    assert.ok(!line.emulator.messages.some((m) => m.to === '+819099990000'), 'never to the surprise list');
    const statusOf = async (name: string) => (await guests.sms.options()).sends.find((s) => s.guestId === id(name));
    // Twilio's signed status callbacks reach the app through the tunnel.
    await eventually(() => line.core.sms.list().filter((s) => s.status === 'delivered' || s.status === 'undelivered').length === 2, 10_000, 'delivery callbacks');
    assert.equal((await statusOf('髙橋 一郎'))?.status, 'delivered');
    assert.deepEqual([(await statusOf('伊藤 次郎'))?.status, (await statusOf('伊藤 次郎'))?.problem?.code], ['undelivered', 'sms-unreachable']);
    assert.deepEqual([(await statusOf('鈴木 美咲'))?.status, (await statusOf('鈴木 美咲'))?.problem?.code], ['refused', 'sms-opted-out']);
  });

  it('sends each guest at most one invitation, and respects STOP afterwards', async () => {
    const again = await guests.sms.send('invitation', TEMPLATE);
    assert.equal(again.sent, 1, 'only 佐藤 花子, who was not chosen before');
    assert.deepEqual(again.plan.skipped.map((s) => [s.name, s.reason]).filter(([, r]) => r !== 'no-phone' && r !== 'surprise'), [
      ['髙橋 一郎', 'already-sent'],
      ['伊藤 次郎', 'already-sent'],
      ['鈴木 美咲', 'already-sent'],
    ]);
    assert.equal(line.emulator.messages.length, 3);
  });

  it('reminds only those who have not left a message, once per round', async () => {
    await line.call([speak(2), press('1')], { from: '+819011110001' });
    const reminder = '{name}さん、締め切りは明日です。';
    const first = await guests.sms.send('reminder', reminder);
    assert.deepEqual(first.plan.recipients.map((r) => r.name), ['伊藤 次郎', '佐藤 花子']);
    assert.ok(first.plan.skipped.some((s) => s.name === '髙橋 一郎' && s.reason === 'already-left-message'));
    assert.ok(first.plan.skipped.some((s) => s.name === '鈴木 美咲' && s.reason === 'opted-out'));
    assert.equal((await guests.sms.send('reminder', reminder)).sent, 0, 'the same round sends nobody twice');
    guests.sms.newReminderRound();
    assert.equal((await guests.sms.send('reminder', reminder)).sent, 2, 'a new round may remind them again');
    // Let the message come home and every SMS reach its final status before the line closes.
    await eventually(() => line.core.libraryStore.list().every((e) => e.health !== null || e.healthError !== null), 10_000, 'the message checked');
    await eventually(() => line.core.sms.list().every((s) => ['delivered', 'undelivered', 'refused'].includes(s.status)), 10_000, 'final SMS statuses');
  });

  it('rejects a forged status callback', async () => {
    const response = await fetch(`${line.publicUrl}/twilio/sms-status?send=1`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `MessageSid=SM${'0'.repeat(32)}&MessageStatus=failed` });
    assert.equal(response.status, 403);
    assert.equal(line.core.sms.list()[0]?.status, 'delivered');
  });
});

describe('SMS on a number that cannot send it', () => {
  let line: LineHarness;
  before(async () => {
    line = await startLine();
    line.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER });
  });
  after(() => line.close());

  it('is not offered, and says why — without a Twilio account, and for a number without SMS', async () => {
    const guests = new GuestController({ core: line.core, language: () => 'en' });
    assert.equal((await guests.sms.options()).reason?.code, 'sms-no-twilio');
    await connect(line.core);
    const options = await guests.sms.options();
    assert.equal(options.available, false);
    assert.equal(options.reason?.code, 'sms-number-cannot-send');
    line.emulator.setSmsPrices('JP', JAPAN_SMS_PRICES);
    guests.add({ name: '髙橋 一郎', phone: '090-1111-0001' });
    const preview = await guests.sms.preview('invitation', 'hi');
    assert.equal(preview.recipients.length, 1);
    assert.equal(preview.recipients[0]?.price, null);
    assert.deepEqual(pricingRequests(line), [], 'no price is asked when SMS is not offered');
    assert.match(options.reason?.en ?? '', /can't send SMS.*LINE or email/);
    await assert.rejects(guests.sms.send('invitation', 'hi'), { code: 'sms-number-cannot-send' });
    assert.equal(line.emulator.messages.length, 0);
    await line.core.disconnectTwilio({ restore: true });
  });
});
