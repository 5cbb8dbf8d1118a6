import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInvitation, type InvitationInput } from '../../renderer/src/components/guest-invitation.ts';

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
  });
});
