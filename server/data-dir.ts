import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from './user-error.ts';

/** Where messages live when the organiser doesn't say: the usual per-user app-data folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  switch (platform()) {
    case 'win32':
      return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Shukuden');
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Shukuden');
    default:
      return join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'Shukuden');
  }
}

/** Creates the data folder if needed and proves we can write there, or explains what to do. */
export function prepareDataDir(dir: string): string {
  const path = resolve(dir);
  try {
    mkdirSync(path, { recursive: true });
    if (!statSync(path).isDirectory()) throw new Error('not a folder');
    accessSync(path, constants.R_OK | constants.W_OK);
    return path;
  } catch (error) {
    throw new UserError(
      'data-dir-unusable',
      {
        en: `Shukuden can't use the data folder "${path}" (${(error as Error).message}). Choose a folder you can write to, for example in your Documents.`,
        ja: `データフォルダ「${path}」を使えません（${(error as Error).message}）。書き込みできるフォルダ（例：書類フォルダ内）を選んでください。`,
      },
      { cause: error },
    );
  }
}
