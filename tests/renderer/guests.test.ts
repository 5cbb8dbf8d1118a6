import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { callOrganiserApp } from '../support/call-organiser-app.ts';
import { assertLinedUp, launchBrowser, RENDERER_DIR, screenshot } from '../support/browser.ts';
import { ACCOUNT_SID, AUTH_TOKEN } from '../support/line-harness.ts';
import { startOrganiserApp, type OrganiserApp } from '../support/organiser-app.ts';
import { JAPAN_SMS_PRICES } from '../support/twilio-emulator/emulator.ts';
import { connect, eventually } from '../support/twilio-harness.ts';
import { INVITATION_DEADLINE } from '../../server/organiser/guest-controller.ts';

const PASTED = ['名前\t携帯\tグループ\tメモ', '髙橋 一郎\t090-1111-0001\t新郎友人\t大学', '伊藤 次郎\t090-1111-0002\t新郎友人\t', '佐藤 花子\t０８０－２２２２－０００１\t新婦友人\t', '山田 太郎\t090-3333-0001\t会社\t上司', '山田 花子\t090-3333-0001\t会社\t', '田中 健\tまだ\t会社\t'].join('\n');

describe('Guests screen (web mode, Chromium)', () => {
  let app: OrganiserApp;
  let browser: Browser;
  let page: Page;
  before(async () => {
    app = await startOrganiserApp({ rendererDir: RENDERER_DIR });
    // A live line: invitations carry its number once one is connected.
    await app.rpc('finishSetup', { mode: 'live' });
    await app.rpc('saveFlowSettings', { settings: { ...app.core.settings.flow(), defaultCountryCode: '81' } });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  });
  after(async () => {
    await browser.close();
    await app.close();
  });

  const call = (from: string, steps?: Parameters<typeof callOrganiserApp>[2]) => callOrganiserApp(app, from, steps);


  it("reads a chosen CSV file through the app's own file button (not the browser's), previewing before anything is saved", async () => {
    await page.goto(app.organiser.uiUrl);
    await page.getByRole('button', { name: 'Guests', exact: true }).click();
    const panel = page.getByTestId('guest-import');
    assert.equal(await panel.locator('.file-button').innerText(), 'Choose a file…');
    assert.equal(await panel.locator('input[type="file"]').evaluate((input) => getComputedStyle(input).opacity), '0', "the browser's own Choose File is not shown");
    await panel.getByLabel('From a CSV file:').setInputFiles({ name: 'guests.csv', mimeType: 'text/csv', buffer: Buffer.from('\ufeff名前,電話\n小林 桜,090-5555-0001\n', 'utf8') });
    await page.getByTestId('import-preview').waitFor();
    assert.match(await page.getByTestId('import-preview').innerText(), /1 guest will be imported[\s\S]*小林 桜/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await panel.locator('.file-button').waitFor();
    assert.equal(app.core.guests.list().length, 0);
  });

  it('imports pasted cells after a preview that lists the unreadable row', async () => {
    await page.getByLabel('Paste here').fill(PASTED);
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    assert.match(await preview.innerText(), /5 guests will be imported/);
    assert.match(await page.getByTestId('import-problems').innerText(), /Line 7[\s\S]*"まだ" is not a phone number/);
    assert.equal(app.core.guests.list().length, 0, 'nothing saved before the organiser confirms');
    await screenshot(page, '21-guests-import-preview');
    await page.getByRole('button', { name: 'Import these guests' }).click();
    await page.getByText('Added 5 guests').waitFor();
    // The list follows the core's push.
    await page.locator('[data-testid="guest-list"] tr[data-guest]').nth(4).waitFor();
    assert.equal(await page.locator('[data-testid="guest-list"] tr[data-guest]').count(), 5);
    assert.match(await page.getByTestId('guests-done').innerText(), /0 of 5 guests/);
  });

  it("shows who hasn't left a message on Home, moving as calls come in", async () => {
    await page.getByRole('button', { name: 'Home', exact: true }).click();
    await page.getByTestId('guest-progress').waitFor();
    await call('+819011110001');
    await page.getByText('1 of 5 guests have left a message').waitFor();
    const groom = page.locator('li.group[data-group="新郎友人"]');
    assert.equal(await groom.getByTestId('group-count').innerText(), '1 / 2');
    assert.match(await groom.innerText(), /Not yet: 伊藤 次郎/);
  });

  it('asks in the library which guest a shared number was, and counts that guest', async () => {
    await call('+819033330001');
    await page.getByRole('button', { name: 'Library', exact: true }).click();
    const question = page.getByLabel('Whose message is this? +819033330001');
    await question.waitFor();
    await question.selectOption({ label: '山田 花子' });
    await page.getByLabel('Name +819033330001').and(page.locator('[value="山田 花子"]')).waitFor();
    await page.getByRole('button', { name: 'Home', exact: true }).click();
    await page.getByText('2 of 5 guests have left a message').waitFor();
  });

  it("marks a guest as won't take part: out of the count", async () => {
    await page.getByRole('button', { name: 'Guests', exact: true }).click();
    // A click, not check(): the box follows the saved list, so it flips once the core has answered.
    await page.getByLabel("Won't take part 伊藤 次郎").click();
    await page.getByText('2 of 4 guests have left a message').waitFor();
    assert.equal(app.core.guests.list().find((g) => g.name === '伊藤 次郎')?.declined, true);
  });

  it('adds a guest by hand, the number normalised', async () => {
    await page.getByRole('button', { name: 'Add a guest' }).click();
    const editor = page.getByTestId('guest-editor');
    await editor.getByLabel('Name').fill('Emma Stone');
    await editor.getByLabel('Phone').fill('+1 (415) 555-0101');
    await editor.getByLabel('Group').fill('新婦友人');
    await editor.getByRole('button', { name: 'Save' }).click();
    await page.locator('tr[data-guest="Emma Stone"]').waitFor();
    assert.equal(app.core.guests.list().find((g) => g.name === 'Emma Stone')?.phone, '+14155550101');
    await page.getByText('2 of 5 guests have left a message').waitFor();
  });

  it('offers no SMS without a number that can send it, and says why', async () => {
    await page.getByRole('button', { name: 'Guests', exact: true }).click();
    const unavailable = page.getByTestId('sms-unavailable');
    await unavailable.waitFor();
    assert.match(await unavailable.innerText(), /no Twilio account is connected/);
  });

  it('sends an SMS invitation after a preview of exactly what goes out, and shows delivery per guest', async () => {
    app.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: '+14155550100', smsCapable: true });
    // As connecting in Settings does: requests from Twilio are checked against the account's token from now on.
    app.core.setAuthToken(AUTH_TOKEN);
    await connect(app.core, { phoneNumber: '+14155550100' });
    await page.reload();
    const sms = page.getByTestId('sms');
    await sms.waitFor();
    // +1 numbers: the US or Canada.
    for (const [iso, price] of [['US', '0.0083'], ['CA', '0.0083']] as const) {
      app.emulator.setSmsPrices(iso, { country: iso, priceUnit: 'USD', outbound: [{ carrier: 'Carrier', mcc: '310', mnc: '010', prices: [{ numberType: 'local', basePrice: price, currentPrice: price }] }], inbound: [] });
    }
    // Twilio's price list for Japan fails once: the preview says the price is unknown, and sending stays possible.
    app.emulator.injectFault({ method: 'GET', path: /^\/v1\/Messaging\/Countries\/JP$/, fault: { kind: 'status', status: 503 } });
    await sms.getByRole('button', { name: 'Preview what goes out' }).click();
    const preview = page.getByTestId('sms-preview');
    await preview.waitFor();
    assert.match(await preview.getByTestId('sms-price').innerText(), /^The price is unknown: Twilio's price list gave no price for 4 of these guests\. You can still send/);
    assert.equal(await preview.getByRole('button', { name: 'Send to 5 guests' }).isEnabled(), true);
    // Now it answers (Japan: two carriers).
    app.emulator.setSmsPrices('JP', JAPAN_SMS_PRICES);
    await sms.getByRole('button', { name: 'Preview what goes out' }).click();
    const price = preview.getByTestId('sms-price');
    await preview.locator('[data-testid="sms-price"][data-known="true"]').waitFor();
    // The round's total, worked out here from what the core plans for each guest (segments × that country's price).
    const template = await sms.getByLabel(/^Text/).inputValue();
    const planned = (await app.rpc('previewSms', { kind: 'invitation', template })).body.value?.recipients ?? [];
    const expectTotal = async (leftOut: readonly string[]) => {
      const chosen = planned.filter((r) => !leftOut.includes(r.name));
      const [min, max] = [0, 1].map((i) => chosen.reduce((sum, r) => sum + r.segments * (i === 0 ? (r.price?.min ?? NaN) : (r.price?.max ?? NaN)), 0));
      const shown = /^Twilio's price: \$0\.0083–\$0\.09 per segment, \$([\d.]+)–\$([\d.]+) for this round$/.exec(await price.innerText());
      assert.ok(shown, await price.innerText());
      // Totals are shown in cents.
      assert.ok(Math.abs(Number(shown[1]) - (min ?? 0)) <= 0.005 && Math.abs(Number(shown[2]) - (max ?? 0)) <= 0.005, `${shown[0]} vs ${min}–${max}`);
    };
    await expectTotal([]);
    // 伊藤 次郎 won't take part; everyone else with a number is offered.
    assert.match(await preview.innerText(), /5 guests/);
    // The invitation's SMS form: the one invitation builder, with the guest's name.
    assert.match(await preview.innerText(), /Hi 髙橋 一郎,\nWe're collecting spoken congratulations for the couple!\n> Call: \+14155550100\nIt's a surprise - please don't tell the couple!/);
    await preview.getByLabel('山田 太郎').uncheck();
    await preview.getByRole('button', { name: 'Send to 4 guests' }).waitFor();
    await expectTotal(['山田 太郎']);
    await screenshot(page, '24-guests-sms-preview');
    await preview.getByRole('button', { name: 'Send to 4 guests' }).click();
    await page.getByText('Sent to 4 guests').waitFor();
    await page.locator('[data-testid="sms-status"] tr[data-sms-guest="佐藤 花子"][data-status="delivered"]').waitFor();
    assert.deepEqual(app.emulator.messages.map((m) => m.to).sort(), ['+14155550101', '+818022220001', '+819011110001', '+819033330001']);
    await screenshot(page, '25-guests-sms-delivered');
  });

  it('writes an invitation per guest, in Japanese or English, with the number and the deadline, as an email draft', async () => {
    const card = page.getByTestId('invitation');
    await card.getByLabel('For').selectOption({ label: '佐藤 花子' });
    await card.getByLabel('Language').selectOption('ja');
    await card.getByLabel('Deadline').fill('2026-12-24');
    await eventually(() => app.core.settings.get(INVITATION_DEADLINE) === '2026-12-24', 10_000, 'the deadline saved');
    const text = await card.getByLabel('Invitation').inputValue();
    assert.match(text, /^佐藤 花子さん、こんにちは。/);
    assert.match(text, /12月24日\(木\)までに/);
    assert.match(text, /\+14155550100/, 'the line’s number');
    await card.getByLabel('Language').selectOption('en');
    const english = await card.getByLabel('Invitation').inputValue();
    assert.match(english, /^Hi 佐藤 花子,\n\nWe're collecting spoken congratulations for the couple — please leave yours by Thu 24 December!\n\n> Call: \+14155550100/);
    await card.getByLabel('Invitation').fill(`${english}\nSee you there!`);
    const mailto = await card.getByRole('link', { name: 'Email draft' }).getAttribute('href');
    assert.ok(mailto?.startsWith('mailto:?subject='));
    assert.equal(new URLSearchParams(mailto?.slice('mailto:?'.length)).get('body'), `${english}\nSee you there!`, 'the edited text goes out');
    assert.equal(await page.getByTestId('invitation-print').textContent(), `${english}\nSee you there!`);
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, '26-guests-invitation-print');
    await page.emulateMedia({ media: 'screen' });
    // The deadline is remembered: a reload (or a restart) shows it again.
    await page.reload();
    await page.getByTestId('invitation').getByLabel('Deadline').and(page.locator('[value="2026-12-24"]')).waitFor();
  });

  it("says the picked deadline in the app's words beside the date field, whose format follows the browser (here US English)", async () => {
    const card = page.getByTestId('invitation');
    const words = card.getByTestId('deadline-in-words');
    assert.equal(await words.innerText(), 'Thu 24 December');
    assert.equal(await card.getByLabel('Deadline').getAttribute('aria-describedby'), await words.getAttribute('id'), 'read out with the field');
    await assertLinedUp([card.getByLabel('For'), card.getByLabel('Language'), card.getByLabel('Deadline')], 'top', "the invitation's fields");
    await app.rpc('setLanguage', { language: 'ja' });
    await page.getByRole('button', { name: 'ゲスト', exact: true }).waitFor();
    assert.equal(await page.getByTestId('invitation').getByTestId('deadline-in-words').innerText(), '12月24日(木)');
    await app.rpc('setLanguage', { language: 'en' });
    await page.getByRole('button', { name: 'Guests', exact: true }).waitFor();
    await card.getByLabel('Deadline').fill('');
    await eventually(() => app.core.settings.get(INVITATION_DEADLINE) === '', 10_000, 'the deadline cleared');
    await words.waitFor({ state: 'detached' }); // no date, no words
    await card.getByLabel('Deadline').fill('2026-12-24');
    await eventually(() => app.core.settings.get(INVITATION_DEADLINE) === '2026-12-24', 10_000, 'the deadline saved again');
  });

  it('screenshots the Guests screen in both languages at 1024 and 1280 px', async () => {
    for (const language of ['en', 'ja'] as const) {
      await app.rpc('setLanguage', { language });
      for (const width of [1024, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await page.getByRole('button', { name: language === 'ja' ? 'ゲスト' : 'Guests', exact: true }).click();
        await page.getByTestId('guest-list').waitFor();
        // The SMS preview with its price (山田 太郎 was left out of the round, so he is still to text).
        await page.getByRole('button', { name: language === 'ja' ? '送る内容を確認' : 'Preview what goes out' }).click();
        await page.locator('[data-testid="sms-price"][data-known="true"]').waitFor();
        await screenshot(page, `22-guests-${language}-${width}`);
        await page.getByRole('button', { name: language === 'ja' ? 'ホーム' : 'Home' }).click();
        await page.getByTestId('guest-progress').waitFor();
        await screenshot(page, `23-home-guests-${language}-${width}`);
      }
    }
  });
});
