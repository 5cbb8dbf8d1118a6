import ngrok, { type Config } from '@ngrok/ngrok';
import { UserError } from '../user-error.ts';
import { explainNgrokError, ngrokConnectionLost } from './ngrok-errors.ts';
import type { OpenTunnel, TunnelEvent, TunnelProvider } from './tunnel-provider.ts';

export interface NgrokOptions {
  /** From the encrypted settings, or NGROK_AUTHTOKEN headless. */
  readonly authtoken: string | null;
  /** A reserved domain keeps the URL the same across launches. */
  readonly domain?: string | null;
}

/** What we use of a listener `forward()` returns. */
export interface NgrokListenerApi {
  url(): string | null;
  close(): Promise<void>;
}

/** The part of the `@ngrok/ngrok` module we use (tests pass a double that keeps its one global session). */
export interface NgrokApi {
  forward(config: Config): Promise<NgrokListenerApi>;
  /** No URL: closes every listener and the module's stored session. */
  disconnect(url?: string | null): Promise<void>;
  kill(): Promise<void>;
}

/** Which open tunnel currently owns each module's one session, so a stale close() can't end a newer one. */
const owners = new WeakMap<NgrokApi, symbol>();

/**
 * ngrok through its Node library (no CLI) in the main process. The library keeps ONE session
 * per process and `forward()` reuses it — with its first authtoken and first `onStatusChange`
 * — unless `force_new_session` (docs/real-services.md "ngrok: one process-wide session"). So every
 * open ends whatever session there was and builds a fresh one with this token and this event
 * handler, and close ends the session, not just the listener. The library reconnects by itself
 * after a drop; we hear about it through `onStatusChange` ('closed' / 'connected').
 */
export function ngrokTunnel(options: NgrokOptions, api: NgrokApi = ngrok): TunnelProvider {
  return {
    kind: 'ngrok',
    async open(localUrl: string, onEvent: (event: TunnelEvent) => void): Promise<OpenTunnel> {
      if (!options.authtoken) {
        throw new UserError('ngrok-authtoken-missing', {
          en: 'ngrok needs your authtoken to open the phone line. Sign up free at ngrok.com, copy the authtoken from dashboard.ngrok.com → "Your Authtoken", and paste it in Settings (headless: NGROK_AUTHTOKEN).',
          ja: '電話回線を開くには ngrok の authtoken が必要です。ngrok.com で無料登録し、dashboard.ngrok.com の「Your Authtoken」をコピーして設定に貼り付けてください（ヘッドレスでは NGROK_AUTHTOKEN）。',
        });
      }
      const me = Symbol('ngrok tunnel');
      owners.set(api, me);
      const current = () => owners.get(api) === me;
      // Whatever session an earlier open left (possibly dead, or on an old token) goes first.
      await api.kill().catch(() => undefined);
      let listener: NgrokListenerApi | undefined;
      try {
        listener = await api.forward({
          addr: localUrl,
          authtoken: options.authtoken,
          force_new_session: true,
          ...(options.domain ? { domain: options.domain } : {}),
          onStatusChange: (status: string) => {
            if (!current()) return;
            const url = listener?.url();
            if (status === 'connected' && url) onEvent({ kind: 'up', url });
            else if (status === 'closed' && listener) onEvent({ kind: 'down', problem: ngrokConnectionLost() });
          },
        });
      } catch (error) {
        if (current()) await api.kill().catch(() => undefined);
        throw explainNgrokError(error);
      }
      const url = listener.url();
      if (!url) throw explainNgrokError(new Error('ngrok opened no URL'));
      return {
        url,
        async close() {
          if (!current()) return;
          owners.delete(api);
          await api.kill();
        },
      };
    },
  };
}
