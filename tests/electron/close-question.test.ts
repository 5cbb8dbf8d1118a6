import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeNeedsAsking, closeQuestion, KEEP_RUNNING, QUIT, trayLabels } from '../../electron/close-question.ts';
import type { OrganiserState } from '../../server/api/contract.ts';

const alwaysOn = (enabled: boolean, state: OrganiserState['alwaysOn']['state']): OrganiserState['alwaysOn'] => ({
  enabled,
  state,
  problem: null,
  modeNow: { en: 'live on this laptop', ja: 'このパソコンで受付中' },
  modeAfterQuit: enabled ? { en: 'always on, hosted by Twilio', ja: '常時受付（Twilio 上で受付中）' } : { en: 'off', ja: '停止' },
});

describe('closing the desktop window', () => {
  it('asks only while the line answers on this computer', () => {
    assert.equal(closeNeedsAsking({ connection: { ready: true } as OrganiserState['connection'] }), true);
    assert.equal(closeNeedsAsking({ connection: { ready: false } as OrganiserState['connection'] }), false);
  });

  it('offers keep running, quit or cancel, in the organiser’s language, saying what quitting means', () => {
    const en = closeQuestion({ language: 'en', alwaysOn: alwaysOn(false, 'off') });
    assert.match(en.buttons[KEEP_RUNNING], /Keep running in the background/);
    assert.match(en.buttons[QUIT], /Quit/);
    assert.match(en.detail, /can’t reach you/);
    const hosted = closeQuestion({ language: 'en', alwaysOn: alwaysOn(true, 'ready') });
    assert.match(hosted.detail, /always-on line on Twilio answers/);
    const ja = closeQuestion({ language: 'ja', alwaysOn: alwaysOn(false, 'off') });
    assert.match(ja.buttons[KEEP_RUNNING], /バックグラウンド/);
    assert.match(ja.detail, /つながらなくなります/);
  });

  it('the tray shows the line’s status in plain words', () => {
    assert.equal(trayLabels({ language: 'en', alwaysOn: alwaysOn(false, 'off') }).status, 'Line: live on this laptop');
    assert.equal(trayLabels({ language: 'ja', alwaysOn: alwaysOn(false, 'off') }).quit, 'Shukuden を終了');
  });
});
