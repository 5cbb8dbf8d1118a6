import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { decodeWav, durationSeconds } from '../audio/wav.ts';
import { adoptRecording, nameClipWrites } from '../call-flow/take-writes.ts';
import type { Log } from '../log.ts';
import { UserError } from '../user-error.ts';
import type { CallStore } from './call-store.ts';
import { DATABASE_FILE, openDatabase } from './database.ts';

/** Folder (inside the data folder) with the database's online backups, newest kept. */
export const BACKUPS_DIR = 'backups';
const BACKUP_NAME = /^shukuden-(\d{8}T\d{6}\d{3}Z)\.sqlite$/;

/** What opening found: the database was fine, or it was damaged and replaced. */
export type Opened =
  | { readonly kind: 'ok'; readonly db: DatabaseSync }
  | { readonly kind: 'restored'; readonly db: DatabaseSync; readonly damagedFile: string; readonly backupFile: string | null };

/** Whether SQLite can read the whole file (header, pages, indexes). */
function isHealthy(path: string): boolean {
  let db: DatabaseSync | null = null;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    const row = db.prepare('PRAGMA quick_check').get() as { quick_check?: string } | undefined;
    return row?.quick_check === 'ok';
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/** Backups, newest first. */
export function listBackups(dataDir: string): readonly string[] {
  const dir = join(dataDir, BACKUPS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => BACKUP_NAME.test(name)).sort().reverse().map((name) => join(dir, name));
}

/**
 * Opens the database. A damaged file (not a database, failed check) is never deleted: it is
 * renamed beside it, and the newest good backup (or, without one, a fresh database) takes its place.
 */
export function openOrRestore(dataDir: string, log: Log, now: Date = new Date()): Opened {
  const path = join(dataDir, DATABASE_FILE);
  if (!existsSync(path) || isHealthy(path)) {
    try {
      return { kind: 'ok', db: openDatabase(dataDir) };
    } catch (error) {
      if (!isDamage(error)) throw error;
    }
  }
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  const damagedFile = `${path}.damaged-${stamp}`;
  renameSync(path, damagedFile);
  // The write-ahead log belongs to the damaged file; kept with it, never applied to the replacement.
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${damagedFile}${suffix}`);
  }
  const backupFile = listBackups(dataDir).find(isHealthy) ?? null;
  if (backupFile) copyFileSync(backupFile, path);
  log.error('The database was damaged; it is kept aside and Shukuden starts from ' + (backupFile ? 'the newest good backup' : 'a fresh database'), { damagedFile, backupFile });
  return { kind: 'restored', db: openDatabase(dataDir), damagedFile, backupFile };
}

/** The recordings folder's name (the downloader's RECORDINGS_DIR; not imported, so the store needs nothing from twilio/). */
const RECORDINGS = 'recordings';

/**
 * Every verified WAV in the recordings folder that the database doesn't know becomes a message
 * again (unconfirmed, caller unknown until the reconciler finds its call at Twilio). Returns how many.
 */
export function recoverRecordingsFromDisk(calls: CallStore, dataDir: string, log: Log): number {
  let recovered = 0;
  for (const { sid: recordingSid, name, path } of unclaimedWavs(join(dataDir, RECORDINGS), (sid) => calls.getTake(sid) !== null)) {
    let seconds: number;
    try {
      seconds = durationSeconds(decodeWav(readFileSync(path)));
    } catch {
      log.warn('A file in the recordings folder is not a readable WAV; left as it is', { file: name });
      continue;
    }
    const madeAt = statSync(path).mtime.toISOString();
    const standIn = recoveredCallSid(recordingSid);
    const adoption = adoptRecording(
      { call: calls.getCall(standIn), takes: calls.listTakes(standIn) },
      { callSid: standIn, accountSid: '', from: '', to: '', startedAt: madeAt, endedAt: madeAt },
      { recordingSid, recordingUrl: '', durationSeconds: Math.round(seconds), createdAt: madeAt },
      'reconciled',
    );
    calls.save(adoption.call, adoption.writes);
    calls.markDownloaded(recordingSid, `${RECORDINGS}/${name}`, madeAt);
    recovered++;
  }
  if (recovered > 0) log.info('Messages brought back from the recordings folder', { count: recovered });
  return recovered;
}

/** The name clips' folder (the downloader's NAME_CLIPS_DIR, likewise not imported). */
const NAME_CLIPS = 'name-clips';

/**
 * Beside each name clip's WAV, `RE….take` holds the RecordingSid of the message it names (the
 * downloader writes it): should the database be lost, the clip finds its message again from the files.
 */
export function nameClipOwnerFile(nameClipSid: string): string {
  return `${nameClipSid}.take`;
}

/**
 * Every name clip in the name-clips folder that no message claims is given back to the message its
 * owner file names (after `recoverRecordingsFromDisk`, so that message is there). A message keeps a
 * name clip it already has. Returns how many were given back.
 */
export function recoverNameClipsFromDisk(calls: CallStore, dataDir: string, log: Log): number {
  const dir = join(dataDir, NAME_CLIPS);
  let recovered = 0;
  for (const { sid: clipSid, name, path } of unclaimedWavs(dir, (sid) => calls.takeByNameClip(sid) !== null)) {
    let takeSid: string;
    let seconds: number;
    try {
      takeSid = readFileSync(join(dir, nameClipOwnerFile(clipSid)), 'utf8').trim();
      seconds = durationSeconds(decodeWav(readFileSync(path)));
    } catch {
      log.warn('A name clip whose message is not known was left as it is', { file: name });
      continue;
    }
    const writes = nameClipWrites(calls.stepTake(takeSid), { recordingSid: clipSid, recordingUrl: '', durationSeconds: Math.round(seconds) }, 'found');
    if (writes.length === 0) continue;
    calls.save(null, writes);
    calls.markNameClipDownloaded(clipSid, `${NAME_CLIPS}/${name}`, statSync(path).mtime.toISOString());
    recovered++;
  }
  if (recovered > 0) log.info('Name clips given back to their messages from the name-clips folder', { count: recovered });
  return recovered;
}

/** The `RE….wav` files in `dir` (none if it doesn't exist) whose RecordingSid `claimed` says nothing holds. */
function* unclaimedWavs(dir: string, claimed: (recordingSid: string) => boolean): Generator<{ readonly sid: string; readonly name: string; readonly path: string }> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const sid = /^(RE[0-9a-fA-F]{32})\.wav$/.exec(name)?.[1];
    if (sid && !claimed(sid)) yield { sid, name, path: join(dir, name) };
  }
}

/** The stand-in call of a message found on disk; replaced by the real call once Twilio names it. */
export function recoveredCallSid(recordingSid: string): string {
  return `recovered-${recordingSid}`;
}

function isDamage(error: unknown): boolean {
  const code = (error as { errcode?: unknown }).errcode;
  // SQLITE_CORRUPT, SQLITE_NOTADB.
  return typeof code === 'number' && ((code & 0xff) === 11 || (code & 0xff) === 26);
}

/** What the organiser is told after a damaged database was replaced. */
export function restoredNotice(opened: Extract<Opened, { kind: 'restored' }>): UserError {
  return opened.backupFile
    ? new UserError('database-restored', {
        en: `Shukuden's database was damaged, so it started from its latest backup. Every message is back from the recordings folder and Twilio; names, notes and cuts made after that backup may need doing again. The damaged file is kept as ${opened.damagedFile}.`,
        ja: `データベースが壊れていたため、最新のバックアップから起動しました。すべてのメッセージは録音フォルダーと Twilio から戻しています。バックアップより後に付けた名前・メモ・切り取りはやり直しが必要な場合があります。壊れたファイルは ${opened.damagedFile} として残してあります。`,
      })
    : new UserError('database-replaced', {
        en: `Shukuden's database was damaged and there was no backup yet, so it started a new one. Every message is back from the recordings folder and Twilio; names, notes and cuts need doing again. The damaged file is kept as ${opened.damagedFile}.`,
        ja: `データベースが壊れていて、まだバックアップがなかったため、新しく作り直しました。すべてのメッセージは録音フォルダーと Twilio から戻しています。名前・メモ・切り取りはやり直してください。壊れたファイルは ${opened.damagedFile} として残してあります。`,
      });
}

