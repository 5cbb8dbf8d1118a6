import { open } from 'node:fs/promises';
import { runFfmpegJob } from './ffmpeg-job.ts';

/**
 * How long an audio file plays, in seconds. WAV (every stored message) is read from its header;
 * anything else (an intro clip in MP3, say) is decoded once by ffmpeg.
 */
export async function mediaDurationSeconds(ffmpeg: string, path: string, signal?: AbortSignal): Promise<number> {
  const fromHeader = await wavHeaderDuration(path);
  if (fromHeader !== null) return fromHeader;
  const stderr = await runFfmpegJob({ program: ffmpeg, args: ['-hide_banner', '-nostdin', '-i', path, '-map', '0:a:0', '-f', 'null', '-'] }, signal);
  // The last progress line carries the decoded length ("time=00:00:04.60").
  const times = [...stderr.matchAll(/time=(\d+):(\d+):(\d+(?:\.\d+)?)/g)];
  const last = times.at(-1);
  if (!last) throw new Error(`could not tell how long ${path} is`);
  return Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3]);
}

/** PCM WAV duration from the RIFF chunks, or null when the file is not a plain PCM WAV. */
async function wavHeaderDuration(path: string): Promise<number | null> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    if (bytesRead < 12 || head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') return null;
    let byteRate = 0;
    for (let at = 12; at + 8 <= bytesRead; ) {
      const id = head.toString('latin1', at, at + 4);
      const size = head.readUInt32LE(at + 4);
      if (id === 'fmt ' && at + 16 <= bytesRead) byteRate = head.readUInt32LE(at + 16);
      if (id === 'data') {
        if (byteRate === 0) return null;
        const { size: fileSize } = await file.stat();
        // A data size past the end of the file (streamed WAVs write 0xFFFFFFFF) is capped to what is there.
        return Math.min(size, fileSize - (at + 8)) / byteRate;
      }
      at += 8 + size + (size % 2);
    }
    return null;
  } finally {
    await file.close();
  }
}
