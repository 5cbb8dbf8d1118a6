import { z } from 'zod';
import type { OrganiserController } from '../organiser/organiser-controller.ts';
import type { Log } from '../log.ts';
import { UserError, type Problem } from '../user-error.ts';
import { API_INPUTS } from './api-inputs.ts';
import type { ApiInput, ApiMethod, ApiOutputs, ApiParsedInput } from './contract.ts';

export type DispatchResult = { readonly ok: true; readonly value: ApiOutputs[ApiMethod] } | { readonly ok: false; readonly error: Problem };

function isMethod(value: unknown): value is ApiMethod {
  return typeof value === 'string' && Object.hasOwn(API_INPUTS, value);
}

/**
 * Runs one organiser API call from either transport. Method and input arrive untrusted
 * (`unknown`); both are validated before anything runs, and every failure comes back as
 * an ApiError the UI can show as it is.
 */
export async function dispatch(controller: OrganiserController, method: unknown, input: unknown, log: Log): Promise<DispatchResult> {
  if (!isMethod(method)) return { ok: false, error: { code: 'unknown-method', en: 'Unknown request.', ja: '不明なリクエストです。' } };
  try {
    return { ok: true, value: await run(controller, method, input) };
  } catch (error) {
    if (error instanceof UserError) return { ok: false, error: error.problem };
    if (error instanceof z.ZodError) return { ok: false, error: badInput(error) };
    log.error('Organiser API call failed', { method, error: error instanceof Error ? error.message : String(error) });
    return { ok: false, error: { code: 'internal', en: 'Something went wrong. Please try again; if it keeps happening, restart Shukuden.', ja: '問題が発生しました。もう一度お試しください。続く場合は Shukuden を再起動してください。' } };
  }
}

/** One method's handler: its validated input in, its contract output out. */
type Handler<M extends ApiMethod> = (c: OrganiserController, input: ApiParsedInput<M>) => ApiOutputs[M] | Promise<ApiOutputs[M]>;

/** Every method's handler; the compiler checks none is missing and each returns its output. */
const HANDLERS: { readonly [M in ApiMethod]: Handler<M> } = {
  getState: (c) => c.state(),
  setLanguage: (c, i) => c.setLanguage(i.language),
  setGreetingsLanguage: (c, i) => c.setGreetingsLanguage(i.language),
  checkTwilio: (c, i) => c.checkTwilio(credentials(i), i.allowTrial),
  connectTwilio: (c, i) => c.connectTwilio(credentials(i), i.phoneNumber, { takeOver: i.takeOver, allowTrial: i.allowTrial }),
  configureTunnel: (c, i) => c.configureTunnel(i),
  saveFlowSettings: (c, i) => c.saveFlowSettings(i.settings),
  uploadPrompt: (c, i) => c.uploadPrompt(i.key, i.dataBase64),
  setPrivacy: (c, i) => c.setPrivacy(i.deleteFromTwilioAfterDownload),
  finishSetup: (c, i) => c.finishSetup(i.mode),
  getLibrary: (c) => ({ entries: c.library() }),
  nameCaller: (c, i) => c.nameCaller(i.number, i.name),
  nameTake: (c, i) => c.nameTake(i.recordingSid, i.name),
  updateTake: (c, { recordingSid, ...change }) => c.updateTake(recordingSid, change),
  getWaveform: (c, i) => c.waveform(i.recordingSid),
  saveEdit: (c, i) => c.saveEdit(i.recordingSid, i.edit),
  rehearsalStart: (c, i) => c.rehearsalStart(i.quality),
  rehearsalNext: (c, i) => c.rehearsal(i.sessionId).next(i.afterSeq),
  rehearsalReply: (c, i) => {
    c.rehearsal(i.sessionId).reply(i.seq, i.reply);
    return { ok: true };
  },
  rehearsalHangup: (c, i) => {
    c.rehearsal(i.sessionId).hangup();
    return { ok: true };
  },
  setAlwaysOn: (c, i) => c.setAlwaysOn(i.enabled),
  getAlbum: (c) => c.album(),
  saveAlbum: (c, i) => c.saveAlbum(i.arrangement),
  importCover: (c, i) => c.importCover(i.fileName, i.dataBase64),
  startExport: (c, i) => c.startExport(i.outputDir),
  chooseFolder: (c) => c.chooseFolder(),
  cancelExport: (c) => c.cancelExport(),
  showInFolder: (c) => c.showInFolder(),
  uninstallAlwaysOn: (c) => c.uninstallAlwaysOn(),
  // ── Guest link (issue 17) ──
  setGuestLink: (c, i) => c.setGuestLink(i),
  regenerateGuestLink: (c) => c.regenerateGuestLink(),
  getGuestLinkQr: (c) => c.guestLinkQr(),
  // ── Guest list (issue 19) ──
  getGuests: (c) => c.guests.view(),
  previewGuestImport: (c, i) => c.guests.preview(i.source),
  importGuests: (c, i) => c.guests.import(i.source),
  addGuest: (c, i) => c.guests.add(i),
  updateGuest: (c, { id, ...fields }) => c.guests.update(id, fields),
  deleteGuest: (c, i) => c.guests.remove(i.id),
  exportGuests: (c) => c.guests.exportCsv(),
  chooseTakeGuest: (c, { recordingSid, choice }) =>
    c.guests.chooseTakeGuest(recordingSid, choice.kind === 'guest' ? choice.guestId : choice.kind === 'not-listed' ? null : undefined),
  getSmsOptions: (c) => c.guests.sms.options(),
  setInvitationDeadline: (c, i) => c.guests.setInvitationDeadline(i.deadline),
  previewSms: (c, i) => c.guests.sms.preview(i.kind, i.template, i.guestIds),
  sendSms: (c, i) => c.guests.sms.send(i.kind, i.template, i.guestIds),
  newReminderRound: (c) => {
    c.guests.sms.newReminderRound();
    return c.guests.sms.options();
  },
};

/** The same schemas, typed per method so a generic method picks its own (checked here, once). */
const SCHEMAS: { readonly [M in ApiMethod]: z.ZodType<ApiParsedInput<M>, ApiInput<M>> } = API_INPUTS;

/** Validates one method's input and runs its handler. */
async function run<M extends ApiMethod>(c: OrganiserController, method: M, input: unknown): Promise<ApiOutputs[M]> {
  const schema: z.ZodType<ApiParsedInput<M>, ApiInput<M>> = SCHEMAS[method];
  const handler: Handler<M> = HANDLERS[method];
  return handler(c, schema.parse(input ?? {}));
}

function credentials(i: { accountSid: string; authToken: string; apiKeySid?: string | undefined; apiKeySecret?: string | undefined }) {
  return { accountSid: i.accountSid, authToken: i.authToken, ...(i.apiKeySid && i.apiKeySecret ? { apiKey: { sid: i.apiKeySid, secret: i.apiKeySecret } } : {}) };
}

function badInput(error: z.ZodError): Problem {
  const where = error.issues.map((issue) => issue.path.join('.') || 'input').join(', ');
  return {
    code: 'bad-input',
    en: `Some of what was entered isn't valid (${where}). Check it and try again; nothing was changed.`,
    ja: `入力内容に正しくない項目があります（${where}）。確認してもう一度お試しください。何も変更していません。`,
  };
}
