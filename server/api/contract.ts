/**
 * The one API between the organiser UI and the core. Both transports implement it:
 * Electron IPC (preload) and web mode (token-guarded loopback HTTP + event stream).
 * Inputs arrive as `unknown` and are validated with the schemas in `api-inputs.ts` before use.
 * The renderer imports only this module (types, and the few constants re-exported below).
 */
import type { z } from 'zod';
import type { API_INPUTS } from './api-inputs.ts';
import type { CallStep, TakeSource, TakeStatus } from '../call-flow/call-state.ts';
import type { FlowSettings } from '../call-flow/flow-settings.ts';
import type { ConnectionStatus } from '../connection/connection-status.ts';
import type { Waveform } from '../library/library-service.ts';
import type { LibraryEntry, TakeEdit } from '../library/library-types.ts';
import type { PromptEnvelope } from '../rehearsal/rehearsal-session.ts';
import type { AlbumArrangement } from '../export/arrangement.ts';
import type { ExportProgress } from '../export/export-album.ts';
import type { GuestLinkView } from '../guest-link/guest-link-view.ts';
import type { Bilingual, Problem } from '../user-error.ts';
import type { GuestApiOutputs } from './guest-contract.ts';
import type { GuestProgress } from '../guests/guest-progress.ts';

export type { Bilingual, Problem };

// What the UI needs from the rest of the core comes through here: the renderer imports only this module.
export type { FlowSettings as FlowSettings } from '../call-flow/flow-settings.ts';
export { PROMPT_KEYS, TTS_DEFAULTS, type Prompt, type PromptKey } from '../call-flow/prompts.ts';
export { STAGES, type ConnectionStatus as ConnectionStatus } from '../connection/connection-status.ts';
export { isRehearsalCaller, isWithheldCaller } from '../call-flow/caller-id.ts';
export type { Waveform } from '../library/library-service.ts';
export type { LibraryEntry, TakeEdit } from '../library/library-types.ts';
export type { GuestListView, GuestImportSourceInput } from './guest-contract.ts';
export { smsCost, type SmsCost } from '../guests/sms-cost.ts';
export type { AlbumArrangement } from '../export/arrangement.ts';
export type { RehearsalPrompt, RehearsalReply } from '../rehearsal/rehearsal-session.ts';

/** The organiser's language. */
export type Language = 'ja' | 'en';

export type ApiMethod = keyof typeof API_INPUTS;
/** What a caller sends (defaults may be left out). */
export type ApiInput<M extends ApiMethod> = z.input<(typeof API_INPUTS)[M]>;
/** What a handler receives: validated, defaults filled in. */
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof API_INPUTS)[M]>;

export interface PhoneNumberChoice {
  readonly sid: string;
  readonly phoneNumber: string;
  readonly friendlyName: string;
  /** Where the number points now, if at another app (the organiser is asked before taking it over). */
  readonly currentVoiceUrl: string;
}

export interface LiveCall {
  readonly callSid: string;
  readonly caller: string;
  /** Who is calling, as far as Shukuden knows (the number's name, else the guest list); null: unknown. */
  readonly callerName: string | null;
  readonly step: CallStep;
  readonly startedAt: string;
  /** In `welcome`: when the guest is expected to hear the beep and start recording (Twilio sends no event for it). */
  readonly recordingFrom: string | null;
}

export interface MessageRow {
  readonly recordingSid: string;
  readonly callSid: string;
  readonly caller: string;
  /** The name the library shows for it (its own, its caller's, or its guest's); null: none. */
  readonly callerName: string | null;
  readonly createdAt: string;
  readonly durationSeconds: number;
  readonly status: TakeStatus;
  readonly downloaded: boolean;
  readonly downloadError: string | null;
  readonly source: TakeSource;
}

/** Everything the organiser UI shows. Never contains a secret. */
export interface OrganiserState {
  /** Goes up whenever a stored call, take, name or edit changes: screens holding a list refetch on it. */
  readonly revision: number;
  readonly language: Language;
  readonly setup: { readonly done: boolean; readonly mode: 'live' | 'rehearsal' | null };
  readonly connection: ConnectionStatus;
  readonly twilio: {
    readonly configured: boolean;
    readonly accountSid: string | null;
    readonly phoneNumber: string | null;
    readonly balance: { readonly amount: string; readonly currency: string; readonly low: boolean } | null;
  };
  readonly tunnel: { readonly kind: 'ngrok' | 'public-url' | null; readonly publicUrl: string | null };
  readonly liveCalls: readonly LiveCall[];
  readonly messages: readonly MessageRow[];
  readonly counts: { readonly callsToday: number; readonly messagesKept: number };
  readonly settings: FlowSettings;
  readonly privacy: { readonly deleteFromTwilioAfterDownload: boolean };
  /** The always-on line: the mode in plain words now and after quitting, and the hosted line's status. */
  readonly alwaysOn: {
    readonly enabled: boolean;
    readonly state: 'off' | 'waiting' | 'deploying' | 'ready' | 'failed';
    readonly problem: Problem | null;
    readonly modeNow: Bilingual;
    readonly modeAfterQuit: Bilingual;
  };
  readonly dataDir: string;
  /** What is wrong with the data folder (disk full, can't write, database restored), in plain words. */
  readonly storage: readonly ApiError[];
  readonly export: ExportView;
  /** The guest link (issue 17): on/off, the link, whether guests can open it now. */
  readonly guestLink: GuestLinkView;
  /** What the organiser should know that belongs to no screen in particular (e.g. damaged settings, using defaults). */
  readonly problems: readonly Problem[];
  /** Who hasn't left a message yet, by group (issue 19). */
  readonly guests: GuestProgress;
  /** What every invitation says beyond the line itself: the deadline (yyyy-mm-dd, or ''). */
  readonly invitation: { readonly deadline: string };
}

