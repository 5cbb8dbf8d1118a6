import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../user-error.ts';
import type { OpenTunnel, TunnelEvent, TunnelProvider } from './tunnel-provider.ts';

/** What the forwarder does with a request: forward it to the app, or misbehave. */
type Mode =
  | { readonly kind: 'forward' }
  /** Forwards to some other server, like a stale tunnel pointing at the wrong place. */
  | { readonly kind: 'elsewhere'; readonly target: string }
  /** Answers by itself, like a captive portal or an error page. */
  | { readonly kind: 'respond'; readonly status: number; readonly body: string };

/**
 * The headers ngrok adds to every HTTP request it forwards (ngrok docs, "Forwarded Headers
 * Reference"): x-forwarded-for, the client's address, and x-forwarded-proto, the scheme, each
 * appended to any value the client sent; x-forwarded-host, the client's own if it sent one, else its Host.
 */
function forwardedHeaders(req: IncomingMessage): IncomingHttpHeaders {
  const append = (value: string | string[] | undefined, added: string) => [...(Array.isArray(value) ? value : value ? [value] : []), added].join(', ');
  return {
    ...req.headers,
    'x-forwarded-for': append(req.headers['x-forwarded-for'], req.socket.remoteAddress ?? ''),
    'x-forwarded-proto': append(req.headers['x-forwarded-proto'], 'http'),
    'x-forwarded-host': req.headers['x-forwarded-host'] ?? req.headers.host ?? '',
  };
}

/**
 * A real local HTTP forwarder standing in for a public tunnel: its own URL, the body passed
 * through untouched and the forwarded headers added, like ngrok. Tests can drop it, bring it back (on a new URL
 * if they like) and make it forward somewhere wrong.
 */
export class LoopbackTunnel implements TunnelProvider {
  readonly kind = 'loopback' as const;
  #target: URL | null = null;
  #mode: Mode = { kind: 'forward' };
  #server: Server | null = null;
  #port = 0;
  #onEvent: (event: TunnelEvent) => void = () => undefined;

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async open(localUrl: string, onEvent: (event: TunnelEvent) => void = () => undefined): Promise<OpenTunnel> {
    this.#target = new URL(localUrl);
    this.#onEvent = onEvent;
    await this.#listen(0);
    return { url: this.url, close: () => this.close() };
  }

  /** The connection drops: requests are refused until `reconnect`. */
  async drop(): Promise<void> {
    await this.#stop();
    this.#onEvent({
      kind: 'down',
      problem: new UserError('tunnel-down', { en: 'The tunnel dropped (test).', ja: 'トンネルが切断されました（テスト）。' }),
    });
  }

  /** Comes back up, on the same URL or (`newUrl`) a different one, and says so. */
  async reconnect(options: { readonly newUrl?: boolean } = {}): Promise<string> {
    await this.#listen(options.newUrl ? 0 : this.#port);
    this.#onEvent({ kind: 'up', url: this.url });
    return this.url;
  }

  misroute(mode: Mode): void {
    this.#mode = mode;
  }

  async close(): Promise<void> {
    await this.#stop();
  }

  async #listen(port: number): Promise<void> {
    const server = createServer((req, res) => {
      const mode = this.#mode;
      if (mode.kind === 'respond') {
        res.writeHead(mode.status, { 'content-type': 'text/html' }).end(mode.body);
        return;
      }
      const target = mode.kind === 'elsewhere' ? new URL(mode.target) : this.#target;
      if (!target) return void res.writeHead(502).end();
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: forwardedHeaders(req) },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('Tunnel could not reach the app');
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
  }

  async #stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
