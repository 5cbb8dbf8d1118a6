import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestListener } from 'node:http';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createHttpApp } from './http-app.ts';
import { AlwaysOnService } from './always-on/always-on.ts';
import { CallRunner } from './call-runner.ts';
import { PATHS } from './call-flow/paths.ts';
import { isStaleCall } from './call-flow/settle-calls.ts';
import type { Log } from './log.ts';
import { ProbeBook } from './connection/probe-book.ts';
import { REHEARSAL_CALLER } from './rehearsal/rehearsal-session.ts';
import { mediaToken } from './public/media-token.ts';
import { twilioWebhooks } from './public/twilio-webhooks.ts';
import { resolveFfmpeg } from './audio/ffmpeg.ts';
import { GuestLink } from './guest-link/guest-link.ts';
import type { GuestLimits } from './guest-link/guest-router.ts';
import { GuestTakes } from './guest-link/guest-takes.ts';
import { audioToolNotice } from './guest-link/guest-problems.ts';
import { GuestUploads } from './guest-link/guest-uploads.ts';
import { CallStore } from './store/call-store.ts';
import { DatabaseBackups, openOrRestore, recoverNameClipsFromDisk, recoverRecordingsFromDisk, restoredNotice } from './store/database-recovery.ts';
import { defineSetting, SettingsStore } from './store/settings-store.ts';
import { StorageHealth } from './store/storage-health.ts';
import { StepWriter } from './store/step-writer.ts';
import { BACKSTOP_PAGES, WalCheckpoints } from './store/wal-checkpoints.ts';
import { DATABASE_FILE } from './store/database.ts';
import { LibraryStore } from './store/library-store.ts';
import { GuestStore } from './store/guest-store.ts';
import { SmsStore } from './store/sms-store.ts';
import { LibraryService } from './library/library-service.ts';
import { AudioWorker } from './library/audio-worker-client.ts';
import { TWILIO_API_ORIGIN, type TwilioCredentials } from './twilio/client.ts';
import type { RetryPolicy } from './twilio/recording-downloader.ts';
import { TwilioAccount, type ConnectResult } from './twilio/twilio-account.ts';


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
  /** How often a database that refused writes (disk full, locked) is tried again. */
  readonly storageRetryMs?: number;
  /** How often the database is backed up (when something changed). */
  readonly backupEveryMs?: number;
  /** Where the built guest page is (`guest.html` + assets; the renderer's build folder). */
  readonly guestPageDir?: string;
  /** Test hook: lower rate limits for the guest link. */
  readonly guestLimits?: GuestLimits;
}

