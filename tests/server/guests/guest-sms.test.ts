import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GuestController } from '../../../server/organiser/guest-controller.ts';
import { ACCOUNT_SID, LINE_NUMBER, startLine, type LineHarness } from '../../support/line-harness.ts';
import { press, speak } from '../../support/script.ts';
import { connect, eventually } from '../../support/twilio-harness.ts';

const LIST = ['名前,電話,グループ', '髙橋 一郎,090-1111-0001,新郎友人', '伊藤 次郎,090-1111-0002,新郎友人', '新婦 さくら,090-9999-0000,家族', '佐藤 花子,090-2222-0001,新婦友人', 'Emma Stone,,新婦友人', '鈴木 美咲,090-3333-0001,会社'].join('\n');
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

  it('sends the invitation to the chosen guests, never to the surprise list, and shows delivery status per guest', async () => {
    line.emulator.setUnreachable('+819011110002');
    line.emulator.optOut(LINE_NUMBER, '+819033330001');
    const chosen = ['髙橋 一郎', '伊藤 次郎', '新婦 さくら', '鈴木 美咲'].map(id);
    const result = await guests.sms.send('invitation', TEMPLATE, chosen);
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
    assert.match(options.reason?.en ?? '', /can't send SMS.*LINE or email/);
    await assert.rejects(guests.sms.send('invitation', 'hi'), { code: 'sms-number-cannot-send' });
    assert.equal(line.emulator.messages.length, 0);
    await line.core.disconnectTwilio({ restore: true });
  });
});
