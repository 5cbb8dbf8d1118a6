import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const PARTIAL = '.partial';

/**
 * Writes `data` to `path` so that `path` either doesn't exist or holds all of it:
 * write a hidden partial file, flush it to disk, rename it into place, flush the folder.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const partial = join(dirname(path), `.${basename(path)}${PARTIAL}`);
  const file = await open(partial, 'w');
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (error) {
    // A full disk: don't leave half a file taking the space that is short.
    await file.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
  await file.close();
  await rename(partial, path);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } catch {
    // Some platforms (Windows) can't fsync a folder; the rename is still atomic there.
  } finally {
    await dir.close();
  }
}

/**
 * Removes partial files left by a crash mid-write; they never look like finished files. Only those
 * older than `before` (this process's start): one this process is writing now (a guest's upload
 * while the downloader starts) is left to finish.
 */
export async function removePartials(dir: string, before: number = performance.timeOrigin): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const partials = names.filter((name) => name.startsWith('.') && name.endsWith(PARTIAL));
  const stale = await Promise.all(partials.map(async (name) => ((await stat(join(dir, name)).catch(() => null))?.mtimeMs ?? Infinity) < before));
  const removed = partials.filter((_, i) => stale[i]);
  await Promise.all(removed.map((name) => rm(join(dir, name), { force: true })));
  return removed.length;
}
