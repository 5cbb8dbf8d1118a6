/**
 * The licence notices the installers ship (scripts/third-party-notices.ts): every package the app
 * carries — packed as installed or bundled into the build — with its licence, and FFmpeg with the
 * GPLv3 and where its source is. Reads the production build (npm test builds it first).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resolveFfmpeg } from '../../server/audio/ffmpeg.ts';
import { bundledPackageDirs, NOTICES_FILE, noticesText, packageDirOf } from '../../scripts/third-party-notices.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
const packed = new Set(Object.entries(lock.packages).filter(([path, meta]) => path.startsWith('node_modules/') && !meta.dev && !meta.devOptional).map(([path]) => path));
const text = noticesText(ROOT);

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (/\.tsx?$/.test(entry.name)) yield path;
  }
}

/** Packages the app's own code imports for their code (not `import type`), by name. */
function importedPackages(): Set<string> {
  const names = new Set<string>();
  for (const dir of ['electron', 'renderer/src', 'server']) {
    for (const file of sources(join(ROOT, dir))) {
      const code = readFileSync(file, 'utf8');
      const specifiers = [
        ...[...code.matchAll(/^import\s+(?!type\s)[^;]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]),
        ...[...code.matchAll(/^import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]),
        ...[...code.matchAll(/\b(?:import|cjsRequire)\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]),
      ];
      for (const specifier of specifiers) {
        if (!specifier || specifier.startsWith('.') || specifier.startsWith('node:') || specifier === 'electron') continue;
        const [first, second] = specifier.split('/');
        names.add(first?.startsWith('@') ? `${first}/${second}` : (first ?? specifier));
      }
    }
  }
  return names;
}

describe('third-party licence notices (shipped as resources/licenses/)', () => {
  it('every package our code imports is either packed as installed or recorded as bundled by the build', () => {
    const bundled = new Set(bundledPackageDirs(ROOT));
    const imported = importedPackages();
    assert.ok(imported.has('react') && imported.has('express'), `the scan finds imports: ${[...imported].join(', ')}`);
    const missing = [...imported].filter((name) => !packed.has(`node_modules/${name}`) && !bundled.has(`node_modules/${name}`));
    assert.deepEqual(missing, [], 'each is packed (production dependency) or bundled (out/bundled-packages/)');
    // What the renderer bundles is not in the packed tree: only the build's record names it.
    assert.ok(bundled.has('node_modules/react-dom') && !packed.has('node_modules/react-dom'));
  });

  it('names every packed and bundled package with its version and its own licence text, verbatim', () => {
    const dirs = new Set([...packed, ...bundledPackageDirs(ROOT)]);
    let withText = 0;
    for (const dir of dirs) {
      let pkg: { name: string; version: string };
      try {
        pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { name: string; version: string };
      } catch {
        continue; // another platform's optional package, not installed here
      }
      assert.ok(text.includes(`\n${pkg.name} ${pkg.version} — `), `${pkg.name} ${pkg.version} is named`);
      const licence = readdirSync(join(ROOT, dir)).find((file) => /^licen[cs]e(\.(md|txt))?$/i.test(file));
      if (licence) {
        assert.ok(text.includes(readFileSync(join(ROOT, dir, licence), 'utf8').trim()), `${pkg.name}'s ${licence} is reproduced`);
        withText++;
      }
    }
    assert.ok(withText > 50, `most packages carry a licence file (${withText})`);
  });

  it('FFmpeg: the build shipped, the GPLv3 in full, and where its source is', () => {
    const version = execFileSync(resolveFfmpeg({}), ['-hide_banner', '-version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
    const commit = /-g([0-9a-f]{7,40})\b/.exec(version)?.[1];
    assert.ok(commit, `the shipped ffmpeg names its commit: ${version}`);
    const ffmpeg = text.slice(text.indexOf('FFmpeg\n======'), text.indexOf('Packages\n========'));
    assert.match(ffmpeg, new RegExp(`commit ${commit}`));
    assert.match(ffmpeg, /https:\/\/git\.ffmpeg\.org\/ffmpeg\.git/);
    assert.match(ffmpeg, /GNU GENERAL PUBLIC LICENSE\s+Version 3, 29 June 2007/);
    assert.match(ffmpeg, /END OF TERMS AND CONDITIONS/, 'the whole licence, not its first lines');
  });

  it('a module from a package maps to that package, our own code to none', () => {
    assert.equal(packageDirOf(join(ROOT, 'node_modules/react-dom/cjs/react-dom.production.js')), 'node_modules/react-dom');
    assert.equal(packageDirOf(join(ROOT, 'node_modules/@scope/pkg/dist/index.js?commonjs-exports')), 'node_modules/@scope/pkg');
    assert.equal(packageDirOf(join(ROOT, 'node_modules/a/node_modules/b/index.js')), 'node_modules/a/node_modules/b');
    assert.equal(packageDirOf(join(ROOT, 'renderer/src/main.tsx')), null);
  });

  it('npm run dist writes the notices and the installers carry them', () => {
    const builder = JSON.parse(readFileSync(join(ROOT, 'electron-builder.json'), 'utf8')) as { extraResources?: readonly { from: string; to: string }[] };
    assert.deepEqual(builder.extraResources, [{ from: NOTICES_FILE.split('/').slice(0, -1).join('/'), to: 'licenses' }]);
    const dist = readFileSync(join(ROOT, 'scripts/dist.ts'), 'utf8');
    assert.ok(dist.indexOf('writeNotices()') > dist.indexOf("run('electron-vite'") && dist.indexOf('writeNotices()') < dist.indexOf("run('electron-builder'"), 'after the build, before packing');
  });
});
