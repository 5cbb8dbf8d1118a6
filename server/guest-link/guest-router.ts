import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { FlowSettings } from '../call-flow/flow-settings.ts';
import { isDefaultPromptText } from '../call-flow/prompts.ts';
import type { Log } from '../log.ts';
import { GUEST_PATH, type GuestLink } from './guest-link.ts';
import { guestProblem, type GuestProblemCode } from './guest-problems.ts';
import { maxUploadBytes, type GuestUploads } from './guest-uploads.ts';
import { clientAddress, RateLimit } from './rate-limit.ts';

/** The guest page's policy: only its own script and style, audio from blobs, requests only back here. */
export const GUEST_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface GuestRouterDeps {
  readonly link: GuestLink;
  readonly uploads: GuestUploads;
  readonly takes: { step(session: string, step: 'welcome' | 'recording' | 'listening' | 'done', now: string): void };
  readonly settings: () => FlowSettings;
  /** The phone number guests can call instead, if there is one. */
  readonly phoneNumber: () => string | null;
  readonly promptDir: string;
  /** Where the built guest page is (`guest.html` and its assets). */
  readonly pageDir: string;
  readonly log: Log;
  readonly limits?: GuestLimits;
}

export interface GuestLimits {
  /** Any request under /g from one address, per minute. */
  readonly requestsPerMinute: number;
  /** Uploads from one address per 10 minutes. */
  readonly uploadsPerAddress: number;
  /** Uploads to the link (everyone together) per hour. */
  readonly uploadsPerLink: number;
}

export const DEFAULT_GUEST_LIMITS: GuestLimits = { requestsPerMinute: 120, uploadsPerAddress: 20, uploadsPerLink: 400 };

const idPattern = /^[A-Za-z0-9_-]{16,64}$/;
const uploadQuery = z.object({
  key: z.string().regex(idPattern),
  session: z.string().regex(idPattern),
  status: z.enum(['kept', 'superseded']),
  name: z.string().max(100).optional().default(''),
});
const stepBody = z.object({ session: z.string().regex(idPattern), step: z.enum(['welcome', 'recording', 'listening', 'done']) }).strict();

/** What a guest sees if the page is missing from the app (see the log line beside it). */
const PAGE_MISSING =
  'ただいまこのページを表示できません。しばらくしてから、もう一度開いてください。\n' +
  'This page is not available right now. Please open it again a little later.\n';

/**
 * The guest link's public routes, under `/g`: the page (`/g/{token}`), its built assets, what the page
 * needs to show (`info`, the welcome audio), where the guest is (`step`) and the upload. A wrong, old or
 * switched-off token is a plain 404, like any unknown address. Nothing here reaches the organiser API.
 */
