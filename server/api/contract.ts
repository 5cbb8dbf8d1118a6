/**
 * The one API between the organiser UI and the core. Both transports implement it:
 * Electron IPC (preload) and web mode (token-guarded loopback HTTP + event stream).
 * Inputs arrive as `unknown` and are validated with these schemas before use.
 */
import { z } from 'zod';
import type { CallStep, TakeStatus } from '../call-flow/call-state.ts';
import type { LineSettings } from '../call-flow/line-settings.ts';
import type { LineStatus } from '../line/line-status.ts';
import type { Waveform } from '../library/library-service.ts';
import { takeEditSchema, type LibraryEntry, type TakeEdit } from '../library/library-types.ts';
import type { PromptEnvelope } from '../rehearsal/rehearsal-session.ts';
import type { AlbumArrangement } from '../export/arrangement.ts';
import type { ExportProgress } from '../export/export-album.ts';
import type { GuestLinkView } from '../guest-link/guest-link-view.ts';

export const languageSchema = z.enum(['ja', 'en']);
const recordingSid = z.string().regex(/^RE[0-9a-fA-F]{32}$/);
export type Language = z.infer<typeof languageSchema>;

const credentialsInput = z.object({
  accountSid: z.string().trim().max(64),
  authToken: z.string().trim().max(128),
  apiKeySid: z.string().trim().max(64).optional(),
  apiKeySecret: z.string().trim().max(128).optional(),
});

/** Every method: its input schema. Outputs are typed in `ApiOutputs`. */
export const API_INPUTS = {
  getState: z.object({}).strict(),
  setLanguage: z.object({ language: languageSchema }).strict(),
  setGreetingsLanguage: z.object({ language: languageSchema }).strict(),
  checkTwilio: credentialsInput.extend({ allowTrial: z.boolean().optional() }).strict(),
  connectTwilio: credentialsInput
    .extend({ phoneNumber: z.string().trim().min(4).max(32), takeOver: z.boolean().optional(), allowTrial: z.boolean().optional() })
    .strict(),
  configureTunnel: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('ngrok'), authtoken: z.string().trim().min(10).max(200), domain: z.string().trim().max(200).optional() }).strict(),
    z.object({ kind: z.literal('public-url'), url: z.url({ protocol: /^https?$/ }).max(300) }).strict(),
  ]),
  saveLineSettings: z.object({ settings: z.unknown() }).strict(),
  uploadPrompt: z
    .object({
      key: z.enum(['welcome', 'instructions', 'playbackIntro', 'menu', 'invalidKey', 'couldNotHear', 'thanks', 'goodbyeNoAudio', 'decoy']),
      fileName: z.string().max(255),
      dataBase64: z.string().max(30 * 1024 * 1024),
    })
    .strict(),
  setPrivacy: z.object({ deleteFromTwilioAfterDownload: z.boolean() }).strict(),
  finishSetup: z.object({ mode: z.enum(['live', 'rehearsal']) }).strict(),
  getLibrary: z.object({}).strict(),
  nameCaller: z.object({ number: z.string().min(1).max(64), name: z.string().max(100) }).strict(),
  nameTake: z.object({ recordingSid, name: z.string().max(100) }).strict(),
  updateTake: z
    .object({ recordingSid: recordingSid, note: z.string().max(2000).optional(), album: z.enum(['auto', 'in', 'out']).optional(), trashed: z.boolean().optional() })
    .strict(),
  getWaveform: z.object({ recordingSid }).strict(),
  saveEdit: z.object({ recordingSid, edit: takeEditSchema }).strict(),
  rehearsalStart: z.object({ quality: z.enum(['phone', 'high']).optional() }).strict(),
  rehearsalNext: z.object({ sessionId: z.string().regex(/^[0-9a-f]{24}$/), afterSeq: z.number().int().min(0) }).strict(),
  rehearsalReply: z
    .object({
      sessionId: z.string().regex(/^[0-9a-f]{24}$/),
      seq: z.number().int().min(1),
      reply: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('heard') }),
        z.object({ kind: z.literal('hangup') }),
        z.object({ kind: z.literal('recorded'), wavBase64: z.string().max(40 * 1024 * 1024), end: z.enum(['key', 'silence', 'hangup']) }),
        z.object({ kind: z.literal('silent') }),
        z.object({ kind: z.literal('keys'), digits: z.string().regex(/^[0-9*#]{1,8}$/) }),
        z.object({ kind: z.literal('no-input') }),
      ]),
    })
    .strict(),
  rehearsalHangup: z.object({ sessionId: z.string().regex(/^[0-9a-f]{24}$/) }).strict(),
  setAlwaysOn: z.object({ enabled: z.boolean() }).strict(),
  getAlbum: z.object({}).strict(),
  saveAlbum: z.object({ arrangement: z.unknown() }).strict(),
  importCover: z.object({ fileName: z.string().max(255), dataBase64: z.string().max(30 * 1024 * 1024) }).strict(),
  startExport: z.object({ outputDir: z.string().max(4096).optional() }).strict(),
  chooseFolder: z.object({}).strict(),
  cancelExport: z.object({}).strict(),
  showInFolder: z.object({}).strict(),
  uninstallAlwaysOn: z.object({}).strict(),
  // ── Guest link (issue 17) ──
  setGuestLink: z.object({ enabled: z.boolean().optional(), title: z.string().trim().max(120).optional() }).strict(),
  regenerateGuestLink: z.object({}).strict(),
  getGuestLinkQr: z.object({}).strict(),
} as const;