/** Everything that runs in Node, composed once; Electron and the headless CLI both start from here. */
export interface Core {
  /** The TwiML server's request handler: Twilio's webhooks first (plain node:http), then the Express app (media, guest link, 404), loaded on first use. */
  readonly httpApp: RequestListener;
  /** Loads the Express app behind `httpApp` now (otherwise on the first request that needs it). */
  preloadHttpApp(): Promise<void>;
  /** How many requests `httpApp` has been given so far. */
  httpRequests(): number;
  readonly calls: CallStore;
  readonly settings: SettingsStore;
  /** Names, notes, album choice, trash and edits. */
  readonly libraryStore: LibraryStore;
  /** Health checks and waveforms. */
  readonly libraryService: LibraryService;
  /** The guest list. */
  readonly guests: GuestStore;
  /** SMS sent to guests, with Twilio's delivery status. */
  readonly sms: SmsStore;
  /** What is wrong with the data folder (disk full, not writable, database restored), for Home. */
  readonly storage: StorageHealth;
  /** The thread a call's steps are committed on (its `status()`, for checks). */
  readonly stepWriter: StepWriter;
  /** Online backups of the database (a damaged file at start is replaced by the newest good one). */
  readonly backups: DatabaseBackups;
  readonly callRunner: CallRunner;
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
  twilio(): TwilioAccount | null;
  /**
   * The always-on line hosted on Twilio Functions: on/off, install state, the line's mode in
   * plain words, `sync()` after prompts change, `uninstall()`. Steers the number on connect and quit.
   */
  readonly alwaysOn: AlwaysOnService;
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

/** Written to learn whether a database that refused writes takes them again. */
const STORAGE_PROBE = defineSetting('storage.probe', z.string(), '');

/** The renderer build (npm run build), where the guest page is when running from source. */
const DEFAULT_GUEST_PAGE_DIR = fileURLToPath(new URL('../out/renderer', import.meta.url));

export function createCore(options: CoreOptions): Core {
  const storage = new StorageHealth(options.dataDir, options.log);
  // A damaged database is kept aside and replaced (newest good backup, or fresh): never a crash at start.
  const opened = openOrRestore(options.dataDir, options.log);
  const db = opened.db;
  if (opened.kind === 'restored') storage.notice(restoredNotice(opened));
  const promptDir = join(options.dataDir, 'prompts');
  mkdirSync(promptDir, { recursive: true });
  // Checkpoints happen off the event loop (see WalCheckpoints); the app's own connection only as a backstop.
  db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const databaseFile = join(options.dataDir, DATABASE_FILE);
  const checkpoints = new WalCheckpoints({ file: databaseFile, everyMs: 1000, log: options.log });
  // A call's steps are committed on a thread of their own (see StepWriter).
  const steps = new StepWriter({ file: databaseFile, fallback: db, log: options.log });
  const calls = new CallStore(db, steps);
  const settings = new SettingsStore(db);
  const guests = new GuestStore(db, () => calls.changed());
  const sms = new SmsStore(db, () => calls.changed());
  const library = new LibraryStore(db, () => calls.changed(), () => ({ guests: guests.list(), defaultCountryCode: settings.flow().defaultCountryCode }));
  // Every WAV in the recordings folder is a message, whatever the database remembers.
  recoverRecordingsFromDisk(calls, options.dataDir, options.log);
  recoverNameClipsFromDisk(calls, options.dataDir, options.log);
  const backups = new DatabaseBackups({ db, dataDir: options.dataDir, log: options.log });
  calls.onChange(() => backups.changed());
  backups.start(options.backupEveryMs ?? 15 * 60_000);
  const libraryService = new LibraryService({ store: library, dataDir: options.dataDir, log: options.log, worker: new AudioWorker(options.audioWorker) });
  // Every message is measured as soon as it is home (downloaded, recorded in a rehearsal or sent through
  // the guest link), on the audio worker; webhooks never trigger it. Anything left unmeasured by a crash
  // (or recovered from disk above) is measured now.
  // A check cut short by close() runs again at the next start (the take is still unchecked).
  const checkPending = () => {
    libraryService.checkPending().catch((error: unknown) => {
      if (db.isOpen && !storage.report('database', error)) options.log.error('Checking new messages failed', { error: String(error) });
    });
  };
  calls.onTakeHome(checkPending);
  checkPending();
  // A database that refused a write is tried again on a timer; once it takes writes, the
  // reconciler brings home whatever arrived meanwhile (it is all still at Twilio).
  let storageTimer: NodeJS.Timeout | null = null;
  storage.onChange(() => {
    if (!storage.problem('database') || storageTimer) return;
    storageTimer = setInterval(() => {
      try {
        // Don't wait out a lock here (SQLite waits synchronously): a webhook's write would wait too.
        db.exec('PRAGMA busy_timeout = 0');
        settings.set(STORAGE_PROBE, new Date().toISOString());
      } catch (error) {
        storage.report('database', error);
        return;
      } finally {
        db.exec('PRAGMA busy_timeout = 5000');
      }
      if (storageTimer) clearInterval(storageTimer);
      storageTimer = null;
      storage.ok('database');
      void twilioLine?.reconciler.runOnce().catch(() => undefined);
    }, options.storageRetryMs ?? 15_000);
    storageTimer.unref();
  });
  let publicUrl = (options.publicUrl ?? '').replace(/\/+$/, '');
  let currentToken = options.authToken;
  const authToken = () => currentToken;
  const mediaUrl = (path: string) => `${publicUrl}${path}?t=${mediaToken(authToken(), path)}`;
  let twilioLine: TwilioAccount | null = null;
  const twilioApiBase = options.twilioApiBase ?? TWILIO_API_ORIGIN;
  const line = new CallRunner({
    calls,
    settings,
    log: options.log,
    clock: options.clock,
    storage,
    onRecordingReady: (sid) => twilioLine?.downloader.enqueue(sid),
    media: {
      prompt: (file) => mediaUrl(`${PATHS.promptMedia}/${file}`),
      take: (sid) => mediaUrl(`${PATHS.takeMedia}/${sid}`),
    },
  });
  // After a crash: rehearsal calls died with the process; other calls are ended once stale (the
  // reconciler asks Twilio about the rest as soon as an account is connected).
  line
    .settleOpenCalls(async (call) => call.from === REHEARSAL_CALLER || isStaleCall(call, options.clock?.() ?? new Date()))
    .catch((error: unknown) => {
      if (!storage.report('database', error)) options.log.error('Could not settle calls left open', { error: String(error) });
    });
  const alwaysOn = new AlwaysOnService({ settings, promptDir, apiBase: twilioApiBase, log: options.log });
  const probes = new ProbeBook();
  const guestLink = new GuestLink(settings);
  const guestTakes = new GuestTakes(calls);
  const httpApp = createHttpApp({
    webhooks: twilioWebhooks({ callRunner: line, probes, log: options.log, authToken, publicUrl: () => publicUrl }),
    log: options.log,
    loadApp: async () => {
      const { createPublicApp } = await import('./public/public-app.ts');
      return createPublicApp({
        media: {
          calls,
          log: options.log,
          authToken,
          publicUrl: () => publicUrl,
          twilioApiBase,
          dataDir: options.dataDir,
          promptDir,
          takeMediaWaitMs: options.takeMediaWaitMs ?? 8000,
        },
        guestLink: {
          link: guestLink,
          takes: guestTakes,
          uploads: new GuestUploads({
            takes: guestTakes,
            dataDir: options.dataDir,
            ffmpeg: () => resolveFfmpeg(),
            settings: () => settings.flow(),
            log: options.log,
            storage,
            // On Home once per start (StorageHealth keeps one notice per code); every upload after it is logged.
            onToolFailed: (error) => storage.notice(audioToolNotice(error.message.slice(0, 200))),
          }),
          settings: () => settings.flow(),
          phoneNumber: () => twilioLine?.number.phoneNumber ?? null,
          promptDir,
          pageDir: options.guestPageDir ?? DEFAULT_GUEST_PAGE_DIR,
          log: options.log,
          limits: options.guestLimits,
        },
        smsStatus: { sms, authToken, publicUrl: () => publicUrl, log: options.log },
        log: options.log,
      });
    },
  });
  return {
    httpApp: httpApp.handle,
    preloadHttpApp: httpApp.preload,
    httpRequests: httpApp.requests,
    guestLink,
    calls,
    settings,
    libraryStore: library,
    libraryService,
    guests,
    sms,
    storage,
    stepWriter: steps,
    backups,
    callRunner: line,
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
      const result = await TwilioAccount.connect({
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
        storage,
        line,
      });
      if (result.kind === 'connected') {
        twilioLine = result.account;
        alwaysOn.attach(result.account, connect.credentials);
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
      if (storageTimer) clearInterval(storageTimer);
      backups.stop();
      // A health check still reading a file must not write to a closed database.
      libraryService.stop();
      steps.close();
      checkpoints.stop();
      db.close();
    },
  };
}
