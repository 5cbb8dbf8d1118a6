/**
 * `npm start`: the desktop app in development (electron-vite dev). Without Electron's binary
 * it says so in plain words and how to get it, instead of Electron's stack trace.
 */
import { spawn } from 'node:child_process';
import { electronBinary, GET_ELECTRON } from './electron-binary.ts';

if (!electronBinary()) {
  console.error(`Electron's binary isn't installed, so the desktop app can't open: ${GET_ELECTRON}, or run the same app in your browser with "npm run serve".`);
  process.exit(1);
}
const child = spawn('electron-vite', ['dev', ...process.argv.slice(2)], { stdio: 'inherit', shell: process.platform === 'win32' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
