/**
 * Electron main process: a thin composition root. It starts the same core as
 * `npm run serve` and opens one locked-down window. (Setup, dashboard and IPC come with the desktop-app issue.)
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { app, BrowserWindow, safeStorage, session } from 'electron';
import { createCore } from '../server/core.ts';
import { prepareDataDir } from '../server/data-dir.ts';
import { listen, type Listening } from '../server/listen.ts';
import { consoleLog } from '../server/log.ts';
import { LineSupervisor } from '../server/line/line-supervisor.ts';
import { SecretVault } from '../server/secrets/secret-vault.ts';
import { ngrokTunnel } from '../server/tunnel/ngrok-tunnel.ts';
import { loadTwilioCredentials } from '../server/secrets/twilio-secrets.ts';

let window: BrowserWindow | null = null;
let listening: Listening | null = null;

if (!app.requestSingleInstanceLock()) {
  // A second launch must not start a second line: hand over to the running window.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  const log = consoleLog();
  const dataDir = prepareDataDir(join(app.getPath('userData'), 'line'));
  // Secrets stay in the main process, encrypted by the OS (Keychain, DPAPI, libsecret).
  const vault = new SecretVault(join(app.getPath('userData'), 'secrets.json'), safeStorage);
  const credentials = await loadTwilioCredentials(vault).catch(() => null);
  const core = createCore({
    dataDir,
    authToken: credentials?.authToken ?? randomBytes(16).toString('hex'),
    publicUrl: 'http://127.0.0.1',
    log,
  });
  listening = await listen(core.app, { port: 0, host: '127.0.0.1' });
  core.setPublicUrl(listening.url);
  // Only the TwiML server is forwarded; the organiser's API never goes through the tunnel.
  const authtoken = (await vault.get('ngrok.authtoken').catch(() => null)) ?? process.env['NGROK_AUTHTOKEN'] ?? null;
  const supervisor = new LineSupervisor({
    core,
    localUrl: listening.url,
    tunnel: ngrokTunnel({ authtoken, domain: (await vault.get('ngrok.domain').catch(() => null)) || null }),
    twilio: credentials ? { credentials, phoneNumber: null } : null,
    log,
  });
  supervisor.onChange((status) => log.info('Line status', { ready: status.ready, publicUrl: status.publicUrl }));
  void supervisor.start();

  // No remote content, ever: deny every permission request and block navigation.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  window = new BrowserWindow({
    width: 1100,
    height: 760,
    title: 'Shukuden',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (devUrl) await window.loadURL(devUrl);
  else await window.loadFile(join(import.meta.dirname, '../renderer/index.html'));

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Put the number back as it was before closing anything (a clean quit restores it).
    event.preventDefault();
    quitting = true;
    void supervisor
      .stop()
      .then(() => core.disconnectTwilio({ restore: true }))
      .catch((error: unknown) => log.error('Could not restore the phone number on quit', { error: String(error) }))
      .finally(async () => {
        await listening?.close();
        core.close();
        app.quit();
      });
  });
}

app.on('window-all-closed', () => app.quit());
