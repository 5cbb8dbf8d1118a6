import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOrganiserServer, type OrganiserServer } from '../../server/api/organiser-server.ts';
import { AppController } from '../../server/app/app-controller.ts';
import { memorySecrets } from '../../server/app/secret-store.ts';
import { createCore, type Core } from '../../server/core.ts';
import { listen, type Listening } from '../../server/listen.ts';
import { memoryLog } from '../../server/log.ts';
import { TwilioEmulator } from '../../server/twilio-emulator/emulator.ts';
import type { TunnelProvider } from '../../server/tunnel/tunnel-provider.ts';
import { ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER } from './line-harness.ts';

export interface OrganiserApp {
  readonly core: Core;
  readonly controller: AppController;
  readonly organiser: OrganiserServer;
  readonly twiml: Listening;
  readonly emulator: TwilioEmulator;
  readonly dataDir: string;
  /** Calls the organiser API like the web UI does. */
  rpc(method: string, input: unknown, token?: string): Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: { code: string; en: string; ja: string } } }>;
  close(): Promise<void>;
}

/** The app as web mode runs it, in-process: core, controller, organiser server, Twilio emulator. */
export async function startOrganiserApp(options: { readonly rendererDir?: string; readonly fixedTunnel?: TunnelProvider; readonly trial?: boolean } = {}): Promise<OrganiserApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shukuden-organiser-'));
  const emulator = await new TwilioEmulator({ accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN, ...(options.trial ? { type: 'Trial' as const } : {}) }], mediaDelayMs: 100 }).start();
  emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER });
  const log = memoryLog();
  const core = createCore({ dataDir, authToken: 'f'.repeat(32), publicUrl: 'http://127.0.0.1', log, twilioApiBase: emulator.url });
  const twiml = await listen(core.app, { port: 0, host: '127.0.0.1' });
  core.setPublicUrl(twiml.url);
  const controller = new AppController({ core, localUrl: twiml.url, secrets: memorySecrets(), log, systemLanguage: 'en', fixedTunnel: options.fixedTunnel ?? null });
  const organiser = await startOrganiserServer({ controller, dataDir, rendererDir: options.rendererDir ?? join(dataDir, 'no-renderer'), log });
  return {
    core,
    controller,
    organiser,
    twiml,
    emulator,
    dataDir,
    async rpc(method, input, token = organiser.token) {
      const response = await fetch(`${organiser.url}/api/rpc/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      return { status: response.status, body: (await response.json()) as never };
    },
    async close() {
      await controller.stop();
      await organiser.close();
      await twiml.close();
      core.close();
      await emulator.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
