import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import type { TrackTags } from './render-track.ts';

/**
 * An ID3v2.3 tag, written by us rather than ffmpeg: ffmpeg 5/6 store "comment" as a TXXX frame
 * that players don't show, and we want a real COMM. Text is UTF-16 with a BOM (v2.3 has no
 * UTF-8), so Japanese reads back on old players too. Frames: TIT2 TPE1 TPE2 TALB TRCK TYER COMM, APIC (front cover).
 */
export function id3v2Tag(tags: TrackTags, cover: Buffer | null): Buffer {
  const frames = [
    textFrame('TIT2', tags.title),
    textFrame('TPE1', tags.artist),
    ...(tags.albumArtist ? [textFrame('TPE2', tags.albumArtist)] : []),
    textFrame('TALB', tags.album),
    textFrame('TRCK', `${tags.track}/${tags.trackCount}`),
    textFrame('TYER', String(tags.year)),
    frame('COMM', Buffer.concat([Buffer.from([1]), Buffer.from('jpn', 'latin1'), utf16(''), Buffer.from([0, 0]), utf16(tags.comment)])),
    ...(cover ? [frame('APIC', Buffer.concat([Buffer.from([0]), Buffer.from('image/jpeg\0', 'latin1'), Buffer.from([3, 0]), cover]))] : []),
  ];
  const body = Buffer.concat(frames);
  const header = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, ...syncsafe(body.length)]);
  return Buffer.concat([header, body]);
}

/** Writes `tag` followed by the MP3 audio in `audio` to `output` (via a partial file), then removes `audio`. */
export async function writeTagged(tag: Buffer, audio: string, partial: string, output: string): Promise<void> {
  try {
    const out = await open(partial, 'w');
    try {
      await out.write(tag);
      for await (const chunk of createReadStream(audio)) await out.write(chunk as Buffer);
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(partial, output);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    await rm(audio, { force: true });
  }
}

function textFrame(id: string, text: string): Buffer {
  return frame(id, Buffer.concat([Buffer.from([1]), utf16(text)]));
}

function frame(id: string, data: Buffer): Buffer {
  const header = Buffer.alloc(10);
  header.write(id, 0, 'latin1');
  header.writeUInt32BE(data.length, 4); // v2.3 frame sizes are plain 32-bit (not syncsafe)
  return Buffer.concat([header, data]);
}

function utf16(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

function syncsafe(size: number): readonly number[] {
  return [(size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f];
}
