import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import { defaultFlowSettings, type FlowSettings } from '../../server/call-flow/flow-settings.ts';
import { PROMPT_KEYS, type PromptKey, type PromptSet } from '../../server/call-flow/prompts.ts';
import { createCore, type Core } from '../../server/core.ts';
import { listen, type Listening } from '../../server/listen.ts';
import { memoryLog } from '../../server/log.ts';
import { TwilioEmulator } from './twilio-emulator/emulator.ts';
import { LoopbackTunnel } from '../../server/tunnel/loopback-tunnel.ts';
import { scriptedCaller, type ScriptStep } from '../../server/voice-sim/caller.ts';
import { placeCall, type SimEvent, type SimulatedCall } from '../../server/voice-sim/simulator.ts';

export const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
export const AUTH_TOKEN = '5d41402abc4b2a76b9719d911017c592';
export const LINE_NUMBER = '+815012345678';
export const GUEST_NUMBER = '+819011112222';

export interface LineHarness {
  readonly core: Core;
  /** The app's own address (not what Twilio is given). */
  readonly localUrl: string;
  /** The tunnel address Twilio is given and signs. */
  readonly publicUrl: string;
  readonly emulator: TwilioEmulator;
  readonly dataDir: string;
  readonly log: ReturnType<typeof memoryLog>;
  call(steps: readonly ScriptStep[], options?: { readonly from?: string }): Promise<SimulatedCall>;
  /** Stops the app and starts it again on the same port and data folder, as after a crash; `whileStopped` runs in between. */
  restart(whileStopped?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole line over loopback: the real core behind a real forwarder "tunnel",
 * the Twilio emulator holding recordings, and the voice simulator placing calls.
 */
export async function startLine(options: { readonly settings?: Partial<FlowSettings>; readonly mediaDelayMs?: number; readonly dataDir?: string } = {}): Promise<LineHarness> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'shukuden-test-')));
  const log = memoryLog();
  const emulator = await new TwilioEmulator({
    accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN }],
    mediaDelayMs: options.mediaDelayMs ?? 0,
  }).start();
  const makeCore = (publicUrl?: string) =>
    createCore({ dataDir, authToken: AUTH_TOKEN, publicUrl, log, twilioApiBase: emulator.url, takeMediaWaitMs: 5000, storageRetryMs: 100 });

  // The public URL is the tunnel's, known once the app listens.
  let core = makeCore();
  core.settings.saveFlow({ ...defaultFlowSettings(), ...options.settings });
  let listening: Listening = await listen(core.httpApp, { port: 0, host: '127.0.0.1' });
  const tunnel = new LoopbackTunnel();
  const publicUrl = (await tunnel.open(listening.url)).url;
  core.setPublicUrl(publicUrl);

  return {
    get core() {
      return core;
    },
    localUrl: listening.url,
    publicUrl,
    emulator,
    dataDir,
    log,
    call: (steps, callOptions = {}) =>
      placeCall({
        voiceUrl: `${publicUrl}/twilio/voice`,
        statusCallback: `${publicUrl}/twilio/call-status`,
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        from: callOptions.from ?? GUEST_NUMBER,
        to: LINE_NUMBER,
        caller: scriptedCaller(steps),
        recordings: emulator,
      }),
    async restart(whileStopped) {
      const port = listening.port;
      await listening.close();
      core.close();
      await whileStopped?.();
      core = makeCore(publicUrl);
      listening = await listen(core.httpApp, { port, host: '127.0.0.1' });
    },
    async close() {
      await tunnel.close();
      await listening.close();
      core.close();
      await emulator.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What the guest experienced, as prompt names: `welcome`, `beep`, `play:take`, `menu`, …
 * Say texts are mapped back to the prompt they came from so tests read like the call script.
 */
export function heard(call: SimulatedCall, prompts: PromptSet = defaultFlowSettings().prompts): string[] {
  const byText = new Map<string, PromptKey>();
  for (const key of PROMPT_KEYS) {
    const p = prompts[key];
    if (p.kind === 'tts') byText.set(p.text, key);
  }
  return call.events.flatMap((event: SimEvent): string[] => {
    switch (event.kind) {
      case 'say':
        return [byText.get(event.text) ?? `say:${event.text}`];
      case 'play': {
        // The laptop plays takes from /media/takes/, the always-on line from its /twilio/take function.
        const take = event.url.includes('/media/takes/') || event.url.includes('/twilio/take');
        return [`play:${take ? 'take' : 'prompt'}${event.status === 200 ? '' : `(${event.status})`}`];
      }
      case 'beep':
        return ['beep'];
      case 'record':
        return [event.recordingSid ? `recorded:${event.durationSeconds}s` : 'recorded:nothing'];
      case 'gather':
        return [`keys:${event.digits || 'none'}`];
      case 'hangup':
        return [`hangup:${event.by}`];
      case 'pause':
        return [];
      case 'application-error':
        return [`application-error:${event.detail}`];
    }
  });
}

/** A POST signed the way Twilio signs it, for probing routes directly. */
export async function signedPost(url: string, params: Record<string, string>, options: { signUrl?: string; token?: string } = {}): Promise<Response> {
  const signature = twilio.getExpectedTwilioSignature(options.token ?? AUTH_TOKEN, options.signUrl ?? url, params);
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
}

/** Parameters of a first voice webhook for a fresh call. */
export function voiceParams(callSid: string, from = GUEST_NUMBER): Record<string, string> {
  return { CallSid: callSid, AccountSid: ACCOUNT_SID, From: from, To: LINE_NUMBER, CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01' };
}
