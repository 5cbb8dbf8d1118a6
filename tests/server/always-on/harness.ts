import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Core } from '../../../server/core.ts';
import type { ConnectionStatus } from '../../../server/connection/connection-status.ts';
import type { ConnectionSupervisor } from '../../../server/connection/connection-supervisor.ts';
import { NUMBER } from '../../../server/organiser/organiser-controller.ts';
import { memorySecrets, SECRET } from '../../../server/organiser/secret-store.ts';
import { startApp } from '../../../server/start-app.ts';
import { memoryLog } from '../../../server/log.ts';
import { LoopbackTunnel } from '../../../server/tunnel/loopback-tunnel.ts';
import { TwilioEmulator, type EmulatedNumber } from '../../support/twilio-emulator/emulator.ts';
import { scriptedCaller, type ScriptStep } from '../../../server/voice-sim/caller.ts';
import type { SimulatedCall } from '../../../server/voice-sim/simulator.ts';
import { ACCOUNT_SID, AUTH_TOKEN, GUEST_NUMBER, LINE_NUMBER } from '../../support/line-harness.ts';
import { CREDENTIALS, eventually, FAST_RETRY } from '../../support/twilio-harness.ts';

/** What the organiser's number did before Shukuden: a voicemail app's fallback, which must come back on restore. */
export const ORGANISER_FALLBACK = 'https://old-voicemail.example/fallback';

/** Twilio (the emulator) and the organiser's data folder, which outlive any one launch of the app. */
export interface World {
  readonly emulator: TwilioEmulator;
  readonly dataDir: string;
  number(): EmulatedNumber;
  /** A guest calls the number, wherever it points now. */
  call(steps: readonly ScriptStep[], from?: string): Promise<SimulatedCall>;
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shukuden-always-on-'));
  const emulator = await new TwilioEmulator({ accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN }], mediaDelayMs: 100 }).start();
  emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER, voiceFallbackUrl: ORGANISER_FALLBACK });
  return {
    emulator,
    dataDir,
    number: () => {
      const number = emulator.number(LINE_NUMBER);
      if (!number) throw new Error('the line number is gone');
      return number;
    },
    call: (steps, from = GUEST_NUMBER) => emulator.placeCall({ to: LINE_NUMBER, from, caller: scriptedCaller(steps) }),
    async close() {
      await emulator.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** One launch of the app, as the desktop/headless shells run it: core + supervisor + a tunnel the test controls. */
export interface App {
  readonly core: Core;
  readonly tunnel: LoopbackTunnel;
  readonly supervisor: ConnectionSupervisor;
  readonly log: ReturnType<typeof memoryLog>;
  readonly history: ConnectionStatus[];
  /** The laptop's voice URL, as given to Twilio. */
  voiceUrl(): string;
  /** A clean quit (SIGTERM headless, Quit on the desktop). */
  quit(): Promise<void>;
}

export async function launch(world: World, options: { readonly alwaysOn?: boolean; readonly waitForHostedLine?: boolean } = {}): Promise<App> {
  const log = memoryLog();
  const tunnel = new LoopbackTunnel();
  const history: ConnectionStatus[] = [];
  // The one composition the shells use; the organiser's saved choices (credentials, number) drive the line.
  const running = await startApp({
    dataDir: world.dataDir,
    authToken: AUTH_TOKEN,
    log,
    twilioApiBase: world.emulator.url,
    controller: {
      secrets: memorySecrets({ [SECRET.accountSid]: CREDENTIALS.accountSid, [SECRET.authToken]: CREDENTIALS.authToken }),
      systemLanguage: 'en',
      fixedTunnel: tunnel,
      retry: FAST_RETRY,
      supervisorRetry: { baseMs: 50, maxMs: 300 },
      reopenAfterMs: 60_000,
      reconcileIntervalMs: 60_000,
      onSupervisor: (supervisor) => supervisor.onChange((status) => history.push(status)),
    },
  });
  const { core, controller } = running;
  core.settings.set(NUMBER, { phoneNumber: LINE_NUMBER, takeOver: false });
  if (options.alwaysOn !== undefined) await core.alwaysOn.setEnabled(options.alwaysOn);
  await controller.start();
  const supervisor = controller.supervisor();
  if (!supervisor) throw new Error('the line did not start');
  if (options.alwaysOn && options.waitForHostedLine !== false) {
    await eventually(() => core.alwaysOn.status().kind === 'ready' || core.alwaysOn.status().kind === 'failed', 15_000, 'the always-on line to be installed');
  }
  let closed = false;
  return {
    core,
    tunnel,
    supervisor,
    log,
    history,
    voiceUrl: () => `${core.publicUrl()}/twilio/voice`,
    async quit() {
      if (closed) return;
      closed = true;
      await running.close();
      await tunnel.close();
    },
  };
}

/** Waits until every take of the call is home, and returns them. */
export async function takesHome(core: Core, callSid: string, count: number) {
  return eventually(() => {
    const takes = core.calls.listTakes(callSid);
    return takes.length === count && takes.every((t) => t.download.downloadedAt !== null) ? takes : null;
  }, 15_000, `${count} take(s) of ${callSid} to come home`);
}

export { heard } from '../../support/line-harness.ts';
