import { assertNever } from '../assert-never.ts';
import type { GatherPrompt, Verb } from './verbs.ts';

/** Renders verbs as a TwiML `<Response>` document. */
export function renderTwiml(verbs: readonly Verb[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs.map(renderVerb).join('')}</Response>`;
}

type AttrValue = string | number | boolean | undefined;

function renderVerb(verb: Verb | GatherPrompt): string {
  switch (verb.kind) {
    case 'say':
      return element('Say', { language: verb.language, voice: verb.voice }, escapeText(verb.text));
    case 'play':
      return element('Play', { loop: verb.loop }, escapeText(verb.url));
    case 'pause':
      return element('Pause', { length: verb.seconds });
    case 'record':
      return element('Record', {
        action: verb.action,
        method: verb.method,
        timeout: verb.timeout,
        finishOnKey: verb.finishOnKey,
        maxLength: verb.maxLength,
        playBeep: verb.playBeep,
        trim: verb.trim,
        recordingStatusCallback: verb.recordingStatusCallback,
        recordingStatusCallbackMethod: verb.recordingStatusCallbackMethod,
        recordingStatusCallbackEvent: verb.recordingStatusCallbackEvent,
      });
    case 'gather':
      return element(
        'Gather',
        {
          action: verb.action,
          method: verb.method,
          numDigits: verb.numDigits,
          timeout: verb.timeout,
          finishOnKey: verb.finishOnKey,
          input: verb.input,
          actionOnEmptyResult: verb.actionOnEmptyResult,
        },
        verb.prompts.map(renderVerb).join(''),
      );
    case 'redirect':
      return element('Redirect', { method: verb.method }, escapeText(verb.url));
    case 'hangup':
      return element('Hangup', {});
    default:
      return assertNever(verb);
  }
}

function element(name: string, attrs: Readonly<Record<string, AttrValue>>, body = ''): string {
  const rendered = Object.entries(attrs)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeAttr(String(value))}"`)
    .join('');
  return body === '' ? `<${name}${rendered}/>` : `<${name}${rendered}>${body}</${name}>`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

