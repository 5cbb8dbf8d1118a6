import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { UserError } from '../user-error.ts';

const NO_FFMPEG: ConstructorParameters<typeof UserError>[1] = {
  en: 'ffmpeg, the audio converter Shukuden uses, was not found. Reinstall Shukuden, or install ffmpeg (e.g. "sudo apt install ffmpeg") or set FFMPEG_PATH to its location.',
  ja: '音声変換ツール ffmpeg が見つかりません。Shukuden を再インストールするか、ffmpeg をインストール（例：sudo apt install ffmpeg）するか、FFMPEG_PATH にその場所を設定してください。',
};

/**
 * Finds ffmpeg: FFMPEG_PATH, then the one shipped with Shukuden (the `@ffmpeg-installer`
 * package for this platform, unpacked from the app's asar), then `ffmpeg` on PATH (platforms
 * without a shipped binary). Throws a UserError naming the fix when there is none.
 */
export function resolveFfmpeg(env: NodeJS.ProcessEnv = process.env, shipped: () => string | null = shippedFfmpeg): string {
  const configured = env['FFMPEG_PATH'];
  if (configured) {
    if (isExecutable(configured)) return configured;
    throw new UserError('ffmpeg-missing', {
      en: `FFMPEG_PATH points at "${configured}", which is not a program. ${NO_FFMPEG.en}`,
      ja: `FFMPEG_PATH の「${configured}」は実行できません。${NO_FFMPEG.ja}`,
    });
  }
  const inside = shipped();
  if (inside) return inside;
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    for (const name of process.platform === 'win32' ? ['ffmpeg.exe'] : ['ffmpeg']) {
      const candidate = join(dir, name);
      if (dir && isExecutable(candidate)) return candidate;
    }
  }
  throw new UserError('ffmpeg-missing', NO_FFMPEG);
}

/** The package that carries ffmpeg for this platform and architecture (an optional dependency of `@ffmpeg-installer/ffmpeg`). */
export const SHIPPED_FFMPEG_PACKAGE = `@ffmpeg-installer/${process.platform}-${process.arch}`;

/** The shipped ffmpeg, or null where this platform has none installed. */
export function shippedFfmpeg(): string | null {
  let manifest: string;
  try {
    manifest = createRequire(import.meta.url).resolve(`${SHIPPED_FFMPEG_PACKAGE}/package.json`);
  } catch {
    return null;
  }
  const path = unpacked(join(dirname(manifest), process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg'));
  return isExecutable(path) ? path : null;
}

/**
 * Inside the installed app, packages are read from `app.asar`, but a program can only be run
 * from the copy electron-builder unpacks beside it (`asarUnpack`): `app.asar.unpacked`.
 */
export function unpacked(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** How a run of ffmpeg failed: it ran and exited with `exitCode` (its stderr tail is the message), or was stopped by `signal`. */
export class FfmpegExit extends Error {
  override readonly name = 'FfmpegExit';
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  constructor(message: string, exitCode: number | null, signal: NodeJS.Signals | null) {
    super(message);
    this.exitCode = exitCode;
    this.signal = signal;
  }
}

/**
 * Whether ffmpeg ran and refused its input: it exited by itself with an error of its own. Not when it
 * could not start (missing, blocked, another system's build), was stopped (killed), or a shell said
 * it can't run it (126/127) — then the input is not at fault.
 */
export function ffmpegRefusedInput(error: unknown): boolean {
  return error instanceof FfmpegExit && error.exitCode !== null && error.exitCode > 0 && error.exitCode < 126;
}

/**
 * Runs ffmpeg with `args`, feeding `input` on stdin; resolves with stdout. Rejects with an FfmpegExit
 * (its stderr tail) when it exits non-zero or is stopped, or with the spawn error when it can't start.
 */
export function runFfmpeg(ffmpeg: string, args: readonly string[], input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code, signal) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new FfmpegExit(err.trim() || (signal ? `ffmpeg was stopped (${signal})` : `ffmpeg exited with ${code}`), code, signal))));
    // ffmpeg may stop reading early on bad input; that is reported through its exit code.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
