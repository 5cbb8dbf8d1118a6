/**
 * Electron main process: a thin composition root. It starts the same core and app controller
 * as `npm run serve`, opens one locked-down window, and serves the organiser API over IPC.
 */
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, net, protocol, safeStorage, session, shell, Tray, type OpenDialogOptions, type WebContents } from 'electron';
import type { OrganiserState } from '../server/api/contract.ts';
import { dispatch } from '../server/api/organiser-api.ts';
import type { SecretStore } from '../server/organiser/secret-store.ts';
import type { OrganiserController } from '../server/organiser/organiser-controller.ts';
import type { Core } from '../server/core.ts';
import { startApp } from '../server/start-app.ts';
import { prepareDataDir } from '../server/data-dir.ts';
import { consoleLog } from '../server/log.ts';
import { SecretVault } from '../server/secrets/secret-vault.ts';
import { allowPermission, APP_ORIGIN, APP_SCHEME, APP_URL, isOurPage, originOf, rendererFile } from './app-origin.ts';
import { closeNeedsAsking, closeQuestion, KEEP_RUNNING, QUIT, trayLabels } from './close-question.ts';
import { externalLink } from './external-links.ts';

/** Content the window may load: our bundled renderer (or the dev server in `npm start`). */
const DEV_URL = process.env['ELECTRON_RENDERER_URL'];
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob: shukuden-media:; connect-src 'self' shukuden-media:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The page's origin: our custom scheme, or the dev server in `npm start`. */
const PAGE_ORIGIN = DEV_URL ? originOf(DEV_URL) : APP_ORIGIN;
const RENDERER_DIR = join(import.meta.dirname, '../renderer');
const TRAY_ICON = join(import.meta.dirname, '../../resources/icons/32x32.png');

// The page and takes come through our own protocols, not file://: the window never gets file
// access, and the page's responses carry our CSP header.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: 'shukuden-media', privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
]);

let window: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  // A second launch must not start a second line: hand over to the running window.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.whenReady().then(start).catch((error: unknown) => {
    // Nothing may end the process silently: say why in the log and quit cleanly.
    console.error('Shukuden could not start', error);
    app.quit();
  });
}

async function start(): Promise<void> {
  const log = consoleLog();
  const userData = process.env['SHUKUDEN_USER_DATA'] ?? app.getPath('userData');
  const dataDir = prepareDataDir(join(userData, 'line'));
  // Secrets stay in this process, encrypted by the OS (Keychain, DPAPI, libsecret).
  const vault = new SecretVault(join(userData, 'secrets.json'), safeStorage);
  const secrets: SecretStore = { get: (name) => vault.get(name).catch(() => null), set: (values) => vault.set(values) };
  const running = await startApp({
    dataDir,
    authToken: randomBytes(16).toString('hex'),
    log,
    twilioApiBase: process.env['SHUKUDEN_TWILIO_API_BASE'],
    // Built next to this file as its own entry (electron.vite.config.ts).
    audioWorker: new URL('./audio-worker.js', import.meta.url),
    // The guest page is built next to the organiser's renderer.
    guestPageDir: join(import.meta.dirname, '../renderer'),
    controller: {
      secrets,
      systemLanguage: app.getLocale().toLowerCase().startsWith('ja') ? 'ja' : 'en',
      openFolder: (path) => void shell.openPath(path),
      // The album goes exactly where the organiser picked, with the system's own folder picker.
      chooseFolder: async (current) => {
        const options: OpenDialogOptions = { defaultPath: current, properties: ['openDirectory', 'createDirectory', 'promptToCreate'] };
        const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
        return picked.canceled ? null : (picked.filePaths[0] ?? null);
      },
    },
  });
  const { core, controller } = running;

  setupPermissions();
  setupCsp();
  window = createWindow();
  setupAppProtocol();
  setupMediaProtocol(core, dataDir);
  setupIpc(controller, log);
  let latest: OrganiserState | null = null;
  controller.onChange((state) => {
    latest = state;
    window?.webContents.send('shukuden:state', state);
    tray?.update(state);
  });
  const current = async () => latest ?? (latest = await controller.state());
  setupCloseGuard(current);

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Put the number back as it was and close the tunnel before exiting (a clean quit).
    event.preventDefault();
    quitting = true;
    closing = 'quit';
    void running
      .close()
      .catch((error: unknown) => log.error('Could not restore the phone number on quit', { error: String(error) }))
      .finally(() => app.quit());
  });

  await window.loadURL(DEV_URL ?? APP_URL);
  await controller.start();
}

app.on('window-all-closed', () => app.quit());
// macOS: the Dock icon brings back a window kept running in the background.
app.on('activate', () => window?.show());

/** Is this our window's top frame, showing our page? */
function fromOurPage(contents: WebContents, frame: { readonly url: string; readonly parent: unknown } | null | undefined): boolean {
  return isOurPage({ fromOurWindow: contents === window?.webContents, topFrame: !!frame && frame.parent === null, url: frame?.url ?? '' }, PAGE_ORIGIN);
}

