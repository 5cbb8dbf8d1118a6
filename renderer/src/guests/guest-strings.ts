import type { Language } from '../../../server/api/contract.ts';

/** The guest list's UI text (kept apart from i18n.ts so the Guests screen is one self-contained part). */
const STRINGS = {
  guests: { ja: 'ゲスト', en: 'Guests' },
  notYetTitle: { ja: 'まだメッセージがない人', en: "Who hasn't left a message yet" },
  progressSummary: { ja: '{expected} 人中 {done} 人がメッセージを残しました', en: '{done} of {expected} guests have left a message' },
  declinedCount: { ja: '不参加 {n} 人は数えていません', en: "{n} who won't take part are not counted" },
  toAsk: { ja: '共有の番号からのメッセージが {n} 件あります。ライブラリでどなたか選んでください。', en: '{n} messages came from a shared number: choose who it was in the Library.' },
  noGroup: { ja: 'グループなし', en: 'No group' },
  allDone: { ja: '全員から届きました 🎉', en: 'Everyone has left a message 🎉' },
  noGuestsYet: { ja: 'ゲストリストはまだありません。「ゲスト」画面で読み込むと、誰からまだ届いていないかがわかります。', en: "No guest list yet. Import one on the Guests screen to see who hasn't left a message." },
  importTitle: { ja: 'ゲストリストを読み込む', en: 'Import a guest list' },
  importHelp: {
    ja: 'Excel・Google スプレッドシート・Numbers の CSV ファイルを選ぶか、セルをコピーして貼り付けてください。1 行目の見出し（名前・電話・グループ・メモ）で列を見分けます。',
    en: 'Choose a CSV file from Excel, Google Sheets or Numbers, or copy the cells and paste them. Columns are found by their headers (name, phone, group, note).',
  },
  chooseFile: { ja: 'ファイルを選ぶ', en: 'Choose a file' },
  pasteHere: { ja: 'ここに貼り付け', en: 'Paste here' },
  preview: { ja: '内容を確認', en: 'Preview' },
  previewOf: { ja: '{n} 人を読み込みます', en: '{n} guests will be imported' },
  detected: { ja: '文字コード: {encoding}・区切り: {delimiter}', en: 'Encoding: {encoding} · separated by: {delimiter}' },
  problemsTitle: { ja: '読み込めない行（{n}）— ほかの行は読み込みます', en: "Rows that can't be read ({n}) — the others are imported" },
  lineN: { ja: '{n} 行目', en: 'Line {n}' },
  importNow: { ja: 'この内容で読み込む', en: 'Import these guests' },
  cancel: { ja: 'やめる', en: 'Cancel' },
  imported: { ja: '{added} 人を追加しました（すでにリストにあった {skipped} 人はそのまま）', en: 'Added {added} guests ({skipped} already on the list were left as they were)' },
  exportCsv: { ja: 'CSV に書き出す', en: 'Export CSV' },
  emptyList: { ja: 'まだ誰もいません。下でリストを読み込むか、「ゲストを追加」で 1 人ずつ入力してください。', en: 'Nobody yet. Import a list below, or add guests one by one.' },
  addGuest: { ja: 'ゲストを追加', en: 'Add a guest' },
  name: { ja: '名前', en: 'Name' },
  phone: { ja: '電話', en: 'Phone' },
  group: { ja: 'グループ', en: 'Group' },
  note: { ja: 'メモ', en: 'Note' },
  declined: { ja: '不参加', en: "Won't take part" },
  message: { ja: 'メッセージ', en: 'Message' },
  received: { ja: '届いた', en: 'Received' },
  notYet: { ja: 'まだ', en: 'Not yet' },
  edit: { ja: '編集', en: 'Edit' },
  save: { ja: '保存', en: 'Save' },
  remove: { ja: '削除', en: 'Delete' },
  confirmRemove: { ja: '{name} さんをリストから削除しますか？', en: 'Remove {name} from the list?' },
  listTitle: { ja: 'ゲストリスト（{n} 人）', en: 'Guest list ({n})' },
  sharedNumber: { ja: '同じ番号: {names}', en: 'Same number: {names}' },
  whoWasIt: { ja: 'どなたのメッセージ？', en: 'Whose message is this?' },
  fromList: { ja: 'ゲストリストより', en: 'from the guest list' },
  notListed: { ja: 'リストにない人', en: 'Not on the list' },
  pasted: { ja: '貼り付け', en: 'pasted' },
  comma: { ja: 'カンマ', en: 'comma' },
  tab: { ja: 'タブ', en: 'tab' },
  semicolon: { ja: 'セミコロン', en: 'semicolon' },
} as const satisfies Record<string, Record<Language, string>>;

export type GuestStringKey = keyof typeof STRINGS;

/** A guest-list string, with {placeholders} filled in. */
export function gt(language: Language, key: GuestStringKey, values: Record<string, string | number> = {}): string {
  return STRINGS[key][language].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}
