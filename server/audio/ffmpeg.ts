import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { UserError } from '../user-error.ts';

const NO_FFMPEG: ConstructorParameters<typeof UserError>[1] = {
  en: 'ffmpeg, the audio converter Shukuden uses, was not found. Reinstall Shukuden, or install ffmpeg (e.g. "sudo apt install ffmpeg") or set FFMPEG_PATH to its location.',
  ja: '音声変換ツール ffmpeg が見つかりません。Shukuden を再インストールするか、ffmpeg をインストール（例：sudo apt install ffmpeg）するか、FFMPEG_PATH にその場所を設定してください。',
};

/**
 * Finds ffmpeg: FFMPEG_PATH, then the optional `ffmpeg-static` package (bundled on users'
 * machines), then `ffmpeg` on PATH. Throws a UserError naming the fix when there is none.
 */
export function resolveFfmpeg(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env['FFMPEG_PATH'];
  if (configured) {
    if (isExecutable(configured)) return configured;
    throw new UserError('ffmpeg-missing', {
      en: `FFMPEG_PATH points at "${configured}", which is not a program. ${NO_FFMPEG.en}`,
      ja: `FFMPEG_PATH の「${configured}」は実行できません。${NO_FFMPEG.ja}`,
    });
  }
  const bundled = fromFfmpegStatic();
  if (bundled) return bundled;
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    for (const name of process.platform === 'win32' ? ['ffmpeg.exe'] : ['ffmpeg']) {
      const candidate = join(dir, name);
      if (dir && isExecutable(candidate)) return candidate;
    }
  }
  throw new UserError('ffmpeg-missing', NO_FFMPEG);
}

function fromFfmpegStatic(): string | null {
  try {
    const path = createRequire(import.meta.url)('ffmpeg-static') as unknown;
    return typeof path === 'string' && isExecutable(path) ? path : null;
  } catch {
    return null; // optional dependency, absent where its download can't run
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs ffmpeg with `args`, feeding `input` on stdin; resolves with stdout, rejects with its stderr tail. */
export function runFfmpeg(ffmpeg: string, args: readonly string[], input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(err.trim() || `ffmpeg exited with ${code}`))));
    // ffmpeg may stop reading early on bad input; that is reported through its exit code.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
