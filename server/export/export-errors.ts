import { isDiskFullError } from '../disk-full.ts';
import { UserError, type Bilingual } from '../user-error.ts';
import { FfmpegFailed } from './ffmpeg-job.ts';

/** The export was cancelled by the organiser (the AbortSignal's reason when none was given). */
export class ExportCancelled extends Error {
  override readonly name = 'ExportCancelled';
}

/** Whether `error` (a Node error or ffmpeg's output) means the disk is full. */
export function isDiskFull(error: unknown): boolean {
  if (isDiskFullError(error)) return true;
  return error instanceof FfmpegFailed && /No space left on device|Disk quota exceeded/i.test(error.stderr);
}

/**
 * Turns whatever stopped an export into a UserError saying what happened and what to do.
 * `what` names the step or track that failed, in both languages.
 */
export function exportError(error: unknown, context: { readonly outputDir: string; readonly what: Bilingual | null; readonly cancelled: boolean; readonly finished: number; readonly total: number }): UserError {
  if (error instanceof UserError) return error;
  const kept = {
    ja: context.finished > 0 ? `完成した ${context.finished}/${context.total} 曲は残してあり、次回の書き出しでは作り直しません。` : '',
    en: context.finished > 0 ? ` The ${context.finished} of ${context.total} finished tracks were kept; the next export won't redo them.` : '',
  };
  if (context.cancelled) {
    return new UserError('export-cancelled', {
      ja: `書き出しを中止しました。途中のファイルは削除しました。${kept.ja}アルバムを完成させるには、もう一度書き出してください。`,
      en: `Export cancelled. Partly written files were removed.${kept.en} Export again to finish the album.`,
    }, { cause: error });
  }
  if (isDiskFull(error)) {
    return new UserError('export-disk-full', {
      ja: `保存先「${context.outputDir}」の空き容量がなくなりました。途中のファイルは削除しました。${kept.ja}空き容量を増やすか別の保存先を選んで、もう一度書き出してください。`,
      en: `The disk holding "${context.outputDir}" is full. Partly written files were removed.${kept.en} Free some space or choose another output folder, then export again.`,
    }, { cause: error });
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new UserError('export-folder-unwritable', {
      ja: `保存先「${context.outputDir}」に書き込めません。書き込みできるフォルダ（例：書類フォルダ内）を選んで、もう一度書き出してください。`,
      en: `Shukuden can't write to "${context.outputDir}". Choose a folder you can write to (for example in your Documents) and export again.`,
    }, { cause: error });
  }
  const detail = (error as Error | null)?.message ?? String(error);
  return new UserError('export-failed', {
    ja: `書き出しに失敗しました${context.what ? `（${context.what.ja}）` : ''}：${detail}。途中のファイルは削除しました。${kept.ja}そのメッセージを聞き直すかアルバムから外して、もう一度書き出してください。`,
    en: `The export failed${context.what ? ` (${context.what.en})` : ''}: ${detail}. Partly written files were removed.${kept.en} Check that message (play it, or take it off the album) and export again.`,
  }, { cause: error });
}
