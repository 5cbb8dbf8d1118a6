import type { ConnectionStatus } from '../connection/connection-status.ts';
import type { GuestLink } from './guest-link.ts';

/** What the organiser sees about the guest link: the link, whether it works, in plain words. */
export interface GuestLinkView {
  readonly enabled: boolean;
  readonly title: string;
  /** The link to send guests; null until there is a public address. */
  readonly url: string | null;
  /** On, and the public address is up: guests can open it now. */
  readonly working: boolean;
  readonly status: { readonly ja: string; readonly en: string };
  /**
   * ngrok's free plan shows browser visitors an interstitial ("You are about to visit…") once per
   * 7 days: `free` when the address is an ngrok-free dev domain, `possible` for other ngrok addresses.
   */
  readonly ngrokWarning: 'none' | 'free' | 'possible';
}

export function guestLinkView(link: GuestLink, line: ConnectionStatus, tunnelKind: string | null): GuestLinkView {
  const { enabled, title } = link.current();
  const publicUrl = line.publicUrl;
  const tunnelUp = line.stages.tunnel.state === 'ok' && publicUrl !== null;
  const working = enabled && tunnelUp;
  const host = publicUrl ? new URL(publicUrl).hostname : '';
  const ngrokWarning = /\.ngrok-free\.(app|dev)$/.test(host) ? 'free' : tunnelKind === 'ngrok' || /\.ngrok(-free)?\.[a-z]+$/.test(host) ? 'possible' : 'none';
  return { enabled, title, url: publicUrl ? link.url(publicUrl) : null, working, status: describe(enabled, tunnelUp), ngrokWarning };
}

function describe(enabled: boolean, tunnelUp: boolean): { ja: string; en: string } {
  if (!enabled) return { en: 'The guest link is off: nobody can open it.', ja: 'ゲストリンクはオフです。誰も開けません。' };
  if (!tunnelUp) {
    return {
      en: "The guest link is on, but guests can't open it yet: the public address is not up. Check the line status above.",
      ja: 'ゲストリンクはオンですが、公開アドレスがつながっていないため、まだ開けません。上の回線の状態を確認してください。',
    };
  }
  return {
    en: 'Guests can leave messages with the link now. It works while this laptop is on and the line is up; a guest whose upload is interrupted finishes it by opening the link again.',
    ja: 'ゲストはいまリンクからメッセージを残せます。このパソコンが起動していて回線がつながっている間だけ使えます。送信が途切れた場合は、リンクを開き直すと送信が完了します。',
  };
}
