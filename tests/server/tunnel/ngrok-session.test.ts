import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionSupervisor } from '../../../server/connection/connection-supervisor.ts';
import { NEEDS_ORGANISER } from '../../../server/tunnel/ngrok-errors.ts';
import { memoryLog } from '../../../server/log.ts';
import { ngrokTunnel } from '../../../server/tunnel/ngrok-tunnel.ts';
import { NgrokDouble } from '../../support/ngrok-double.ts';
import { startSupervisedLine } from '../../support/supervised-line.ts';
import { eventually } from '../../support/twilio-harness.ts';

const TOKEN_A = '2aAaAaAaAaAaAaAaAaAaAaAaAaA_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const TOKEN_B = '2bBbBbBbBbBbBbBbBbBbBbBbBbB_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

describe('real-services: ngrok: one process-wide session (the double)', () => {
  it('reuses the session for a second forward, ignoring its authtoken and onStatusChange', async () => {
    const ngrok = new NgrokDouble();
    const heard: string[] = [];
    const first = await ngrok.forward({ addr: 'http://127.0.0.1:9', authtoken: TOKEN_A, onStatusChange: (s) => heard.push(`first:${s}`) });
    const second = await ngrok.forward({ addr: 'http://127.0.0.1:9', authtoken: TOKEN_B, onStatusChange: (s) => heard.push(`second:${s}`) });
    assert.equal(ngrok.sessions.length, 1);
    assert.equal(ngrok.current?.authtoken, TOKEN_A);
    await second.close();
    assert.equal(ngrok.current?.state, 'connected', 'closing a listener leaves the session');
    await ngrok.current?.drop();
    assert.deepEqual(heard, ['first:connected', 'first:closed']);
    await first.close();
    await ngrok.kill();
    assert.equal(ngrok.live().length, 0);
  });

  it('force_new_session replaces the stored session without closing the old one; disconnect() closes it', async () => {
    const ngrok = new NgrokDouble();
    await ngrok.forward({ addr: 'http://127.0.0.1:9', authtoken: TOKEN_A });
    await ngrok.forward({ addr: 'http://127.0.0.1:9', authtoken: TOKEN_B, force_new_session: true });
    assert.equal(ngrok.live().length, 2, 'the old session leaks');
    assert.equal(ngrok.current?.authtoken, TOKEN_B);
    await ngrok.disconnect();
    assert.equal(ngrok.current, null);
    assert.equal(ngrok.live().length, 1, 'disconnect() closes every listener but only the stored session');
    assert.equal(ngrok.sessions[0]?.listenerCount(), 0);
  });
});

describe('ngrok tunnel provider against the one-session module', () => {
  it('a restarted line (new token) gets its own session and hears its drops', async () => {
    const ngrok = new NgrokDouble();
    const line = await startSupervisedLine({ provider: ngrokTunnel({ authtoken: TOKEN_A }, ngrok), withTwilio: false });
    try {
      assert.equal((await line.supervisor.start()).ready, true);
      await line.supervisor.stop();
      const restarted = new ConnectionSupervisor({ core: line.core, localUrl: line.local.url, tunnel: ngrokTunnel({ authtoken: TOKEN_B }, ngrok), twilio: null, log: memoryLog(), retry: { baseMs: 50, maxMs: 300 }, reopenAfterMs: 60_000 });
      try {
        assert.equal((await restarted.start()).ready, true);
        assert.equal(ngrok.live().length, 1, 'the old session is ended');
        assert.equal(ngrok.current?.authtoken, TOKEN_B, 'the changed token is used');
        await ngrok.current?.drop();
        assert.equal(restarted.status().stages.tunnel.state, 'failed', 'the new supervisor hears the drop');
        await ngrok.current?.reconnect();
        await eventually(() => restarted.status().ready, 10_000, 'ready again after the library reconnects');
      } finally {
        await restarted.stop();
      }
      assert.equal(ngrok.live().length, 0, 'stopping the line ends the session');
    } finally {
      await line.close();
    }
  });

  it('the watchdog builds a new session when the library does not come back', async () => {
    const ngrok = new NgrokDouble();
    const line = await startSupervisedLine({ provider: ngrokTunnel({ authtoken: TOKEN_A }, ngrok), withTwilio: false, reopenAfterMs: 50 });
    try {
      assert.equal((await line.supervisor.start()).ready, true);
      const dead = ngrok.current;
      await dead?.drop();
      dead?.reconnectFails();
      await eventually(() => line.supervisor.status().ready, 10_000, 'ready on a new session');
      assert.notEqual(ngrok.current, dead);
      assert.equal(dead?.state, 'closed', 'the dead session is torn down');
      assert.equal(ngrok.live().length, 1);
    } finally {
      await line.close();
    }
  });

  it('an authentication refusal with an unknown code is not blamed on the Wi-Fi, and is not retried forever', async () => {
    const ngrok = new NgrokDouble();
    ngrok.nextConnectError = { code: 'ERR_NGROK_9040', message: 'Your account is not permitted to use this feature.' };
    const line = await startSupervisedLine({ provider: ngrokTunnel({ authtoken: TOKEN_A }, ngrok), withTwilio: false });
    try {
      const status = await line.supervisor.start();
      assert.equal(status.stages.tunnel.problem?.code, 'ngrok-refused');
      assert.match(status.stages.tunnel.problem?.en ?? '', /ERR_NGROK_9040/);
      assert.doesNotMatch(status.stages.tunnel.problem?.en ?? '', /Wi-Fi/);
      assert.ok(NEEDS_ORGANISER.has('ngrok-refused'), 'the supervisor waits for the organiser instead of retrying');
    } finally {
      await line.close();
    }
  });
});
