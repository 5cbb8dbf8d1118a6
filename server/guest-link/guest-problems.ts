import type { ApiError } from '../api/contract.ts';

export type GuestProblemCode = 'not-audio' | 'too-large' | 'too-long' | 'too-short' | 'rate-limited' | 'bad-request';

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
    case 'bad-request':
      return { code, en: 'Something went wrong sending your message. Please reload the page and try again.', ja: '送信中に問題が発生しました。ページを再読み込みして、もう一度お試しください。' };
    default:
      return code satisfies never;
  }
}
