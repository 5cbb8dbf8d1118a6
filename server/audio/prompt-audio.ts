import { createHash } from 'node:crypto';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDiskFullError } from '../disk-full.ts';
import { UserError } from '../user-error.ts';
import { ffmpegRefusedInput, resolveFfmpeg, runFfmpeg } from './ffmpeg.ts';
import { encodeWav } from './wav.ts';

/** Largest prompt file accepted: a few minutes of audio is plenty for a greeting. */
export const MAX_PROMPT_BYTES = 20 * 1024 * 1024;

export type SniffedFormat = 'wav' | 'mp3' | 'm4a' | 'aac' | 'unknown';

/** Identifies audio by its content, not its name: voice memos are often mislabelled. */
export function sniffAudio(buf: Buffer): SniffedFormat {
  if (buf.length >= 12 && buf.toString('ascii', 0, 4) === 'RIFF' && buf.toString('ascii', 8, 12) === 'WAVE') return 'wav';
  if (buf.length >= 12 && buf.toString('ascii', 4, 8) === 'ftyp') return 'm4a';
  if (buf.length >= 3 && buf.toString('ascii', 0, 3) === 'ID3') return 'mp3';
  if (buf.length >= 2 && buf[0] === 0xff) {
    const second = buf[1] ?? 0;
    // ADTS AAC sync word is 0xFFF with layer bits 00; MPEG audio layer III has layer bits 01.
    if ((second & 0xf6) === 0xf0) return 'aac';
    if ((second & 0xe0) === 0xe0 && (second & 0x06) === 0x02) return 'mp3';
  }
  return 'unknown';
}

/**
 * Stores an organiser's prompt audio where the public media route serves it.
 * MP3 and WAV (which Twilio's `<Play>` accepts) are kept byte for byte; M4A/AAC voice
 * memos are converted to WAV; anything else is refused with a message that says what to do.
 * Returns the stored file name (content-addressed, so re-importing is harmless).
 */
export async function importPromptAudio(input: Buffer, promptDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (input.length === 0) {
    throw new UserError('prompt-audio-empty', {
      en: 'That audio file is empty. Choose the recording again, or re-export it from the app you made it with.',
      ja: '音声ファイルが空です。もう一度ファイルを選ぶか、録音したアプリから書き出し直してください。',
    });
  }
  if (input.length > MAX_PROMPT_BYTES) {
    throw new UserError('prompt-audio-too-large', {
      en: 'That audio file is larger than 20 MB. Use a shorter recording (a greeting of under a minute is best).',
      ja: '音声ファイルが 20MB を超えています。もっと短い録音（1 分以内がおすすめ）を使ってください。',
    });
  }
  const format = sniffAudio(input);
  let output: Buffer;
  let extension: 'mp3' | 'wav';
  switch (format) {
    case 'wav':
    case 'mp3':
      output = input;
      extension = format;
      break;
    case 'm4a':
    case 'aac':
      output = await convertToWav(input, env);
      extension = 'wav';
      break;
    case 'unknown':
      throw new UserError('prompt-audio-unsupported', {
        en: "Shukuden can't play that file on the phone line. Use an MP3, WAV or M4A (voice memo) recording.",
        ja: 'このファイルは電話で再生できません。MP3・WAV・M4A（ボイスメモ）の録音を使ってください。',
      });
  }
  const name = `${createHash('sha256').update(output).digest('hex').slice(0, 32)}.${extension}`;
  const target = join(promptDir, name);
  // Write then rename: a crash never leaves a half-written prompt that Twilio would play.
  const temp = `${target}.${process.pid}.tmp`;
  try {
    await writeFile(temp, output);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw isDiskFullError(error) ? diskFull(error) : error;
  }
  return name;
}

/** Mono 16 kHz 16-bit PCM: plays on every phone line and keeps the voice clear. */
const PROMPT_RATE = 16_000;

async function convertToWav(input: Buffer, env: NodeJS.ProcessEnv): Promise<Buffer> {
  const ffmpeg = resolveFfmpeg(env);
  // The source through a file, not a pipe: an M4A whose index sits at the end can't be read from a pipe.
  const work = await mkdtemp(join(tmpdir(), 'shukuden-prompt-'));
  try {
    const source = join(work, 'in.m4a');
    await writeFile(source, input);
    // The audio comes back on stdout, not through a file: an output file cut short by a full disk
    // (which the shipped ffmpeg can report and still exit 0) would be a shortened greeting.
    const pcm = await runFfmpeg(ffmpeg, ['-i', source, '-vn', '-ac', '1', '-ar', String(PROMPT_RATE), '-f', 's16le', '-c:a', 'pcm_s16le', 'pipe:1']);
    const samples = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + (pcm.length - (pcm.length % 2))));
    if (samples.length === 0) throw unreadable('no audio in the file', null);
    return encodeWav({ sampleRate: PROMPT_RATE, channels: 1, samples });
  } catch (error) {
    if (error instanceof UserError) throw error;
    if (isDiskFullError(error)) throw diskFull(error);
    if (!ffmpegRefusedInput(error)) {
      // ffmpeg could not run or was stopped: the organiser's file is not at fault.
      throw new UserError(
        'audio-tool-failed',
        {
          en: `Shukuden's audio tool (ffmpeg) could not run (${(error as Error).message}), so the file was not converted. Nothing was changed. Restart Shukuden and try again; if this keeps happening, install it again.`,
          ja: `Shukuden の音声ツール（ffmpeg）を実行できなかったため（${(error as Error).message}）、ファイルを変換できませんでした。何も変更していません。Shukuden を再起動してもう一度お試しください。続く場合は、もう一度インストールしてください。`,
        },
        { cause: error },
      );
    }
    throw unreadable((error as Error).message, error);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function diskFull(cause: unknown): UserError {
  return new UserError(
    'prompt-audio-disk-full',
    {
      en: 'The disk is full, so the recording could not be saved. Nothing was changed: free some space (empty the trash, move large files), then choose the file again.',
      ja: 'ディスクの空き容量がないため、録音を保存できませんでした。何も変更していません。空き容量を増やして（ゴミ箱を空にする、大きなファイルを移すなど）、もう一度ファイルを選んでください。',
    },
    { cause },
  );
}

function unreadable(detail: string, cause: unknown): UserError {
  return new UserError(
    'prompt-audio-unreadable',
    {
      en: `That M4A/AAC file could not be converted (${detail}). It may be damaged: record it again, or export it as MP3.`,
      ja: `M4A/AAC ファイルを変換できませんでした（${detail}）。ファイルが壊れている可能性があります。録音し直すか、MP3 で書き出してください。`,
    },
    { cause },
  );
}
