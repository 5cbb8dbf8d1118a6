import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiInput, ApiMethod, ApiOutputs, Problem } from '../../server/api/contract.ts';
import type { OrganiserServer } from '../../server/api/organiser-server.ts';
import type { OrganiserController } from '../../server/organiser/organiser-controller.ts';
import { memorySecrets } from '../../server/organiser/secret-store.ts';
import type { Core } from '../../server/core.ts';
import type { Listening } from '../../server/listen.ts';
import { memoryLog } from '../../server/log.ts';
import { startApp } from '../../server/start-app.ts';
import { TwilioEmulator } from './twilio-emulator/emulator.ts';
import type { TunnelProvider } from '../../server/tunnel/tunnel-provider.ts';
import { ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER } from './line-harness.ts';

/** An API result as a test reads it: `value` on success, `error` on failure. */
export interface RpcBody<M extends ApiMethod> {
  readonly ok: boolean;
  readonly value?: ApiOutputs[M];
  readonly error?: Problem;
}

export interface OrganiserApp {
  readonly core: Core;
  readonly controller: OrganiserController;
  readonly organiser: OrganiserServer;
  readonly twiml: Listening;
  readonly emulator: TwilioEmulator;
  readonly dataDir: string;
  /** Calls the organiser API like the web UI does, typed by the contract. */
  rpc<M extends ApiMethod>(method: M, input: ApiInput<M>, token?: string): Promise<{ status: number; body: RpcBody<M> }>;
  /** `rpc` for a call that must succeed: its value, typed by the contract (a problem fails the test with its words). */
  rpcValue<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]>;
  /** Sends anything at all, as a hostile page could. */
  rawRpc(method: string, input: unknown, token?: string): Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: Problem } }>;
  close(): Promise<void>;
}

/** The app as web mode runs it, in-process: core, controller, organiser server, Twilio emulator. */
export async function startOrganiserApp(
  options: { readonly rendererDir?: string; readonly fixedTunnel?: TunnelProvider; readonly trial?: boolean; /** An existing data folder (a restart); kept on close. */ readonly dataDir?: string } = {},
): Promise<OrganiserApp> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'shukuden-organiser-')));
  const emulator = await new TwilioEmulator({ accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN, ...(options.trial ? { type: 'Trial' as const } : {}) }], mediaDelayMs: 100 }).start();
  emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER });
  const log = memoryLog();
  const running = await startApp({
    dataDir,
    authToken: 'f'.repeat(32),
    log,
    twilioApiBase: emulator.url,
    controller: { secrets: memorySecrets(), systemLanguage: 'en', fixedTunnel: options.fixedTunnel ?? null },
    organiser: { rendererDir: options.rendererDir ?? join(dataDir, 'no-renderer') },
  });
  const { core, controller, twiml } = running;
  const { organiser } = running;
  if (!organiser) throw new Error('the organiser server was asked for');
  const server: OrganiserServer = organiser;
  async function post(method: string, input: unknown, token = server.token) {
    const response = await fetch(`${server.url}/api/rpc/${method}`, {
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
    async rpcValue(method, input) {
      const { body } = await post(method, input);
      const typed: RpcBody<typeof method> = body;
      if (!typed.ok || typed.value === undefined) throw new Error(`${method} failed: ${typed.error?.en ?? 'no value'}`);
      return typed.value;
    },
    async close() {
      await running.close();
      await emulator.stop();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