/**
 * Online backups with SQLite's backup API while the app runs: one every `everyMs` when
 * something changed, the newest `keep` kept. A failed backup is logged; the next one tries again.
 */
export class DatabaseBackups {
  readonly #db: DatabaseSync;
  readonly #dir: string;
  readonly #log: Log;
  readonly #keep: number;
  #timer: NodeJS.Timeout | null = null;
  #dirty = false;
  #running: Promise<string | null> | null = null;

  constructor(options: { readonly db: DatabaseSync; readonly dataDir: string; readonly log: Log; readonly keep?: number }) {
    this.#db = options.db;
    this.#dir = join(options.dataDir, BACKUPS_DIR);
    this.#log = options.log;
    this.#keep = options.keep ?? 5;
  }

  /** Something was written: the next scheduled backup has work to do. */
  changed(): void {
    this.#dirty = true;
  }

  start(everyMs: number): void {
    this.#timer = setInterval(() => {
      if (this.#dirty) this.takeNow().catch(() => undefined);
    }, everyMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Finishes a backup in progress (so the database can be closed). */
  async settle(): Promise<void> {
    await this.#running?.catch(() => undefined);
  }

  /** Takes one backup now; resolves with its path. */
  takeNow(now: Date = new Date()): Promise<string | null> {
    this.#running ??= this.#take(now).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #take(now: Date): Promise<string | null> {
    mkdirSync(this.#dir, { recursive: true });
    const name = `shukuden-${now.toISOString().replace(/[-:.]/g, '')}.sqlite`;
    const target = join(this.#dir, name);
    const partial = `${target}.partial`;
    this.#dirty = false;
    try {
      await backup(this.#db, partial);
      renameSync(partial, target);
    } catch (error) {
      this.#dirty = true;
      rmSync(partial, { force: true });
      this.#log.warn('Could not back up the database; will try again', { error: (error as Error).message });
      throw error;
    }
    for (const old of listBackups(join(this.#dir, '..')).slice(this.#keep)) rmSync(old, { force: true });
    return target;
  }
}
