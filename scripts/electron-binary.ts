/**
 * Electron's binary, if this machine has one. npm installs it with a download
 * (`node_modules/electron/install.js`) that ELECTRON_SKIP_BINARY_DOWNLOAD=1 or no internet skips.
 * Read from the package's path.txt rather than `require('electron')`, which would try to
 * download a missing binary and fail with a stack trace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function electronBinary(): string | null {
  const pkg = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  try {
    const path = join(pkg, 'dist', readFileSync(join(pkg, 'path.txt'), 'utf8').trim());
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** How to get the binary, in one sentence. */
export const GET_ELECTRON = 'install it with "node node_modules/electron/install.js" (needs internet)';
