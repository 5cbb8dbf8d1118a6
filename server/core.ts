import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestListener } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.ts';
import { AlwaysOnLine } from './always-on/always-on.ts';
import { CallLine } from './call-line.ts';
import { PATHS } from './call-flow/paths.ts';
import type { Log } from './log.ts';
import { ProbeBook } from './line/probe-book.ts';
import { mediaToken } from './public/media-token.ts';
import { createPublicRouter } from './public/public-router.ts';
import { twilioWebhooks } from './public/twilio-webhooks.ts';
import { resolveFfmpeg } from './audio/ffmpeg.ts';
import { GuestLink } from './guest-link/guest-link.ts';
import { createGuestRouter, type GuestLimits } from './guest-link/guest-router.ts';
import { GuestTakes } from './guest-link/guest-takes.ts';
import { GuestUploads } from './guest-link/guest-uploads.ts';
import { CallStore } from './store/call-store.ts';
import { openDatabase } from './store/database.ts';
import { SettingsStore } from './store/settings-store.ts';
import { LibraryStore } from './store/library-store.ts';
import { GuestStore } from './store/guest-store.ts';
import { SmsStore } from './store/sms-store.ts';
import { createSmsStatusRouter } from './public/sms-status-router.ts';
import { LibraryService } from './library/library-service.ts';
import { AudioWorker } from './library/audio-worker-client.ts';
import { TWILIO_API_ORIGIN, type TwilioCredentials } from './twilio/client.ts';
import type { RetryPolicy } from './twilio/recording-downloader.ts';
import { TwilioLine, type ConnectResult } from './twilio/twilio-line.ts';


export interface CoreOptions {
  readonly dataDir: string;
  readonly authToken: string;
  /** The base URL Twilio is given and signs against (tunnel or --public-url); set later with `setPublicUrl` when not known yet. */
  readonly publicUrl?: string;
  readonly log: Log;
  readonly twilioApiBase?: string;
  readonly takeMediaWaitMs?: number;
  readonly clock?: () => Date;
  /**
   * The audio worker's entry file. Default: `server/library/audio-worker.ts` when run from source;
   * a bundle passes its own (electron/main.ts: `out/main/audio-worker.js`).
   */
  readonly audioWorker?: URL;
  /** Where the built guest page is (`guest.html` + assets; the renderer's build folder). */
  readonly guestPageDir?: string;
  /** Test hook: lower rate limits for the guest link. */
  readonly guestLimits?: GuestLimits;
}

/** Everything that runs in Node, composed once; Electron and the headless CLI both start from here. */
export interface Core {
  /** The TwiML server's request handler: Twilio's webhooks first (plain node:http), then the Express app (media, 404). */
  readonly app: RequestListener;
  readonly calls: CallStore;
  readonly settings: SettingsStore;
  /** Names, notes, album choice, trash and edits. */
  readonly library: LibraryStore;
  /** Health checks and waveforms. */
  readonly libraryService: LibraryService;
  /** The guest list. */
  readonly guests: GuestStore;
  /** SMS sent to guests, with Twilio's delivery status. */
  readonly sms: SmsStore;
  readonly line: CallLine;
  /** Nonces for proving the public URL reaches this very app. */
  readonly probes: ProbeBook;
  /** The auth token requests must be signed with (and media URLs are keyed by). */
  readonly authToken: string;
  /** New credentials were saved: requests are checked against this token from now on. */
  setAuthToken(token: string): void;
  /** Twilio's REST base (the emulator in tests). */
  readonly twilioApiBase: string;
  readonly dataDir: string;
  /** Where imported prompt audio lives (served to Twilio by the public router). */
  readonly promptDir: string;
  publicUrl(): string;
  /** The tunnel moved: Twilio now signs against the new URL. */
  setPublicUrl(url: string): void;
  /** The connected Twilio account, if any. */
  twilio(): TwilioLine | null;
  /**
   * The always-on line hosted on Twilio Functions: on/off, install state, the line's mode in
   * plain words, `sync()` after prompts change, `uninstall()`. Steers the number on connect and quit.
   */
  readonly alwaysOn: AlwaysOnLine;
  /** The guest link: on/off, its token and title; guests record in their phone's browser through the tunnel. */
  readonly guestLink: GuestLink;
  /** Connects a Twilio account: checks it, wires the number, starts bringing recordings home. */
  connectTwilio(options: TwilioConnectOptions): Promise<ConnectResult>;
  /** Disconnects; `restore` puts the number back as it was (a clean quit). */
  disconnectTwilio(options: { readonly restore: boolean }): Promise<void>;
  close(): void;
}

export interface TwilioConnectOptions {
  readonly credentials: TwilioCredentials;
  readonly phoneNumber: string | null;
  readonly allowTrial?: boolean;
  readonly takeOver?: boolean;
  readonly reconcileIntervalMs?: number;
  readonly retry?: RetryPolicy;
}

/** The renderer build (npm run build), where the guest page is when running from source. */
const DEFAULT_GUEST_PAGE_DIR = fileURLToPath(new URL('../out/renderer', import.meta.url));

