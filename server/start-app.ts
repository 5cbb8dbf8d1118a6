import type { OrganiserServer } from './api/organiser-server.ts';
import { OrganiserController, type OrganiserControllerOptions } from './organiser/organiser-controller.ts';
import { createCore, type Core, type CoreOptions } from './core.ts';
import { listen, type Listening } from './listen.ts';
import { whenIdle } from './when-idle.ts';

export interface StartAppOptions extends Omit<CoreOptions, 'publicUrl'> {
  /** The TwiML server's port (0, the default, picks a free one); always on 127.0.0.1. */
  readonly port?: number;
  /** A public URL known up front (--public-url); otherwise the local URL until a tunnel opens. */
  readonly publicUrl?: string;
  /** What the organiser's controller needs besides the core. */
  readonly controller: Omit<OrganiserControllerOptions, 'core' | 'localUrl' | 'log'>;
  /** Web mode: also serve the organiser UI and API from this built renderer folder. */
  readonly organiser?: { readonly rendererDir: string; readonly onBrowserLanguage?: (languageTag: string) => void };
}

/** Shukuden running: the core, its TwiML server, the organiser's controller, and one way to stop it all. */
export interface RunningApp {
  readonly core: Core;
  readonly twiml: Listening;
  readonly controller: OrganiserController;
  /** Web mode's organiser server, when asked for. */
  readonly organiser: OrganiserServer | null;
  /** Stops the line (a clean quit: the number is restored or parked), then the servers, then the database. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The one composition both shells and the test harnesses use: core → TwiML server → public URL →
 * controller (→ organiser server). Nothing is started on the line until `controller.start()`.
 */
export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const { port = 0, publicUrl, controller: controllerOptions, organiser: organiserOptions, ...coreOptions } = options;
  const core = createCore({ ...coreOptions, publicUrl });
  let twiml: Listening;
  try {
    twiml = await listen(core.httpApp, { port, host: '127.0.0.1' });
  } catch (error) {
    core.close();
    throw error;
  }
  if (!publicUrl) core.setPublicUrl(twiml.url);
  const controller = new OrganiserController({ ...controllerOptions, core, localUrl: twiml.url, log: options.log });
  const organiser = organiserOptions
    ? await (await import('./api/organiser-server.ts')).startOrganiserServer({ controller, dataDir: options.dataDir, ...organiserOptions, log: options.log })
    : null;
  // The line answers from here on. The Express apps (media and the guest link; the organiser's page)
  // load on the first request that needs them, or once the line has had a moment to itself: reading
  // Express holds the event loop ~0.1 s, and a line restarted at a public URL Twilio already calls
  // answers those calls first (npm run bench:flow, cold start), however long they keep coming.
  const preload = whenIdle(core.httpRequests, PRELOAD_WHEN_IDLE_MS, () => void Promise.all([core.preloadHttpApp(), organiser?.preload()]));
  let closing: Promise<void> | null = null;
  return {
    core,
    twiml,
    controller,
    organiser,
    close() {
      preload.cancel();
      closing ??= (async () => {
        try {
          await controller.stop();
        } finally {
          await organiser?.close();
          await twiml.close();
          core.close();
        }
      })();
      return closing;
    },
  };
}

/** How long the line must have been given no request before the Express apps are read. */
const PRELOAD_WHEN_IDLE_MS = 1000;
