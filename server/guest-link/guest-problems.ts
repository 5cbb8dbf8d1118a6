import type { ApiError } from '../api/contract.ts';
import { UserError } from '../user-error.ts';

export type GuestProblemCode = 'not-audio' | 'too-large' | 'too-long' | 'too-short' | 'rate-limited' | 'bad-request' | 'try-later';

/** What the guest page shows when an upload is refused: the problem and what to do, in both languages. */
export function guestProblem(code: GuestProblemCode, detail: { readonly maxSeconds?: number } = {}): ApiError {
  switch (code) {
    case 'not-audio':
      return {
        code,
        en: "That file isn't a recording we can play. Please record your message again on this page.",
        ja: '再生できる録音ではありませんでした。このページでもう一度録音してください。',
      };
    case 'too-large':
      return { code, en: 'The recording is too large to send. Please record a shorter message.', ja: '録音が大きすぎて送れません。もう少し短く録音してください。' };
    case 'too-long': {
      const max = detail.maxSeconds ?? 0;
      return {
        code,
        en: `The message is longer than ${max} seconds. Please record a shorter one.`,
        ja: `メッセージが ${max} 秒を超えています。もう少し短く録音してください。`,
      };
    }
    case 'too-short':
      return { code, en: "We couldn't hear a message. Please record again and speak for a little longer.", ja: 'メッセージが聞き取れませんでした。もう一度、少し長めに録音してください。' };
    case 'rate-limited':
      return { code, en: 'Too many tries in a short time. Please wait a few minutes and try again.', ja: '短い時間に何度も送信されました。数分待ってからもう一度お試しください。' };
    case 'try-later':
      return {
        code,
        en: "We couldn't save your message just now. It is kept on this phone and will be sent again automatically.",
        ja: 'ただいまメッセージを保存できませんでした。録音はこの端末に残っていて、自動でもう一度送信します。',
      };
    case 'bad-request':
      return { code, en: 'Something went wrong sending your message. Please reload the page and try again.', ja: '送信中に問題が発生しました。ページを再読み込みして、もう一度お試しください。' };
    default:
      return code satisfies never;
  }
}

/** What Home says once guests' recordings could not be converted (ffmpeg failed to run): the organiser's fix. */
export function audioToolNotice(detail: string): UserError {
  return new UserError('guest-audio-tool-failed', {
    en: `Recordings sent through the guest link can't be converted right now: Shukuden's audio tool (ffmpeg) could not run (${detail}). Guests' recordings wait on their phones and are sent again by themselves. Restart Shukuden; if this keeps happening, install it again.`,
    ja: `ゲスト用リンクから届いた録音を変換できません。Shukuden の音声ツール（ffmpeg）を実行できませんでした（${detail}）。ゲストの録音は各自のスマートフォンに残っていて、自動でもう一度送信されます。Shukuden を再起動してください。続く場合は、もう一度インストールしてください。`,
  });
}
