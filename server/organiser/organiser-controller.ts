import { z } from 'zod';
import { languageSchema } from '../api/api-inputs.ts';
import type { ApiOutputs, OrganiserState, ConnectOutcome, Language } from '../api/contract.ts';
import { importPromptAudio } from '../audio/prompt-audio.ts';
import { defaultFlowSettings, type FlowSettings } from '../call-flow/flow-settings.ts';
import { defaultPrompts, PROMPT_KEYS, type PromptKey } from '../call-flow/prompts.ts';
import type { Core } from '../core.ts';
import { initialStatus, type ConnectionStatus } from '../connection/connection-status.ts';
import { ConnectionSupervisor } from '../connection/connection-supervisor.ts';
import type { Log } from '../log.ts';
import { fixedUrlTunnel } from '../tunnel/fixed-url-tunnel.ts';
import { ngrokTunnel } from '../tunnel/ngrok-tunnel.ts';
import type { TunnelProvider } from '../tunnel/tunnel-provider.ts';
import { checkAccount } from '../twilio/account-check.ts';
import { isTwilioDefault } from '../twilio/number-wiring.ts';
import { createTwilioClient, type TwilioCredentials } from '../twilio/client.ts';
import { listVoiceNumbers } from '../twilio/phone-numbers.ts';
import type { RetryPolicy } from '../twilio/recording-downloader.ts';
import { PRIVACY } from '../twilio/twilio-account.ts';
import { defineSetting } from '../store/settings-store.ts';
import { UserError } from '../user-error.ts';
import type { Waveform } from '../library/library-service.ts';
import type { LibraryEntry, TakeEdit } from '../library/library-types.ts';
import { RehearsalSession } from '../rehearsal/rehearsal-session.ts';
import { loadTwilioCredentials, saveTwilioCredentials } from '../secrets/twilio-secrets.ts';
import { buildOrganiserState } from './organiser-state.ts';
import { guestLinkQr } from '../guest-link/qr-code.ts';
import { AlbumController } from './album-controller.ts';
import { GuestController } from './guest-controller.ts';
import type { AlbumView } from '../api/contract.ts';
import { SECRET, type SecretStore } from './secret-store.ts';

function notFound(): UserError {
  return new UserError('message-not-found', { en: 'That message no longer exists.', ja: 'そのメッセージは見つかりません。' });
}

/** First-run setup: done, and whether the line is live or rehearsal only. */
export const SETUP = defineSetting<OrganiserState['setup'] | null>('app.setup', z.object({ done: z.boolean(), mode: z.enum(['live', 'rehearsal']).nullable() }).nullable(), null);
/** The organiser's language (null: the system's). */
const LANGUAGE = defineSetting<Language | null>('app.language', languageSchema.nullable(), null);
/** The tunnel the organiser chose (null: none yet). */
const TUNNEL = defineSetting<TunnelChoice | null>(
  'app.tunnel',
  z.discriminatedUnion('kind', [z.object({ kind: z.literal('ngrok'), domain: z.string().nullable() }), z.object({ kind: z.literal('public-url'), url: z.string() })]).nullable(),
  null,
);
type TunnelChoice = { readonly kind: 'ngrok'; readonly domain: string | null } | { readonly kind: 'public-url'; readonly url: string };
/** The Twilio number the line answers ('' = the account's only voice number), and whether taking it over was agreed. */
export const NUMBER = defineSetting<{ readonly phoneNumber: string; readonly takeOver: boolean; readonly allowTrial?: boolean } | null>(
  'twilio.number',
  // `allowTrial`: the organiser chose to test with a trial account (only verified numbers can call).
  z.object({ phoneNumber: z.string(), takeOver: z.boolean(), allowTrial: z.boolean().optional() }).nullable(),
  null,
);

export interface OrganiserControllerOptions {
  readonly core: Core;
  /** The local TwiML server (what a tunnel forwards to). */
  readonly localUrl: string;
  readonly secrets: SecretStore;
  readonly log: Log;
  /** The OS language (headless: the browser's), used until the organiser picks one. */
  readonly systemLanguage: Language | (() => Language);
  /** A tunnel chosen by the shell (headless --tunnel / --public-url): overrides the saved choice. */
  readonly fixedTunnel?: TunnelProvider | null;
  readonly allowTrial?: boolean;
  /** Opens a folder in the system file manager (desktop only). */
  readonly openFolder?: (path: string) => void;
  /** The system folder picker (desktop only): the chosen folder, or null if cancelled. */
  readonly chooseFolder?: (current: string) => Promise<string | null>;
  /** Test hooks: faster retries. */
  readonly retry?: RetryPolicy;
  readonly supervisorRetry?: { readonly baseMs: number; readonly maxMs: number };
  /** Test hooks: how long a dropped tunnel waits before reopening, how often Twilio is reconciled. */
  readonly reopenAfterMs?: number;
  readonly reconcileIntervalMs?: number;
  /** Test hook: sees each supervisor the line builds before it starts (so a harness hears every status). */
  readonly onSupervisor?: (supervisor: ConnectionSupervisor) => void;
}