/** The rehearsal call's microphone for our own page; every other permission, and every other frame, denied. */
function setupPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(allowPermission({ fromOurWindow: contents === window?.webContents, topFrame: details.isMainFrame, url: details.requestingUrl, permission, mediaTypes }, PAGE_ORIGIN));
  });
  session.defaultSession.setPermissionCheckHandler((contents, permission, requestingOrigin, details) =>
    allowPermission(
      {
        fromOurWindow: contents !== null && contents === window?.webContents,
        topFrame: details.isMainFrame,
        url: details.requestingUrl ?? requestingOrigin,
        permission,
        mediaTypes: details.mediaType ? [details.mediaType] : [],
      },
      PAGE_ORIGIN,
    ),
  );
  session.defaultSession.setDevicePermissionHandler(() => false);
}

/** The CSP header on the dev server's responses (our own protocol sets it itself). */
function setupCsp(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }),
  );
}

/** One locked-down window: no remote content, no navigation, no new windows. */
function createWindow(): BrowserWindow {
  const created = new BrowserWindow({
    width: 1100,
    height: 800,
    title: 'Shukuden 祝電',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  created.webContents.on('will-navigate', (event) => event.preventDefault());
  // Links to Twilio's and ngrok's pages open in the organiser's browser; the window never opens another.
  created.webContents.setWindowOpenHandler(({ url }) => {
    const link = externalLink(url);
    if (link) void shell.openExternal(link);
    return { action: 'deny' };
  });
  return created;
}

/** `shukuden-app://ui/…`: the built renderer, with our CSP on every response. */
function setupAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFile(RENDERER_DIR, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).href).catch(() => null);
    if (!response?.ok) return new Response('Not found', { status: 404 });
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: 200, headers });
  });
}

/** `shukuden-media://takes/RE…`: a downloaded take, for the trimmer and playback; `…://names/RE…`: its name clip. */
function setupMediaProtocol(core: Pick<Core, 'libraryStore'>, dataDir: string): void {
  protocol.handle('shukuden-media', (request) => {
    const { host, pathname } = new URL(request.url);
    const sid = pathname.slice(1);
    const entry = /^RE[0-9a-fA-F]{32}$/.test(sid) ? core.libraryStore.get(sid) : null;
    const localFile = host === 'takes' ? entry?.localFile : host === 'names' ? entry?.nameClip?.localFile : null;
    if (!localFile) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(join(dataDir, localFile)).href, { headers: request.headers });
  });
}

/** The organiser API over IPC: only our page's top frame, on exactly our origin, may call it. */
function setupIpc(controller: OrganiserController, log: ReturnType<typeof consoleLog>): void {
  ipcMain.handle('shukuden:call', (event, method: unknown, input: unknown) => {
    if (!fromOurPage(event.sender, event.senderFrame)) {
      return { ok: false, error: { code: 'forbidden', en: 'Not allowed.', ja: '許可されていません。' } };
    }
    return dispatch(controller, method, input, log);
  });
}

let tray: { update(state: OrganiserState): void } | null = null;
/** Why the window is closing: the organiser closed it, or the app is quitting. */
let closing: 'window' | 'quit' = 'window';

/**
 * Closing the window while the line answers here asks first: keep running in the background
 * (a tray / menu-bar icon shows the line's status and can quit), or quit.
 */
function setupCloseGuard(current: () => Promise<OrganiserState>): void {
  let asking = false;
  window?.on('close', (event) => {
    if (closing === 'quit') return;
    event.preventDefault();
    // Already chosen: the line keeps running in the background.
    if (tray) return void window?.hide();
    if (asking) return;
    asking = true;
    void current()
      .then(async (state) => {
        if (!closeNeedsAsking(state)) return void app.quit();
        const question = closeQuestion(state);
        const options = { type: 'question' as const, message: question.message, detail: question.detail, buttons: [...question.buttons], defaultId: KEEP_RUNNING, cancelId: 2, noLink: true };
        const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
        if (response === QUIT) app.quit();
        else if (response === KEEP_RUNNING) {
          tray = createTray(state);
          window?.hide();
        }
      })
      .finally(() => (asking = false));
  });
}

function createTray(state: OrganiserState): { update(state: OrganiserState): void } {
  const icon = nativeImage.createFromPath(TRAY_ICON).resize({ width: 16, height: 16 });
  const created = new Tray(icon);
  const update = (next: OrganiserState) => {
    const labels = trayLabels(next);
    created.setToolTip(`Shukuden 祝電 — ${labels.status}`);
    created.setContextMenu(
      Menu.buildFromTemplate([
        { label: labels.status, enabled: false },
        { type: 'separator' },
        { label: labels.open, click: () => window?.show() },
        { label: labels.quit, click: () => app.quit() },
      ]),
    );
  };
  update(state);
  created.on('click', () => window?.show());
  return { update };
}
