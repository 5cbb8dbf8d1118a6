import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { electronBinary } from '../../scripts/electron-binary.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const skip = electronBinary() ? 'Electron’s binary is installed here: npm start and npm run dist would really run' : false;

/** Runs an npm script's entry the way npm does (same Node, project root, node_modules/.bin on PATH). */
function run(script: string) {
  return spawnSync(process.execPath, [script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PATH: `${ROOT}node_modules/.bin:${process.env['PATH'] ?? ''}` } });
}

describe('where Electron’s binary could not be downloaded', { skip }, () => {
  it('npm start says so plainly, how to get it, and the headless alternative — no stack trace', () => {
    const result = run('scripts/start.ts');
    assert.equal(result.status, 1);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0] ?? '', /Electron's binary isn't installed.*node node_modules\/electron\/install\.js.*npm run serve/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  it('npm run dist says so in one line and exits non-zero, building nothing', () => {
    const result = run('scripts/dist.ts');
    assert.notEqual(result.status, 0);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0] ?? '', /npm run dist needs Electron's binary/);
  });
});
