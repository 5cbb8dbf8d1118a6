/** 16-bit PCM WAV encode/decode: enough for Twilio-style 8 kHz mono recordings. */

export interface Pcm {
  readonly sampleRate: number;
  readonly channels: number;
  /** Interleaved 16-bit samples. */
  readonly samples: Int16Array;
}

export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

export function encodeWav(pcm: Pcm): Buffer {
  const dataBytes = pcm.samples.length * 2;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(pcm.channels, 22);
  header.writeUInt32LE(pcm.sampleRate, 24);
  header.writeUInt32LE(pcm.sampleRate * pcm.channels * 2, 28);
  header.writeUInt16LE(pcm.channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  const data = Buffer.from(pcm.samples.buffer, pcm.samples.byteOffset, dataBytes);
  return Buffer.concat([header, data]);
}

/** Reads a 16-bit PCM WAV, walking chunks (ffmpeg and sox add LIST chunks before data). */
export function decodeWav(buf: Buffer): Pcm {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavFormatError('Not a RIFF/WAVE file');
  }
  let offset = 12;
  let format: { channels: number; sampleRate: number; bits: number; tag: number } | null = null;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = {
        tag: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bits: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new WavFormatError('data chunk before fmt chunk');
      if ((format.tag !== 1 && format.tag !== 0xfffe) || format.bits !== 16) {
        throw new WavFormatError(`Unsupported WAV encoding (format ${format.tag}, ${format.bits}-bit)`);
      }
      const end = Math.min(body + size, buf.length);
      const bytes = Buffer.from(buf.subarray(body, end - ((end - body) % 2)));
      return {
        sampleRate: format.sampleRate,
        channels: format.channels,
        samples: new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2),
      };
    }
    offset = body + size + (size % 2);
  }
  throw new WavFormatError('No data chunk');
}

export function durationSeconds(pcm: Pcm): number {
  return pcm.samples.length / pcm.channels / pcm.sampleRate;
}
