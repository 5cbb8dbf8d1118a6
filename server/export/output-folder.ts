import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { UserError } from '../user-error.ts';

/**
 * Checks, before an export starts, that the album can be written exactly where the organiser
 * said: an absolute path that is a writable folder, or can be created inside one.
 */
export async function checkOutputFolder(path: string): Promise<string> {
  const trimmed = path.trim();
  if (!isAbsolute(trimmed)) {
    throw new UserError('output-folder-relative', {
      en: `"${trimmed}" is not a full folder path. Type the whole path (for example /Users/you/Music/Album or C:\\Users\\you\\Music\\Album).`,
      ja: `「${trimmed}」はフォルダの完全なパスではありません。/Users/you/Music/Album や C:\\Users\\you\\Music\\Album のように、最初から入力してください。`,
    });
  }
  const folder = resolve(trimmed);
  // The folder itself, or the nearest existing folder above it, decides whether we can write.
  for (let candidate = folder; ; candidate = dirname(candidate)) {
    const info = await stat(candidate).catch(() => null);
    if (info) {
      if (!info.isDirectory()) {
        throw new UserError('output-folder-not-folder', {
          en: `"${candidate}" is a file, not a folder, so the album can't go in ${folder}. Choose another folder.`,
          ja: `「${candidate}」はフォルダではなくファイルなので、${folder} に書き出せません。別のフォルダを選んでください。`,
        });
      }
      const writable = await access(candidate, constants.W_OK).then(() => true, () => false);
      if (!writable) {
        throw new UserError('output-folder-not-writable', {
          en: `Shukuden may not write in "${candidate}", so the album can't go in ${folder}. Choose a folder of your own, such as one in Documents or Music.`,
          ja: `「${candidate}」には書き込めないため、${folder} に書き出せません。「書類」や「ミュージック」の中など、自分のフォルダを選んでください。`,
        });
      }
      return folder;
    }
    if (dirname(candidate) === candidate) break;
  }
  throw new UserError('output-folder-missing', {
    en: `No part of "${folder}" exists on this computer. Choose an existing folder.`,
    ja: `「${folder}」はこのパソコンに見つかりません。今あるフォルダを選んでください。`,
  });
}
