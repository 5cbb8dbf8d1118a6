import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../server/core.ts';
import type { ConnectionStatus } from '../../server/connection/connection-status.ts';
import { ConnectionSupervisor } from '../../server/connection/connection-supervisor.ts';
import { listen, type Listening } from '../../server/listen.ts';
import { memoryLog } from '../../server/log.ts';
import { LoopbackTunnel } from '../../server/tunnel/loopback-tunnel.ts';
import type { TunnelProvider } from '../../server/tunnel/tunnel-provider.ts';
import { TwilioEmulator } from './twilio-emulator/emulator.ts';
import { scriptedCaller, type ScriptStep } from '../../server/voice-sim/caller.ts';
import type { SimulatedCall } from '../../server/voice-sim/simulator.ts';
import { ACCOUNT_SID, AUTH_TOKEN, GUEST_NUMBER, LINE_NUMBER } from './line-harness.ts';
import { CREDENTIALS, FAST_RETRY } from './twilio-harness.ts';

export interface SupervisedLine {
  readonly core: Core;
  readonly tunnel: LoopbackTunnel;
  readonly supervisor: ConnectionSupervisor;
  readonly emulator: TwilioEmulator;
  readonly local: Listening;
  readonly dataDir: string;
  /** Every status the supervisor reported, in order. */
  readonly history: ConnectionStatus[];
  call(steps: readonly ScriptStep[]): Promise<SimulatedCall>;
  close(): Promise<void>;
}

/** The app as the desktop/headless shell runs it: core + supervisor + a controllable tunnel + Twilio emulator. */
export async function startSupervisedLine(options: { readonly provider?: TunnelProvider; readonly withTwilio?: boolean; readonly reopenAfterMs?: number } = {}): Promise<SupervisedLine> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shukuden-supervised-'));
  const emulator = await new TwilioEmulator({ accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN }], mediaDelayMs: 100 }).start();
  emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER });
  const log = memoryLog();
  const core = createCore({ dataDir, authToken: AUTH_TOKEN, log, twilioApiBase: emulator.url });
  const local = await listen(core.httpApp, { port: 0, host: '127.0.0.1' });
  const tunnel = new LoopbackTunnel();
  const supervisor = new ConnectionSupervisor({
    core,
    localUrl: local.url,
    tunnel: options.provider ?? tunnel,
    log,
    twilio: options.withTwilio === false ? null : { credentials: CREDENTIALS, phoneNumber: LINE_NUMBER, retry: FAST_RETRY, reconcileIntervalMs: 60_000 },
    retry: { baseMs: 50, maxMs: 300 },
    reopenAfterMs: options.reopenAfterMs ?? 60_000,
  });
  const history: ConnectionStatus[] = [];
  supervisor.onChange((status) => history.push(status));
  return {
    core,
    tunnel,
    supervisor,
    emulator,
    local,
    dataDir,
    history,
    call: (steps) => emulator.placeCall({ to: LINE_NUMBER, from: GUEST_NUMBER, caller: scriptedCaller(steps) }),
    async close() {
      await supervisor.stop();
      await core.disconnectTwilio({ restore: true });
      await tunnel.close();
      await local.close();
      core.close();
      await emulator.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
