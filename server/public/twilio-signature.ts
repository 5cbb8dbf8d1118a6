import type { NextFunction, Request, Response } from 'express';
import twilio from 'twilio';
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
  return twilio.validateRequest(authToken, signature, url, params) ? null : 'invalid signature';
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