export function createGuestRouter(deps: GuestRouterDeps): express.Router {
  const router = express.Router();
  const limits = deps.limits ?? DEFAULT_GUEST_LIMITS;
  const perAddress = new RateLimit({ limit: limits.requestsPerMinute, windowMs: 60_000 });
  const uploadsPerAddress = new RateLimit({ limit: limits.uploadsPerAddress, windowMs: 10 * 60_000 });
  const uploadsPerLink = new RateLimit({ limit: limits.uploadsPerLink, windowMs: 60 * 60_000 });
  const page = guestPage(deps.pageDir);

  router.use(GUEST_PATH, (req, res, next) => {
    res.setHeader('content-security-policy', GUEST_CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    // The token is in the URL: never send it on as a Referer.
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('permissions-policy', 'microphone=(self), camera=(), geolocation=()');
    res.setHeader('cache-control', 'no-store');
    const who = clientAddress(req);
    if (!perAddress.take(who)) return tooMany(res, perAddress.retryAfterSeconds(who));
    next();
  });

  router.get(`${GUEST_PATH}/assets/:file`, (req, res) => {
    const file = String(req.params['file']);
    const current = page();
    if (!deps.link.enabled() || !current?.assets.has(file)) return notFound(res);
    res.setHeader('cache-control', 'public, max-age=3600');
    res.type(file.endsWith('.css') ? 'text/css' : 'text/javascript').sendFile(join(deps.pageDir, 'assets', file));
  });

  const token = (req: Request, res: Response, next: NextFunction) => (deps.link.accepts(req.params['token']) ? next() : notFound(res));

  router.get(`${GUEST_PATH}/:token`, token, (_req, res) => {
    const current = page();
    if (!current) {
      // Only a damaged install (or sources never built) lacks the page: the guest is told to come back, the organiser why.
      deps.log.error('The guest page is missing from the app: install Shukuden again (from the sources: npm run build)', { pageDir: deps.pageDir });
      return void res.status(503).type('text/plain').send(PAGE_MISSING);
    }
    res.status(200).type('html').send(current.html);
  });

  router.get(`${GUEST_PATH}/:token/info`, token, (_req, res) => {
    const settings = deps.settings();
    const welcome = settings.prompts.welcome;
    res.json({
      language: settings.language,
      title: deps.link.current().title,
      // The default phone welcome opens with "Thank you for calling", which reads oddly on a web page: the
      // page then shows its own (in the language the guest picks); words the organiser wrote are shown as written.
      welcomeText: welcome.kind === 'tts' && !isDefaultPromptText('welcome', welcome.text) ? welcome.text : null,
      welcomeAudio: welcome.kind === 'audio',
      maxSeconds: settings.maxLengthSeconds,
      phoneNumber: deps.phoneNumber(),
    });
  });

  router.get(`${GUEST_PATH}/:token/welcome`, token, (_req, res) => {
    const welcome = deps.settings().prompts.welcome;
    // Prompt file names are ours (hash + extension, checked by the settings schema).
    if (welcome.kind !== 'audio') return notFound(res);
    const path = join(deps.promptDir, welcome.file);
    if (!existsSync(path)) return notFound(res);
    res.type(welcome.file.endsWith('.mp3') ? 'audio/mpeg' : 'audio/wav').sendFile(path);
  });

  router.post(`${GUEST_PATH}/:token/step`, token, express.json({ limit: '1kb' }), (req, res) => {
    const parsed = stepBody.safeParse(req.body);
    if (!parsed.success) return problem(res, 400, 'bad-request');
    deps.takes.step(parsed.data.session, parsed.data.step, new Date().toISOString());
    res.status(204).end();
  });

  router.post(`${GUEST_PATH}/:token/upload`, token, (req, res, next) => {
    const query = uploadQuery.safeParse(req.query);
    if (!query.success) return problem(res, 400, 'bad-request');
    const who = clientAddress(req);
    if (!uploadsPerAddress.take(who)) return tooMany(res, uploadsPerAddress.retryAfterSeconds(who));
    if (!uploadsPerLink.take('link')) return tooMany(res, uploadsPerLink.retryAfterSeconds('link'));
    const limit = maxUploadBytes(deps.settings().maxLengthSeconds);
    // Any declared type: what the bytes are is decided by looking at them, not by the header.
    express.raw({ type: () => true, limit })(req, res, (error?: unknown) => {
      if (error) {
        const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 400;
        return problem(res, status === 413 ? 413 : 400, status === 413 ? 'too-large' : 'bad-request');
      }
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      deps.uploads
        .store({ ...query.data, bytes })
        .then((outcome) => {
          switch (outcome.kind) {
            case 'stored':
              return void res.status(200).json({ ok: true, recordingSid: outcome.recordingSid, duplicate: outcome.duplicate });
            case 'not-audio':
              return problem(res, 415, 'not-audio');
            case 'too-long':
              return problem(res, 422, 'too-long', { maxSeconds: outcome.maxSeconds });
            case 'too-short':
              return problem(res, 422, 'too-short');
            case 'try-later':
              // 5xx: the page keeps the recording and sends it again.
              res.setHeader('retry-after', '30');
              return problem(res, 503, 'try-later');
            default:
              return outcome satisfies never;
          }
        })
        .catch(next);
    });
  });

  return router;
}

function notFound(res: Response): void {
  res.status(404).type('text/plain').send('Not found');
}

function tooMany(res: Response, retryAfter: number): void {
  res.setHeader('retry-after', String(retryAfter));
  problem(res, 429, 'rate-limited');
}

function problem(res: Response, status: number, code: GuestProblemCode, detail: { readonly maxSeconds?: number } = {}): void {
  res.status(status).json({ ok: false, error: guestProblem(code, detail) });
}

/** The built page and the asset files it names (nothing else under /g/assets is served). Read once it exists. */
function guestPage(dir: string): () => { readonly html: string; readonly assets: ReadonlySet<string> } | null {
  let cached: { readonly html: string; readonly assets: ReadonlySet<string> } | null = null;
  return () => {
    if (cached) return cached;
    const path = join(dir, 'guest.html');
    if (!existsSync(path)) return null;
    const html = readFileSync(path, 'utf8');
    const assets = new Set([...html.matchAll(/assets\/([\w.-]+\.(?:js|css))/g)].map((m) => m[1] ?? ''));
    cached = { html, assets };
    return cached;
  };
}
