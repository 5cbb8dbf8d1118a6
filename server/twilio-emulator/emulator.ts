import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { newSid } from './sids.ts';

/** An account the emulator knows, with the credentials basic auth must match. */
export interface EmulatedAccount {
  readonly sid: string;
  readonly authToken: string;
}

export interface EmulatedRecording {
  readonly sid: string;
  readonly accountSid: string;
  readonly callSid: string;
  readonly wav: Buffer;
  readonly durationSeconds: number;
  readonly createdAt: Date;
  /** Twilio processes recordings after the call step; until then the media URL is 404. */
  readonly availableAt: number;
}

export interface TwilioEmulatorOptions {
  readonly accounts: readonly EmulatedAccount[];
  /** How long a new recording stays undownloadable (Twilio's post-processing). */
  readonly mediaDelayMs?: number;
}

/**
 * A stand-in for Twilio's REST API on loopback, for the subset Shukuden uses.
 * So far: recording media with basic auth and Twilio's error JSON. The voice simulator
 * stores what guests record here, exactly where Twilio would serve it from.
 */
export class TwilioEmulator {
  readonly #accounts: ReadonlyMap<string, EmulatedAccount>;
  readonly #recordings = new Map<string, EmulatedRecording>();
  readonly #mediaDelayMs: number;
  #server: Server | null = null;
  #url = '';

  constructor(options: TwilioEmulatorOptions) {
    this.#accounts = new Map(options.accounts.map((a) => [a.sid, a]));
    this.#mediaDelayMs = options.mediaDelayMs ?? 0;
  }

  /** Base URL, e.g. http://127.0.0.1:PORT (what SHUKUDEN_TWILIO_API_BASE points at). */
  get url(): string {
    return this.#url;
  }

  get recordings(): readonly EmulatedRecording[] {
    return [...this.#recordings.values()];
  }

  async start(): Promise<this> {
    const app = express();
    app.disable('x-powered-by');
    app.get('/2010-04-01/Accounts/:account/Recordings/:file', (req, res) => this.#recordingMedia(req, res));
    app.use((req, res) => twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`));
    await new Promise<void>((resolve) => {
      this.#server = app.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.#server?.address() as AddressInfo;
    this.#url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Stores a recording as Twilio would after `<Record>`; returns its SID and URL (no extension, like Twilio's). */
  addRecording(input: { accountSid: string; callSid: string; wav: Buffer; durationSeconds: number }): {
    recordingSid: string;
    recordingUrl: string;
    ready: Promise<void>;
  } {
    const sid = newSid('RE');
    const recording: EmulatedRecording = { ...input, sid, createdAt: new Date(), availableAt: Date.now() + this.#mediaDelayMs };
    this.#recordings.set(sid, recording);
    return {
      recordingSid: sid,
      recordingUrl: `${this.#url}/2010-04-01/Accounts/${input.accountSid}/Recordings/${sid}`,
      ready: new Promise((resolve) => setTimeout(resolve, this.#mediaDelayMs)),
    };
  }

  #authorised(req: Request, accountSid: string): boolean {
    const header = req.header('authorization') ?? '';
    if (!header.startsWith('Basic ')) return false;
    const [user, pass] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':', 2);
    const account = this.#accounts.get(accountSid);
    return account !== undefined && user === account.sid && pass === account.authToken;
  }

  #recordingMedia(req: Request, res: Response): void {
    const accountSid = String(req.params['account']);
    if (!this.#authorised(req, accountSid)) {
      res.setHeader('www-authenticate', 'Basic realm="Twilio API"');
      return twilioError(res, 401, 20003, 'Authenticate');
    }
    const match = /^(RE[0-9a-f]{32})\.wav$/.exec(String(req.params['file']));
    const recording = match ? this.#recordings.get(match[1] ?? '') : undefined;
    if (!recording || recording.accountSid !== accountSid || Date.now() < recording.availableAt) {
      return twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
    }
    res.status(200).type('audio/x-wav').send(recording.wav);
  }
}

/** Twilio's REST error body. */
function twilioError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}
