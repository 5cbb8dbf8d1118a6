/**
 * What `npm run dist` would pack, checked without Electron's binary: electron-builder.json read
 * against the production dependency tree (package-lock.json) and the production build (out/).
 */
import assert from 'node:assert/strict';
import { existsSync, openSync, readdirSync, readFileSync, readSync, closeSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, matchesGlob, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string): unknown => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

interface Target { readonly target: string; readonly arch: readonly string[] }
interface BuilderConfig {
  readonly appId: string;
  readonly productName: string;
  readonly files: readonly string[];
  readonly asarUnpack: readonly string[];
  readonly mac: { readonly icon: string; readonly target: readonly Target[]; readonly extendInfo: Readonly<Record<string, string>> };
  readonly win: { readonly icon: string; readonly target: readonly Target[]; readonly extraFiles: readonly { readonly from: string; readonly to: string; readonly filter: readonly string[] }[] };
  readonly linux: { readonly icon: string; readonly target: readonly Target[] };
}
const config = read('electron-builder.json') as BuilderConfig;
const pkg = read('package.json') as { main: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
const lock = read('package-lock.json') as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };

/** Is this project file packed into the app (electron-builder's `files`, `!` excludes)? */
function packed(path: string): boolean {
  const include = config.files.filter((p) => !p.startsWith('!'));
  const exclude = config.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return include.some((p) => matchesGlob(path, p)) && !exclude.some((p) => matchesGlob(path, p));
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** ELF, Mach-O (thin or fat) or PE: something the OS loads or runs, which can't be inside an asar. */
function isNativeBinary(path: string): boolean {
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, head, 0, 4, 0) < 4) return false;
  } finally {
    closeSync(fd);
  }
  const magic = head.readUInt32BE(0);
  return head.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) || [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic) || head.subarray(0, 2).toString('latin1') === 'MZ';
}

/** Packages electron-builder copies into the app: the production dependency tree. */
const production = Object.entries(lock.packages)
  .filter(([path, meta]) => path.startsWith('node_modules/') && !meta.dev && !meta.devOptional)
  .map(([path]) => path);

