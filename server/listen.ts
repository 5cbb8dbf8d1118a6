import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Starts serving `app` on host:port (port 0 picks a free one). */
export function listen(app: RequestListener, options: { readonly port: number; readonly host: string }): Promise<Listening> {
  return new Promise((resolvePromise, rejectPromise) => {
    const server = createServer(app).listen(options.port, options.host);
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
  });
}