export type ConnectOutcome =
  | { readonly kind: 'connected'; readonly phoneNumber: string }
  | { readonly kind: 'needs-confirmation'; readonly phoneNumber: string; readonly currentVoiceUrl: string };

/** A command that changed something the state push carries. */
export interface Done {
  readonly ok: true;
}

/** Every method's output. Commands return what they changed (or `Done`); the state arrives by push. */
export interface ApiOutputs extends GuestApiOutputs {
  getState: OrganiserState;
  setLanguage: { readonly language: Language };
  setGreetingsLanguage: FlowSettings;
  checkTwilio: { readonly accountName: string; readonly type: 'Full' | 'Trial'; readonly numbers: readonly PhoneNumberChoice[] };
  connectTwilio: ConnectOutcome;
  configureTunnel: ConnectionStatus;
  saveFlowSettings: FlowSettings;
  uploadPrompt: { readonly file: string };
  setPrivacy: { readonly deleteFromTwilioAfterDownload: boolean };
  finishSetup: { readonly mode: 'live' | 'rehearsal' };
  getLibrary: { readonly entries: readonly LibraryEntry[] };
  /** The takes whose caller name changed. */
  nameCaller: { readonly entries: readonly LibraryEntry[] };
  /** The takes whose name changed. */
  nameTake: { readonly entries: readonly LibraryEntry[] };
  /** The take as it is now. */
  updateTake: { readonly entries: readonly LibraryEntry[] };
  getWaveform: Waveform;
  saveEdit: TakeEdit;
  rehearsalStart: { readonly sessionId: string };
  rehearsalNext: PromptEnvelope | null;
  rehearsalReply: Done;
  rehearsalHangup: Done;
  setAlwaysOn: { readonly enabled: boolean };
  getAlbum: AlbumView;
  saveAlbum: AlbumView;
  importCover: AlbumView;
  startExport: ExportView;
  chooseFolder: { readonly path: string | null };
  cancelExport: ExportView;
  showInFolder: { readonly path: string | null; readonly opened: boolean };
  uninstallAlwaysOn: Done;
  // ── Guest link (issue 17) ──
  setGuestLink: GuestLinkView;
  regenerateGuestLink: GuestLinkView;
  /** The link as a QR code: PNG (data URL) and SVG, made offline. */
  getGuestLinkQr: { readonly url: string; readonly png: string; readonly svg: string };
}

/** The album screen: the arrangement, its tracks in order, what else could go on it, and any problems. */
export interface AlbumView {
  readonly arrangement: AlbumArrangement;
  /** Where the album goes when the arrangement names no folder. */
  readonly defaultOutputDir: string;
  /** Whether the window has a system folder picker (desktop); web mode types the path. */
  readonly folderPicker: boolean;
  readonly tracks: readonly AlbumTrackView[];
  /** Messages not on the album that could be added. */
  readonly available: readonly AlbumTrackView[];
  readonly problems: readonly (Problem & { readonly recordingSid: string; readonly position: number })[];
  /** A small preview of the cover (data URL), if there is one. */
  readonly coverPreview: string | null;
  /** Tracks with no name yet (issue 19): listed before export, with the title they would get. */
  readonly unnamed: readonly { readonly recordingSid: string; readonly position: number; readonly title: string }[];
}

export interface AlbumTrackView {
  readonly recordingSid: string;
  readonly title: string;
  readonly createdAt: string;
  readonly seconds: number;
}

/** An export in progress or just finished, pushed with the state. */
export interface ExportView {
  readonly running: boolean;
  readonly progress: ExportProgress | null;
  readonly result: { readonly outputDir: string; readonly files: number; readonly rendered: number; readonly skipped: number; readonly mix: string | null; readonly zip: string | null } | null;
  readonly error: Problem | null;
}

/** An error the UI can show as it is (the one `Problem` shape, see `user-error.ts`). */
export type ApiError = Problem;

export type ApiResult<M extends ApiMethod> = { readonly ok: true; readonly value: ApiOutputs[M] } | { readonly ok: false; readonly error: Problem };

/** A take's own audio, or the guest saying their name after it; the media URL's first segment. */
export type MediaClip = 'take' | 'name';

/** What the UI calls; the same on both transports. */
export interface OrganiserApi {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiResult<M>>;
  /** The state, pushed whenever it changes. Returns an unsubscribe function. */
  subscribe(listener: (state: OrganiserState) => void): () => void;
  /**
   * Where the window can play a downloaded take (or, `clip` 'name', its name clip) from: custom protocol in
   * Electron, guarded loopback URL in web mode.
   */
  mediaUrl(recordingSid: string, clip?: MediaClip): string;
}
