import ngrok from '@ngrok/ngrok';
import { UserError } from '../user-error.ts';
import { explainNgrokError } from './ngrok-errors.ts';
import type { OpenTunnel, TunnelEvent, TunnelProvider } from './tunnel-provider.ts';

export interface NgrokOptions {
  /** From the encrypted settings, or NGROK_AUTHTOKEN headless. */
  readonly authtoken: string | null;
  /** A reserved domain keeps the URL the same across launches. */
  readonly domain?: string | null;
}

/**
 * ngrok through its Node library (no CLI) in the main process. The library reconnects by
 * itself after a drop; we hear about it through `onStatusChange` ('closed' / 'connected').
 */
export function ngrokTunnel(options: NgrokOptions): TunnelProvider {
  return {
    kind: 'ngrok',
    async open(localUrl: string, onEvent: (event: TunnelEvent) => void): Promise<OpenTunnel> {
      if (!options.authtoken) {
        throw new UserError('ngrok-authtoken-missing', {
          en: 'ngrok needs your authtoken to open the phone line. Sign up free at ngrok.com, copy the authtoken from dashboard.ngrok.com → "Your Authtoken", and paste it in Settings (headless: NGROK_AUTHTOKEN).',
          ja: '電話回線を開くには ngrok の authtoken が必要です。ngrok.com で無料登録し、dashboard.ngrok.com の「Your Authtoken」をコピーして設定に貼り付けてください（ヘッドレスでは NGROK_AUTHTOKEN）。',
        });
      }
      let listener: ngrok.Listener;
      try {
        listener = await ngrok.forward({
          addr: localUrl,
          authtoken: options.authtoken,
          ...(options.domain ? { domain: options.domain } : {}),
          onStatusChange: (status: string) => {
            const url = listener?.url();
            if (status === 'connected' && url) onEvent({ kind: 'up', url });
            else if (status === 'closed') onEvent({ kind: 'down', problem: explainNgrokError(new Error('failed to connect session: connection lost')) });
          },
        });
      } catch (error) {
        throw explainNgrokError(error);
      }
      const url = listener.url();
      if (!url) throw explainNgrokError(new Error('ngrok opened no URL'));
      return { url, close: () => listener.close() };
    },
  };
}
