/**
 * The minimal reference line for `npm run bench:flow`: what this project grew from — plain
 * `node:http`, no database, no framework — answering with the same TwiML documents (the same pure
 * call flow and renderer, call state in memory) behind the same signature check (`twilio.validateRequest`).
 * Run as its own process: `node bench/flow/reference-line.ts PORT AUTH_TOKEN`; prints "Voice webhook: URL".
 */
import { createServer } from 'node:http';
import twilio from 'twilio';
import type { CallState } from '../../server/call-flow/call-state.ts';
import { answerCall, continueCall, type FlowContext, type FlowEvent, type IncomingCall } from '../../server/call-flow/flow.ts';
import { defaultFlowSettings } from '../../server/call-flow/flow-settings.ts';
import { PATHS } from '../../server/call-flow/paths.ts';
import { mediaToken } from '../../server/public/media-token.ts';
import { renderTwiml } from '../../server/twiml/render.ts';

const port = Number(process.argv[2]);
const authToken = String(process.argv[3]);
const base = `http://127.0.0.1:${port}`;
const settings = defaultFlowSettings();
const calls = new Map<string, CallState>();
const media = (path: string) => `${base}${path}?t=${mediaToken(authToken, path)}`;
const context = (): FlowContext => ({
  settings,
  now: new Date().toISOString(),
  promptUrl: (file) => media(`${PATHS.promptMedia}/${file}`),
  takeUrl: (sid) => media(`${PATHS.takeMedia}/${sid}`),
});

function respond(p: Record<string, string>, path: string, query: URLSearchParams): string | null {
  const incoming: IncomingCall = { callSid: p['CallSid'] ?? '', accountSid: p['AccountSid'] ?? '', from: p['From'] ?? '', to: p['To'] ?? '' };
  const ctx = context();
  const step = (event: FlowEvent) => {
    const call = calls.get(incoming.callSid);
    if (!call) return null;
    const result = continueCall(call, event, ctx);
    calls.set(incoming.callSid, result.call);
    return renderTwiml(result.verbs);
  };
  switch (path) {
    case PATHS.voice: {
      const result = answerCall(calls.get(incoming.callSid) ?? null, incoming, ctx);
      calls.set(incoming.callSid, result.call);
      return renderTwiml(result.verbs);
    }
    case PATHS.recorded:
      return step({ kind: 'recorded', recordingSid: p['RecordingSid'] ?? '', recordingUrl: p['RecordingUrl'] ?? '', durationSeconds: Number(p['RecordingDuration'] ?? 0), callEnded: p['Digits'] === 'hangup' });
    case PATHS.menu:
      return step({ kind: 'menu-key', takeSid: query.get('take') ?? '', digits: p['Digits'] ?? '' });
    case PATHS.recordingStatus:
      return null;
    case PATHS.callStatus:
      step({ kind: 'call-ended' });
      calls.delete(incoming.callSid);
      return null;
    default:
      return '';
  }
}

createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    const params = Object.fromEntries(new URLSearchParams(body));
    const url = `${base}${req.url ?? '/'}`;
    if (!twilio.validateRequest(authToken, String(req.headers['x-twilio-signature'] ?? ''), url, params)) {
      res.writeHead(403).end('Forbidden');
      return;
    }
    const [path = '', search = ''] = (req.url ?? '').split('?');
    const twiml = respond(params, path, new URLSearchParams(search));
    if (twiml === null) res.writeHead(204).end();
    else if (twiml === '') res.writeHead(404).end('Not found');
    else res.writeHead(200, { 'content-type': 'text/xml' }).end(twiml);
  });
}).listen(port, '127.0.0.1', () => console.log(`Voice webhook: ${base}${PATHS.voice}`));
