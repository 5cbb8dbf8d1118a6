/**
 * Electron main process: a thin composition root. It starts the same core and app controller
 * as `npm run serve`, opens one locked-down window, and serves the organiser API over IPC.
 */
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session, shell, type OpenDialogOptions } from 'electron';
import { dispatch } from '../server/api/organiser-api.ts';
import type { SecretStore } from '../server/app/secret-store.ts';
import { startApp } from '../server/start-app.ts';
import { prepareDataDir } from '../server/data-dir.ts';
import { consoleLog } from '../server/log.ts';
import { SecretVault } from '../server/secrets/secret-vault.ts';

/** Content the window may load: our bundled renderer (or the dev server in `npm start`). */
const DEV_URL = process.env['ELECTRON_RENDERER_URL'];
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob: shukuden-media:; connect-src 'self' shukuden-media:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

// Takes are played through our own protocol, not file://, so the window never gets file access.
protocol.registerSchemesAsPrivileged([{ scheme: 'shukuden-media', privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } }]);

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

  // No remote content, ever: deny permissions, set the CSP, block navigation and new windows.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }),
  );
  window = new BrowserWindow({
    width: 1100,
    height: 800,
    title: 'Shukuden',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  const rendererUrl = DEV_URL ?? new URL(`file://${join(import.meta.dirname, '../renderer/index.html')}`).href;
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));

  protocol.handle('shukuden-media', (request) => {
    const { host, pathname } = new URL(request.url);
    const sid = pathname.slice(1);
    const entry = host === 'takes' && /^RE[0-9a-fA-F]{32}$/.test(sid) ? core.library.get(sid) : null;
    if (!entry?.localFile) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(join(dataDir, entry.localFile)).href, { headers: request.headers });
  });

  ipcMain.handle('shukuden:call', (event, method: unknown, input: unknown) => {
    // Only our own window's top frame may call the API.
    const sender = event.senderFrame?.url ?? '';
    if (event.sender !== window?.webContents || !sender.startsWith(DEV_URL ?? 'file://')) {
      return { ok: false, error: { code: 'forbidden', en: 'Not allowed.', ja: '許可されていません。' } };
    }
    return dispatch(controller, method, input, log);
  });
  controller.onChange((state) => window?.webContents.send('shukuden:state', state));

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Put the number back as it was and close the tunnel before exiting (a clean quit).
    event.preventDefault();
    quitting = true;
    void running
      .close()
      .catch((error: unknown) => log.error('Could not restore the phone number on quit', { error: String(error) }))
      .finally(() => app.quit());
  });

  await window.loadURL(rendererUrl);
  await controller.start();
}

app.on('window-all-closed', () => app.quit());
