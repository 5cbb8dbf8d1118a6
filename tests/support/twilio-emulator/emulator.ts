import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Caller } from '../../../server/voice-sim/caller.ts';
import { placeCall as simulateCall, type SimulatedCall } from '../../../server/voice-sim/simulator.ts';
import { dispatch, type DispatchContext, type EmulatedRequest, type Mutable } from './dispatch.ts';
import { FaultBook, type FaultRule } from './faults.ts';
import { FunctionRuntime, routeToRuntime, type RuntimeLogEntry } from './function-runtime.ts';
import { Mp3Cache } from './media.ts';
import { deliver, type EmulatedMessage } from './messages.ts';
import type { EmulatedSmsCountry } from './pricing.ts';
import type { EmulatedAccount, EmulatedCall, EmulatedNumber, EmulatedRecording, NumberInput } from './records.ts';
import type { EmulatedBuild, EmulatedDeployment, EmulatedEnvironment, EmulatedService } from './serverless-records.ts';
import { ServerlessStore } from './serverless-store.ts';
import { newSid } from '../../../server/twilio/sids.ts';
import { EmulatorStore } from './store.ts';

export type { EmulatedRequest } from './dispatch.ts';
export type { Fault, FaultRule } from './faults.ts';
export type { EmulatedAccount, EmulatedApiKey, EmulatedCall, EmulatedNumber, EmulatedRecording, NumberInput } from './records.ts';
export { EMULATED_OPERATIONS, type EmulatedOperation } from './rest-routes.ts';
export type { EmulatedMessage, MessageStatus } from './messages.ts';
export { JAPAN_SMS_PRICES, PRICING_OPERATIONS, type EmulatedSmsCountry } from './pricing.ts';
export { SERVERLESS_OPERATIONS, UPLOAD_PATH } from './serverless-routes.ts';
export type { RuntimeLogEntry } from './function-runtime.ts';
export type { EmulatedBuild, EmulatedDeployment, EmulatedEnvironment, EmulatedService } from './serverless-records.ts';

export interface TwilioEmulatorOptions {
  readonly accounts: readonly EmulatedAccount[];
  /** How long a new recording stays undownloadable (Twilio's post-processing). */
  readonly mediaDelayMs?: number;
  /** How long a Functions build stays `building` (Twilio: tens of seconds; default 50 ms). */
  readonly buildDelayMs?: number;
  /** How long a deployed function may run before the runtime gives up (Twilio: 10 s). */
  readonly functionTimeoutMs?: number;
}

/**
 * A stand-in for Twilio's REST API on loopback, for the subset Shukuden uses: accounts,
 * balance, incoming numbers, calls, recordings and their media, with Twilio's basic auth,
 * error JSON and paging; and Serverless (services, environments, functions, assets, builds,
 * deployments) with a runtime that really runs what is deployed, at its `*.twil.io` domain.
 * It routes inbound calls to a number's voice URL (or its fallback URL, as Twilio does)
 * through the voice simulator, stores what guests record, logs every request and can inject faults.
 */
export class TwilioEmulator {
  readonly #store: EmulatorStore;
  readonly #serverless: ServerlessStore;
  readonly #runtime: FunctionRuntime;
  readonly #mediaDelayMs: number;
  readonly #faults = new FaultBook();
  readonly #mp3 = new Mp3Cache();
  readonly #smsPrices = new Map<string, EmulatedSmsCountry>();
  #requests: Mutable<EmulatedRequest>[] = [];
  #stopping = new AbortController();
  #server: Server | null = null;
  #url = '';

