/**
 * Before `npm run serve` (npm's "preserve"): builds the app — the headless line `out/main/serve.js`
 * that `npm run serve` runs, the organiser UI and the prebuilt hosted line (`electron-vite build`) —
 * when they are missing or older than their sources, so a fresh clone's first `npm run serve`
 * works. Nothing is bundled or compiled at run time. Takes a few milliseconds when everything is current.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INPUTS = ['renderer', 'server', 'electron', 'scripts/hosted-line.ts', 'electron.vite.config.ts', 'package-lock.json'];
const OUTPUTS = ['out/renderer/index.html', 'out/main/hosted-line.cjs', 'out/main/index.js', 'out/main/serve.js', 'out/preload/index.cjs'];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

function oldestOutput(): number | null {
  try {
    return Math.min(...OUTPUTS.map((file) => statSync(join(ROOT, file)).mtimeMs));
  } catch {
    return null; // missing: never built
  }
}

const built = oldestOutput();
const sources = Math.max(...INPUTS.map((input) => newest(join(ROOT, input))));
if (built === null || built < sources) {
  console.log(built === null ? 'Building the app (first run)…' : 'Sources changed: rebuilding the app…');
  const result = spawnSync('electron-vite', ['build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
