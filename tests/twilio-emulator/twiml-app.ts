import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in customer app for routing tests: `/voice` records once and `/recorded` hangs up;
 * `/loop` redirects to itself forever. Every webhook is noted.
 */
export interface TwimlApp {
  readonly url: string;
  /** `METHOD /path` of every webhook Twilio (the simulator) made, in order. */
  readonly hits: readonly string[];
  close(): Promise<void>;
}

const RECORD = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Leave a message</Say><Record action="/recorded" maxLength="30"/></Response>';
const HANGUP = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';
const LOOP = '<?xml version="1.0" encoding="UTF-8"?><Response><Redirect>/loop</Redirect></Response>';
const TWIML: Readonly<Record<string, string>> = { '/voice': RECORD, '/recorded': HANGUP, '/loop': LOOP };

export async function startTwimlApp(): Promise<TwimlApp> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://app.invalid').pathname;
    hits.push(`${req.method} ${path}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/xml' }).end(TWIML[path] ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
