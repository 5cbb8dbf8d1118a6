import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiInput, ApiMethod, ApiOutputs, Problem } from '../../server/api/contract.ts';
import { startOrganiserServer, type OrganiserServer } from '../../server/api/organiser-server.ts';
import { AppController } from '../../server/app/app-controller.ts';
import { memorySecrets } from '../../server/app/secret-store.ts';
import { createCore, type Core } from '../../server/core.ts';
import { listen, type Listening } from '../../server/listen.ts';
import { memoryLog } from '../../server/log.ts';
import { TwilioEmulator } from '../../server/twilio-emulator/emulator.ts';
import { ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER } from './line-harness.ts';

/** An API result as a test reads it: `value` on success, `error` on failure. */
export interface RpcBody<M extends ApiMethod> {
  readonly ok: boolean;
  readonly value?: ApiOutputs[M];
  readonly error?: Problem;
}

export interface OrganiserApp {
  readonly core: Core;
  readonly controller: AppController;
  readonly organiser: OrganiserServer;
  readonly twiml: Listening;
  readonly emulator: TwilioEmulator;
  readonly dataDir: string;
  /** Calls the organiser API like the web UI does, typed by the contract. */
  rpc<M extends ApiMethod>(method: M, input: ApiInput<M>, token?: string): Promise<{ status: number; body: RpcBody<M> }>;
  /** Sends anything at all, as a hostile page could. */
  rawRpc(method: string, input: unknown, token?: string): Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: Problem } }>;
  close(): Promise<void>;
}

/** The app as web mode runs it, in-process: core, controller, organiser server, Twilio emulator. */
export async function startOrganiserApp(options: { readonly rendererDir?: string } = {}): Promise<OrganiserApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shukuden-organiser-'));
  const emulator = await new TwilioEmulator({ accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN }], mediaDelayMs: 100 }).start();
  emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER });
  const log = memoryLog();
  const core = createCore({ dataDir, authToken: 'f'.repeat(32), publicUrl: 'http://127.0.0.1', log, twilioApiBase: emulator.url });
  const twiml = await listen(core.app, { port: 0, host: '127.0.0.1' });
  core.setPublicUrl(twiml.url);
  const controller = new AppController({ core, localUrl: twiml.url, secrets: memorySecrets(), log, systemLanguage: 'en' });
  const organiser = await startOrganiserServer({ controller, dataDir, rendererDir: options.rendererDir ?? join(dataDir, 'no-renderer'), log });
  async function post(method: string, input: unknown, token = organiser.token) {
    const response = await fetch(`${organiser.url}/api/rpc/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    return { status: response.status, body: (await response.json()) as never };
  }
  return {
    core,
    controller,
    organiser,
    twiml,
    emulator,
    dataDir,
    rpc: (method, input, token) => post(method, input, token),
    rawRpc: (method, input, token) => post(method, input, token),
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
