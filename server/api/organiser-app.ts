import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Log } from '../log.ts';
import { dispatch } from './organiser-api.ts';
import type { OrganiserServerOptions } from './organiser-server.ts';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What a request that could not even be read gets: one plain `{code, en, ja}`, never Express's page with a stack and paths. */
function requestErrorHandler(log: Log) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 500;
    const problem =
      status === 413
        ? { code: 'too-large', en: 'That is too large to send. Use a smaller file.', ja: '大きすぎて送れません。もっと小さいファイルを使ってください。' }
        : status >= 400 && status < 500
          ? { code: 'bad-request', en: 'The request could not be read. Reload the page and try again.', ja: '要求を読み取れませんでした。ページを再読み込みして、もう一度お試しください。' }
          : { code: 'internal', en: 'Something went wrong inside Shukuden. Try again; if it keeps happening, restart the app.', ja: 'Shukuden の内部で問題が起きました。もう一度お試しください。続く場合はアプリを再起動してください。' };
    if (problem.code === 'internal') log.error('Organiser request failed', { path: req.path, error: error instanceof Error ? error.message : String(error) });
    if (res.headersSent) return void res.end();
    res.status(problem.code === 'internal' ? 500 : status).json({ ok: false, error: problem });
  };
}

/** The renderer's CSP in web mode: same as the Electron window's (no remote content). */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * The organiser server's Express app (read from disk on its first request, `organiser-server.ts`):
 * Host/Origin checks, the token-guarded API, the state stream, the built renderer.
 */
export function createOrganiserApp(options: OrganiserServerOptions & { readonly token: string; readonly listeningPort: () => number }): Express {
  const { token } = options;
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    // Only our own address: a DNS-rebinding page's Host/Origin is some other name.
    const allowedHosts = [`127.0.0.1:${options.listeningPort()}`, `localhost:${options.listeningPort()}`];
    if (!allowedHosts.includes(req.header('host') ?? '')) return void res.status(421).type('text/plain').send('Misdirected request');
    const origin = req.header('origin');
    if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`)) return void res.status(403).type('text/plain').send('Forbidden');
    res.setHeader('content-security-policy', CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    next();
  });
  const api = express.Router();
  // A take's audio (`takes`) or its name clip (`names`), by the take's RecordingSid: only what is home.
  app.get('/api/media/:clip/:sid', (req, res) => {
    const cookie = /(?:^|;\s*)shukuden_media=([\w-]+)/.exec(req.header('cookie') ?? '')?.[1] ?? '';
    if (!sameToken(cookie, token)) return void res.status(401).type('text/plain').send('Not allowed');
    const entry = /^RE[0-9a-fA-F]{32}$/.test(String(req.params['sid'])) ? options.controller.library().find((e) => e.recordingSid === req.params['sid']) : undefined;
    const localFile = req.params['clip'] === 'takes' ? entry?.localFile : req.params['clip'] === 'names' ? entry?.nameClip?.localFile : null;
    if (!localFile) return void res.status(404).type('text/plain').send('Not found');
    res.setHeader('cache-control', 'no-store');
    res.type('audio/wav').sendFile(join(options.dataDir, localFile));
  });
  api.use((req: Request, res: Response, next: NextFunction) => {
    if (!sameToken((req.header('authorization') ?? '').replace(/^Bearer /, ''), token)) return void res.status(401).json({ ok: false, error: { code: 'unauthorised', en: 'Not allowed.', ja: '許可されていません。' } });
    res.setHeader('cache-control', 'no-store');
    const language = req.header('x-shukuden-language');
    if (language) options.onBrowserLanguage?.(language);
    next();
  });
  // Media elements can't send headers: the page trades its token for an HttpOnly, SameSite cookie scoped to /api/media.
  api.post('/session', (_req, res) => {
    res.setHeader('set-cookie', `shukuden_media=${token}; HttpOnly; SameSite=Strict; Path=/api/media`);
    res.status(204).end();
  });
  api.post('/rpc/:method', express.json({ limit: '32mb' }), async (req, res) => {
    res.json(await dispatch(options.controller, req.params['method'], req.body, options.log));
  });
  api.get('/events', async (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    const send = (state: unknown) => res.write(`data: ${JSON.stringify(state)}\n\n`);
    send(await options.controller.state());
    const unsubscribe = options.controller.onChange(send);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });
  app.use('/api', api);
  if (existsSync(join(options.rendererDir, 'index.html'))) {
    app.use(express.static(options.rendererDir, { index: 'index.html' }));
  } else {
    app.get('/', (_req, res) =>
      void res
        .status(503)
        .type('text/plain')
        .send(
          'The organiser page is missing from this copy of Shukuden. Install it again (from the sources: run "npm run build" once), then reload.\n' +
            'このコピーの Shukuden には管理画面がありません。もう一度インストールしてから（ソースから動かしている場合は "npm run build" を一度実行してから）、再読み込みしてください。\n',
        ),
    );
  }
  app.use((_req, res) => void res.status(404).type('text/plain').send('Not found'));
  app.use(requestErrorHandler(options.log));
  return app;
}
