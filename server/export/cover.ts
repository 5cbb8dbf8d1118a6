import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveFfmpeg } from '../audio/ffmpeg.ts';
import { UserError } from '../user-error.ts';
import { albumFolder } from './arrangement.ts';
import { EXPORT_FFMPEG_ARGS, runFfmpegJob } from './ffmpeg-job.ts';

/** Covers are stored at most this wide and tall: plenty for a car screen, small enough for an iPod. */
export const COVER_MAX_PIXELS = 600;
const MAX_SOURCE_BYTES = 50 * 1024 * 1024;

/** What the first bytes say the image is. */
export function sniffImage(head: Buffer): 'jpeg' | 'png' | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  return null;
}

/**
 * Checks a JPEG/PNG cover (by its bytes, then by decoding it whole), scales it to fit 600×600
 * and stores it as a JPEG in the data folder's `album/` folder. Returns the stored file name
 * (for `AlbumArrangement.coverFile`); other formats and damaged images are a UserError.
 */
export async function importCover(dataDir: string, sourcePath: string, options: { readonly ffmpeg?: string } = {}): Promise<string> {
  const head = await readHead(sourcePath);
  if (sniffImage(head) === null) {
    throw new UserError('cover-format', {
      en: 'The cover must be a JPEG or PNG picture. Save it as .jpg or .png (for example with your photo app’s “Export”) and choose it again.',
      ja: 'ジャケット画像は JPEG か PNG にしてください。写真アプリの「書き出し」などで .jpg か .png に保存してから、もう一度選んでください。',
    });
  }
  const ffmpeg = options.ffmpeg ?? resolveFfmpeg();
  const folder = albumFolder(dataDir);
  await mkdir(folder, { recursive: true });
  const partial = join(folder, `.cover-${process.pid}-${Date.now()}.jpg.partial`);
  try {
    // explode (with -xerror): a truncated or damaged picture fails here instead of half-decoding.
    await runFfmpegJob({
      program: ffmpeg,
      args: [
        ...EXPORT_FFMPEG_ARGS, '-err_detect', 'explode',
        '-i', sourcePath, '-frames:v', '1',
        '-vf', `scale=w='${fitEven('iw')}':h='${fitEven('ih')}',format=yuvj420p`,
        '-q:v', '3', '-f', 'mjpeg', partial,
      ],
    });
    const bytes = await readFile(partial);
    const name = `cover-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}.jpg`;
    await rename(partial, join(folder, name));
    return name;
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof UserError) throw error;
    throw new UserError(
      'cover-unreadable',
      {
        en: 'This picture is damaged or incomplete and can’t be used as the cover. Open it in a photo app, save a new copy as JPEG or PNG, and choose that.',
        ja: 'この画像は壊れているか途中までしかないため、ジャケットに使えません。写真アプリで開いて JPEG か PNG で保存し直し、それを選んでください。',
      },
      { cause: error },
    );
  }
}

/**
 * One side scaled to fit COVER_MAX_PIXELS square (never enlarged, aspect kept), rounded down to an even
 * number for 4:2:0 JPEG. Spelled out because the ffmpeg we ship has no `force_divisible_by`.
 */
function fitEven(side: 'iw' | 'ih'): string {
  return `max(2,2*trunc(min(1,min(${COVER_MAX_PIXELS}/iw,${COVER_MAX_PIXELS}/ih))*${side}/2))`;
}

async function readHead(path: string): Promise<Buffer> {
  try {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      if (size > MAX_SOURCE_BYTES) {
        throw new UserError('cover-too-large', {
          en: 'This picture is larger than 50 MB. Choose a smaller copy (any size from 600×600 pixels up is enough).',
          ja: 'この画像は 50 MB を超えています。小さいもの（600×600 ピクセル以上あれば十分です）を選んでください。',
        });
      }
      const head = Buffer.alloc(16);
      const { bytesRead } = await file.read(head, 0, 16, 0);
      return head.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError('cover-missing', {
      en: `The picture "${path}" can't be opened (${(error as Error).message}). Check that it still exists and choose it again.`,
      ja: `画像「${path}」を開けません（${(error as Error).message}）。ファイルがあるか確かめて、もう一度選んでください。`,
    }, { cause: error });
  }
}
