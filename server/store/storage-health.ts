import type { Log } from '../log.ts';
import { isDiskFullError } from '../disk-full.ts';
import { UserError } from '../user-error.ts';

/** What was being written when the data folder refused: the downloads, the database, or guest-link uploads. */
export type StorageArea = 'downloads' | 'database' | 'uploads';

/** SQLite's primary result codes we tell apart (https://www.sqlite.org/rescode.html). */
const SQLITE = { BUSY: 5, LOCKED: 6, READONLY: 8, IOERR: 10, CORRUPT: 11, FULL: 13, CANTOPEN: 14, NOTADB: 26 } as const;

/**
 * Turns a file-system or SQLite error into the organiser's words, or null when it is not a
 * storage problem (a bug, a bad input). The real cause is named, never SQLite's rollback noise.
 */
export function storageProblem(error: unknown, dataDir: string): UserError | null {
  if (error instanceof UserError) return null;
  const e = error as { code?: unknown; errcode?: unknown; message?: unknown };
  const fsCode = typeof e.code === 'string' ? e.code : '';
  const sqlite = typeof e.errcode === 'number' ? e.errcode & 0xff : -1;
  if (isDiskFullError(error) || sqlite === SQLITE.FULL) {
    return new UserError('disk-full', {
      en: `The disk is full — free space on the drive holding ${dataDir} (empty the trash, move big files away). Calls are still answered; messages wait safely at Twilio (guest-link recordings on the guests' phones) and come home by themselves once there is room.`,
      ja: `ディスクがいっぱいです — ${dataDir} があるドライブの空き容量を増やしてください（ごみ箱を空にする、大きなファイルを移動するなど）。電話の受付は続いており、メッセージは Twilio に（ゲスト用リンクの録音はゲストのスマートフォンに）安全に残っています。空きができれば自動で取り込まれます。`,
    });
  }
  if (fsCode === 'EACCES' || fsCode === 'EPERM' || fsCode === 'EROFS' || sqlite === SQLITE.READONLY || sqlite === SQLITE.CANTOPEN) {
    return new UserError('data-folder-not-writable', {
      en: `Shukuden can't write to its data folder ${dataDir}. Check that the drive is connected and not read-only, and that your user may write there. Messages wait safely at Twilio (guest-link recordings on the guests' phones) meanwhile.`,
      ja: `データフォルダー ${dataDir} に書き込めません。ドライブが接続されていて読み取り専用でないこと、書き込み権限があることを確認してください。その間もメッセージは Twilio に（ゲスト用リンクの録音はゲストのスマートフォンに）安全に残っています。`,
    });
  }
  if (sqlite === SQLITE.BUSY || sqlite === SQLITE.LOCKED) {
    return new UserError('database-busy', {
      en: `The database in ${dataDir} is locked by another program (a second copy of Shukuden, a backup or sync tool). Close it; Shukuden keeps trying.`,
      ja: `${dataDir} のデータベースが別のプログラム（もう一つの Shukuden、バックアップや同期ツール）にロックされています。そのプログラムを閉じてください。Shukuden は再試行を続けます。`,
    });
  }
  if (sqlite === SQLITE.CORRUPT || sqlite === SQLITE.NOTADB) {
    return new UserError('database-damaged', {
      en: `The database in ${dataDir} is damaged. Restart Shukuden: it keeps the damaged file, starts from the newest backup and brings every message back from the recordings folder and Twilio.`,
      ja: `${dataDir} のデータベースが壊れています。Shukuden を再起動してください。壊れたファイルは残したまま、最新のバックアップから始め、録音フォルダーと Twilio からすべてのメッセージを取り戻します。`,
    });
  }
  if (fsCode === 'EIO' || sqlite === SQLITE.IOERR) {
    return new UserError('disk-error', {
      en: `The drive holding ${dataDir} reported an error while saving. Check that it is connected and healthy. Messages wait safely at Twilio (guest-link recordings on the guests' phones) meanwhile.`,
      ja: `${dataDir} があるドライブで保存中にエラーが起きました。接続と状態を確認してください。その間もメッセージは Twilio に（ゲスト用リンクの録音はゲストのスマートフォンに）安全に残っています。`,
    });
  }
  return null;
}

/**
 * What is wrong with the data folder right now, per area, plus notices that stay until the
 * app restarts (e.g. "the database was restored from a backup"). Home shows them.
 */
export class StorageHealth {
  readonly #dataDir: string;
  readonly #log: Log;
  readonly #problems = new Map<StorageArea, UserError>();
  readonly #notices: UserError[] = [];
  readonly #listeners = new Set<() => void>();

  constructor(dataDir: string, log: Log) {
    this.#dataDir = dataDir;
    this.#log = log;
  }

  /** Records a failed write; returns the problem, or null if the error was not about storage. */
  report(area: StorageArea, error: unknown): UserError | null {
    const problem = storageProblem(error, this.#dataDir);
    if (!problem) return null;
    const before = this.#problems.get(area);
    this.#problems.set(area, problem);
    if (before?.code !== problem.code) {
      this.#log.error('Could not save to the data folder', { area, problem: problem.code, error: (error as Error).message });
      this.#emit();
    }
    return problem;
  }

  /** A write in `area` worked again: its problem is gone. */
  ok(area: StorageArea): void {
    if (this.#problems.delete(area)) {
      this.#log.info('Saving to the data folder works again', { area });
      this.#emit();
    }
  }

  /** Something the organiser should know about since this start (once: a notice already shown is not added again). */
  notice(notice: UserError): void {
    if (this.#notices.some((shown) => shown.code === notice.code)) return;
    this.#notices.push(notice);
    this.#emit();
  }

  problem(area: StorageArea): UserError | null {
    return this.#problems.get(area) ?? null;
  }

  /** Current problems (one per code) then notices, in plain words. */
  list(): readonly UserError[] {
    const byCode = new Map<string, UserError>();
    for (const problem of this.#problems.values()) byCode.set(problem.code, problem);
    return [...byCode.values(), ...this.#notices];
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}
