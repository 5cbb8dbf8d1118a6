import { setTimeout as sleep } from 'node:timers/promises';
import { basicAuth } from '../twilio/basic-auth.ts';

/** Audio fetched from Twilio for playback to the guest. */
export interface FetchedAudio {
  readonly body: Buffer;
  readonly contentType: string;
}

export interface TakeAudioOptions {
  /** Twilio's REST base (https://api.twilio.com, or the emulator in tests). Only URLs under it are fetched. */
  readonly apiBase: string;
  readonly accountSid: string;
  readonly authToken: string;
  /**
   * How long playback may take in all, each request included (a hosted Function must answer
   * within Twilio's 10 s limit: docs/real-services.md "Functions 10-second limit").
   */
  readonly waitMs: number;
  readonly retryEveryMs?: number;
}

/**
 * Fetches a just-made recording so Twilio can play it back to the guest. Twilio documents
 * that the RecordingUrl in the `<Record>` action may not be downloadable yet, and its
 * media URLs require HTTP basic auth; so we wait (briefly, with retries) and authenticate.
 * Returns null if it is still not there, so the menu continues without playback.
 */
export async function fetchTakeAudio(recordingUrl: string, options: TakeAudioOptions): Promise<FetchedAudio | null> {
  const base = new URL(options.apiBase);
  const url = new URL(`${recordingUrl}.wav`);
  // Never let a stored URL make us send credentials somewhere else.
  if (url.origin !== base.origin) return null;
  const auth = basicAuth({ accountSid: options.accountSid, authToken: options.authToken });
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    try {
      // Each request (and reading its body) ends at the deadline too, not 5 s after it began.
      const response = await fetch(url, { headers: { authorization: auth }, signal: AbortSignal.timeout(Math.max(1, Math.min(5000, deadline - Date.now()))) });
      if (response.ok) {
        return { body: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? 'audio/wav' };
      }
      await response.body?.cancel();
      // 404 is "not processed yet"; 429 and 5xx are passing. Anything else will not get better.
      if (response.status !== 404 && response.status !== 429 && response.status < 500) return null;
    } catch {
      // Network hiccup: retry until the deadline.
    }
    if (Date.now() >= deadline) return null;
    await sleep(Math.min(options.retryEveryMs ?? 200, Math.max(0, deadline - Date.now())));
    if (Date.now() >= deadline) return null;
  }
}
