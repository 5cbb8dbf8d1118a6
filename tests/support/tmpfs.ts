import { execFile } from 'node:child_process';
import { open, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** A real small file system (tmpfs) that can be filled up: what a full disk does, not a mock of it. */
export interface SmallDisk {
  readonly dir: string;
  /** Fills every byte that is left (a filler file). */
  fill(): Promise<void>;
  /** Deletes the filler: there is room again. */
  free(): Promise<void>;
  unmount(): Promise<void>;
}

/** Mounts a tmpfs of `size` (e.g. '8m'); the reason when this machine doesn't allow it (not root, no mount). */
export async function mountSmallDisk(size: string): Promise<SmallDisk | { readonly skip: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'shukuden-small-disk-'));
  try {
    await exec('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  } catch (error) {
    await rmdir(dir);
    return { skip: `a small tmpfs can't be mounted here (${(error as Error).message.split('\n')[0]}); run as root to test a full disk` };
  }
  const filler = join(dir, 'filler.bin');
  return {
    dir,
    async fill() {
      const file = await open(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) await file.write(chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
      // The last bytes (smaller than a chunk).
      try {
        for (;;) await file.write(Buffer.alloc(512, 1));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        await file.close();
      }
    },
    free: () => rm(filler, { force: true }),
    async unmount() {
      await exec('umount', [dir]);
      await rmdir(dir);
    },
  };
}
