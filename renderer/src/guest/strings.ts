/** Everything the guest page says, in the line's two languages. */
export type GuestLanguage = 'ja' | 'en';

const STRINGS = {
  defaultTitle: { ja: 'お祝いメッセージ', en: 'A message for the couple' },
  other: { ja: 'English', en: '日本語' },
  welcome: { ja: 'お二人へのお祝いのメッセージをお預かりします。', en: "We're collecting congratulations for the happy couple." },
  playWelcome: { ja: '▶ ごあいさつを聞く', en: '▶ Play the welcome' },
  tips: { ja: '静かな場所で、30〜60 秒ほどお話しください。', en: 'Find a quiet place and speak for 30–60 seconds.' },
  maxLength: { ja: '最長 {n} 秒', en: 'Up to {n} seconds' },
  record: { ja: '● タップして録音', en: '● Tap to record' },
  starting: { ja: 'まもなく録音が始まります…', en: 'Recording starts in…' },
  recording: { ja: '録音中', en: 'Recording' },
  stop: { ja: '■ 録音を終える', en: '■ Stop' },
  listen: { ja: '録音を確認してください', en: 'Listen to your message' },
  nameLabel: { ja: 'お名前（任意）', en: 'Your name (optional)' },
  namePlaceholder: { ja: '例：山田 花子', en: 'e.g. Hana Yamada' },
  send: { ja: '送信する', en: 'Send' },
  again: { ja: '録音し直す', en: 'Record again' },
  sending: { ja: '送信中…', en: 'Sending…' },
  retrying: { ja: '接続が不安定です。自動でもう一度送信しています…（録音はこの端末に保存されています）', en: 'The connection dropped. Trying again automatically… (your recording is kept on this phone)' },
  sent: { ja: '送信しました ✓', en: 'Sent ✓' },
  thanks: { ja: 'メッセージをお預かりしました。ありがとうございました！', en: 'Your message has been saved. Thank you!' },
  another: { ja: 'もう一件メッセージを残す', en: 'Leave another message' },
  unsent: { ja: '送信されていない録音があります。', en: 'You have a recording that has not been sent yet.' },
  finishing: { ja: '前回の録音を送信しています…', en: 'Finishing sending your earlier message…' },
  noRecorder: {
    ja: 'このブラウザでは録音できません。iPhone は Safari、Android は Chrome でこのリンクを開いてください。',
    en: "This browser can't record. Please open this link in Safari (iPhone) or Chrome (Android).",
  },
  callInstead: { ja: 'お電話でもメッセージを残せます：', en: 'You can also leave your message by phone:' },
  micDenied: {
    ja: 'マイクが使えません。アドレスバーの「ぁあ」または鍵のマークからマイクを「許可」にして、ページを再読み込みしてください。',
    en: 'The microphone is blocked. Tap the "aA" or lock icon next to the address, allow the microphone, then reload this page.',
  },
  micMissing: { ja: 'マイクが見つかりません。マイクのある端末で開いてください。', en: 'No microphone was found. Please open this link on a phone with a microphone.' },
  linkOff: { ja: 'このリンクは現在使えません。送ってくれた方にご確認ください。録音はこの端末に保存されています。', en: 'This link is not active right now. Please check with the person who sent it. Your recording is kept on this phone.' },
  loadFailed: { ja: 'ページを読み込めませんでした。電波の良い場所で再読み込みしてください。', en: "The page couldn't load. Please reload it where the signal is better." },
} as const;

export type GuestStringKey = keyof typeof STRINGS;

export function gt(language: GuestLanguage, key: GuestStringKey, vars: Readonly<Record<string, string | number>> = {}): string {
  return STRINGS[key][language].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}
