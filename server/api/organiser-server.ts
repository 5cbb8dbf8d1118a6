import { randomBytes } from 'node:crypto';
import type { OrganiserController } from '../organiser/organiser-controller.ts';
import { lazyListener } from '../lazy-listener.ts';
import { listen, type Listening } from '../listen.ts';
import type { Log } from '../log.ts';

export interface OrganiserServerOptions {
  readonly controller: OrganiserController;
  /** The data folder, where downloaded takes live. */
  readonly dataDir: string;
  readonly rendererDir: string;
  readonly log: Log;
  readonly port?: number;
  /** The page's `navigator.language`, sent with each API request (headless: the UI's first-run language). */
  readonly onBrowserLanguage?: (language: string) => void;
}

export interface OrganiserServer extends Listening {
  /** The URL to open, token included. */
  readonly uiUrl: string;
  readonly token: string;
  /** Reads the Express app now (otherwise on the first request). */
  preload(): Promise<void>;
}

/**
 * Web mode's organiser API: its own listener on 127.0.0.1 (never the public TwiML port, so
 * never behind the tunnel), a random per-run token, and Host/Origin checks against DNS
 * rebinding. Serves the same renderer the desktop window shows. It listens at once; its Express
 * app (`organiser-app.ts`) is read on the first request, so a fresh start's first call isn't kept waiting.
 */
export async function startOrganiserServer(options: OrganiserServerOptions): Promise<OrganiserServer> {
  const token = randomBytes(24).toString('base64url');
  let port = 0;
  const app = lazyListener(async () => (await import('./organiser-app.ts')).createOrganiserApp({ ...options, token, listeningPort: () => port }), {
    log: options.log,
    what: "The organiser's page",
  });
  const listening = await listen(app.handle, { port: options.port ?? 0, host: '127.0.0.1' });
  port = listening.port;
  return { ...listening, token, uiUrl: `${listening.url}/#token=${token}`, preload: app.preload };
}
