import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainNgrokError, needsOrganiser } from '../../../server/tunnel/ngrok-errors.ts';
import { ngrokTunnel } from '../../../server/tunnel/ngrok-tunnel.ts';
import { UserError } from '../../../server/user-error.ts';
import { startSupervisedLine } from '../../support/supervised-line.ts';
import { eventually } from '../../support/twilio-harness.ts';

// A well-formed but made-up authtoken: the real @ngrok/ngrok library is used, and on this
// machine (no internet) it fails fast, exactly as on an organiser's laptop that is offline.
const FAKE_TOKEN = '2fAkEtOkEn0123456789abcdefghij_KLMNOPQRSTUVWXYZ0123456';

function isUserError(code: string) {
  return (error: unknown) => {
    assert.ok(error instanceof UserError, String(error));
    assert.equal(error.code, code);
    assert.ok(error.text.en.length > 30 && error.text.ja.length > 15);
    return true;
  };
}

describe('ngrok tunnel', () => {
  it('explains that it cannot reach ngrok when offline (the real library)', async () => {
    await assert.rejects(ngrokTunnel({ authtoken: FAKE_TOKEN }).open('http://127.0.0.1:9', () => undefined), isUserError('ngrok-unreachable'));
  });

  it('asks for the authtoken before trying, with where to find it', async () => {
    await assert.rejects(ngrokTunnel({ authtoken: null }).open('http://127.0.0.1:9', () => undefined), (error: unknown) => {
      isUserError('ngrok-authtoken-missing')(error);
      assert.match((error as UserError).text.en, /dashboard\.ngrok\.com/);
      return true;
    });
  });

  it("maps ngrok's error codes to what the organiser should do", () => {
    // Shaped like the library's errors: message ending in "error_code: …", errorCode filled in.
    const ngrokError = (code: string) => Object.assign(new Error(`failed to start tunnel: something, error_code: ${code}`), { code: 'GenericFailure', errorCode: code });
    const expected: [string, string, RegExp][] = [
      ['ERR_NGROK_105', 'ngrok-authtoken-invalid', /authtoken/],
      ['ERR_NGROK_107', 'ngrok-authtoken-invalid', /authtoken/],
      ['ERR_NGROK_4018', 'ngrok-authtoken-missing', /authtoken/],
      ['ERR_NGROK_108', 'ngrok-session-limit', /another laptop|elsewhere/],
      ['ERR_NGROK_320', 'ngrok-domain-not-reserved', /Domains/],
      ['ERR_NGROK_334', 'ngrok-domain-in-use', /already online/],
      ['ERR_NGROK_103', 'ngrok-account-suspended', /suspended/],
    ];
    for (const [ngrokCode, code, fix] of expected) {
      const explained = explainNgrokError(ngrokError(ngrokCode));
      assert.equal(explained.code, code, ngrokCode);
      assert.match(explained.text.en, fix, ngrokCode);
    }
    const unknown = explainNgrokError(ngrokError('ERR_NGROK_9999'));
    assert.equal(unknown.code, 'ngrok-refused');
    assert.equal(needsOrganiser(unknown), true, 'not retried forever');
    // real-services: ngrok session errors — every one starts "failed to connect session"; only transport failures are the network.
    assert.equal(explainNgrokError(new Error('failed to connect session: authentication failure')).code, 'ngrok-refused');
    assert.equal(explainNgrokError(new Error('failed to connect session: tls handshake error')).code, 'ngrok-unreachable');
    assert.match(unknown.text.en, /ERR_NGROK_9999/);
    assert.equal(needsOrganiser(explainNgrokError(ngrokError('ERR_NGROK_105'))), true);
    assert.equal(needsOrganiser(explainNgrokError(new Error('failed to connect session: failed to establish tcp connection'))), false);
  });

  it('shows the failure in the line status and keeps retrying, never saying ready', async () => {
    const line = await startSupervisedLine({ provider: ngrokTunnel({ authtoken: FAKE_TOKEN }) });
    try {
      const status = await line.supervisor.start();
      assert.equal(status.ready, false);
      assert.equal(status.stages.tunnel.problem?.code, 'ngrok-unreachable');
      assert.equal(status.stages.number.state, 'waiting', 'the number is not touched without a public URL');
      const tries = await eventually(() => {
        const n = line.history.filter((s) => s.stages.tunnel.state === 'working').length;
        return n >= 2 ? n : null;
      }, 30_000, 'a second attempt');
      assert.ok(tries >= 2, `retried (${tries} attempts)`);
    } finally {
      await line.close();
    }
  });
});
