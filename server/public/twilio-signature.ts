import type { NextFunction, Request, Response } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Log } from '../log.ts';

/**
 * Express middleware: accept only requests signed by Twilio for the exact public URL
 * Twilio was given (the tunnel URL, not our local address). Anything else gets 403,
 * is logged, and changes nothing.
 */
export function requireTwilioSignature(options: {
  readonly authToken: () => string;
  readonly publicUrl: () => string;
  readonly log: Log;
}) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const url = publicRequestUrl(options.publicUrl(), req.originalUrl);
    const params = req.method === 'POST' && isPlainObject(req.body) ? (req.body as Record<string, string>) : {};
    const problem = twilioSignatureProblem(options.authToken(), req.header('x-twilio-signature'), url, params);
    if (problem) {
      reject(res, options.log, req, problem);
      return;
    }
    next();
  };
}

/** Why a request is not Twilio's for `url` (its signature is missing or wrong), or null when it is. */
export function twilioSignatureProblem(
  authToken: string,
  signature: string | string[] | undefined,
  url: string,
  params: Readonly<Record<string, string>>,
): 'missing signature' | 'invalid signature' | 'no public address' | null {
  if (typeof signature !== 'string' || signature === '') return 'missing signature';
  // Before any public address is known there is no URL Twilio could have signed: refuse, never throw.
  if (!URL.canParse(url)) return 'no public address';
  // The URL exactly as given to Twilio almost always matches: its variants are worked out only when it doesn't.
  if (sameSignature(signature, expectedSignature(authToken, url, params))) return null;
  return portVariants(url).some((candidate) => sameSignature(signature, expectedSignature(authToken, candidate, params))) ? null : 'invalid signature';
}

/**
 * X-Twilio-Signature as Twilio computes it (https://www.twilio.com/docs/usage/security#validating-requests):
 * the full URL, then each POST parameter's name and value in name order, HMAC-SHA1 keyed by the
 * auth token, base64. The same as twilio-node's `getExpectedTwilioSignature` (lib/webhooks/webhooks.js),
 * without loading the SDK on the webhook path (tests/server/public/twilio-signature.test.ts compares them).
 */
export function expectedSignature(authToken: string, url: string, params: Readonly<Record<string, string>>): string {
  // One string, one update: a native call per name and value cost more than the hash itself.
  let data = url;
  for (const key of Object.keys(params).sort()) data += key + (params[key] ?? '');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * Other URLs Twilio may have signed for a request to `url`: without and with the scheme's port
 * (twilio-node tries both: Twilio has signed either way). Its further variants (a re-encoded
 * query string) are for back ends that gave Twilio escaped URLs; ours are plain ASCII paths with
 * a SID in the query.
 */
function portVariants(url: string): string[] {
  const parts = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)(:\d*)?(.*)$/is.exec(url);
  if (!parts) return [];
  const [, scheme = '', user = '', host = '', port = '', rest = ''] = parts;
  const withoutPort = scheme + user + host + rest;
  const withPort = port ? url : scheme + user + host + (scheme.toLowerCase() === 'https://' ? ':443' : ':80') + rest;
  return [withoutPort, withPort].filter((candidate) => candidate !== url);
}

function sameSignature(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The URL Twilio signed: the public base plus the path and query we received. */
export function publicRequestUrl(publicBase: string, originalUrl: string): string {
  return `${publicBase.replace(/\/+$/, '')}${originalUrl}`;
}

function reject(res: Response, log: Log, req: Request, reason: string): void {
  log.warn('Rejected a public request that was not signed by Twilio', { reason, method: req.method, path: req.path });
  res.status(403).type('text/plain').send('Forbidden');
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
