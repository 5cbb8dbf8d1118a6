import { open, readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

/** One file to put in the zip: its name inside the archive and where it is on disk. */
export interface ZipEntry {
  readonly name: string;
  readonly path: string;
}

/**
 * Writes a zip (stored, no compression: MP3 and JPEG don't shrink, and every unzipper reads
 * "stored") with UTF-8 names flagged (bit 11) so Japanese names unpack correctly on Windows and
 * macOS. Zip32: the album stays far below 4 GB and 65,535 files. One file is read at a time.
 */
export async function writeZip(target: string, entries: readonly ZipEntry[], options: { readonly signal?: AbortSignal; readonly date?: Date } = {}): Promise<void> {
  const { time, date } = dosDateTime(options.date ?? new Date());
  const out = await open(target, 'w');
  try {
    const central: Buffer[] = [];
    let offset = 0;
    for (const entry of entries) {
      options.signal?.throwIfAborted();
      const data = await readFile(entry.path);
      const name = Buffer.from(entry.name.normalize('NFC'), 'utf8');
      const crc = crc32(data);
      if (offset + data.length > 0xffff_ffff) throw new Error('the album is too large for a zip file (over 4 GB)');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4); // version needed: 2.0
      local.writeUInt16LE(0x0800, 6); // UTF-8 names
      local.writeUInt16LE(0, 8); // stored
      local.writeUInt16LE(time, 10);
      local.writeUInt16LE(date, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(data.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(0, 28);
      await out.write(Buffer.concat([local, name]));
      await out.write(data);
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0 (so the mode below is honoured)
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(0x0800, 8);
      header.writeUInt16LE(0, 10);
      header.writeUInt16LE(time, 12);
      header.writeUInt16LE(date, 14);
      header.writeUInt32LE(crc, 16);
      header.writeUInt32LE(data.length, 20);
      header.writeUInt32LE(data.length, 24);
      header.writeUInt16LE(name.length, 28);
      header.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
      header.writeUInt32LE(offset, 42);
      central.push(header, name);
      offset += local.length + name.length + data.length;
    }
    const directory = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    await out.write(Buffer.concat([directory, end]));
    await out.sync();
  } finally {
    await out.close();
  }
}

/** MS-DOS time and date (local time, 2-second steps), as zip stores them. */
function dosDateTime(at: Date): { readonly time: number; readonly date: number } {
  const year = Math.max(1980, at.getFullYear());
  return {
    time: (at.getHours() << 11) | (at.getMinutes() << 5) | Math.floor(at.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate(),
  };
}
