import express, { type NextFunction, type Request, type Response } from 'express';
import type { Log } from './log.ts';

/**
 * The HTTP app: the given routers, then a plain 404 and an error handler that never
 * leaks a stack trace. Creating it does not listen; see `listen()`.
 */
export function createHttpApp(routers: readonly express.Router[], log: Log): express.Express {
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
