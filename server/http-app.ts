import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Log } from './log.ts';

/**
 * The public request handler. Twilio's webhooks are answered at once on plain `node:http`
 * (`public/twilio-webhooks.ts`); everything else — media, the guest link, SMS status — goes to the
 * Express app (`public/public-app.ts`), which is loaded the first time it is needed or when
 * `preload()` is called, so a line that has just started answers its first call without waiting
 * for Express to be read from disk.
 */
export interface HttpApp {
  readonly handle: RequestListener;
  /** Starts loading the Express app now (after the line listens); resolves when it is ready (or has failed, logged). */
  preload(): Promise<void>;
}

export function createHttpApp(options: {
  readonly webhooks: (req: IncomingMessage, res: ServerResponse) => boolean;
  readonly loadApp: () => Promise<RequestListener>;
  readonly log: Log;
}): HttpApp {
  // Null once loading has failed (logged once); every request then gets a 500, the line itself keeps answering.
  let app: Promise<RequestListener | null> | null = null;
  const load = () => {
    app ??= options.loadApp().catch((error: unknown) => {
      options.log.error('The public routes could not be loaded', { error: error instanceof Error ? error.message : String(error) });
      return null;
    });
    return app;
  };
  return {
    handle(req, res) {
      if (options.webhooks(req, res)) return;
      void load().then((express) => {
        if (express) express(req, res);
        else res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal error');
      });
    },
    preload: () => load().then(() => undefined),
  };
}
