import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { addDownloadedTake } from '../../support/library-fixture.ts';
import { ARRANGEMENT, currentArrangement, saveArrangement } from '../../../server/export/arrangement.ts';
import { run, scaledMessage, tempCore } from './export-fixture.ts';

const CLI = join(import.meta.dirname, '../../../server/cli/export.ts');
let fixture: Awaited<ReturnType<typeof tempCore>>;

/** Runs `npm run export -- …` as npm would (node server/cli/export.ts …); never throws. */
function exportCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

before(async () => {
  fixture = await tempCore();
  addDownloadedTake(fixture.core, { from: '+819011112222', wav: scaledMessage(1), createdAt: '2025-05-03T01:00:00.000Z' });
  addDownloadedTake(fixture.core, { from: '+819033334444', wav: scaledMessage(0.3), createdAt: '2025-05-03T02:00:00.000Z' });
  fixture.core.libraryStore.setCallerName('+819033334444', '佐藤');
  await fixture.core.libraryService.checkPending();
});

after(() => fixture.close());

test('happy path: exports the default arrangement and prints progress', async () => {
  const out = join(fixture.dir, 'cli-out');
  const result = await exportCli(['--data-dir', fixture.core.dataDir, '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /done\s+01 - メッセージ 1（090-1111-2222）\.mp3/);
  assert.match(result.stdout, /\[100%\] done$/m);
  assert.match(result.stdout, /2 tracks, 2 rendered, 0 unchanged/);
  const names = await readdir(out);
  assert.ok(names.includes('02 - 佐藤.mp3') && names.includes('祝電.m3u8'), names.join(', '));
  // Again: nothing changed, nothing is rendered.
  const again = await exportCli(['--data-dir', fixture.core.dataDir, '--out', out]);
  assert.match(again.stdout, /2 tracks, 0 rendered, 2 unchanged/);
});

test('--mix --zip: adds the continuous mix and a valid zip', async () => {
  const out = join(fixture.dir, 'cli-mix');
  const result = await exportCli(['--data-dir', fixture.core.dataDir, '--out', out, '--mix', '--zip']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Mix: .*\.mp3$/m);
  assert.match(result.stdout, /^Zip: 祝電\.zip$/m);
  const check = await run('python3', ['-m', 'zipfile', '-t', join(out, '祝電.zip')]);
  assert.match(check.stdout, /Done testing/);
});

test('errors exit non-zero with a bilingual message: bad flag, not a data folder, missing ffmpeg', async () => {
  const badFlag = await exportCli(['--data-dir', fixture.core.dataDir, '--bogus']);
  assert.equal(badFlag.code, 1);
  assert.match(badFlag.stderr, /指定が正しくありません[\s\S]*Usage: npm run export/);
  const notData = await exportCli(['--data-dir', join(fixture.dir, 'nowhere'), '--out', join(fixture.dir, 'x')]);
  assert.equal(notData.code, 1);
  assert.match(notData.stderr, /データフォルダではありません[\s\S]*is not a Shukuden data folder/);
  const noFfmpeg = await exportCli(['--data-dir', fixture.core.dataDir, '--out', join(fixture.dir, 'y')], { ...process.env, FFMPEG_PATH: join(fixture.dir, 'no-ffmpeg') });
  assert.equal(noFfmpeg.code, 1);
  assert.match(noFfmpeg.stderr, /ffmpeg[\s\S]*FFMPEG_PATH/);
  const noOut = await exportCli(['--data-dir', fixture.core.dataDir]);
  assert.equal(noOut.code, 1);
  assert.match(noOut.stderr, /書き出し先[\s\S]*No output folder/);
});

test('the flags decide, not what the app saved: no --zip, no zip; the summary says what it used (issue 18 item 12)', async () => {
  const entries = fixture.core.libraryStore.list();
  const saved = join(fixture.dir, 'saved-in-app');
  saveArrangement(fixture.core.settings, { ...currentArrangement(fixture.core.settings, entries), outputDir: saved, zip: true, mix: { enabled: true, gapSeconds: 1, intro: null, outro: null } });
  try {
    const out = join(fixture.dir, 'cli-flags');
    const result = await exportCli(['--data-dir', fixture.core.dataDir, '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Using: folder .*cli-flags \(--out\); mix off \(no --mix\); zip off \(no --zip\)$/m);
    assert.doesNotMatch(result.stdout, /^(Zip|Mix): /m);
    const names = await readdir(out);
    assert.ok(!names.some((n) => n.endsWith('.zip')), `no zip: ${names.join(', ')}`);
    assert.equal(names.filter((n) => n.endsWith('.mp3')).length, 2, 'just the tracks, no mix');

    const zipped = await exportCli(['--data-dir', fixture.core.dataDir, '--zip']);
    assert.equal(zipped.code, 0, zipped.stderr);
    assert.match(zipped.stdout, /^Using: folder .*saved-in-app \(saved in the app\); mix off \(no --mix\); zip on \(--zip\)$/m);
    assert.ok((await readdir(saved)).some((n) => n.endsWith('.zip')));
  } finally {
    fixture.core.settings.clear(ARRANGEMENT);
  }
});