export function createCore(options: CoreOptions): Core {
  const db = openDatabase(options.dataDir);
  const promptDir = join(options.dataDir, 'prompts');
  mkdirSync(promptDir, { recursive: true });
  const calls = new CallStore(db);
  const settings = new SettingsStore(db);
  const guests = new GuestStore(db, () => calls.changed());
  const sms = new SmsStore(db, () => calls.changed());
  const library = new LibraryStore(db, () => calls.changed(), () => ({ guests: guests.list(), defaultCountryCode: settings.line().defaultCountryCode }));
  const libraryService = new LibraryService({ store: library, dataDir: options.dataDir, log: options.log, worker: new AudioWorker(options.audioWorker) });
  // Every message is measured as soon as it is home (downloaded, recorded in a rehearsal or sent through
  // the guest link), on the audio worker; webhooks never trigger it. Anything left unmeasured by a crash is measured now.
  // A check cut short by close() runs again at the next start (the take is still unchecked).
  const checkPending = () => void libraryService.checkPending().catch((error: unknown) => db.isOpen && options.log.warn('Messages could not be checked', { error: String(error) }));
  calls.onTakeHome(checkPending);
  checkPending();
  let publicUrl = (options.publicUrl ?? '').replace(/\/+$/, '');
  let currentToken = options.authToken;
  const authToken = () => currentToken;
  const mediaUrl = (path: string) => `${publicUrl}${path}?t=${mediaToken(authToken(), path)}`;
  let twilioLine: TwilioLine | null = null;
  const twilioApiBase = options.twilioApiBase ?? TWILIO_API_ORIGIN;
  const line = new CallLine({
    calls,
    settings,
    log: options.log,
    clock: options.clock,
    onRecordingReady: (sid) => twilioLine?.downloader.enqueue(sid),
    media: {
      prompt: (file) => mediaUrl(`${PATHS.promptMedia}/${file}`),
      take: (sid) => mediaUrl(`${PATHS.takeMedia}/${sid}`),
    },
  });
  const alwaysOn = new AlwaysOnLine({ settings, promptDir, apiBase: twilioApiBase, log: options.log });
  const probes = new ProbeBook();
  const webhooks = twilioWebhooks({ line, probes, log: options.log, authToken, publicUrl: () => publicUrl });
  const publicRouter = createPublicRouter({
    calls,
    log: options.log,
    authToken,
    publicUrl: () => publicUrl,
    twilioApiBase,
    dataDir: options.dataDir,
    promptDir,
    takeMediaWaitMs: options.takeMediaWaitMs ?? 8000,
  });
  const guestLink = new GuestLink(settings);
  const guestTakes = new GuestTakes(db, calls);
  const guestRouter = createGuestRouter({
    link: guestLink,
    takes: guestTakes,
    uploads: new GuestUploads({ takes: guestTakes, dataDir: options.dataDir, ffmpeg: () => resolveFfmpeg(), settings: () => settings.line(), log: options.log }),
    settings: () => settings.line(),
    phoneNumber: () => twilioLine?.number.phoneNumber ?? null,
    promptDir,
    pageDir: options.guestPageDir ?? DEFAULT_GUEST_PAGE_DIR,
    log: options.log,
    limits: options.guestLimits,
  });
  const express = createApp([publicRouter, guestRouter, createSmsStatusRouter({ sms, authToken, publicUrl: () => publicUrl, log: options.log })], options.log);
  return {
    app: (req, res) => {
      if (!webhooks(req, res)) express(req, res);
    },
    guestLink,
    calls,
    settings,
    library,
    libraryService,
    guests,
    sms,
    line,
    probes,
    get authToken() {
      return currentToken;
    },
    setAuthToken: (token) => {
      currentToken = token;
    },
    twilioApiBase,
    dataDir: options.dataDir,
    promptDir,
    publicUrl: () => publicUrl,
    setPublicUrl: (url) => {
      publicUrl = url.replace(/\/+$/, '');
    },
    twilio: () => twilioLine,
    alwaysOn,
    async connectTwilio(connect) {
      alwaysOn.detach();
      await twilioLine?.disconnect({ restore: false });
      twilioLine = null;
      const result = await TwilioLine.connect({
        ...connect,
        apiBase: twilioApiBase,
        calls,
        settings,
        dataDir: options.dataDir,
        log: options.log,
        publicUrl,
        // The number falls back to the always-on line while we are live; its calls come home "while away".
        fallbackUrl: alwaysOn.voiceUrl(connect.credentials.accountSid),
        whileAway: () => alwaysOn.installed() !== null,
      });
      if (result.kind === 'connected') {
        twilioLine = result.line;
        alwaysOn.attach(result.line, connect.credentials);
      }
      return result;
    },
    async disconnectTwilio({ restore }) {
      const current = twilioLine;
      twilioLine = null;
      // A clean quit with always-on hands the number to the hosted line instead of restoring it.
      if (current) await alwaysOn.leave(current, { restore });
    },
    close: () => {
      // A health check still under way must not write to a closed database.
      libraryService.stop();
      db.close();
    },
  };
}