  constructor(options: TwilioEmulatorOptions) {
    this.#store = new EmulatorStore(options.accounts);
    this.#mediaDelayMs = options.mediaDelayMs ?? 0;
    this.#serverless = new ServerlessStore({ buildDelayMs: options.buildDelayMs ?? 50 });
    this.#runtime = new FunctionRuntime({
      store: this.#serverless,
      account: (sid) => this.#store.account(sid),
      apiBase: () => this.#url,
      ...(options.functionTimeoutMs === undefined ? {} : { timeoutMs: options.functionTimeoutMs }),
    });
    // A created message moves on (sent, delivered…) after the 201, with a status callback per change.
    this.#store.messages.onCreated = (message, account) => {
      setImmediate(() => void deliver(this.#store.messages, message, account, this.#stopping.signal));
    };
  }

  /** Every SMS created through the Messages resource. */
  get messages(): readonly EmulatedMessage[] {
    return this.#store.messages.all;
  }

  /** The guest replied STOP to `from`: Twilio refuses further messages to them from it (error 21610). */
  optOut(from: string, to: string): void {
    this.#store.messages.optOut(from, to);
  }

  /** What texting a country costs in the Pricing API (ISO code, e.g. JP); null takes it away (then 404). */
  setSmsPrices(isoCountry: string, country: EmulatedSmsCountry | null): void {
    if (country) this.#smsPrices.set(isoCountry.toUpperCase(), country);
    else this.#smsPrices.delete(isoCountry.toUpperCase());
  }

  /** Messages to `to` end `undelivered` with 30003 (unreachable handset). */
  setUnreachable(to: string): void {
    this.#store.messages.setUnreachable(to);
  }

  /** Base URL, e.g. http://127.0.0.1:PORT (what SHUKUDEN_TWILIO_API_BASE points at). */
  get url(): string {
    return this.#url;
  }

  /** Every recording, deleted ones included (flagged). */
  get recordings(): readonly EmulatedRecording[] {
    return this.#store.recordings;
  }

  get calls(): readonly EmulatedCall[] {
    return this.#store.calls;
  }

  /** Every REST and media request so far, in arrival order. */
  get requests(): readonly EmulatedRequest[] {
    return this.#requests.map((r) => ({ ...r }));
  }

  clearRequests(): void {
    this.#requests = [];
  }

  /** Functions services (with everything under them, deleted services are gone). */
  get services(): readonly EmulatedService[] {
    return this.#serverless.services;
  }

  get environments(): readonly EmulatedEnvironment[] {
    return this.#serverless.environments;
  }

  get builds(): readonly EmulatedBuild[] {
    return this.#serverless.builds;
  }

  get deployments(): readonly EmulatedDeployment[] {
    return this.#serverless.deployments;
  }

  /** Every request a Functions domain answered, in order. */
  get runtimeRequests(): readonly RuntimeLogEntry[] {
    return this.#runtime.requests;
  }

  /** The emulator's DNS: where a `https://….twil.io/…` URL is really served; other URLs unchanged. */
  resolve(url: string): string {
    return routeToRuntime(new URL(url), this.#url).href;
  }

  async start(): Promise<this> {
    this.#stopping = new AbortController();
    const server = createServer((req, res) => {
      const context: DispatchContext = {
        store: this.#store,
        serverless: this.#serverless,
        smsPrices: this.#smsPrices,
        runtime: this.#runtime,
        faults: this.#faults,
        mp3: this.#mp3,
        log: (entry: Mutable<EmulatedRequest>) => this.#requests.push(entry),
        apiBase: this.#url,
        signal: this.#stopping.signal,
      };
      dispatch(context, req, res).catch((error: unknown) => {
        // A bug in the emulator should fail the test loudly, not hang it.
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
        else res.destroy();
      });
    });
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    this.#url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    this.#stopping.abort();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Adds a number to an account, as if bought in the console. */
  addNumber(input: NumberInput): EmulatedNumber {
    return this.#store.addNumber(input);
  }

  /** The number's current configuration (what the app wrote through the API), if it exists. */
  number(phoneNumber: string): EmulatedNumber | undefined {
    return this.#store.numberByPhone(phoneNumber);
  }

  /**
   * Routes an inbound call like Twilio: finds the number dialled, records the call, and
   * runs the voice simulator against the number's voice URL with the account's auth token,
   * falling back to its voice fallback URL when the voice URL fails. Functions domains
   * (`*.twil.io`) are answered by the emulator's runtime. The call record completes (or fails) when the simulated call ends.
   */
  async placeCall(input: { readonly to: string; readonly from: string; readonly caller: Caller; readonly timeScale?: number }): Promise<SimulatedCall> {
    const number = this.#store.numberByPhone(input.to);
    if (!number) throw new Error(`placeCall: no number ${input.to} in the Twilio emulator (addNumber first)`);
    const account = this.#store.account(number.accountSid);
    if (!account) throw new Error(`placeCall: account ${number.accountSid} is gone`);
    if (account.status !== 'active') throw new Error(`placeCall: account ${account.sid} is ${account.status}; Twilio rejects its calls (error 10003)`);
    if (!number.voiceCapable) throw new Error(`placeCall: ${number.phoneNumber} is not voice capable`);
    if (number.voiceApplicationSid) {
      throw new Error(`placeCall: ${number.phoneNumber} is routed to application ${number.voiceApplicationSid}, which the emulator does not emulate`);
    }
    if (!number.voiceUrl) throw new Error(`placeCall: ${number.phoneNumber} has no voice URL, so Twilio has nowhere to send the call`);
    // real-services: trial accounts — only verified caller IDs can call a trial account's number.
    if (account.type === 'Trial' && !account.verifiedCallerIds.includes(input.from)) {
      throw new Error(`placeCall: ${account.sid} is a trial account and ${input.from} is not a verified caller ID; Twilio does not connect the call`);
    }
    const call = this.#store.startCall(number, input.from);
    try {
      const result = await simulateCall({
        voiceUrl: number.voiceUrl,
        voiceMethod: number.voiceMethod,
        ...(number.voiceFallbackUrl ? { voiceFallbackUrl: number.voiceFallbackUrl, voiceFallbackMethod: number.voiceFallbackMethod } : {}),
        dns: (url) => routeToRuntime(url, this.#url),
        ...(number.statusCallback ? { statusCallback: number.statusCallback } : {}),
        accountSid: account.sid,
        authToken: account.authToken,
        from: input.from,
        to: number.phoneNumber,
        caller: input.caller,
        recordings: this,
        callSid: call.sid,
        ...(input.timeScale === undefined ? {} : { timeScale: input.timeScale }),
      });
      this.#store.endCall(call.sid, 'completed');
      return result;
    } catch (error) {
      this.#store.endCall(call.sid, 'failed');
      throw error;
    }
  }

  /** Stores a recording as Twilio would after `<Record>`; returns its SID and URL (no extension, like Twilio's). */
  addRecording(input: { accountSid: string; callSid: string; wav: Buffer; durationSeconds: number; createdAt?: Date }): {
    recordingSid: string;
    recordingUrl: string;
    ready: Promise<void>;
  } {
    const sid = newSid('RE');
    const createdAt = input.createdAt ?? new Date();
    const availableAt = createdAt.getTime() + this.#mediaDelayMs;
    this.#store.addRecording({
      sid,
      accountSid: input.accountSid,
      callSid: input.callSid,
      wav: input.wav,
      durationSeconds: input.durationSeconds,
      createdAt,
      availableAt,
      status: 'completed',
      source: 'RecordVerb',
      channels: 1,
      deleted: false,
    });
    return {
      recordingSid: sid,
      recordingUrl: `${this.#url}/2010-04-01/Accounts/${input.accountSid}/Recordings/${sid}`,
      // Unref'd: a recording made "an hour ago" must not keep the test process alive for an hour after the emulator stops.
      ready: new Promise((resolve) => setTimeout(resolve, Math.max(0, availableAt - Date.now())).unref()),
    };
  }

  /** Makes the next `times` (default 1) requests matching `method` and `path` fail as `fault` says. */
  injectFault(rule: FaultRule): void {
    this.#faults.inject(rule);
  }

  clearFaults(): void {
    this.#faults.clear();
  }
}
