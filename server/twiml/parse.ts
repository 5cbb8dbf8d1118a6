import type { XMLParser } from 'fast-xml-parser';
import { cjsRequire } from '../cjs-require.ts';
import type { GatherPrompt, HttpMethod, Verb } from './verbs.ts';

/** TwiML that Twilio's voice engine would refuse (Twilio error 12100 "Document parse failure"). */
export class TwimlParseError extends Error {
  override readonly name = 'TwimlParseError';
}

type XmlNode = Record<string, unknown>;

let parser: XMLParser | null = null;

/** The XML parser, loaded on first use (the rehearsal and the line check; never before the line answers). */
function xmlParser(): XMLParser {
  if (parser) return parser;
  const { XMLParser: Parser } = cjsRequire('fast-xml-parser') as { readonly XMLParser: typeof XMLParser };
  parser = new Parser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: true,
  });
  return parser;
}

/** Parses a TwiML document into verbs, the way Twilio reads it. Unknown verbs are errors. */
export function parseTwiml(xml: string): readonly Verb[] {
  let nodes: XmlNode[];
  try {
    nodes = xmlParser().parse(xml) as XmlNode[];
  } catch (error) {
    throw new TwimlParseError(`Not XML: ${(error as Error).message}`);
  }
  const response = nodes.find((node) => 'Response' in node);
  if (!response) throw new TwimlParseError('No <Response> root element');
  return children(response, 'Response').map((node) => toVerb(node));
}

function children(node: XmlNode, name: string): XmlNode[] {
  const value = node[name];
  return Array.isArray(value) ? (value as XmlNode[]).filter((child) => !('#text' in child)) : [];
}

function text(node: XmlNode, name: string): string {
  const value = node[name];
  if (!Array.isArray(value)) return '';
  return (value as XmlNode[])
    .map((child) => (typeof child['#text'] === 'string' ? child['#text'] : ''))
    .join('')
    .trim();
}

function attrs(node: XmlNode): Readonly<Record<string, string>> {
  return (node[':@'] as Record<string, string> | undefined) ?? {};
}

function tagOf(node: XmlNode): string {
  const tag = Object.keys(node).find((key) => key !== ':@');
  if (!tag) throw new TwimlParseError('Empty element');
  return tag;
}

function toVerb(node: XmlNode): Verb {
  const tag = tagOf(node);
  const a = attrs(node);
  switch (tag) {
    case 'Say':
    case 'Play':
    case 'Pause':
      return toPrompt(node);
    case 'Record':
      return {
        kind: 'record',
        action: a['action'],
        method: method(a['method']),
        timeout: int(a['timeout']),
        finishOnKey: a['finishOnKey'],
        maxLength: int(a['maxLength']),
        playBeep: a['playBeep'] === undefined ? undefined : a['playBeep'] === 'true',
        trim: a['trim'] === 'do-not-trim' ? 'do-not-trim' : a['trim'] === undefined ? undefined : 'trim-silence',
        recordingStatusCallback: a['recordingStatusCallback'],
        recordingStatusCallbackMethod: method(a['recordingStatusCallbackMethod']),
        recordingStatusCallbackEvent: a['recordingStatusCallbackEvent'],
      };
    case 'Gather':
      return {
        kind: 'gather',
        action: a['action'],
        method: method(a['method']),
        numDigits: int(a['numDigits']),
        timeout: int(a['timeout']),
        finishOnKey: a['finishOnKey'],
        input: a['input'] === undefined ? undefined : 'dtmf',
        actionOnEmptyResult: a['actionOnEmptyResult'] === undefined ? undefined : a['actionOnEmptyResult'] === 'true',
        prompts: children(node, 'Gather').map(toPrompt),
      };
    case 'Redirect':
      return { kind: 'redirect', url: text(node, tag), method: method(a['method']) };
    case 'Hangup':
      return { kind: 'hangup' };
    default:
      throw new TwimlParseError(`Unknown verb <${tag}>`);
  }
}

function toPrompt(node: XmlNode): GatherPrompt {
  const tag = tagOf(node);
  const a = attrs(node);
  switch (tag) {
    case 'Say':
      return { kind: 'say', text: text(node, tag), language: a['language'], voice: a['voice'] };
    case 'Play':
      return { kind: 'play', url: text(node, tag), loop: int(a['loop']) };
    case 'Pause':
      return { kind: 'pause', seconds: int(a['length']) ?? 1 };
    default:
      throw new TwimlParseError(`<${tag}> is not allowed inside <Gather>`);
  }
}

function method(value: string | undefined): HttpMethod | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (upper === 'GET' || upper === 'POST') return upper;
  throw new TwimlParseError(`Invalid method "${value}"`);
}

function int(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new TwimlParseError(`"${value}" is not a whole number`);
  return parsed;
}
