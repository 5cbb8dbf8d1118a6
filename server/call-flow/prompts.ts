/**
 * What the guest hears at each step. Each prompt is either text-to-speech
 * or an audio file the organiser supplied (stored in the data directory).
 */

export type PromptKey =
  | 'welcome'
  | 'instructions'
  | 'playbackIntro'
  | 'menu'
  | 'invalidKey'
  | 'couldNotHear'
  | 'askName'
  | 'thanks'
  | 'goodbyeNoAudio'
  | 'decoy';

export const PROMPT_KEYS: readonly PromptKey[] = [
  'welcome',
  'instructions',
  'playbackIntro',
  'menu',
  'invalidKey',
  'couldNotHear',
  'askName',
  'thanks',
  'goodbyeNoAudio',
  'decoy',
];

export type Prompt =
  | { readonly kind: 'tts'; readonly text: string; readonly language: string; readonly voice: string }
  | { readonly kind: 'audio'; readonly file: string };

export type PromptSet = Readonly<Record<PromptKey, Prompt>>;

export type GreetingLanguage = 'ja' | 'en';

/** Twilio `<Say>` language and voice per line language. Polly voices sound natural on a phone line. */
export const TTS_DEFAULTS: Readonly<Record<GreetingLanguage, { readonly language: string; readonly voice: string }>> = {
  ja: { language: 'ja-JP', voice: 'Polly.Mizuki' },
  en: { language: 'en-US', voice: 'Polly.Joanna' },
};

const TEXTS: Readonly<Record<GreetingLanguage, Readonly<Record<PromptKey, string>>>> = {
  ja: {
    welcome: 'お電話ありがとうございます。お二人へのお祝いのメッセージをお預かりします。',
    instructions: '発信音のあとにメッセージをお話しください。お話が終わりましたら、シャープを押してください。',
    playbackIntro: '録音したメッセージを再生します。',
    menu: 'このメッセージでよろしければ1を、録音し直す場合は3を押してください。',
    invalidKey: '1か3を押してください。',
    couldNotHear: '申し訳ありません、お声が聞き取れませんでした。もう一度お願いします。',
    askName: '最後に、お名前をどうぞ。',
    thanks: 'メッセージをお預かりしました。ありがとうございました。失礼いたします。',
    goodbyeNoAudio: '申し訳ありません、うまく録音できませんでした。お手数ですが、後ほどおかけ直しください。失礼いたします。',
    decoy: 'お電話ありがとうございます。ただいま電話に出ることができません。失礼いたします。',
  },
  en: {
    welcome: "Thank you for calling. We're collecting congratulations for the happy couple.",
    instructions: "After the beep, please speak your message. Press the pound key when you're done.",
    playbackIntro: 'Here is your message.',
    menu: 'To send it, press 1. To record again, press 3.',
    invalidKey: 'Please press 1 or 3.',
    couldNotHear: "Sorry, we couldn't hear you. Let's try again.",
    askName: 'Lastly, please say your name.',
    thanks: 'Your message has been saved. Thank you, and goodbye.',
    goodbyeNoAudio: "Sorry, we couldn't record your message. Please call again later. Goodbye.",
    decoy: 'Thank you for calling. No one is available to take your call. Goodbye.',
  },
};

/** Whether `text` is still the default wording of a prompt (in either language): the organiser has not written their own. */
export function isDefaultPromptText(key: PromptKey, text: string): boolean {
  return text === TEXTS.ja[key] || text === TEXTS.en[key];
}

/** The default prompts, all text-to-speech, in the given language. */
export function defaultPrompts(language: GreetingLanguage): PromptSet {
  const tts = TTS_DEFAULTS[language];
  const texts = TEXTS[language];
  return Object.fromEntries(
    PROMPT_KEYS.map((key) => [key, { kind: 'tts', text: texts[key], ...tts } satisfies Prompt]),
  ) as Record<PromptKey, Prompt>;
}
