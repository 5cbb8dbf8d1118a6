import { PATHS } from '../call-flow/paths.ts';

/** Who may request a function: `protected` needs Twilio's signature, `public` anyone (the URL carries its own token). */
export type FunctionVisibility = 'protected' | 'public';

/** Take playback on the hosted line (Functions have fixed paths, so the take is a query parameter). */
export const HOSTED_TAKE_PATH = '/twilio/take';

/** Where the organiser's prompt audio is served on the hosted line, as public assets. */
export const HOSTED_PROMPT_DIR = '/prompts';

/**
 * The hosted line's functions: the same webhook paths the laptop serves (so the TwiML the
 * call flow writes works unchanged), plus take playback. Every function runs the same bundle,
 * which routes by `context.PATH`.
 */
export const HOSTED_FUNCTIONS: readonly { readonly path: string; readonly visibility: FunctionVisibility }[] = [
  { path: PATHS.voice, visibility: 'protected' },
  { path: PATHS.recorded, visibility: 'protected' },
  { path: PATHS.noAudio, visibility: 'protected' },
  { path: PATHS.menu, visibility: 'protected' },
  { path: PATHS.menuTimeout, visibility: 'protected' },
  // The <Record> verb names it; the laptop is not there to hear it, so the hosted line just acknowledges.
  { path: PATHS.recordingStatus, visibility: 'protected' },
  // Twilio fetches <Play> media with a plain GET: the URL carries an HMAC token instead of a signature.
  { path: HOSTED_TAKE_PATH, visibility: 'public' },
];

/** The hosted line's voice URL on its Functions domain. */
export function hostedVoiceUrl(domain: string): string {
  return `https://${domain}${PATHS.voice}`;
}
