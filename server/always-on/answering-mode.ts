import type { Bilingual } from '../user-error.ts';

/**
 * Who answers the number right now: this laptop, the always-on line hosted by Twilio (the
 * app is closed, or the laptop can't be reached and Twilio falls back to it), or nobody.
 */
export type AnsweringMode = 'live' | 'hosted' | 'off';

/** The mode, from whether the laptop answers and whether the always-on line is there to take over. */
export function answeringMode(o: { readonly laptopAnswers: boolean; readonly hostedReady: boolean }): AnsweringMode {
  if (o.laptopAnswers) return 'live';
  return o.hostedReady ? 'hosted' : 'off';
}

/** The mode in the organiser's words. */
export function describeAnsweringMode(mode: AnsweringMode): Bilingual {
  switch (mode) {
    case 'live':
      return { en: 'live on this laptop', ja: 'このパソコンで受付中' };
    case 'hosted':
      return { en: 'always on, hosted by Twilio', ja: '常時受付（Twilio 上で受付中）' };
    case 'off':
      return { en: 'not answered', ja: '電話に出ません' };
    default:
      return mode satisfies never;
  }
}
