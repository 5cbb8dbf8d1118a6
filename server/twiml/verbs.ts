/**
 * The TwiML voice verbs Shukuden speaks and understands, as plain data.
 * The call flow produces these, `render.ts` turns them into XML for Twilio,
 * and the voice simulator parses Twilio-style XML back into the same shapes.
 */

export type HttpMethod = 'GET' | 'POST';

export interface Say {
  readonly kind: 'say';
  readonly text: string;
  readonly language?: string;
  readonly voice?: string;
}

export interface Play {
  readonly kind: 'play';
  readonly url: string;
  readonly loop?: number;
}

export interface Pause {
  readonly kind: 'pause';
  readonly seconds: number;
}

export interface RecordVerb {
  readonly kind: 'record';
  readonly action?: string;
  readonly method?: HttpMethod;
  /** Seconds of silence that end the recording. */
  readonly timeout?: number;
  readonly finishOnKey?: string;
  /** Longest recording in seconds; sent as the camelCase `maxLength` attribute. */
  readonly maxLength?: number;
  readonly playBeep?: boolean;
  readonly trim?: 'trim-silence' | 'do-not-trim';
  readonly recordingStatusCallback?: string;
  readonly recordingStatusCallbackMethod?: HttpMethod;
  readonly recordingStatusCallbackEvent?: string;
}

/** What may be nested inside a Gather. */
export type GatherPrompt = Say | Play | Pause;

export interface Gather {
  readonly kind: 'gather';
  readonly action?: string;
  readonly method?: HttpMethod;
  readonly numDigits?: number;
  readonly timeout?: number;
  readonly finishOnKey?: string;
  readonly input?: 'dtmf';
  readonly actionOnEmptyResult?: boolean;
  readonly prompts: readonly GatherPrompt[];
}

export interface Redirect {
  readonly kind: 'redirect';
  readonly url: string;
  readonly method?: HttpMethod;
}

export interface Hangup {
  readonly kind: 'hangup';
}

export type Verb = Say | Play | Pause | RecordVerb | Gather | Redirect | Hangup;
