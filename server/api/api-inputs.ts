/**
 * The organiser API's input schemas (zod), one per method, defaults included. Server side only:
 * `contract.ts` derives the method names and input types from them without loading zod in the UI.
 */
import { z } from 'zod';
import { PROMPT_KEYS, type PromptKey } from '../call-flow/prompts.ts';
import { takeEditSchema } from '../library/library-types.ts';
import { GUEST_API_INPUTS } from './guest-contract.ts';

export const languageSchema = z.enum(['ja', 'en']);
const recordingSid = z.string().regex(/^RE[0-9a-fA-F]{32}$/);

const credentialsInput = z.object({
  accountSid: z.string().trim().max(64),
  authToken: z.string().trim().max(128),
  apiKeySid: z.string().trim().max(64).optional(),
  apiKeySecret: z.string().trim().max(128).optional(),
});

/** Every method: its input schema, defaults included. Outputs are typed in `ApiOutputs`. */
export const API_INPUTS = {
  getState: z.object({}).strict(),
  setLanguage: z.object({ language: languageSchema }).strict(),
  setGreetingsLanguage: z.object({ language: languageSchema }).strict(),
  checkTwilio: credentialsInput.extend({ allowTrial: z.boolean().default(false) }).strict(),
  connectTwilio: credentialsInput
    .extend({ phoneNumber: z.string().trim().min(4).max(32), takeOver: z.boolean().default(false), allowTrial: z.boolean().default(false) })
    .strict(),
  configureTunnel: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('ngrok'), authtoken: z.string().trim().min(10).max(200), domain: z.string().trim().max(200).optional() }).strict(),
    z.object({ kind: z.literal('public-url'), url: z.url({ protocol: /^https?$/ }).max(300) }).strict(),
  ]),
  saveFlowSettings: z.object({ settings: z.unknown() }).strict(),
  uploadPrompt: z
    .object({
      key: z.enum(PROMPT_KEYS as [PromptKey, ...PromptKey[]]),
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
  rehearsalStart: z.object({ quality: z.enum(['phone', 'high']).default('phone') }).strict(),
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
  // ── Guest list (issue 19): its own block in guest-contract.ts ──
  ...GUEST_API_INPUTS,
} as const;
