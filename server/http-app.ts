import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { lazyListener } from './lazy-listener.ts';
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
  /** Starts loading the Express app now; resolves when it is ready (or has failed, logged). */
  preload(): Promise<void>;
  /** How many requests it has been given so far (start-app preloads once they stop coming for a moment). */
  requests(): number;
}

export function createHttpApp(options: {
  readonly webhooks: (req: IncomingMessage, res: ServerResponse) => boolean;
  readonly loadApp: () => Promise<RequestListener>;
  readonly log: Log;
}): HttpApp {
  // Once loading has failed, every such request gets a 500; the line itself keeps answering.
  const app = lazyListener(options.loadApp, { log: options.log, what: 'The public routes' });
  let requests = 0;
  return {
    handle(req, res) {
      requests++;
      if (!options.webhooks(req, res)) app.handle(req, res);
    },
    preload: app.preload,
    requests: () => requests,
  };
}
