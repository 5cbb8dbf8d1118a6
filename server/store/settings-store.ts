import type { DatabaseSync } from 'node:sqlite';
import { defaultLineSettings, lineSettingsSchema, type LineSettings } from '../call-flow/line-settings.ts';

const LINE_KEY = 'line';

/** The organiser's line settings, validated on the way in and out. */
export class SettingsStore {
  readonly #db: DatabaseSync;
  #cache: LineSettings | null = null;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Current settings; defaults (Japanese) until the organiser saves any. */
  line(): LineSettings {
    if (this.#cache) return this.#cache;
    const row = this.#db.prepare('SELECT value FROM settings WHERE key = ?').get(LINE_KEY) as { value: string } | undefined;
    const parsed = row ? lineSettingsSchema.safeParse(JSON.parse(row.value)) : null;
    // A damaged settings row must not silence the line: fall back to defaults.
    this.#cache = parsed?.success ? (parsed.data as LineSettings) : defaultLineSettings();
    return this.#cache;
  }

  /** A stored value, validated by `schema`; null when absent or unreadable. */
  read<T>(key: string, schema: { safeParse(input: unknown): { success: true; data: T } | { success: false } }): T | null {
    const row = this.#db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    if (!row) return null;
    const parsed = schema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : null;
  }

  /** Stores a JSON value (committed before this returns). */
  write(key: string, value: unknown): void {
    this.#db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }

  /** Forgets a stored value. */
  remove(key: string): void {
    this.#db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  }

  /** Validates and saves; throws zod's error (and changes nothing) on bad input. */
  saveLine(input: unknown): LineSettings {
    const settings = lineSettingsSchema.parse(input) as LineSettings;
    this.write(LINE_KEY, settings);
    this.#cache = settings;
    return settings;
  }
}
