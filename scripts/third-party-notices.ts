/**
 * The licences of everything the app carries that we did not write, in one text file the
 * installers ship beside the app (`resources/licenses/THIRD-PARTY-NOTICES.txt`, electron-builder's
 * extraResources): the production dependency tree (packed as it is), the packages bundled into
 * the build (React, wavesurfer.js, zod… — the bundler drops their licence comments), and FFmpeg,
 * whose GPLv3 also asks that the receiver is told where its source is.
 *
 * `bundledPackagesPlugin()` records, per build, which packages the bundler put into it
 * (`out/bundled-packages/NAME.json`); `npm run dist` then writes the notices (`writeNotices()`).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where each build's list of bundled packages is written. */
export const BUNDLED_DIR = 'out/bundled-packages';
/** The notices, written by `npm run dist` and shipped as the installers' resources/licenses/. */
export const NOTICES_FILE = 'out/licenses/THIRD-PARTY-NOTICES.txt';
/** The GPLv3 text (verbatim from the FSF), for FFmpeg. */
const GPL3_FILE = 'resources/licenses/GPL-3.0.txt';

/** The package folder (relative to the project, `node_modules/…`) a bundled module came from; null for our own code. */
export function packageDirOf(moduleId: string): string | null {
  const path = relative(ROOT, moduleId.replace(/^\0/, '').split('?')[0] ?? '').split('\\').join('/');
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return null;
  const [first, second] = path.slice(at + 'node_modules/'.length).split('/');
  if (!first) return null;
  return path.slice(0, at) + 'node_modules/' + (first.startsWith('@') && second ? `${first}/${second}` : first);
}

/** Records which packages the bundler put into this build (`out/bundled-packages/NAME.json`). */
export function bundledPackagesPlugin(name: string): Plugin {
  return {
    name: 'shukuden-bundled-packages',
    apply: 'build',
    writeBundle(_options, bundle) {
      const dirs = new Set<string>();
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        for (const id of output.moduleIds) {
          const dir = packageDirOf(id);
          if (dir) dirs.add(dir);
        }
      }
      mkdirSync(join(ROOT, BUNDLED_DIR), { recursive: true });
      writeFileSync(join(ROOT, BUNDLED_DIR, `${name}.json`), JSON.stringify([...dirs].sort(), null, 1) + '\n');
    },
  };
}

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly license?: string | { readonly type: string };
  readonly homepage?: string;
  /** @ffmpeg-installer's platform packages: which FFmpeg build the binary is. */
  readonly ffmpeg?: string;
  readonly author?: string | { readonly name: string };
}

/** One package the app carries, and its licence as the package states it. */
export interface Notice {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly author: string | null;
  /** The package's own licence file(s), verbatim; empty when it has none (then its package.json's licence field). */
  readonly texts: readonly string[];
  /** Its package.json, as read (the FFmpeg section wants its `homepage` and `ffmpeg`). */
  readonly manifest: PackageJson;
}

/** Production packages as npm installed them (package-lock, not dev) that are present on this machine. */
function productionPackageDirs(root: string): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, meta]) => path.startsWith('node_modules/') && !meta.dev && !meta.devOptional && existsSync(join(root, path, 'package.json')))
    .map(([path]) => path);
}

/** Packages the bundler put into any build (`bundledPackagesPlugin`). */
export function bundledPackageDirs(root: string = ROOT): string[] {
  const dir = join(root, BUNDLED_DIR);
  if (!existsSync(dir)) throw new Error(`${BUNDLED_DIR} is missing: run electron-vite build first (npm run build).`);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as string[]);
}

function licenseTexts(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => /^(licen[cs]e|copying|notice)([.-].*)?$/i.test(file))
    .sort()
    .map((file) => readFileSync(join(dir, file), 'utf8').trim());
}

/** Every package the app carries, once each (a package bundled and also packed is one notice). */
export function notices(root: string = ROOT): Notice[] {
  const dirs = [...new Set([...productionPackageDirs(root), ...bundledPackageDirs(root)])];
  const byPackage = new Map<string, Notice>();
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as PackageJson;
    const key = `${pkg.name}@${pkg.version}`;
    if (byPackage.has(key)) continue;
    const license = typeof pkg.license === 'object' ? pkg.license.type : (pkg.license ?? 'not stated');
    const author = typeof pkg.author === 'object' ? pkg.author.name : (pkg.author ?? null);
    byPackage.set(key, { dir, name: pkg.name, version: pkg.version, license, author, texts: licenseTexts(join(root, dir)), manifest: pkg });
  }
  return [...byPackage.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** The FFmpeg builds among the packages (`@ffmpeg-installer/<platform>`): what they are and where their source is. */
function ffmpegSection(root: string, all: readonly Notice[]): string {
  const builds = all
    .filter((notice) => /^@ffmpeg-installer\/(darwin|linux|win32)-/.test(notice.name))
    .map((notice) => {
      const pkg = notice.manifest;
      const commit = /-g([0-9a-f]{7,40})$/.exec(pkg.ffmpeg ?? '')?.[1];
      return [
        `${notice.name} ${notice.version}: FFmpeg ${pkg.ffmpeg ?? '(build not stated)'}, a static build from ${pkg.homepage ?? 'the package'} (licence: ${notice.license}; \`ffmpeg -version\` prints its configuration).`,
        commit
          ? `  Its source: FFmpeg's git repository https://git.ffmpeg.org/ffmpeg.git (mirror https://github.com/FFmpeg/FFmpeg), commit ${commit}; the libraries it links are listed by \`ffmpeg -version\`.`
          : '  Its source: https://ffmpeg.org/download.html#get-sources.',
      ].join('\n');
    });
  if (builds.length === 0) return '';
  return [
    'FFmpeg',
    '======',
    'Shukuden runs the FFmpeg program (https://ffmpeg.org) as a separate program to read and write audio.',
    'FFmpeg is free software under the GNU General Public License, version 3 or later (the build shipped',
    'includes GPL parts): you may redistribute and modify it under that licence, whose text follows.',
    'It is distributed WITHOUT ANY WARRANTY.',
    '',
    ...builds,
    '',
    readFileSync(join(root, GPL3_FILE), 'utf8').trim(),
    '',
  ].join('\n');
}

/** The whole notices file. */
export function noticesText(root: string = ROOT): string {
  const all = notices(root);
  const rule = '-'.repeat(72);
  return [
    'Shukuden — third-party software',
    '',
    'Shukuden includes the software below. Each is used under its own licence, reproduced here as',
    'the package ships it. Electron and Chromium ship their own notices beside the app',
    '(LICENSE.electron.txt, LICENSES.chromium.html).',
    '',
    ffmpegSection(root, all),
    'Packages',
    '========',
    ...all.flatMap((notice) => [
      rule,
      `${notice.name} ${notice.version} — ${notice.license}`,
      rule,
      notice.texts.length > 0
        ? notice.texts.join('\n\n')
        : `(No licence file in the package; its package.json states the licence ${notice.license}${notice.author ? `, author ${notice.author}` : ''}.)`,
      '',
    ]),
  ].join('\n');
}

/** Writes `out/licenses/THIRD-PARTY-NOTICES.txt` and returns its path. */
export function writeNotices(root: string = ROOT): string {
  const file = join(root, NOTICES_FILE);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, noticesText(root));
  return file;
}
