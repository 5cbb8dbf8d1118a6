/**
 * Headless album export: `npm run export -- --data-dir DIR --out DIR [--mix] [--zip]`.
 * Exports the album as arranged in the organiser (the default arrangement if none was saved),
 * prints one line per track status change, and exits non-zero with a bilingual message on failure.
 * The flags decide the mix and the zip (the app's saved choices don't); the summary says what was used.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveFfmpeg } from '../audio/ffmpeg.ts';
import { currentArrangement } from '../export/arrangement.ts';
import { exportAlbum, type TrackStatus } from '../export/export-album.ts';
import { DATABASE_FILE, openDatabase } from '../store/database.ts';
import { LibraryStore } from '../store/library-store.ts';
import { GuestStore } from '../store/guest-store.ts';
import { SettingsStore } from '../store/settings-store.ts';
import { UserError } from '../user-error.ts';

export const EXPORT_USAGE = `Usage: npm run export -- --data-dir DIR --out DIR [--mix] [--zip]

  --data-dir DIR   the Shukuden data folder holding the messages (required)
  --out DIR        where the album goes (default: the folder chosen in the organiser)
  --mix            also write one continuous mix of all messages (without it: no mix)
  --zip            also write a zip of the whole album (without it: no zip)
  --help           show this help`;

export interface ExportArgs {
  readonly dataDir: string;
  readonly out: string | null;
  readonly mix: boolean;
  readonly zip: boolean;
  readonly help: boolean;
}

/** Parses the flags; bad input is a UserError with the usage. */
export function parseExportArgs(argv: readonly string[]): ExportArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { 'data-dir': { type: 'string' }, out: { type: 'string' }, mix: { type: 'boolean' }, zip: { type: 'boolean' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    throw usageError((error as Error).message);
  }
  if (values.help) return { dataDir: '', out: null, mix: false, zip: false, help: true };
  if (!values['data-dir']) throw usageError('--data-dir is required.');
  return { dataDir: resolve(values['data-dir']), out: values.out ? resolve(values.out) : null, mix: values.mix ?? false, zip: values.zip ?? false, help: false };
}

function usageError(detail: string): UserError {
  return new UserError('bad-arguments', { en: `${detail}\n\n${EXPORT_USAGE}`, ja: `指定が正しくありません（${detail}）。npm run export -- --help で使い方を確かめてください。` });
}

const LABEL: Record<TrackStatus, string> = { queued: 'queued', rendering: 'rendering', done: 'done', 'skipped-unchanged': 'unchanged', failed: 'FAILED' };

async function main(): Promise<number> {
  const args = parseExportArgs(process.argv.slice(2));
  if (args.help) {
    console.log(EXPORT_USAGE);
    return 0;
  }
  // An export must never create an empty data folder by mistake: the folder has to hold a library.
  if (!existsSync(args.dataDir) || !statSync(args.dataDir).isDirectory() || !existsSync(resolve(args.dataDir, DATABASE_FILE))) {
    throw new UserError('data-dir-not-found', {
      en: `"${args.dataDir}" is not a Shukuden data folder (no messages there). Pass the folder Shukuden keeps its messages in with --data-dir.`,
      ja: `「${args.dataDir}」は Shukuden のデータフォルダではありません（メッセージがありません）。メッセージが保存されているフォルダを --data-dir で指定してください。`,
    });
  }
  const ffmpeg = resolveFfmpeg();
  // Only the stores it reads: no line, no server, no Twilio.
  const db = openDatabase(args.dataDir);
  const settings = new SettingsStore(db);
  const guests = new GuestStore(db, () => undefined);
  const library = new LibraryStore(db, () => undefined, () => ({ guests: guests.list(), defaultCountryCode: settings.flow().defaultCountryCode }));
  try {
    const entries = library.list();
    const arrangement = currentArrangement(settings, entries);
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    process.once('SIGTERM', () => controller.abort());
    // What this run uses, said before it starts: the flags win over what the app saved.
    const where = args.out ? `${args.out} (--out)` : arrangement.outputDir ? `${arrangement.outputDir} (saved in the app)` : '(none)';
    console.log(`Using: folder ${where}; mix ${args.mix ? 'on (--mix)' : 'off (no --mix)'}; zip ${args.zip ? 'on (--zip)' : 'off (no --zip)'}`);
    const seen = new Map<number, TrackStatus>();
    let stage = '';
    const result = await exportAlbum({
      dataDir: args.dataDir,
      arrangement,
      entries,
      outputDir: args.out ?? undefined,
      mix: args.mix,
      zip: args.zip,
      ffmpeg,
      signal: controller.signal,
      onProgress: (progress) => {
        for (const track of progress.tracks) {
          if (seen.get(track.track) === track.status || track.status === 'queued') continue;
          seen.set(track.track, track.status);
          console.log(`[${String(Math.round(progress.fraction * 100)).padStart(3)}%] ${LABEL[track.status].padEnd(9)} ${track.file}`);
        }
        if (progress.stage !== stage && progress.stage !== 'tracks') console.log(`[${String(Math.round(progress.fraction * 100)).padStart(3)}%] ${progress.stage}`);
        stage = progress.stage;
      },
    });
    console.log(`Album: ${result.outputDir} (${result.tracks.length} tracks, ${result.rendered} rendered, ${result.skipped} unchanged)`);
    console.log(`Playlist: ${result.playlist}`);
    if (result.mix) console.log(`Mix: ${result.mix}`);
    if (result.zip) console.log(`Zip: ${result.zip}`);
    return 0;
  } finally {
    db.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      if (error instanceof UserError) console.error(`${error.text.ja}\n${error.text.en}`);
      else console.error(`書き出しに失敗しました / Export failed: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = 1;
    },
  );
}
