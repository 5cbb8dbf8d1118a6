/** What the health check can flag about a message, and what the organiser should do about it. */
export type HealthFlag = 'silent' | 'very-short' | 'clipped' | 'very-quiet' | 'very-loud';

/**
 * Where the flags start. Phone messages through Twilio usually measure −26 to −16 LUFS
 * (integrated) and last 10–60 s; these limits are for clear outliers, not fine-tuning.
 */
export const HEALTH_THRESHOLDS = {
  /** Shorter than this: a hang-up or an early # rather than a message. */
  veryShortSeconds: 2,
  /** Quieter than this needs more than ~12 dB of gain to sit with the others, which also lifts line noise. */
  veryQuietLufs: -35,
  /** Louder than this is shouting into the handset; usually distorted too. */
  veryLoudLufs: -10,
  /**
   * More than this share of samples at (or 1 LSB from) full scale. A few clipped peaks are
   * inaudible; 0.1 % is 8 samples a second at 8 kHz, which is heard as crackle.
   */
  clippedShare: 0.001,
  /** A 50 ms frame whose RMS is below this is silence: well under quiet speech (~−40 dBFS), above a phone line's hiss. */
  silenceFrameDbfs: -50,
  /** Silent when more than this share of 50 ms frames is silence (or nothing passes the −70 LUFS gate). */
  silentShare: 0.95,
} as const;

/** A flag's explanation for the organiser, in both UI languages. */
export interface FlagText {
  readonly ja: string;
  readonly en: string;
}

/** What each flag means and what to do about it, for the library and the trimmer. */
export const HEALTH_FLAG_TEXT: Readonly<Record<HealthFlag, FlagText>> = {
  silent: {
    en: 'Silent: nothing was recorded, or only line noise. Listen once to be sure; if it is empty, leave it off the album.',
    ja: '無音です。何も録音されていないか、回線の雑音だけです。念のため一度聴いて、空ならアルバムから外してください。',
  },
  'very-short': {
    en: 'Very short (under 2 seconds): the caller may have hung up or pressed # too soon. Listen to check it is a real message; they may have called again.',
    ja: 'とても短いメッセージです（2 秒未満）。途中で電話を切ったか、早めに # を押したのかもしれません。メッセージになっているか聴いて確かめてください。かけ直している場合もあります。',
  },
  clipped: {
    en: 'Clipped: the voice was too loud for the phone line and is distorted in places. This cannot be repaired; listen, and if it is hard to follow, leave it off or ask the caller to record again.',
    ja: '音割れしています。声が電話には大きすぎて、ところどころ歪んでいます。これは直せません。聴いてみて聞き取りにくければ、アルバムから外すか、もう一度録音してもらうようお願いしてください。',
  },
  'very-quiet': {
    en: 'Very quiet: it will be raised when the album is exported, which raises background noise too. Listen to check the words are clear.',
    ja: '音量がとても小さいです。アルバムの書き出し時に大きくしますが、背景の雑音も一緒に大きくなります。言葉がはっきり聞き取れるか聴いて確かめてください。',
  },
  'very-loud': {
    en: 'Very loud: it will be lowered when the album is exported. Listen for distortion.',
    ja: '音量がとても大きいです。アルバムの書き出し時に小さくします。歪んでいないか聴いて確かめてください。',
  },
};
