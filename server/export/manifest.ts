import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** Kept in the output folder: which files this app wrote there, and from what. */
export const MANIFEST_NAME = '.shukuden-export.json';

const manifestSchema = z.object({
  version: z.literal(1),
  /** File name (in the output folder) → hash of everything that went into it. */
  files: z.record(z.string(), z.string()),
});

/** What the last export left in a folder. */
export interface ExportManifest {
  readonly version: 1;
  readonly files: Readonly<Record<string, string>>;
}

/** The manifest in `outputDir`, or an empty one (first export, or an unreadable file: then everything is re-rendered). */
export async function readManifest(outputDir: string): Promise<ExportManifest> {
  try {
    return manifestSchema.parse(JSON.parse(await readFile(join(outputDir, MANIFEST_NAME), 'utf8')));
  } catch {
    return { version: 1, files: {} };
  }
}

/** Replaces the manifest atomically (a crash leaves the old one or the new one, never half). */
export async function writeManifest(outputDir: string, manifest: ExportManifest): Promise<void> {
  const target = join(outputDir, MANIFEST_NAME);
  const partial = `${target}.partial`;
  try {
    await writeFile(partial, `${JSON.stringify(manifest, null, 1)}\n`);
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** A stable hash of JSON-able parts (object keys in the order given). */
export function hashOf(...parts: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(Buffer.isBuffer(part) ? part : JSON.stringify(part) ?? 'undefined').update('\0');
  return hash.digest('hex');
}

/** The hash of a file's bytes. */
export async function hashFile(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}
