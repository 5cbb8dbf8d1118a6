import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** `npm run serve`'s entry, run from the TypeScript sources (what the tests start). */
export const SOURCE_SERVE = fileURLToPath(new URL('../../server/cli/serve.ts', import.meta.url));
/** The same entry from the production build (electron-vite's main build): what the installed app runs. */
export const BUILT_SERVE = fileURLToPath(new URL('../../out/main/serve.js', import.meta.url));

export interface ServeProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line starting with `prefix` (a generous limit: a busy machine starts slowly). */
  line(prefix: string, timeoutMs?: number): Promise<string>;
  exited(): Promise<number | null>;
}

/**
 * Starts `npm run serve`'s entry point as its own process, with the test's Node 24; `node`
 * adds flags for Node itself (the production-build test turns TypeScript off).
 */
export function spawnServe(args: readonly string[], env: NodeJS.ProcessEnv = {}, entry = SOURCE_SERVE, node: readonly string[] = []): ServeProcess {
  const child = spawn(process.execPath, [...node, entry, ...args], {
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: () => exit,
    line: (prefix, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          const found = out.split('\n').find((l) => l.startsWith(prefix));
          if (found !== undefined) {
            clearInterval(poll);
            resolve(found.slice(prefix.length).trim());
          } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
            clearInterval(poll);
            reject(new Error(`No "${prefix}" line. stdout: ${out} stderr: ${err}`));
          }
        }, 20);
      }),
  };
}

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