describe('installers (electron-builder.json)', () => {
  it('is a configuration electron-builder accepts (its own schema check, run before any build)', async () => {
    // Not an API electron-builder documents, so reached by path: the same function `electron-builder` runs first.
    const { validateConfiguration } = createRequire(import.meta.url)('app-builder-lib/out/util/config/config.js') as { validateConfiguration(config: unknown, logger: unknown): Promise<void> };
    await validateConfiguration(structuredClone(config), { isEnabled: false, add: () => undefined });
    await assert.rejects(validateConfiguration({ ...structuredClone(config), macc: {} }, { isEnabled: false, add: () => undefined }), /macc/, 'and it does reject a misspelt option');
  });

  it('names the app and builds every platform’s installers with icons from resources/', () => {
    assert.equal(config.productName, 'Shukuden 祝電');
    assert.match(config.appId, /^[a-z]+(\.[a-z]+)+$/);
    const targets = (list: readonly Target[]) => list.flatMap((t) => t.arch.map((a) => `${t.target}:${a}`)).sort();
    assert.deepEqual(targets(config.mac.target), ['dmg:arm64', 'dmg:x64', 'zip:arm64', 'zip:x64']);
    assert.deepEqual(targets(config.win.target), ['nsis:x64']);
    assert.deepEqual(targets(config.linux.target), ['AppImage:x64', 'deb:x64']);
    assert.equal(readFileSync(join(ROOT, config.mac.icon)).subarray(0, 4).toString('latin1'), 'icns');
    assert.deepEqual([...readFileSync(join(ROOT, config.win.icon)).subarray(0, 4)], [0, 0, 1, 0]);
    assert.ok(existsSync(join(ROOT, config.linux.icon, '512x512.png')));
    assert.match(config.mac.extendInfo['NSMicrophoneUsageDescription'] ?? '', /rehearsal/, 'macOS asks for the microphone with a reason');
  });

  it('unpacks every native binary or executable of the production dependency tree from the asar', () => {
    const binaries: string[] = [];
    for (const dir of production) {
      if (!existsSync(join(ROOT, dir))) continue; // another platform's optional package
      for (const file of walk(join(ROOT, dir))) {
        const path = relative(ROOT, file).split('\\').join('/');
        const executable = (statSync(file).mode & 0o111) !== 0;
        if ((executable || /\.(node|exe|dll|dylib|so)$/.test(path)) && isNativeBinary(file)) binaries.push(path);
      }
    }
    assert.ok(binaries.some((p) => p.startsWith('node_modules/@ffmpeg-installer/')), `ffmpeg is among them: ${binaries.join(', ')}`);
    assert.ok(binaries.some((p) => p.startsWith('node_modules/@ngrok/') && p.endsWith('.node')), `ngrok's module is among them: ${binaries.join(', ')}`);
    const sealed = binaries.filter((p) => !config.asarUnpack.some((pattern) => matchesGlob(p, pattern)));
    assert.deepEqual(sealed, [], 'each is matched by asarUnpack');
    // Other platforms' packages, named the same way, are unpacked by the same patterns.
    for (const p of ['node_modules/@ffmpeg-installer/win32-x64/ffmpeg.exe', 'node_modules/@ffmpeg-installer/darwin-arm64/ffmpeg', 'node_modules/@ngrok/ngrok-win32-x64-msvc/ngrok.win32-x64-msvc.node', 'node_modules/@ngrok/ngrok-darwin-universal/ngrok.darwin-universal.node']) {
      assert.ok(config.asarUnpack.some((pattern) => matchesGlob(p, pattern)), p);
    }
  });

  it('ships Windows the Visual C++ runtime ngrok’s module links, beside the app', () => {
    // @ngrok/ngrok-win32-x64-msvc imports VCRUNTIME140.dll (objdump -p); Windows looks beside the .exe first.
    assert.deepEqual(config.win.extraFiles, [{ from: 'build/win-runtime', to: '.', filter: ['vcruntime140.dll'] }]);
    assert.match(readFileSync(join(ROOT, 'scripts/dist.ts'), 'utf8'), /vcruntime140\.dll/);
  });

  it('packs what the main process loads at run time, and every package its bundle imports', () => {
    const main = join(ROOT, 'out/main');
    assert.ok(existsSync(join(main, 'index.js')), 'the production build exists (npm test builds it first)');
    for (const file of [pkg.main, 'out/main/serve.js', 'out/main/hosted-line.cjs', 'out/preload/index.cjs', 'out/renderer/index.html', 'resources/icons/32x32.png']) {
      assert.ok(existsSync(join(ROOT, file)), `${file} exists`);
      assert.ok(packed(file), `${file} is packed`);
    }
    const imported = new Set<string>();
    for (const file of readdirSync(main).filter((f) => f.endsWith('.js'))) {
      // Static imports, and packages loaded on first use: `import("x")`, `cjsRequire("x")` (server/cjs-require.ts).
      for (const [, specifier] of readFileSync(join(main, file), 'utf8').matchAll(/(?:(?:^|\n)import\s[^'"]*?|\b(?:import|require|cjsRequire)\(\s*)["']([^"'./][^"']*)["']/g)) {
        if (specifier === undefined || specifier.startsWith('node:') || specifier === 'electron') continue;
        imported.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0] ?? specifier);
      }
    }
    assert.ok(['twilio', '@ngrok/ngrok', 'express', 'qrcode', 'fast-xml-parser'].every((name) => imported.has(name)), `bare imports found: ${[...imported].join(', ')}`);
    assert.deepEqual([...imported].filter((name) => !(name in pkg.dependencies)).sort(), [], 'each is a production dependency');
    // ffmpeg is found at run time by package name, not imported.
    assert.ok('@ffmpeg-installer/ffmpeg' in pkg.dependencies);
  });

  it('packs no source, test or stand-in', () => {
    for (const dir of ['tests', 'bench', 'server', 'electron', 'renderer', 'scripts']) {
      const found = [...walk(join(ROOT, dir))].map((f) => relative(ROOT, f).split('\\').join('/')).filter(packed);
      assert.deepEqual(found, [], `nothing from ${dir}/`);
    }
    const bundle = readdirSync(join(ROOT, 'out/main')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(ROOT, 'out/main', f), 'utf8')).join('\n');
    assert.match(bundle, /\/\/ server\/call-runner\.ts/, 'the bundle names its modules, so this check can see them');
    assert.doesNotMatch(bundle, /\/\/ server\/twilio-emulator\//, 'the Twilio emulator is not in the app');
    assert.doesNotMatch(bundle, /\/\/ tests\//, 'no test code is in the app');
    for (const testOnly of ['playwright-core', 'music-metadata', 'electron', 'esbuild']) assert.ok(!(testOnly in pkg.dependencies), `${testOnly} is not shipped`);
  });
});
