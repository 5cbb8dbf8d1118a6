import type { DatabaseSync } from 'node:sqlite';
import type { z } from 'zod';
import { defaultFlowSettings, flowSettingsSchema, type FlowSettings } from '../call-flow/flow-settings.ts';
import type { Problem } from '../user-error.ts';

/** One stored setting: where it lives, what a valid value is, and what applies when it is absent or damaged. */
export interface Setting<T> {
  readonly key: string;
  readonly schema: z.ZodType<T>;
  readonly fallback: T;
}

/** Declares a setting once; every reader and writer goes through it. */
export function defineSetting<T>(key: string, schema: z.ZodType<T>, fallback: T): Setting<T> {
  return { key, schema, fallback };
}

/** The phone line's settings: Japanese defaults until the organiser saves any. */
export const FLOW_SETTINGS: Setting<FlowSettings> = defineSetting('line', flowSettingsSchema as z.ZodType<FlowSettings>, defaultFlowSettings());

/** Settings, validated on the way in and out. A damaged value never stops anything: its default applies and the organiser is told. */
export class SettingsStore {
  readonly #db: DatabaseSync;
  #cache: FlowSettings | null = null;
  /** Keys whose stored value could not be read (since the last good write). */
  readonly #damaged = new Set<string>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** A setting's value: its fallback when absent, or when the stored value is damaged (then reported by `problems()`). */
  get<T>(setting: Setting<T>): T {
    const row = this.#db.prepare('SELECT value FROM settings WHERE key = ?').get(setting.key) as { value: string } | undefined;
    if (!row) return setting.fallback;
    const parsed = setting.schema.safeParse(parseJson(row.value));
    if (parsed.success) {
      this.#damaged.delete(setting.key);
      return parsed.data;
    }
    this.#damaged.add(setting.key);
    return setting.fallback;
  }

  /** Validates and stores a value (committed before this returns); throws zod's error and changes nothing on bad input. */
  set<T>(setting: Setting<T>, value: T): T {
    const valid = setting.schema.parse(value);
    this.#db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(setting.key, JSON.stringify(valid));
    this.#damaged.delete(setting.key);
    return valid;
  }

  /** Forgets a stored value: its fallback applies again. */
  clear(setting: Setting<unknown>): void {
    this.#db.prepare('DELETE FROM settings WHERE key = ?').run(setting.key);
    this.#damaged.delete(setting.key);
  }

  /** What the organiser should know about the stored settings: the damaged ones, in plain words. */
  problems(): readonly Problem[] {
    if (this.#damaged.size === 0) return [];
    const keys = [...this.#damaged].sort().join(', ');
    return [
      {
        code: 'settings-damaged',
        en: `Some saved settings were damaged and could not be read (${keys}). Shukuden uses their defaults and the line keeps answering. Check Settings and save again.`,
        ja: `保存された設定の一部が壊れていて読めませんでした（${keys}）。既定の設定を使い、電話の受付は続けています。設定画面を確認して、もう一度保存してください。`,
      },
    ];
  }

  /** Current line settings (read once, then cached). */
  flow(): FlowSettings {
    this.#cache ??= this.get(FLOW_SETTINGS);
    return this.#cache;
  }

  /** Validates and saves; throws zod's error (and changes nothing) on bad input. */
  saveFlow(input: unknown): FlowSettings {
    const settings = this.set(FLOW_SETTINGS, input as FlowSettings);
    this.#cache = settings;
    return settings;
  }
}

/** Stored JSON, or undefined (which no schema accepts) when it is not JSON at all. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
