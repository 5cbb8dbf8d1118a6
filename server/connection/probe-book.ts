import { randomBytes } from 'node:crypto';

/** How long a verification probe stays answerable. */
const PROBE_TTL_MS = 60_000;

/**
 * Nonces for verification probes. Only nonces this app issued are echoed, so a tunnel that
 * forwards to some other server (even another Shukuden) can never pass as ours.
 */
export class ProbeBook {
  readonly #issued = new Map<string, number>();

  issue(): string {
    const now = Date.now();
    for (const [nonce, at] of this.#issued) if (now - at > PROBE_TTL_MS) this.#issued.delete(nonce);
    const nonce = randomBytes(16).toString('hex');
    this.#issued.set(nonce, now);
    return nonce;
  }

  /** Whether we issued `nonce` (and it is still fresh). */
  knows(nonce: string): boolean {
    const at = this.#issued.get(nonce);
    return at !== undefined && Date.now() - at <= PROBE_TTL_MS;
  }
}

/** The TwiML a probe gets back: the nonce, spoken, then hang up. */
export function probeAnswer(nonce: string): string {
  return `ShukudenProbe ${nonce}`;
}
