// electron-builder afterPack hook: the packed app must carry, unpacked from the asar, the
// ffmpeg and the ngrok native module for the platform and architecture it was packed for.
// npm installs only the build machine's optional packages, so a cross-build (e.g. an x64 Mac
// app on an arm64 Mac) stops here with the fix instead of shipping a binary that can't run.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ARCH = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

export default async function afterPack(context) {
  const platform = context.electronPlatformName;
  const arch = ARCH[context.arch] ?? String(context.arch);
  const resources = context.packager.getResourcesDir(context.appOutDir);
  const modules = join(resources, 'app.asar.unpacked', 'node_modules');
  const ffmpeg = join(modules, '@ffmpeg-installer', `${platform}-${arch}`, platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
  const ngrokDir = join(modules, '@ngrok');
  const ngrok = existsSync(ngrokDir)
    ? readdirSync(ngrokDir).some((pkg) => pkg.startsWith(`ngrok-${platform}-${arch}`) || pkg === `ngrok-${platform}-universal`)
    : false;
  const ngrokPackage = `@ngrok/ngrok-${platform}-${arch}${{ win32: '-msvc', linux: '-gnu' }[platform] ?? ''}`;
  const missing = [existsSync(ffmpeg) ? null : `@ffmpeg-installer/${platform}-${arch}`, ngrok ? null : ngrokPackage].filter(Boolean);
  if (missing.length > 0) {
    throw new Error(
      `The ${platform}-${arch} app lacks ${missing.join(' and ')} (npm installs only this machine's). ` +
        `Install them first: npm install --no-save --os=${platform} --cpu=${arch} ${missing.join(' ')}`,
    );
  }
}
