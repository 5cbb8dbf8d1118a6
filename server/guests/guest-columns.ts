/** The columns a guest list can have. */
export const GUEST_COLUMNS = ['name', 'phone', 'group', 'note', 'declined'] as const;
export type GuestColumn = (typeof GUEST_COLUMNS)[number];

/** Headers as people write them (compared after NFKC, lower case, no spaces or brackets). */
const HEADERS: Record<GuestColumn, readonly string[]> = {
  name: ['名前', '氏名', 'お名前', 'なまえ', '芳名', 'ご芳名', 'ゲスト', 'name', 'fullname', 'guest', 'guestname'],
  phone: ['電話', '電話番号', '携帯', '携帯番号', '携帯電話', '携帯電話番号', 'tel', 'phone', 'phonenumber', 'mobile', 'mobilephone', 'cell', 'number'],
  group: ['グループ', '区分', '関係', '間柄', 'group', 'category', 'relation'],
  note: ['メモ', '備考', 'コメント', 'note', 'notes', 'memo', 'comment'],
  declined: ['不参加', 'won\'ttakepart', 'declined', 'optout'],
};

/** The header of each column in an exported CSV, in the organiser's language (both are read back). */
export const EXPORT_HEADERS: Record<'ja' | 'en', Record<GuestColumn, string>> = {
  ja: { name: '名前', phone: '電話', group: 'グループ', note: 'メモ', declined: '不参加' },
  en: { name: 'name', phone: 'phone', group: 'group', note: 'note', declined: "won't take part" },
};

function normalise(header: string): string {
  return header.normalize('NFKC').toLowerCase().replace(/[\s_\-・()（）[\]【】「」*＊:：]/g, '');
}

/**
 * Which column each header is: exact names first, then headers that contain one
 * ("携帯電話番号（本人）" is a phone column). Returns the index per column found.
 */
export function mapHeaders(headers: readonly string[]): Partial<Record<GuestColumn, number>> {
  const normalised = headers.map(normalise);
  const found: Partial<Record<GuestColumn, number>> = {};
  const taken = new Set<number>();
  for (const pass of ['exact', 'contains'] as const) {
    for (const column of GUEST_COLUMNS) {
      if (found[column] !== undefined) continue;
      const index = normalised.findIndex((h, i) => !taken.has(i) && h !== '' && HEADERS[column].some((alias) => (pass === 'exact' ? h === alias : alias.length > 1 && h.includes(alias))));
      if (index >= 0) {
        found[column] = index;
        taken.add(index);
      }
    }
  }
  return found;
}

/** "Won't take part" cell values meaning yes. */
export function isYes(value: string): boolean {
  return ['1', 'yes', 'y', 'true', 'x', '○', '〇', '◯', '✓', '✔', 'はい', '不参加', "won't take part"].includes(value.normalize('NFKC').trim().toLowerCase());
}
