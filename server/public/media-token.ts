import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Media URLs we hand Twilio carry an HMAC of their path, keyed by the auth token, so
 * `<Play>` fetches work whether or not Twilio signs them, and nobody else can list or fetch our audio.
 */
export function mediaToken(secret: string, path: string): string {
  return createHmac('sha256', `shukuden-media:${secret}`).update(path).digest('base64url').slice(0, 32);
}

export function isValidMediaToken(secret: string, path: string, token: unknown): boolean {
  if (typeof token !== 'string' || token.length !== 32) return false;
  const expected = Buffer.from(mediaToken(secret, path));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
