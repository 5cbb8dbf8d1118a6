import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { parseTwiml, TwimlParseError } from '../../../server/twiml/parse.ts';
import { renderTwiml } from '../../../server/twiml/render.ts';
import type { Verb } from '../../../server/twiml/verbs.ts';

const verbs: readonly Verb[] = [
  { kind: 'say', text: 'お電話 <ありがとう> & "ようこそ"', language: 'ja-JP', voice: 'Polly.Mizuki' },
  { kind: 'play', url: 'https://example.test/a.mp3?x=1&y=2' },
  { kind: 'pause', seconds: 1 },
  {
    kind: 'record',
    action: '/twilio/recorded',
    method: 'POST',
    maxLength: 120,
    timeout: 5,
    finishOnKey: '#',
    playBeep: true,
    trim: 'trim-silence',
    recordingStatusCallback: '/twilio/recording-status',
    recordingStatusCallbackMethod: 'POST',
    recordingStatusCallbackEvent: 'completed absent',
  },
  {
    kind: 'gather',
    action: '/twilio/menu?take=RE1&x=2',
    method: 'POST',
    input: 'dtmf',
    numDigits: 1,
    timeout: 6,
    actionOnEmptyResult: false,
    prompts: [{ kind: 'say', text: '1 or 3', language: 'en-US', voice: 'Polly.Joanna' }],
  },
  { kind: 'redirect', url: '/twilio/no-audio', method: 'POST' },
  { kind: 'hangup' },
];

describe('TwiML', () => {
  it('renders attributes in the camelCase Twilio reads (maxLength, finishOnKey)', () => {
    const xml = renderTwiml(verbs);
    // Read with an independent XML parser, not our own.
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      Response: { Record: Record<string, string>; Gather: Record<string, unknown>; Say: { '#text': string } };
    };
    assert.equal(doc.Response.Record['maxLength'], '120');
    assert.equal(doc.Response.Record['finishOnKey'], '#');
    assert.equal(doc.Response.Record['recordingStatusCallback'], '/twilio/recording-status');
    assert.equal(doc.Response.Gather['numDigits'], '1');
    assert.equal(doc.Response.Say['#text'], 'お電話 <ありがとう> & "ようこそ"');
    assert.doesNotMatch(xml, /max_length|max-length/);
  });

  it('parses back to the same verbs', () => {
    // Absent attributes come back as undefined; compare as JSON, which drops them.
    assert.deepEqual(JSON.parse(JSON.stringify(parseTwiml(renderTwiml(verbs)))), JSON.parse(JSON.stringify(verbs)));
  });

  it('rejects what Twilio would reject', () => {
    assert.throws(() => parseTwiml('<Response><Dance/></Response>'), TwimlParseError);
    assert.throws(() => parseTwiml('<html>oops</html>'), TwimlParseError);
    assert.throws(() => parseTwiml('<Response><Gather><Record/></Gather></Response>'), TwimlParseError);
    assert.throws(() => parseTwiml('<Response><Record maxLength="lots"/></Response>'), TwimlParseError);
  });
});