/**
 * What the organiser can do, for both shells: first-run setup, settings, and keeping the
 * line running (a ConnectionSupervisor built from the saved choices). The organiser API calls this.
 */
export class OrganiserController {
  readonly #o: OrganiserControllerOptions;
  #supervisor: ConnectionSupervisor | null = null;
  #balance: OrganiserState['twilio']['balance'] = null;
  readonly #listeners = new Set<(state: OrganiserState) => void>();
  #pending: NodeJS.Timeout | null = null;
  readonly #rehearsals = new Map<string, RehearsalSession>();
  readonly #album: AlbumController;
  /** Bumped on every store write: the state's `revision`. */
  #revision = 0;
  /** The guest list (issue 19). */
  readonly guests: GuestController;

  constructor(options: OrganiserControllerOptions) {
    this.#o = options;
    this.#album = new AlbumController({ core: options.core, log: options.log, changed: () => this.#changed(), openFolder: options.openFolder, chooseFolder: options.chooseFolder });
    this.guests = new GuestController({ core: options.core, language: () => this.#language(), changed: () => this.#changed() });
    options.core.calls.onChange(() => {
      this.#revision++;
      this.#changed();
    });
    options.core.alwaysOn.onChange(() => this.#changed());
    options.core.storage.onChange(() => this.#changed());
    options.core.guestLink.onChange(() => this.#changed());
  }

  supervisor(): ConnectionSupervisor | null {
    return this.#supervisor;
  }

  /** Brings the line up from what was saved (or what the shell fixed). */
  async start(): Promise<ConnectionStatus> {
    return this.#restartLine();
  }

  async stop(): Promise<void> {
    await this.#supervisor?.stop();
    this.#supervisor = null;
    await this.#o.core.disconnectTwilio({ restore: true });
  }

  /** The state, coalesced: a burst of writes becomes one push. */
  onChange(listener: (state: OrganiserState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async state(): Promise<OrganiserState> {
    const { core } = this.#o;
    const twilio = core.twilio();
    const tunnel = this.#tunnelChoice();
    return buildOrganiserState({
      core,
      revision: this.#revision,
      language: this.#language(),
      setup: core.settings.get(SETUP) ?? this.#setupFromLine(),
      connection: this.#supervisor?.status() ?? initialStatus(),
      twilio: {
        configured: (await this.#credentials()) !== null,
        accountSid: twilio?.account.accountSid ?? (await this.#o.secrets.get(SECRET.accountSid)),
        phoneNumber: twilio?.number.phoneNumber ?? core.settings.get(NUMBER)?.phoneNumber ?? null,
        balance: this.#balance,
      },
      exportView: this.#album.exportView(),
      tunnel: { kind: this.#o.fixedTunnel ? this.#o.fixedTunnel.kind === 'ngrok' ? 'ngrok' : 'public-url' : (tunnel?.kind ?? null), publicUrl: this.#supervisor?.status().publicUrl ?? null },
    });
  }

  /**
   * No setup saved: a line the shell brought up from its flags (headless --public-url/--tunnel)
   * is never hidden behind the first-run wizard; the organiser lands on Home with its calls.
   * (A line the wizard itself brings up does not count: the organiser is still in the wizard.)
   */
  #setupFromLine(): OrganiserState['setup'] {
    return (this.#o.fixedTunnel ?? null) !== null ? { done: true, mode: 'live' } : { done: false, mode: null };
  }

  /** The app's language only: what guests hear is the greetings' language (`setGreetingsLanguage`). */
  setLanguage(language: Language): ApiOutputs['setLanguage'] {
    this.#o.core.settings.set(LANGUAGE, language);
    this.#changed();
    return { language };
  }

  /**
   * The language guests hear: greetings still at the old language's default words become the
   * new language's defaults (text and voice); greetings the organiser wrote or recorded stay.
   */
  setGreetingsLanguage(language: Language): FlowSettings {
    const { settings } = this.#o.core;
    const line = settings.flow();
    if (line.language === language) return line;
    const before = defaultPrompts(line.language);
    const after = defaultPrompts(language);
    const prompts = Object.fromEntries(
      PROMPT_KEYS.map((key) => [key, JSON.stringify(line.prompts[key]) === JSON.stringify(before[key]) ? after[key] : line.prompts[key]]),
    ) as FlowSettings['prompts'];
    return this.saveFlowSettings({ ...line, language, prompts, defaultCountryCode: defaultFlowSettings(language).defaultCountryCode });
  }

  /** Checks credentials and lists the account's voice numbers. Saves nothing. */
  async checkTwilio(credentials: TwilioCredentials, allowTrial: boolean): Promise<ApiOutputs['checkTwilio']> {
    const apiBase = this.#apiBase();
    const account = await checkAccount(credentials, { apiBase, allowTrial: allowTrial || this.#o.allowTrial });
    const numbers = await listVoiceNumbers(createTwilioClient(credentials, apiBase));
    const ours = this.#o.core.publicUrl();
    return {
      accountName: account.friendlyName,
      type: account.type,
      numbers: numbers.map((n) => ({
        sid: n.sid,
        phoneNumber: n.phoneNumber,
        friendlyName: n.friendlyName,
        currentVoiceUrl: n.voiceApplicationSid ? `TwiML App ${n.voiceApplicationSid}` : n.voiceUrl.startsWith(ours) || isTwilioDefault(n.voiceUrl) ? '' : n.voiceUrl,
      })),
    };
  }

  /**
   * Saves the account and the chosen number — only after they check out — and wires the
   * line if a tunnel is set. A number answering another app needs `takeOver` first.
   */
  async connectTwilio(credentials: TwilioCredentials, phoneNumber: string, options: { takeOver: boolean; allowTrial: boolean }): Promise<ConnectOutcome> {
    const checked = await this.checkTwilio(credentials, options.allowTrial);
    const chosen = checked.numbers.find((n) => n.phoneNumber === phoneNumber);
    if (!chosen) {
      throw new UserError('twilio-number-not-in-account', {
        en: `${phoneNumber} is not a voice number of this Twilio account. Choose one from the list.`,
        ja: `${phoneNumber} はこの Twilio アカウントの音声番号ではありません。一覧から選んでください。`,
      });
    }
    if (chosen.currentVoiceUrl && !options.takeOver) {
      return { kind: 'needs-confirmation', phoneNumber, currentVoiceUrl: chosen.currentVoiceUrl };
    }
    // Already checked above; saved only now that the account and the number check out.
    await saveTwilioCredentials(this.#o.secrets, credentials, async () => ({ accountSid: credentials.accountSid, friendlyName: checked.accountName, type: checked.type }));
    this.#o.core.settings.set(NUMBER, { phoneNumber, takeOver: options.takeOver, allowTrial: checked.type === 'Trial' });
    this.#o.core.setAuthToken(credentials.authToken);
    if (this.#tunnelChoice() || this.#o.fixedTunnel) await this.#restartLine();
    this.#changed();
    return { kind: 'connected', phoneNumber };
  }

  /** ngrok (token kept as a secret) or the organiser's own public URL; (re)starts the line. */
  async configureTunnel(choice: { kind: 'ngrok'; authtoken: string; domain?: string } | { kind: 'public-url'; url: string }): Promise<ConnectionStatus> {
    if (choice.kind === 'ngrok') {
      await this.#o.secrets.set({ [SECRET.ngrokAuthtoken]: choice.authtoken });
      this.#o.core.settings.set(TUNNEL, { kind: 'ngrok', domain: choice.domain || null });
    } else {
      this.#o.core.settings.set(TUNNEL, { kind: 'public-url', url: choice.url.replace(/\/+$/, '') });
    }
    return this.#restartLine();
  }

  saveFlowSettings(input: unknown): ApiOutputs['saveFlowSettings'] {
    const saved = this.#o.core.settings.saveFlow(input);
    // The hosted line must say the same words: redeploy it (it does nothing when off or unchanged).
    void this.#o.core.alwaysOn.sync().catch(() => undefined);
    this.#changed();
    return saved;
  }

  album(): Promise<AlbumView> {
    return this.#album.view();
  }

  saveAlbum(input: unknown): Promise<AlbumView> {
    return this.#album.save(input);
  }

  importCover(fileName: string, dataBase64: string): Promise<AlbumView> {
    return this.#album.importCover(fileName, dataBase64);
  }

  async startExport(outputDir?: string): Promise<ApiOutputs['startExport']> {
    await this.#album.start(outputDir);
    return this.#album.exportView();
  }

  chooseFolder(): Promise<ApiOutputs['chooseFolder']> {
    return this.#album.chooseFolder();
  }

  cancelExport(): ApiOutputs['cancelExport'] {
    this.#album.cancel();
    return this.#album.exportView();
  }

  showInFolder(): { path: string | null; opened: boolean } {
    return this.#album.showInFolder();
  }

  async setAlwaysOn(enabled: boolean): Promise<ApiOutputs['setAlwaysOn']> {
    await this.#o.core.alwaysOn.setEnabled(enabled);
    this.#changed();
    return { enabled };
  }

  async uninstallAlwaysOn(): Promise<ApiOutputs['uninstallAlwaysOn']> {
    await this.#o.core.alwaysOn.uninstall((await this.#credentials()) ?? undefined);
    this.#changed();
    return { ok: true };
  }

  // ── Guest link (issue 17) ──

  /** Switches the guest link on/off and/or sets the title its page shows. */
  async setGuestLink(change: { enabled?: boolean; title?: string }): Promise<ApiOutputs['setGuestLink']> {
    this.#o.core.guestLink.update(change);
    return (await this.state()).guestLink;
  }

  /** A new link: the old one stops working at once. */
  async regenerateGuestLink(): Promise<ApiOutputs['regenerateGuestLink']> {
    this.#o.core.guestLink.regenerate();
    return (await this.state()).guestLink;
  }

  async guestLinkQr(): Promise<ApiOutputs['getGuestLinkQr']> {
    const url = (await this.state()).guestLink.url;
    if (!url) {
      throw new UserError('guest-link-no-address', {
        en: "There is no public address yet, so there is no link to make a QR code of. Set up the public address (ngrok or your own URL) first.",
        ja: '公開アドレスがまだないため、QR コードにするリンクがありません。先に公開アドレス（ngrok または独自の URL）を設定してください。',
      });
    }
    return { url, ...(await guestLinkQr(url)) };
  }

  async uploadPrompt(key: PromptKey, dataBase64: string): Promise<{ file: string }> {
    const file = await importPromptAudio(Buffer.from(dataBase64, 'base64'), this.#o.core.promptDir);
    const settings = this.#o.core.settings.flow();
    this.saveFlowSettings({ ...settings, prompts: { ...settings.prompts, [key]: { kind: 'audio', file } } });
    return { file };
  }

  setPrivacy(deleteFromTwilioAfterDownload: boolean): ApiOutputs['setPrivacy'] {
    this.#o.core.settings.set(PRIVACY, { deleteFromTwilioAfterDownload });
    this.#changed();
    return { deleteFromTwilioAfterDownload };
  }

  library(): readonly LibraryEntry[] {
    return this.#o.core.libraryStore.list();
  }

  /** Names one message (and makes it its caller's default for their unnamed messages); answers with the messages whose name changed. */
  nameTake(recordingSid: string, name: string): ApiOutputs['nameTake'] {
    const entry = this.#o.core.libraryStore.get(recordingSid);
    if (!entry || !this.#o.core.libraryStore.setTakeName(recordingSid, name)) throw notFound();
    return { entries: this.library().filter((e) => e.recordingSid === recordingSid || e.callerNumber === entry.callerNumber) };
  }

  nameCaller(number: string, name: string): ApiOutputs['nameCaller'] {
    this.#o.core.libraryStore.setCallerName(number, name);
    return { entries: this.library().filter((entry) => entry.callerNumber === number) };
  }

  updateTake(recordingSid: string, change: { note?: string; album?: 'auto' | 'in' | 'out'; trashed?: boolean }): ApiOutputs['updateTake'] {
    if (!this.#o.core.libraryStore.update(recordingSid, change)) throw notFound();
    const entry = this.#o.core.libraryStore.get(recordingSid);
    return { entries: entry ? [entry] : [] };
  }

  waveform(recordingSid: string): Promise<Waveform> {
    return this.#o.core.libraryService.waveform(recordingSid);
  }

  /** Saves a trim at once (a crash loses nothing); the original file is never touched. */
  saveEdit(recordingSid: string, edit: TakeEdit): TakeEdit {
    const entry = this.#o.core.libraryStore.get(recordingSid);
    if (!entry) throw notFound();
    const duration = entry.health?.durationSeconds ?? entry.durationSeconds;
    if (edit.endSeconds > duration + 0.5) {
      throw new UserError('edit-out-of-range', {
        en: `The cut ends after the message does (${duration.toFixed(1)} s). Drag the end back inside the waveform.`,
        ja: `切り取りの終わりがメッセージの長さ（${duration.toFixed(1)} 秒）を超えています。波形の内側に戻してください。`,
      });
    }
    this.#o.core.libraryStore.saveEdit(recordingSid, edit);
    // The export's level for the new cut is measured now, off the request thread.
    this.#o.core.libraryService.editSaved(recordingSid);
    return edit;
  }

  /** Starts a rehearsal call from the laptop: the real call flow, the organiser as the caller. */
  rehearsalStart(quality: 'phone' | 'high'): { sessionId: string } {
    const session = new RehearsalSession({ core: this.#o.core, localUrl: this.#o.localUrl, log: this.#o.log, phoneQuality: quality === 'phone' });
    this.#rehearsals.set(session.id, session);
    // Forget it a while after it ends (the panel has read the last prompt by then).
    void session.done.then(() => setTimeout(() => this.#rehearsals.delete(session.id), 120_000).unref());
    return { sessionId: session.id };
  }

  rehearsal(sessionId: string): RehearsalSession {
    const session = this.#rehearsals.get(sessionId);
    if (!session) {
      throw new UserError('rehearsal-not-found', { en: 'That rehearsal call has ended. Start a new one.', ja: 'そのリハーサル通話は終了しています。もう一度かけてください。' });
    }
    return session;
  }

  finishSetup(mode: 'live' | 'rehearsal'): ApiOutputs['finishSetup'] {
    this.#o.core.settings.set(SETUP, { done: true, mode });
    this.#changed();
    return { mode };
  }

  async #restartLine(): Promise<ConnectionStatus> {
    const { core, log } = this.#o;
    await this.#supervisor?.stop();
    this.#supervisor = null;
    // Keep the number wired across the restart; only a clean quit restores it.
    await core.disconnectTwilio({ restore: false });
    const provider = await this.#provider();
    if (!provider) return initialStatus();
    const credentials = await this.#credentials();
    if (credentials) core.setAuthToken(credentials.authToken);
    const number = core.settings.get(NUMBER);
    const supervisor = new ConnectionSupervisor({
      core,
      localUrl: this.#o.localUrl,
      tunnel: provider,
      log,
      retry: this.#o.supervisorRetry,
      reopenAfterMs: this.#o.reopenAfterMs,
      twilio: credentials && number
        ? {
            credentials,
            phoneNumber: number.phoneNumber || null,
            takeOver: number.takeOver,
            allowTrial: this.#o.allowTrial || (number.allowTrial ?? false),
            retry: this.#o.retry,
            reconcileIntervalMs: this.#o.reconcileIntervalMs,
          }
        : null,
    });
    this.#o.onSupervisor?.(supervisor);
    this.#supervisor = supervisor;
    supervisor.onChange(() => {
      this.#changed();
      const twilio = core.twilio();
      if (twilio && this.#balance === null) {
        void twilio.balance().then((b) => {
          this.#balance = b;
          this.#changed();
        }, () => undefined);
      }
    });
    return supervisor.start();
  }

  async #provider(): Promise<TunnelProvider | null> {
    if (this.#o.fixedTunnel) return this.#o.fixedTunnel;
    const choice = this.#tunnelChoice();
    if (!choice) return null;
    if (choice.kind === 'public-url') return fixedUrlTunnel(choice.url);
    return ngrokTunnel({ authtoken: await this.#o.secrets.get(SECRET.ngrokAuthtoken), domain: choice.domain });
  }

  #tunnelChoice() {
    return this.#o.core.settings.get(TUNNEL);
  }

  #credentials(): Promise<TwilioCredentials | null> {
    return loadTwilioCredentials(this.#o.secrets);
  }

  #language(): Language {
    const system = this.#o.systemLanguage;
    return this.#o.core.settings.get(LANGUAGE) ?? (typeof system === 'function' ? system() : system);
  }

  #apiBase(): string {
    return this.#o.core.twilioApiBase;
  }

  #changed(): void {
    if (this.#pending || this.#listeners.size === 0) return;
    // Coalesce bursts (a webhook writes several rows) into one push, quickly.
    this.#pending = setTimeout(() => {
      this.#pending = null;
      this.state().then(
        (state) => {
          for (const listener of this.#listeners) listener(state);
        },
        // The next change pushes again; a failed read must not end the process.
        (error: unknown) => this.#o.log.error('Could not build the state for the organiser', { error: String(error) }),
      );
    }, 15);
  }
}
