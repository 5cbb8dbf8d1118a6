import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real local HTTP forwarder standing in for a public tunnel: requests to its URL are
 * forwarded to `target`, headers and body untouched, like ngrok does. Its URL differs
 * from the app's own, which is exactly what signature checking must cope with.
 */
export class LoopbackTunnel {
  readonly #target: URL;
  #server: Server | null = null;
  #url = '';

  constructor(target: string) {
    this.#target = new URL(target);
  }

  get url(): string {
    return this.#url;
  }

  async open(port = 0): Promise<string> {
    const server = createServer((req, res) => {
      const upstream = request(
        {
          host: this.#target.hostname,
          port: this.#target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
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
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.#url;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
