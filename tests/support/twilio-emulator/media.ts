import { resolveFfmpeg, runFfmpeg } from '../../../server/audio/ffmpeg.ts';
import type { Reply } from './http-io.ts';
import type { EmulatedRecording } from './records.ts';

/**
 * Recording media, outside the JSON API (and outside the OpenAPI spec): Twilio serves
 * `…/Recordings/RE….wav`, `….mp3`, and WAV at the bare URL (the `media_url`).
 */
export const MEDIA_PATH = /^\/2010-04-01\/Accounts\/(?<account>[^/]+)\/Recordings\/(?<sid>RE[0-9a-fA-F]{32})(?<ext>\.wav|\.mp3)?$/;

export type MediaFormat = 'wav' | 'mp3';

export function mediaFormat(ext: string | undefined): MediaFormat {
  return ext === '.mp3' ? 'mp3' : 'wav';
}

/** Transcodes to MP3 once per recording (Debian's ffmpeg with libmp3lame), like Twilio's on-demand MP3. */
export class Mp3Cache {
  readonly #mp3 = new Map<string, Promise<Buffer>>();

  get(recording: EmulatedRecording): Promise<Buffer> {
    let mp3 = this.#mp3.get(recording.sid);
    if (!mp3) {
      mp3 = runFfmpeg(resolveFfmpeg(), ['-f', 'wav', '-i', 'pipe:0', '-codec:a', 'libmp3lame', '-b:a', '32k', '-f', 'mp3', 'pipe:1'], recording.wav);
      // A failed transcode is not cached, so a later request tries again.
      mp3.catch(() => this.#mp3.delete(recording.sid));
      this.#mp3.set(recording.sid, mp3);
    }
    return mp3;
  }
}

export async function mediaReply(recording: EmulatedRecording, format: MediaFormat, mp3: Mp3Cache): Promise<Reply> {
  switch (format) {
    case 'wav':
      return { kind: 'media', contentType: 'audio/x-wav', body: recording.wav };
    case 'mp3':
      return { kind: 'media', contentType: 'audio/mpeg', body: await mp3.get(recording) };
    default:
      return format satisfies never;
  }
}
