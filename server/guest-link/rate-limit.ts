import type { Request } from 'express';

/** A fixed-window counter per key: at most `limit` hits per `windowMs`. Memory is bounded by pruning old windows. */
export class RateLimit {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #hits = new Map<string, { start: number; count: number }>();

  constructor(options: { readonly limit: number; readonly windowMs: number; readonly now?: () => number }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
  }

  /** Counts a hit; false when the key is over its limit for this window. */
  take(key: string): boolean {
    const now = this.#now();
    if (this.#hits.size > 10_000) for (const [k, w] of this.#hits) if (now - w.start >= this.#windowMs) this.#hits.delete(k);
    const window = this.#hits.get(key);
    if (!window || now - window.start >= this.#windowMs) {
      this.#hits.set(key, { start: now, count: 1 });
      return true;
    }
    window.count += 1;
    return window.count <= this.#limit;
  }

  /** Seconds until the key's window resets (for Retry-After). */
  retryAfterSeconds(key: string): number {
    const window = this.#hits.get(key);
    return window ? Math.max(1, Math.ceil((window.start + this.#windowMs - this.#now()) / 1000)) : 1;
  }
}

/**
 * Who is asking. Through a tunnel every request arrives from the local agent (loopback), so the
 * guest's address is the last X-Forwarded-For entry — the one the tunnel added; anything earlier
 * in the header came from the client and could be forged. Direct connections use the socket address.
 */
export function clientAddress(req: Request): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  const loopback = socket === '127.0.0.1' || socket === '::1' || socket === '::ffff:127.0.0.1';
  if (!loopback) return socket;
  const forwarded = req.header('x-forwarded-for');
  const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).at(-1);
  return last ?? socket;
}
