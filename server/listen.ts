import type * as Http from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cjsRequire } from './cjs-require.ts';

// Not `import { createServer } from 'node:http'`: see cjs-require.ts.
const { createServer } = cjsRequire('node:http') as typeof Http;

export interface Listening {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** How long a client may take and how many may connect at once. */
export interface ListenLimits {
  /** To send the request headers. */
  readonly headersTimeoutMs: number;
  /** To send the whole request (headers and body). */
  readonly requestTimeoutMs: number;
  /** How often those two are checked (Node's default is every 30 s). */
  readonly checkEveryMs: number;
  /** Open connections at most; more are closed at once. */
  readonly maxConnections: number;
}

/**
 * Twilio waits 15 s for a webhook's answer (then plays its error or the fallback URL), so a request
 * that hasn't even arrived after 10 s is not from Twilio; keep-alive idles end after 5 s.
 * A wedding's calls need a few dozen connections; 256 leaves room without letting slow sockets pile up.
 */
export const DEFAULT_LIMITS: ListenLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, checkEveryMs: 1000, maxConnections: 256 };

/** Starts serving `app` on host:port (port 0 picks a free one). */
export function listen(app: RequestListener, options: { readonly port: number; readonly host: string; readonly limits?: ListenLimits }): Promise<Listening> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  return new Promise((resolvePromise, rejectPromise) => {
    const server = createServer(
      { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: limits.checkEveryMs },
      app,
    );
    server.maxConnections = limits.maxConnections;
    server.once('error', rejectPromise);
    server.once('listening', () => {
      server.off('error', rejectPromise);
      // Twilio keeps connections alive; don't hold them open past a short idle.
      server.keepAliveTimeout = 5000;
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolvePromise({
        server,
        port,
        url: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
    server.listen(options.port, options.host);
  });
}
