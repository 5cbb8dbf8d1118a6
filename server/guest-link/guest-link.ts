import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { defineSetting, type SettingsStore } from '../store/settings-store.ts';

/** 18 random bytes = 144 bits, written as 24 URL-safe characters. */
const TOKEN_BYTES = 18;
const stored = z.object({
  enabled: z.boolean(),
  token: z.string().regex(/^[A-Za-z0-9_-]{24,64}$/),
  /** The couple's names or the event, shown at the top of the guest page. */
  title: z.string().max(120).default(''),
});
export type GuestLinkSetting = z.infer<typeof stored>;
/** The link's state; null until first read (a token is made then). */
const GUEST_LINK = defineSetting<GuestLinkSetting | null>('guestLink', stored.nullable(), null);

/** Where the guest page lives under the public URL. */
export const GUEST_PATH = '/g';

/**
 * The guest link's on/off switch and its unguessable token, kept in the settings table.
 * A new token makes the old link stop working at once (it is compared on every request).
 */
export class GuestLink {
  readonly #settings: SettingsStore;
  readonly #listeners = new Set<() => void>();

  constructor(settings: SettingsStore) {
    this.#settings = settings;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  current(): GuestLinkSetting {
    const value = this.#settings.get(GUEST_LINK);
    if (value) return value;
    // The token exists from the start (off), so the organiser can prepare the invitation before switching on.
    const fresh = { enabled: false, token: newToken(), title: '' };
    this.#settings.set(GUEST_LINK, fresh);
    return fresh;
  }

  enabled(): boolean {
    return this.current().enabled;
  }

  /** Switches the link on or off and/or sets the page's title. */
  update(change: { readonly enabled?: boolean; readonly title?: string }): void {
    this.#settings.set(GUEST_LINK, { ...this.current(), ...change });
    this.#changed();
  }

  /** A new link; the old one answers 404 from now on. */
  regenerate(): void {
    this.#settings.set(GUEST_LINK, { ...this.current(), token: newToken() });
    this.#changed();
  }

  /** Whether `given` opens the guest page right now (on, and the current token; constant time). */
  accepts(given: unknown): boolean {
    const { enabled, token } = this.current();
    if (!enabled || typeof given !== 'string') return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** The link guests open: `{publicUrl}/g/{token}`. */
  url(publicUrl: string): string {
    return `${publicUrl.replace(/\/+$/, '')}${GUEST_PATH}/${this.current().token}`;
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}

function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}
