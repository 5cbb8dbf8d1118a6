import express, { type NextFunction, type Request, type Response } from 'express';
import { createGuestRouter, type GuestRouterDeps } from '../guest-link/guest-router.ts';
import type { Log } from '../log.ts';
import { createPublicRouter, type PublicRouterDeps } from './public-router.ts';
import { createSmsStatusRouter, type SmsStatusRouterDeps } from './sms-status-router.ts';

/** What the public routes need. */
export interface PublicAppDeps {
  readonly media: PublicRouterDeps;
  readonly guestLink: GuestRouterDeps;
  readonly smsStatus: SmsStatusRouterDeps;
  readonly log: Log;
}

/**
 * The Express app behind the public address, for everything but Twilio's webhooks: prompt and
 * take media, the guest link, SMS status callbacks; then a plain 404 and an error handler that
 * never leaks a stack trace. Loaded on first use (`http-app.ts`).
 */
export function createPublicApp(deps: PublicAppDeps): express.Express {
  const { log } = deps;
  const routers = [createPublicRouter(deps.media), createGuestRouter(deps.guestLink), createSmsStatusRouter(deps.smsStatus)];
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  for (const router of routers) app.use(router);
  app.use((_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('Not found');
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 500;
    if (status >= 400 && status < 500) {
      // Body parser errors: too large, malformed. The client's fault; say little.
      res.status(status).type('text/plain').send(status === 413 ? 'Payload too large' : 'Bad request');
      return;
    }
    log.error('Request failed', { path: req.path, error: error instanceof Error ? error.message : String(error) });
    // 5xx lets Twilio use the number's fallback URL instead of hanging up on the guest.
    res.status(500).type('text/plain').send('Internal error');
  });
  return app;
}