export type ApiMethod = keyof typeof API_INPUTS;
export type ApiInput<M extends ApiMethod> = z.input<(typeof API_INPUTS)[M]>;

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
  readonly step: CallStep;
  readonly startedAt: string;
}

export interface MessageRow {
  readonly recordingSid: string;
  readonly callSid: string;
  readonly caller: string;
  readonly createdAt: string;
  readonly durationSeconds: number;
  readonly status: TakeStatus;
  readonly downloaded: boolean;
  readonly downloadError: string | null;
  readonly source: string;
}

/** Everything the organiser UI shows. Never contains a secret. */
export interface AppState {
  readonly language: Language;
  readonly setup: { readonly done: boolean; readonly mode: 'live' | 'rehearsal' | null };
  readonly line: LineStatus;
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
  readonly settings: LineSettings;
  readonly privacy: { readonly deleteFromTwilioAfterDownload: boolean };
  /** The always-on line: the mode in plain words now and after quitting, and the hosted line's status. */
  readonly alwaysOn: {
    readonly enabled: boolean;
    readonly state: 'off' | 'waiting' | 'deploying' | 'ready' | 'failed';
    readonly problem: ApiError | null;
    readonly modeNow: { readonly ja: string; readonly en: string };
    readonly modeAfterQuit: { readonly ja: string; readonly en: string };
  };
  readonly dataDir: string;
  /** What is wrong with the data folder (disk full, can't write, database restored), in plain words. */
  readonly storage: readonly ApiError[];
  readonly export: ExportView;
  /** The guest link (issue 17): on/off, the link, whether guests can open it now. */
  readonly guestLink: GuestLinkView;
}

export type ConnectOutcome =
  | { readonly kind: 'connected'; readonly phoneNumber: string }
  | { readonly kind: 'needs-confirmation'; readonly phoneNumber: string; readonly currentVoiceUrl: string };

export interface ApiOutputs {
  getState: AppState;
  setLanguage: AppState;
  setGreetingsLanguage: LineSettings;
  checkTwilio: { readonly accountName: string; readonly type: 'Full' | 'Trial'; readonly numbers: readonly PhoneNumberChoice[] };
  connectTwilio: ConnectOutcome;
  configureTunnel: LineStatus;
  saveLineSettings: LineSettings;
  uploadPrompt: { readonly file: string };
  setPrivacy: AppState;
  finishSetup: AppState;
  getLibrary: { readonly entries: readonly LibraryEntry[] };
  nameCaller: { readonly entries: readonly LibraryEntry[] };
  nameTake: { readonly entries: readonly LibraryEntry[] };
  updateTake: { readonly entries: readonly LibraryEntry[] };
  getWaveform: Waveform;
  saveEdit: TakeEdit;
  rehearsalStart: { readonly sessionId: string };
  rehearsalNext: PromptEnvelope | null;
  rehearsalReply: { readonly ok: true };
  rehearsalHangup: { readonly ok: true };
  setAlwaysOn: AppState;
  getAlbum: AlbumView;
  saveAlbum: AlbumView;
  importCover: AlbumView;
  startExport: AppState;
  chooseFolder: { readonly path: string | null };
  cancelExport: AppState;
  showInFolder: { readonly path: string | null; readonly opened: boolean };
  uninstallAlwaysOn: AppState;
  // ── Guest link (issue 17) ──
  setGuestLink: AppState;
  regenerateGuestLink: AppState;
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
  readonly problems: readonly (ApiError & { readonly recordingSid: string; readonly position: number })[];
  /** A small preview of the cover (data URL), if there is one. */
  readonly coverPreview: string | null;
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
  readonly error: ApiError | null;
}

/** An error the UI can show as it is: what happened and what to do, in both languages. */
export interface ApiError {
  readonly code: string;
  readonly en: string;
  readonly ja: string;
}

export type ApiResult<M extends ApiMethod> = { readonly ok: true; readonly value: ApiOutputs[M] } | { readonly ok: false; readonly error: ApiError };

/** What the UI calls; the same on both transports. */
export interface OrganiserApi {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiResult<M>>;
  /** The state, pushed whenever it changes. Returns an unsubscribe function. */
  subscribe(listener: (state: AppState) => void): () => void;
  /** Where the window can play a downloaded take from (custom protocol in Electron, guarded loopback URL in web mode). */
  mediaUrl(recordingSid: string): string;
}
