import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { TestContext } from 'node:test';

/** Runs `use` with `dir` mounted as a tmpfs of `size` (e.g. "120k"): a full disk; skips the test where mounting needs root. */
export async function onTinyDisk(t: TestContext, dir: string, size: string, use: () => Promise<void>): Promise<void> {
  await mkdir(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    t.skip('mounting a tiny tmpfs needs root (mount -t tmpfs failed here)');
    return;
  }
  try {
    await use();
  } finally {
    execFileSync('umount', [dir]);
  }
}
