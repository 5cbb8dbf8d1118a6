import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav, durationSeconds } from './wav.ts';

// Prompt files are content-addressed (a new greeting gets a new name), so a length is read once.
const lengths = new Map<string, number | null>();

/** Seconds an organiser's recorded greeting lasts, or null when it can't tell (an MP3, a missing file). */
export function promptFileSeconds(promptDir: string, file: string): number | null {
  const path = join(promptDir, file);
  if (!lengths.has(path)) {
    let seconds: number | null = null;
    if (file.toLowerCase().endsWith('.wav')) {
      try {
        seconds = durationSeconds(decodeWav(readFileSync(path)));
      } catch {
        seconds = null;
      }
    }
    lengths.set(path, seconds);
  }
  return lengths.get(path) ?? null;
}
