import type { RequestListener } from 'node:http';
import type { Log } from './log.ts';

/** A request listener read from disk the first time it is needed (see `lazyListener`). */
export interface LazyListener {
  readonly handle: RequestListener;
  /** Starts loading it now; resolves when it is ready (or has failed, logged). */
  preload(): Promise<void>;
}

/**
 * Serves with the listener `load` builds, loading it on the first request or `preload()`: reading
 * Express and its packages holds the event loop ~0.1 s, which a line that has just started spends
 * answering its first call instead (`npm run bench:flow`, cold start). Requests that arrive while it
 * loads wait for it. Should loading fail (a damaged install; logged once), every request gets a 500
 * that says so in plain words.
 */
export function lazyListener(load: () => Promise<RequestListener>, options: { readonly log: Log; readonly what: string }): LazyListener {
  let loading: Promise<RequestListener | null> | null = null;
  const loaded = () => {
    loading ??= load().catch((error: unknown) => {
      options.log.error(`${options.what} could not be loaded`, { error: error instanceof Error ? error.message : String(error) });
      return null;
    });
    return loading;
  };
  return {
    handle(req, res) {
      void loaded().then((listener) => {
        if (listener) listener(req, res);
        else res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(NOT_LOADED);
      });
    },
    preload: () => loaded().then(() => undefined),
  };
}

/** What a request gets when the listener could not be loaded (only a damaged install does that). */
const NOT_LOADED =
  'Shukuden could not load this page. Restart Shukuden; if this keeps happening, install it again.\n' +
  'Shukuden がこのページを読み込めませんでした。Shukuden を再起動してください。続く場合は、もう一度インストールしてください。\n';
