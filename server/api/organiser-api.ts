import { z } from 'zod';
import type { AppController } from '../app/app-controller.ts';
import type { Log } from '../log.ts';
import { assertNever } from '../twiml/render.ts';
import { UserError } from '../user-error.ts';
import { API_INPUTS, type ApiError, type ApiMethod, type ApiOutputs } from './contract.ts';

export type DispatchResult = { readonly ok: true; readonly value: ApiOutputs[ApiMethod] } | { readonly ok: false; readonly error: ApiError };

function isMethod(value: unknown): value is ApiMethod {
  return typeof value === 'string' && Object.hasOwn(API_INPUTS, value);
}

/**
 * Runs one organiser API call from either transport. Method and input arrive untrusted
 * (`unknown`); both are validated before anything runs, and every failure comes back as
 * an ApiError the UI can show as it is.
 */
export async function dispatch(controller: AppController, method: unknown, input: unknown, log: Log): Promise<DispatchResult> {
  if (!isMethod(method)) return { ok: false, error: { code: 'unknown-method', en: 'Unknown request.', ja: '不明なリクエストです。' } };
  const parsed = API_INPUTS[method].safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: badInput(parsed.error) };
  try {
    return { ok: true, value: await run(controller, method, parsed.data) };
  } catch (error) {
    if (error instanceof UserError) return { ok: false, error: { code: error.code, ...error.text } };
    if (error instanceof z.ZodError) return { ok: false, error: badInput(error) };
    log.error('Organiser API call failed', { method, error: error instanceof Error ? error.message : String(error) });
    return { ok: false, error: { code: 'internal', en: 'Something went wrong. Please try again; if it keeps happening, restart Shukuden.', ja: '問題が発生しました。もう一度お試しください。続く場合は Shukuden を再起動してください。' } };
  }
}

async function run(c: AppController, method: ApiMethod, input: unknown): Promise<ApiOutputs[ApiMethod]> {
  switch (method) {
    case 'getState':
      return c.state();
    case 'setLanguage':
      return c.setLanguage((input as z.infer<(typeof API_INPUTS)['setLanguage']>).language);
    case 'checkTwilio': {
      const i = input as z.infer<(typeof API_INPUTS)['checkTwilio']>;
      return c.checkTwilio(credentials(i), i.allowTrial ?? false);
    }
    case 'connectTwilio': {
      const i = input as z.infer<(typeof API_INPUTS)['connectTwilio']>;
      return c.connectTwilio(credentials(i), i.phoneNumber, { takeOver: i.takeOver ?? false, allowTrial: i.allowTrial ?? false });
    }
    case 'configureTunnel':
      return c.configureTunnel(input as z.infer<(typeof API_INPUTS)['configureTunnel']>);
    case 'saveLineSettings':
      return c.saveLineSettings((input as z.infer<(typeof API_INPUTS)['saveLineSettings']>).settings);
    case 'uploadPrompt': {
      const i = input as z.infer<(typeof API_INPUTS)['uploadPrompt']>;
      return c.uploadPrompt(i.key, i.dataBase64);
    }
    case 'setPrivacy':
      return c.setPrivacy((input as z.infer<(typeof API_INPUTS)['setPrivacy']>).deleteFromTwilioAfterDownload);
    case 'finishSetup':
      return c.finishSetup((input as z.infer<(typeof API_INPUTS)['finishSetup']>).mode);
    case 'getLibrary':
      return { entries: c.library() };
    case 'setGreetingsLanguage':
      return c.setGreetingsLanguage((input as z.infer<(typeof API_INPUTS)['setGreetingsLanguage']>).language);
    case 'nameTake': {
      const i = input as z.infer<(typeof API_INPUTS)['nameTake']>;
      return c.nameTake(i.recordingSid, i.name);
    }
    case 'nameCaller': {
      const i = input as z.infer<(typeof API_INPUTS)['nameCaller']>;
      return c.nameCaller(i.number, i.name);
    }
    case 'updateTake': {
      const { recordingSid, ...change } = input as z.infer<(typeof API_INPUTS)['updateTake']>;
      return c.updateTake(recordingSid, change);
    }
    case 'getWaveform':
      return c.waveform((input as z.infer<(typeof API_INPUTS)['getWaveform']>).recordingSid);
    case 'saveEdit': {
      const i = input as z.infer<(typeof API_INPUTS)['saveEdit']>;
      return c.saveEdit(i.recordingSid, i.edit);
    }
    case 'rehearsalStart':
      return c.rehearsalStart((input as z.infer<(typeof API_INPUTS)['rehearsalStart']>).quality ?? 'phone');
    case 'rehearsalNext': {
      const i = input as z.infer<(typeof API_INPUTS)['rehearsalNext']>;
      return c.rehearsal(i.sessionId).next(i.afterSeq);
    }
    case 'rehearsalReply': {
      const i = input as z.infer<(typeof API_INPUTS)['rehearsalReply']>;
      c.rehearsal(i.sessionId).reply(i.seq, i.reply);
      return { ok: true };
    }
    case 'rehearsalHangup':
      c.rehearsal((input as z.infer<(typeof API_INPUTS)['rehearsalHangup']>).sessionId).hangup();
      return { ok: true };
    case 'getAlbum':
      return c.album();
    case 'saveAlbum':
      return c.saveAlbum((input as z.infer<(typeof API_INPUTS)['saveAlbum']>).arrangement);
    case 'importCover': {
      const i = input as z.infer<(typeof API_INPUTS)['importCover']>;
      return c.importCover(i.fileName, i.dataBase64);
    }
    case 'startExport':
      return c.startExport((input as z.infer<(typeof API_INPUTS)['startExport']>).outputDir);
    case 'chooseFolder':
      return c.chooseFolder();
    case 'cancelExport':
      return c.cancelExport();
    case 'showInFolder':
      return c.showInFolder();
    case 'setAlwaysOn':
      return c.setAlwaysOn((input as z.infer<(typeof API_INPUTS)['setAlwaysOn']>).enabled);
    case 'uninstallAlwaysOn':
      return c.uninstallAlwaysOn();
    // ── Guest link (issue 17) ──
    case 'setGuestLink':
      return c.setGuestLink(input as z.infer<(typeof API_INPUTS)['setGuestLink']>);
    case 'regenerateGuestLink':
      return c.regenerateGuestLink();
    case 'getGuestLinkQr':
      return c.guestLinkQr();
    default:
      return assertNever(method);
  }
}

function credentials(i: { accountSid: string; authToken: string; apiKeySid?: string | undefined; apiKeySecret?: string | undefined }) {
  return { accountSid: i.accountSid, authToken: i.authToken, ...(i.apiKeySid && i.apiKeySecret ? { apiKey: { sid: i.apiKeySid, secret: i.apiKeySecret } } : {}) };
}

function badInput(error: z.ZodError): ApiError {
  const where = error.issues.map((issue) => issue.path.join('.') || 'input').join(', ');
  return {
    code: 'bad-input',
    en: `Some of what was entered isn't valid (${where}). Check it and try again; nothing was changed.`,
    ja: `入力内容に正しくない項目があります（${where}）。確認してもう一度お試しください。何も変更していません。`,
  };
}
