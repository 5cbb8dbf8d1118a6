import type { UserError } from '../user-error.ts';

/** Something that happened to an open tunnel after it opened. */
export type TunnelEvent =
  /** Connected again; `url` may differ from before (a free ngrok URL changes). */
  | { readonly kind: 'up'; readonly url: string }
  | { readonly kind: 'down'; readonly problem: UserError };

export interface OpenTunnel {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Makes the local TwiML server reachable from the internet. Only that server (the public
 * router) is ever forwarded; the organiser's API never is.
 */
export interface TunnelProvider {
  readonly kind: 'ngrok' | 'public-url' | 'loopback';
  /** Opens the tunnel to `localUrl`; throws a UserError saying what is wrong and what to do. */
  open(localUrl: string, onEvent: (event: TunnelEvent) => void): Promise<OpenTunnel>;
}
