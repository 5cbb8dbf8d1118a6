import type { Core, TwilioConnectOptions } from '../core.ts';
import type { Log } from '../log.ts';
import { needsOrganiser } from '../tunnel/ngrok-errors.ts';
import type { OpenTunnel, TunnelEvent, TunnelProvider } from '../tunnel/tunnel-provider.ts';
import { UserError } from '../user-error.ts';
import { initialStatus, withStage, type ConnectionStatus, type StageName, type StageState } from './connection-status.ts';
import { verifyConnection } from './verify-connection.ts';

export interface ConnectionSupervisorOptions {
  /** What the supervisor drives: the public URL, probes, and the Twilio connection. */
  readonly core: Pick<Core, 'authToken' | 'connectTwilio' | 'probes' | 'publicUrl' | 'setPublicUrl' | 'twilio'>;
  /** The local TwiML server the tunnel forwards to. */
  readonly localUrl: string;
  readonly tunnel: TunnelProvider;
  /** The Twilio account to wire, or null (rehearsal only: the number stage is skipped). */
  readonly twilio: TwilioConnectOptions | null;
  readonly log: Log;
  /** Backoff for re-opening a tunnel that failed or stayed down. */
  readonly retry?: { readonly baseMs: number; readonly maxMs: number };
  /** How long a dropped tunnel may take to come back by itself before we re-open it. */
  readonly reopenAfterMs?: number;
}

/**
 * Keeps the line working: opens the tunnel, tells Twilio its URL, proves the line answers,
 * and on a drop reconnects, rewires the number if the URL changed, verifies again and
 * reconciles recordings whose callbacks were lost in the gap. Every step is a stage the UI shows.
 */
export class ConnectionSupervisor {
  readonly #o: ConnectionSupervisorOptions;
  #status: ConnectionStatus = initialStatus();
  readonly #listeners = new Set<(status: ConnectionStatus) => void>();
  #tunnel: OpenTunnel | null = null;
  #queue: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  #failures = 0;
  #downSince: number | null = null;
  #stopped = false;
  #numberProblem: UserError | null = null;

  constructor(options: ConnectionSupervisorOptions) {
    this.#o = options;
  }

  status(): ConnectionStatus {
    return this.#status;
  }

  /** The reason the number could not be wired, if any (e.g. it answers another app). */
  numberProblem(): UserError | null {
    return this.#numberProblem;
  }

