import { randomBytes } from 'node:crypto';
import type { Config } from '@ngrok/ngrok';
import { LoopbackTunnel } from '../../server/tunnel/loopback-tunnel.ts';
import type { NgrokApi, NgrokListenerApi } from '../../server/tunnel/ngrok-tunnel.ts';

/**
 * A double of the `@ngrok/ngrok` module API (forward / disconnect / kill), written from its
 * typings (`index.d.ts`), its JS wrapper (`index.js`: onStatusChange split into a connect and a
 * disconnect handler, `populateErrorCode`) and `src/connect.rs` in ngrok/ngrok-javascript 1.7.0
 * — see docs/real-services.md "ngrok: one process-wide session". What it keeps like the real module:
 * - one process-wide session (`SESSION` in connect.rs): `forward()` reuses it unless
 *   `force_new_session`; a reused session keeps the authtoken and `onStatusChange` it was built
 *   with — a later forward's are silently ignored;
 * - `force_new_session` *replaces* the stored session without closing the old one (its
 *   listeners keep forwarding);
 * - `listener.close()` closes that listener only; the session lives on;
 * - `disconnect(url)` closes that URL's listeners; `disconnect()` closes every listener and then
 *   the stored session; `kill()` is `disconnect()`;
 * - session errors read "failed to connect session: <msg>[ error_code: ERR_NGROK_n]" and carry
 *   `errorCode` when the message ends in a code;
 * - status: "connected" on every successful (re)connect, "closed" on a drop and on every failed
 *   reconnect attempt (the library itself backs off 50 ms, 2.5 s, 125 s, …).
 * Each listener is a real loopback forwarder, so the app's own verification really reaches it.
 */
export class NgrokDouble implements NgrokApi {
  /** Tokens ngrok accepts; others fail with ERR_NGROK_107. Null: any token. */
  acceptedTokens: ReadonlySet<string> | null = null;
  /** When set, connecting a session fails like an offline laptop. */
  offline = false;
  /** An ngrok error code the next session connect fails with (with a message), once. */
  nextConnectError: { readonly code: string | null; readonly message: string } | null = null;
  /** Every session ever built, oldest first. */
  readonly sessions: DoubleSession[] = [];
  #current: DoubleSession | null = null;

  /** The process-wide session `forward()` would reuse. */
  get current(): DoubleSession | null {
    return this.#current;
  }

  /** Sessions not closed (a leak if more than one). */
  live(): DoubleSession[] {
    return this.sessions.filter((s) => s.state !== 'closed');
  }

  async forward(config: Config): Promise<NgrokListenerApi> {
    if (!this.#current || config.force_new_session) this.#current = this.#connect(config);
    return this.#current.listen(String(config.addr));
  }

  async disconnect(url?: string | null): Promise<void> {
    for (const session of this.sessions) await session.closeListeners(url ?? null);
    if (url === undefined || url === null) {
      const session = this.#current;
      this.#current = null;
      await session?.close();
    }
  }

  kill(): Promise<void> {
    return this.disconnect();
  }

  #connect(config: Config): DoubleSession {
    const fail = (message: string, code: string | null): Error => {
      const error = new Error(`failed to connect session: ${message}${code ? ` error_code: ${code}` : ''}`);
      return code ? Object.assign(error, { code: 'GenericFailure', errorCode: code }) : Object.assign(error, { code: 'GenericFailure' });
    };
    if (this.offline) throw fail('failed to establish tcp connection', null);
    const scripted = this.nextConnectError;
    if (scripted) {
      this.nextConnectError = null;
      throw fail(scripted.message, scripted.code);
    }
    const token = config.authtoken ?? '';
    if (this.acceptedTokens && !this.acceptedTokens.has(token)) throw fail('The authtoken you specified is not valid.', 'ERR_NGROK_107');
    const session = new DoubleSession(token, config.onStatusChange ?? null);
    this.sessions.push(session);
    session.status('connected');
    return session;
  }
}

/** One ngrok agent session as the double keeps it. */
export class DoubleSession {
  readonly authtoken: string;
  state: 'connected' | 'reconnecting' | 'closed' = 'connected';
  readonly #onStatusChange: ((status: string) => void) | null;
  readonly #listeners = new Set<DoubleListener>();

  constructor(authtoken: string, onStatusChange: ((status: string) => void) | null) {
    this.authtoken = authtoken;
    this.#onStatusChange = onStatusChange;
  }

  listenerCount(): number {
    return this.#listeners.size;
  }

  async listen(addr: string): Promise<NgrokListenerApi> {
    // A bind RPC on a session that is not connected fails (the exact text is not documented).
    if (this.state !== 'connected') throw Object.assign(new Error('failed to start listener: session closed'), { code: 'GenericFailure' });
    const forwarder = new LoopbackTunnel();
    await forwarder.open(addr.includes('://') ? addr : `http://${addr}`);
    const listener = new DoubleListener(forwarder, () => this.#listeners.delete(listener));
    this.#listeners.add(listener);
    return listener;
  }

  /** The connection to ngrok drops; the library starts reconnecting by itself. */
  async drop(): Promise<void> {
    this.state = 'reconnecting';
    for (const listener of this.#listeners) await listener.pause();
    this.status('closed');
  }

  /** One of the library's own reconnect attempts fails (it backs off and tries again). */
  reconnectFails(): void {
    this.status('closed');
  }

  /** The library's reconnect succeeds: the same listeners are rebound on the same URLs. */
  async reconnect(): Promise<void> {
    this.state = 'connected';
    for (const listener of this.#listeners) await listener.resume();
    this.status('connected');
  }

  async closeListeners(url: string | null): Promise<void> {
    for (const listener of [...this.#listeners]) if (url === null || listener.url() === url) await listener.close();
  }

  async close(): Promise<void> {
    await this.closeListeners(null);
    this.state = 'closed';
  }

  status(status: 'connected' | 'closed'): void {
    if (this.state === 'closed') return;
    this.#onStatusChange?.(status);
  }
}

class DoubleListener implements NgrokListenerApi {
  readonly id = `l_${randomBytes(8).toString('hex')}`;
  readonly #forwarder: LoopbackTunnel;
  readonly #onClose: () => void;
  #url: string;

  constructor(forwarder: LoopbackTunnel, onClose: () => void) {
    this.#forwarder = forwarder;
    this.#onClose = onClose;
    this.#url = forwarder.url;
  }

  url(): string | null {
    return this.#url;
  }

  async pause(): Promise<void> {
    await this.#forwarder.drop();
  }

  async resume(): Promise<void> {
    this.#url = await this.#forwarder.reconnect();
  }

  async close(): Promise<void> {
    this.#onClose();
    await this.#forwarder.close();
  }
}
