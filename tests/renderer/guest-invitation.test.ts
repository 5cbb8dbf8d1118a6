import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInvitation, invitationBasis, type InvitationInput } from '../../renderer/src/components/guest-invitation.ts';

const base: InvitationInput = {
  language: 'ja',
  channel: 'line',
  link: 'https://example.ngrok-free.app/g/abcdefghijklmnopqrstuvwx',
  phoneNumber: null,
  deadline: '2026-12-20',
  title: 'Aiko & Ken',
  ngrokNotice: false,
};

describe('the ready-to-send invitation', () => {
  it('carries the link, the deadline, tips and the surprise reminder, in Japanese', () => {
    const { text } = buildInvitation(base);
    assert.ok(text.includes(base.link ?? ''));
    assert.match(text, /Aiko & Ken/);
    assert.match(text, /12月20日\(日\)までに/);
    assert.match(text, /静かな場所で、30〜60 秒ほど/);
    assert.match(text, /新郎新婦には内緒/);
    assert.doesNotMatch(text, /Visit Site/);
  });

  it('tells guests about ngrok\'s notice only when they will see it', () => {
    assert.match(buildInvitation({ ...base, ngrokNotice: true }).text, /「Visit Site」を押してください/);
    assert.match(buildInvitation({ ...base, language: 'en', ngrokNotice: true }).text, /tap "Visit Site"/);
  });

  it('phone only: the number, and that a foreign number is an international call', () => {
    const { text } = buildInvitation({ ...base, link: null, phoneNumber: '+14155550100' });
    assert.match(text, /こちらにお電話ください：\+14155550100（国際電話になります）/);
    assert.doesNotMatch(text, /リンク/);
    assert.doesNotMatch(buildInvitation({ ...base, link: null, phoneNumber: '+815012345678' }).text, /国際電話/);
  });

  it('both, in English by email (with a subject) and by SMS (short, no tips)', () => {
    const email = buildInvitation({ ...base, language: 'en', channel: 'email', phoneNumber: '+815012345678' });
    assert.equal(email.subject, 'A voice message for Aiko & Ken');
    assert.match(email.text, /^Hello,/);
    assert.match(email.text, /Open this link on your phone[\s\S]*Or call: \+815012345678/);
    assert.match(email.text, /by Sun, 20 December|by Sunday 20 December|20 December/);
    const sms = buildInvitation({ ...base, language: 'en', channel: 'sms' });
    assert.ok(sms.text.length < email.text.length);
    assert.doesNotMatch(sms.text, /quiet place/);
    // Billed per segment: no blank lines, and English stays GSM-7 (no "—"), 160 characters a segment.
    assert.doesNotMatch(sms.text, /\n\n|—/);
    assert.match(sms.text, /please leave yours by .*20 December!\n> Open this link/);
    assert.doesNotMatch(buildInvitation({ ...base, channel: 'sms' }).text, /\n\n/);
    assert.doesNotMatch(buildInvitation({ ...base, language: 'en', channel: 'sms', ngrokNotice: true }).text, /[—…]/);
  });

  it('a reminder by SMS: the same link and/or number, the deadline, to the guest by name', () => {
    const ja = buildInvitation({ ...base, channel: 'sms', reminder: true, guestName: '{name}', phoneNumber: '+815012345678' }).text;
    assert.match(ja, /^\{name\}さん、こんにちは。\nAiko & Kenへのお祝いの声のメッセージ、締め切りは12月20日\(日\)です。まだの方は、ぜひひと言お願いします！/);
    assert.ok(ja.includes(base.link ?? '') && ja.includes('お電話でも残せます：+815012345678'));
    const en = buildInvitation({ ...base, language: 'en', channel: 'sms', reminder: true, deadline: '' }).text;
    assert.match(en, /^A reminder: spoken congratulations for Aiko & Ken close soon - there's still time to leave yours!\n> Open this link/);
  });
});

describe('what every invitation offers, read from the state (invitationBasis)', () => {
  const link = 'https://example.ngrok-free.app/g/abcdefghijklmnopqrstuvwx';
  const state = (over: { linkOn?: boolean; mode?: 'live' | 'rehearsal'; phone?: string | null; deadline?: string }) => ({
    guestLink: { enabled: over.linkOn ?? false, url: link, title: 'Aiko & Ken', ngrokWarning: 'free' as const },
    setup: { mode: over.mode ?? 'live' },
    twilio: { phoneNumber: over.phone === undefined ? '+815012345678' : over.phone },
    invitation: { deadline: over.deadline ?? '2026-12-20' },
  });
  const build = (language: 'ja' | 'en', over: Parameters<typeof state>[0], guestName: string | null = null) =>
    buildInvitation({ ...invitationBasis(state(over)), language, channel: 'line', guestName }).text;

  it('phone only: the live line’s number, no link, no ngrok notice', () => {
    for (const language of ['ja', 'en'] as const) {
      const text = build(language, {});
      assert.ok(text.includes('+815012345678'), language);
      assert.ok(!text.includes(link), language);
      assert.doesNotMatch(text, /Visit Site/);
    }
    assert.match(build('ja', {}), /こちらにお電話ください：\+815012345678/);
    assert.match(build('en', {}), /> Call: \+815012345678/);
  });

  it('link only: the guest link when it is on and the line is not live (rehearsal) or has no number', () => {
    for (const over of [{ linkOn: true, mode: 'rehearsal' as const }, { linkOn: true, phone: null }]) {
      for (const language of ['ja', 'en'] as const) {
        const text = build(language, over);
        assert.ok(text.includes(link), language);
        assert.ok(!text.includes('+815012345678'), language);
        assert.match(text, /Visit Site/, 'a free ngrok address: guests are told about its notice');
      }
    }
  });

  it('both: the link first, then "or call" the number', () => {
    assert.match(build('ja', { linkOn: true }), new RegExp(`スマホでこのリンクを開いて録音：\\n${link.replace(/[.]/g, '\\.')}[\\s\\S]*お電話でも残せます：\\+815012345678`));
    assert.match(build('en', { linkOn: true }), /Open this link on your phone[\s\S]*Or call: \+815012345678/);
  });

  it('the saved deadline, in each language, and none when it is empty; a personal greeting per guest', () => {
    assert.match(build('ja', {}), /12月20日\(日\)までに、/);
    assert.match(build('en', {}), /please leave yours by Sun 20 December!/);
    assert.doesNotMatch(build('ja', { deadline: '' }), /までに/);
    assert.doesNotMatch(build('en', { deadline: '' }), /by /);
    assert.match(build('ja', {}, '佐藤 花子'), /^佐藤 花子さん、こんにちは。\n/);
    assert.match(build('en', {}, 'Emma'), /^Hi Emma,\n/);
    assert.doesNotMatch(build('en', {}), /^Hi/);
  });
});