  onChange(listener: (status: ConnectionStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Brings the line up once; resolves with the status reached (retries continue in the background). */
  async start(): Promise<ConnectionStatus> {
    this.#set('server', { state: 'ok', problem: null, detail: this.#o.localUrl });
    await this.#serial(() => this.#open());
    return this.#status;
  }

  /** Stops supervising and closes the tunnel (the number is restored by the core's disconnect). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#queue;
    await this.#tunnel?.close().catch(() => undefined);
    this.#tunnel = null;
  }

  async #open(): Promise<void> {
    if (this.#stopped) return;
    this.#set('tunnel', { state: 'working', problem: null, detail: null });
    try {
      await this.#tunnel?.close().catch(() => undefined);
      this.#tunnel = await this.#o.tunnel.open(this.#o.localUrl, (event) => this.#onTunnelEvent(event));
    } catch (error) {
      const problem = asUserError(error);
      this.#fail('tunnel', problem);
      if (!needsOrganiser(problem)) this.#retryLater(() => this.#open());
      return;
    }
    this.#failures = 0;
    await this.#up(this.#tunnel.url);
  }

  #onTunnelEvent(event: TunnelEvent): void {
    if (this.#stopped) return;
    switch (event.kind) {
      case 'down':
        // ngrok says 'closed' again on each of its own failed reconnect attempts: those must
        // not push the watchdog back.
        if (this.#downSince !== null) return;
        this.#downSince = Date.now();
        this.#o.log.warn('The public tunnel dropped; Twilio cannot reach the line until it is back', { reason: event.problem.text.en });
        this.#fail('tunnel', event.problem);
        this.#set('verified', { state: 'waiting', problem: null, detail: null });
        // The tunnel library reconnects by itself, but backs off to minutes and then hours
        // (50 ms, 2.5 s, 125 s, …); if it isn't back soon, build a new session.
        if (this.#timer) clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.#background(() => this.#open()), this.#o.reopenAfterMs ?? 30_000);
        this.#timer.unref();
        return;
      case 'up':
        if (this.#timer) clearTimeout(this.#timer);
        this.#background(() => this.#up(event.url));
        return;
      default:
        event satisfies never;
    }
  }

  /** The tunnel is up at `url`: wire the number to it (if needed) and verify. */
  async #up(url: string): Promise<void> {
    const { core, log } = this.#o;
    if (this.#downSince !== null) {
      log.warn('The line was unreachable for a while; calls in that gap are recovered from Twilio', { seconds: Math.round((Date.now() - this.#downSince) / 1000) });
      this.#downSince = null;
    }
    const moved = core.publicUrl() !== url.replace(/\/+$/, '');
    core.setPublicUrl(url);
    this.#status = { ...this.#status, publicUrl: core.publicUrl() };
    this.#set('tunnel', { state: 'ok', problem: null, detail: core.publicUrl() });
    if (!(await this.#wire(moved))) return;
    this.#set('verified', { state: 'working', problem: null, detail: null });
    try {
      await verifyConnection({ publicUrl: core.publicUrl(), authToken: core.authToken, probes: core.probes });
    } catch (error) {
      this.#fail('verified', asUserError(error));
      this.#retryLater(() => this.#up(url));
      return;
    }
    this.#set('verified', { state: 'ok', problem: null, detail: null });
    log.info('The line is verified and ready for calls', { publicUrl: core.publicUrl() });
    // Messages whose callbacks were lost while the line was unreachable come home now.
    void core.twilio()?.reconciler.runOnce().catch(() => undefined);
  }

  async #wire(moved: boolean): Promise<boolean> {
    const { core, twilio } = this.#o;
    if (!twilio) {
      this.#set('number', { state: 'skipped', problem: null, detail: null });
      return true;
    }
    this.#set('number', { state: 'working', problem: null, detail: null });
    try {
      const current = core.twilio();
      if (!current) {
        const result = await core.connectTwilio(twilio);
        if (result.kind === 'needs-confirmation') {
          const where = result.currentVoiceUrl || `TwiML App ${result.currentApplicationSid}`;
          this.#numberProblem = new UserError('number-in-use', {
            en: `${result.phoneNumber} currently answers another app (${where}). Nothing was changed. Let Shukuden take it over until you quit (headless: --take-over); its settings are restored when Shukuden stops.`,
            ja: `${result.phoneNumber} は現在ほかのアプリ（${where}）につながっています。何も変更していません。終了までの間 Shukuden で使ってよければ引き継いでください（ヘッドレスでは --take-over）。終了時に元の設定に戻します。`,
          });
          this.#fail('number', this.#numberProblem);
          return false;
        }
      } else if (moved) {
        await current.rewire(core.publicUrl());
      }
    } catch (error) {
      const problem = asUserError(error);
      this.#numberProblem = problem;
      this.#fail('number', problem);
      this.#retryLater(() => this.#up(core.publicUrl()));
      return false;
    }
    this.#numberProblem = null;
    this.#set('number', { state: 'ok', problem: null, detail: core.twilio()?.number.phoneNumber ?? null });
    return true;
  }

  #retryLater(work: () => Promise<void>): void {
    if (this.#stopped) return;
    const { baseMs, maxMs } = this.#o.retry ?? { baseMs: 2000, maxMs: 60_000 };
    const delay = Math.min(maxMs, baseMs * 2 ** this.#failures++);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#setRetryAt(null);
      this.#background(work);
    }, delay);
    this.#timer.unref();
    // The organiser sees that it is trying again, and when (a countdown), not just the red stage.
    this.#setRetryAt(new Date(Date.now() + delay).toISOString());
  }

  #setRetryAt(retryAt: string | null): void {
    this.#status = { ...this.#status, retryAt };
    for (const listener of this.#listeners) listener(this.#status);
  }

  /** Tunnel events and retries never run two steps at once. */
  #serial(work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(() => (this.#stopped ? undefined : work()));
    // One failed step must not block every later one.
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** A step nobody awaits: its failure is logged, never an unhandled rejection. */
  #background(work: () => Promise<void>): void {
    this.#serial(work).catch((error: unknown) => this.#o.log.error('Keeping the line up failed; it is tried again on the next change', { error: String(error) }));
  }

  #fail(stage: StageName, problem: UserError): void {
    this.#set(stage, { state: 'failed', problem: problem.problem, detail: null });
  }

  #set(stage: StageName, state: StageState): void {
    this.#status = withStage(this.#status, stage, state);
    // A stage at work or fine again means no retry is pending any more.
    if (state.state === 'working' || state.state === 'ok') this.#status = { ...this.#status, retryAt: null };
    for (const listener of this.#listeners) listener(this.#status);
  }
}

function asUserError(error: unknown): UserError {
  if (error instanceof UserError) return error;
  return new UserError('line-failed', { en: `Something went wrong: ${(error as Error)?.message ?? String(error)}`, ja: `問題が発生しました：${(error as Error)?.message ?? String(error)}` });
}
