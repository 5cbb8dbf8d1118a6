import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Core } from '../../server/core.ts';
import type { ConnectionStatus } from '../../server/connection/connection-status.ts';
import type { ConnectionSupervisor } from '../../server/connection/connection-supervisor.ts';
import type { Listening } from '../../server/listen.ts';
import { NUMBER } from '../../server/organiser/organiser-controller.ts';
import { memorySecrets, SECRET } from '../../server/organiser/secret-store.ts';
import { startApp } from '../../server/start-app.ts';
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
  /** The line as the organiser's controller runs it: `start` brings it up from the saved choices. */
  readonly supervisor: Pick<ConnectionSupervisor, 'start' | 'stop' | 'status'>;
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
  const tunnel = new LoopbackTunnel();
  const history: ConnectionStatus[] = [];
  const withTwilio = options.withTwilio !== false;
  // The one composition the shells use; the organiser's saved choices (credentials, number) drive the line.
  const running = await startApp({
    dataDir,
    authToken: AUTH_TOKEN,
    log,
    twilioApiBase: emulator.url,
    controller: {
      secrets: memorySecrets(withTwilio ? { [SECRET.accountSid]: CREDENTIALS.accountSid, [SECRET.authToken]: CREDENTIALS.authToken } : {}),
      systemLanguage: 'en',
      fixedTunnel: options.provider ?? tunnel,
      retry: FAST_RETRY,
      supervisorRetry: { baseMs: 50, maxMs: 300 },
      reopenAfterMs: options.reopenAfterMs ?? 60_000,
      reconcileIntervalMs: 60_000,
      onSupervisor: (built) => built.onChange((status) => history.push(status)),
    },
  });
  const { core, controller, twiml: local } = running;
  if (withTwilio) core.settings.set(NUMBER, { phoneNumber: LINE_NUMBER, takeOver: false });
  const current = (): ConnectionSupervisor => {
    const built = controller.supervisor();
    if (!built) throw new Error('the line has not been started');
    return built;
  };
  const supervisor: SupervisedLine['supervisor'] = {
    start: () => controller.start(),
    stop: () => current().stop(),
    status: () => current().status(),
  };
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
      await running.close();
      await tunnel.close();
      await emulator.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
