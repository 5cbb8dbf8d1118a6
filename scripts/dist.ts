/**
 * `npm run dist`: installers for this system with electron-builder (config: electron-builder.json).
 * macOS: dmg + zip, arm64 and x64; Windows: nsis; Linux: AppImage + deb. Extra arguments go to
 * electron-builder (e.g. `npm run dist -- --linux deb`). Needs Electron's binary: where it
 * couldn't be downloaded, says so in one line and stops.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinary, GET_ELECTRON } from './electron-binary.ts';
import { writeNotices } from './third-party-notices.ts';

if (!electronBinary()) {
  console.error(`npm run dist needs Electron's binary, which isn't installed here (npm ci without internet or with ELECTRON_SKIP_BINARY_DOWNLOAD=1): ${GET_ELECTRON}, then run npm run dist again.`);
  process.exit(1);
}

// @ngrok/ngrok's Windows module links the Visual C++ runtime (VCRUNTIME140.dll), which a fresh
// Windows may lack: ship the build machine's copy beside Shukuden.exe (Microsoft allows app-local copies).
if (process.platform === 'win32') {
  const runtime = join(process.env['SystemRoot'] ?? 'C:\\Windows', 'System32', 'vcruntime140.dll');
  if (!existsSync(runtime)) {
    console.error(`${runtime} is missing: install the Visual C++ Redistributable (x64) on this build machine, then run npm run dist again.`);
    process.exit(1);
  }
  mkdirSync('build/win-runtime', { recursive: true });
  copyFileSync(runtime, 'build/win-runtime/vcruntime140.dll');
}

const shell = process.platform === 'win32';
const run = (program: string, args: readonly string[]) => {
  const result = spawnSync(program, args, { stdio: 'inherit', shell });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run('electron-vite', ['build']);
// The licences of what the app carries (FFmpeg's GPLv3 among them), shipped as resources/licenses/.
console.log(`Licence notices: ${writeNotices()}`);
run('electron-builder', ['--config', 'electron-builder.json', '--publish', 'never', ...process.argv.slice(2)]);
