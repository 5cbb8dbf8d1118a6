import type { ApiError, Language } from '../../server/api/contract.ts';

const STRINGS = {
  appName: { ja: '祝電 Shukuden', en: 'Shukuden 祝電' },
  home: { ja: 'ホーム', en: 'Home' },
  settings: { ja: '設定', en: 'Settings' },
  next: { ja: '次へ', en: 'Next' },
  back: { ja: '戻る', en: 'Back' },
  save: { ja: '保存', en: 'Save' },
  saved: { ja: '保存しました', en: 'Saved' },
  check: { ja: '確認する', en: 'Check' },
  working: { ja: '確認中…', en: 'Checking…' },
  // Setup
  setupTitle: { ja: 'はじめの設定', en: 'First-time setup' },
  stepLanguage: { ja: '言語', en: 'Language' },
  stepTwilio: { ja: 'Twilio アカウント', en: 'Twilio account' },
  stepNumber: { ja: '電話番号', en: 'Phone number' },
  stepTunnel: { ja: '公開アドレス', en: 'Public address' },
  stepPrompts: { ja: '音声ガイダンス', en: 'Greetings' },
  stepDone: { ja: '完了', en: 'Done' },
  chooseLanguage: { ja: 'アプリと電話ガイダンスの言語を選んでください。', en: 'Choose the language of the app and of the phone greetings.' },
  twilioIntro: { ja: 'Twilio コンソールのホーム画面にある Account SID と Auth Token を貼り付けてください。', en: 'Paste the Account SID and Auth Token from the Twilio Console home page.' },
  accountSid: { ja: 'Account SID', en: 'Account SID' },
  authToken: { ja: 'Auth Token', en: 'Auth Token' },
  apiKeyOptional: { ja: 'API キー（任意）', en: 'API key (optional)' },
  apiKeySid: { ja: 'API キー SID', en: 'API key SID' },
  apiKeySecret: { ja: 'API キーのシークレット', en: 'API key secret' },
  skipToRehearsal: { ja: 'アカウントなしでリハーサルだけ使う', en: 'Skip: rehearsal only, no account' },
  numberIntro: { ja: 'ゲストがかける番号を選んでください。', en: 'Choose the number guests will call.' },
  answersOther: { ja: '現在ほかのアプリにつながっています：', en: 'Currently answers another app:' },
  takeOverQuestion: { ja: 'この番号は別のアプリにつながっています。Shukuden の終了まで引き継ぎますか？終了時に元の設定に戻します。', en: 'This number answers another app. Let Shukuden take it over until you quit? Its settings are restored when Shukuden stops.' },
  takeOver: { ja: '引き継ぐ', en: 'Take it over' },
  tunnelIntro: { ja: 'Twilio がこのパソコンに電話をつなぐには、インターネット上の公開アドレスが必要です。ngrok（無料）がそれを作ります。', en: 'Twilio needs a public internet address to reach this laptop. ngrok (free) makes one for you.' },
  tunnelWhere: { ja: 'authtoken は dashboard.ngrok.com →「Your Authtoken」にあります。', en: 'Your authtoken is at dashboard.ngrok.com → "Your Authtoken".' },
  ngrokToken: { ja: 'ngrok authtoken', en: 'ngrok authtoken' },
  ngrokDomain: { ja: '予約ドメイン（任意）', en: 'Reserved domain (optional)' },
  ownUrl: { ja: '自分の公開 URL がある（リバースプロキシやサーバー）', en: 'I have my own public URL (reverse proxy, server)' },
  publicUrl: { ja: '公開 URL', en: 'Public URL' },
  connect: { ja: '接続する', en: 'Connect' },
  promptsIntro: { ja: 'ゲストが聞く案内です。文章を変えるか、録音したファイル（MP3・WAV・M4A）を使えます。', en: 'What guests hear. Edit the words, or use a recording of your own (MP3, WAV, M4A).' },
  voice: { ja: '声', en: 'Voice' },
  uploadAudio: { ja: '音声ファイルを使う', en: 'Use an audio file' },
  usingAudio: { ja: '音声ファイルを使用中', en: 'Using an audio file' },
  useSpeech: { ja: '読み上げに戻す', en: 'Use speech instead' },
  doneTitle: { ja: '準備ができました', en: 'All set' },
  doneText: { ja: '電話回線の準備ができました。かかってきた電話はホームに表示されます。', en: 'Your line is ready. Calls will appear on the home screen as they happen.' },
  goHome: { ja: 'ホームへ', en: 'Go to home' },
  // Home
  lineStatus: { ja: '回線の状態', en: 'Line status' },
  stage_server: { ja: 'アプリ', en: 'App server' },
  stage_tunnel: { ja: '公開アドレス', en: 'Tunnel' },
  stage_number: { ja: '電話番号', en: 'Number' },
  stage_verified: { ja: '動作確認', en: 'Verified' },
  state_waiting: { ja: '待機中', en: 'Waiting' },
  state_working: { ja: '処理中', en: 'Working' },
  state_ok: { ja: 'OK', en: 'OK' },
  state_failed: { ja: '問題あり', en: 'Problem' },
  state_skipped: { ja: 'なし', en: 'Not used' },
  ready: { ja: '回線は準備完了です', en: 'The line is ready' },
  notReady: { ja: '回線はまだ使えません', en: 'The line is not ready yet' },
  rehearsalMode: { ja: 'リハーサルモード（Twilio アカウントなし）', en: 'Rehearsal mode (no Twilio account)' },
  callsToday: { ja: '今日の着信', en: 'Calls today' },
  messagesKept: { ja: '保存したメッセージ', en: 'Messages kept' },
  balance: { ja: 'Twilio 残高', en: 'Twilio balance' },
  lowBalance: { ja: '残高が少なくなっています', en: 'Balance is low' },
  liveCalls: { ja: '通話中', en: 'Live calls' },
  noLiveCalls: { ja: '現在通話はありません', en: 'No calls right now' },
  messages: { ja: '新着メッセージ', en: 'Messages' },
  noMessages: { ja: 'まだメッセージはありません', en: 'No messages yet' },
  caller: { ja: '発信者', en: 'Caller' },
  stepCol: { ja: '状況', en: 'Step' },
  durationCol: { ja: '時間', en: 'Duration' },
  timeCol: { ja: '日時', en: 'Time' },
  statusCol: { ja: '状態', en: 'Status' },
  downloadedCol: { ja: '保存', en: 'Saved' },
  step_welcome: { ja: 'あいさつ', en: 'Welcome' },
  step_recording: { ja: '録音中', en: 'Recording' },
  step_listening: { ja: '聞き返し中', en: 'Listening back' },
  step_menu: { ja: '確認中', en: 'Deciding' },
  step_done: { ja: '終了', en: 'Done' },
  take_pending: { ja: '確認待ち', en: 'Pending' },
  take_kept: { ja: '保存', en: 'Kept' },
  take_unconfirmed: { ja: '未確認', en: 'Unconfirmed' },
  take_superseded: { ja: '録り直し前', en: 'Superseded' },
  take_empty: { ja: '無音', en: 'Empty' },
  onComputer: { ja: 'パソコンに保存済み', en: 'On this computer' },
  atTwilio: { ja: 'Twilio から取得中', en: 'Downloading from Twilio' },
  // Settings
  twilioSection: { ja: 'Twilio アカウントと番号', en: 'Twilio account and number' },
  tunnelSection: { ja: '公開アドレス（ngrok）', en: 'Public address (ngrok)' },
  lineSection: { ja: '回線', en: 'Line' },
  maxLength: { ja: 'メッセージの最大の長さ（秒）', en: 'Longest message (seconds)' },
  surpriseList: { ja: 'サプライズ用リスト（新郎新婦の番号。1 行に 1 つ）', en: "Surprise list (the couple's numbers, one per line)" },
  surpriseHelp: { ja: 'この番号からの電話には別の案内が流れ、録音されません。', en: 'Calls from these numbers hear a decoy message and are not recorded.' },
  dataFolder: { ja: 'データフォルダ', en: 'Data folder' },
  privacySection: { ja: 'プライバシー', en: 'Privacy' },
  deleteFromTwilio: { ja: 'パソコンへの保存を確認したら Twilio から録音を削除する', en: 'Delete recordings from Twilio once they are safely on this computer' },
  configured: { ja: '設定済み', en: 'Set up' },
  notConfigured: { ja: '未設定', en: 'Not set up' },
  language: { ja: '言語', en: 'Language' },
} as const;

export type StringKey = keyof typeof STRINGS;

/** The UI text in the current language. */
export function t(language: Language, key: StringKey): string {
  return STRINGS[key][language];
}

/** An API error in the current language (the other language's text is a tooltip away). */
export function errorText(language: Language, error: ApiError): string {
  return language === 'ja' ? error.ja : error.en;
}

/** The language the OS/browser prefers, before the organiser picks one. */
export function systemLanguage(): Language {
  return navigator.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}
