import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AlwaysOnService, DEPLOYED, ENABLED } from '../../../server/always-on/always-on.ts';
import { explainDeployError } from '../../../server/always-on/deploy-errors.ts';
import { describeAnsweringMode, answeringMode } from '../../../server/always-on/answering-mode.ts';
import { BuildNotCompleted } from '../../../server/always-on/serverless-deploy.ts';
import { decodeState, encodeState, withState } from '../../../server/always-on/state-in-url.ts';
import { newCall } from '../../../server/call-flow/call-state.ts';
import { memoryLog } from '../../../server/log.ts';
import { openDatabase } from '../../../server/store/database.ts';
import { SettingsStore } from '../../../server/store/settings-store.ts';
import { sid } from '../../support/twilio-harness.ts';

const incoming = { callSid: sid('CA'), accountSid: sid('AC'), from: '+819011112222', to: '+815012345678' };

describe('the call state in the hosted line’s URLs', () => {
  it('comes back exactly as it went out, for the call it belongs to', () => {
    const call = { ...newCall(incoming, 'guest', '2026-11-24T10:00:00.000Z'), step: 'menu' as const, recordCount: 2, currentTakeSid: sid('RE'), menuTimeouts: 1, invalidKeys: 2 };
    const token = encodeState(call);
    assert.match(token, /^[A-Za-z0-9_-]+$/, 'URL-safe without escaping');
    assert.ok(token.length < 200, 'compact');
    assert.deepEqual(decodeState(token, incoming), call);
  });

  it('is refused when it is not one of ours', () => {
    const bad = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const token of [undefined, '', 'not base64 json', bad({}), bad([0, 1]), bad([0, 9, 'x', null, 0, 0, null, 0, 0]), bad([0, 1, 'x', null, -1, 0, null, 0, 0]), bad([0, 1, 'x', null, 0, 0, 'RE123', 0, 0])]) {
      assert.equal(decodeState(token, incoming), null, String(token));
    }
  });

  it('rides along on the flow’s own URLs', () => {
    const call = newCall(incoming, 'guest', '2026-11-24T10:00:00.000Z');
    assert.match(withState('/twilio/recorded', call), /^\/twilio\/recorded\?s=[\w-]+$/);
    assert.match(withState('/twilio/menu?take=RE1', call), /^\/twilio\/menu\?take=RE1&s=[\w-]+$/);
  });
});

describe('the line’s mode in plain words', () => {
  it('says who answers', () => {
    assert.equal(answeringMode({ laptopAnswers: true, hostedReady: true }), 'live');
    assert.equal(answeringMode({ laptopAnswers: true, hostedReady: false }), 'live');
    assert.equal(answeringMode({ laptopAnswers: false, hostedReady: true }), 'hosted');
    assert.equal(answeringMode({ laptopAnswers: false, hostedReady: false }), 'off');
    assert.deepEqual(
      (['live', 'hosted', 'off'] as const).map((mode) => describeAnsweringMode(mode).en),
      ['live on this laptop', 'always on, hosted by Twilio', 'not answered'],
    );
    assert.deepEqual((['live', 'hosted', 'off'] as const).map((mode) => describeAnsweringMode(mode).ja), ['このパソコンで受付中', '常時受付（Twilio 上で受付中）', '電話に出ません']);
  });

  it('only counts a hosted line installed in the account that owns the number', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shukuden-always-on-unit-'));
    const db = openDatabase(dir);
    try {
      const settings = new SettingsStore(db);
      const line = new AlwaysOnService({ settings, promptDir: dir, apiBase: 'https://api.twilio.com', log: memoryLog() });
      assert.equal(line.status().kind, 'off', 'off by default');
      settings.set(ENABLED, { enabled: true });
      const accountSid = sid('AC');
      settings.set(DEPLOYED, {
        accountSid,
        serviceSid: sid('ZS'),
        environmentSid: sid('ZE'),
        domain: 'shukuden-line-1234-live.twil.io',
        buildSid: sid('ZB'),
        deploymentSid: sid('ZD'),
        hash: 'h',
        deployedAt: '2026-11-24T10:00:00Z',
        assetVersions: {},
      });
      assert.equal(line.voiceUrl(accountSid), 'https://shukuden-line-1234-live.twil.io/twilio/voice');
      assert.equal(line.voiceUrl(sid('AC')), null, 'another account');
      assert.equal(line.modeAfterQuit(), 'hosted');
    } finally {
      db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy problems in plain words', () => {
  it('explains a failed or slow build, in both languages, with what still works', () => {
    const failed = explainDeployError(new BuildNotCompleted('failed', sid('ZB')), false);
    assert.equal(failed.code, 'always-on-build-failed');
    assert.match(failed.text.en, /could not build it[\s\S]*Functions and Assets → Services[\s\S]*while Shukuden is open/);
    assert.match(failed.text.ja, /ビルド[\s\S]*開いている間/);
    const slow = explainDeployError(new BuildNotCompleted('timeout', sid('ZB')), true);
    assert.equal(slow.code, 'always-on-build-slow');
    assert.match(slow.text.en, /installed earlier keeps answering/);
    assert.match(slow.text.ja, /以前に設置した常時受付の回線/);
  });
});
