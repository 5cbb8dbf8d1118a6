import type { DatabaseSync } from 'node:sqlite';
import type { Guest, GuestDraft } from '../guests/guest-types.ts';
import { transaction } from './database.ts';

type Row = Record<string, unknown>;

/** The guest list. Stores what it is given; the guest controller decides and normalises. */
export class GuestStore {
  readonly #db: DatabaseSync;
  readonly #changed: () => void;

  constructor(db: DatabaseSync, onChange: () => void) {
    this.#db = db;
    this.#changed = onChange;
  }

  list(): readonly Guest[] {
    return (this.#db.prepare('SELECT * FROM guests ORDER BY id').all() as Row[]).map(toGuest);
  }

  get(id: number): Guest | null {
    const row = this.#db.prepare('SELECT * FROM guests WHERE id = ?').get(id) as Row | undefined;
    return row ? toGuest(row) : null;
  }

  /** Adds guests in one transaction; one already listed with the same name and number is skipped. */
  addMany(drafts: readonly GuestDraft[]): { readonly added: number; readonly alreadyListed: number } {
    const now = new Date().toISOString();
    const exists = this.#db.prepare("SELECT 1 FROM guests WHERE name = ? AND IFNULL(phone, '') = ?");
    const insert = this.#db.prepare('INSERT INTO guests (name, phone_input, phone, group_name, note, declined, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const result = transaction(this.#db, () => {
      let added = 0;
      for (const g of drafts) {
        if (exists.get(g.name, g.phone ?? '')) continue;
        insert.run(g.name, g.phoneInput, g.phone, g.group, g.note, g.declined ? 1 : 0, now);
        added++;
      }
      return { added, alreadyListed: drafts.length - added };
    });
    if (result.added > 0) this.#changed();
    return result;
  }

  update(id: number, g: GuestDraft): boolean {
    const result = this.#db
      .prepare('UPDATE guests SET name = ?, phone_input = ?, phone = ?, group_name = ?, note = ?, declined = ? WHERE id = ?')
      .run(g.name, g.phoneInput, g.phone, g.group, g.note, g.declined ? 1 : 0, id);
    this.#changed();
    return Number(result.changes) > 0;
  }

  remove(id: number): boolean {
    const result = this.#db.prepare('DELETE FROM guests WHERE id = ?').run(id);
    this.#changed();
    return Number(result.changes) > 0;
  }
}

function toGuest(row: Row): Guest {
  return {
    id: Number(row['id']),
    name: String(row['name']),
    phoneInput: String(row['phone_input'] ?? ''),
    phone: row['phone'] === null ? null : String(row['phone']),
    group: String(row['group_name'] ?? ''),
    note: String(row['note'] ?? ''),
    declined: Number(row['declined']) === 1,
  };
}
