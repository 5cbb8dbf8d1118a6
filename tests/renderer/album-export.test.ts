import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ffmpeg, ffprobe } from '../support/audio-tools.ts';
import { launchBrowser, RENDERER_DIR, screenshot } from '../support/browser.ts';
import { withFfmpegGate } from '../support/ffmpeg-gate.ts';
import { addDownloadedTake, messageWav } from '../support/library-fixture.ts';
import { startOrganiserApp, type OrganiserApp } from '../support/organiser-app.ts';

describe('album export (web mode, Chromium)', () => {
  let work: string;
  let app: OrganiserApp;
  let browser: Browser;
  let page: Page;
  const sids: string[] = [];
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-album-ui-'));
    app = await startOrganiserApp({ rendererDir: RENDERER_DIR });
    await app.rpc('finishSetup', { mode: 'rehearsal' });
    const people = [['+819011110001', 'あいこ'], ['+819022220002', 'Ken'], ['+819033330003', 'Yumi']] as const;
    people.forEach(([number, name], i) => {
      sids.push(addDownloadedTake(app.core, { from: number, wav: messageWav(2 + i), createdAt: `2026-11-2${i}T10:00:00.000Z` }));
      app.core.libraryStore.setCallerName(number, name);
    });
    // The checks run on the audio worker: wait for them to finish, not for a time.
    await app.core.libraryService.checkPending();
    assert.ok(app.core.libraryStore.list().every((e) => e.health !== null), 'health checks');
    await ffmpeg('-f', 'lavfi', '-i', 'color=c=pink:s=800x800', '-frames:v', '1', join(work, 'cover.png'));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  });
  after(async () => {
    await browser.close();
    await app.core.libraryService.checkPending();
    await app.close();
    await rm(work, { recursive: true, force: true });
  });

  const order = async () => (await app.rpc('getAlbum', {})).body.value?.arrangement.recordingSids;

  it('arranges the album: kept messages by time, drag to reorder, title, names, cover, folder', async () => {
    await page.goto(app.organiser.uiUrl);
    await page.getByRole('button', { name: 'Album', exact: true }).click();
    const items = page.locator('[data-testid="tracklist"] li');
    await items.nth(2).waitFor();
    assert.deepEqual(await items.locator('.track-title').allInnerTexts(), ['あいこ', 'Ken', 'Yumi']);
    await items.nth(2).dragTo(items.nth(0));
    await page.locator('[data-testid="tracklist"] li').first().filter({ hasText: 'Yumi' }).waitFor();
    assert.deepEqual(await order(), [sids[2], sids[0], sids[1]]);

    await page.getByLabel('Album title').fill('Aiko & Ken — Messages');
    await page.getByLabel('Album title').press('Tab');
    await page.getByLabel("The couple's names (album artist)").fill('Aiko & Ken');
    await page.getByLabel("The couple's names (album artist)").press('Tab');
    await page.getByLabel('Output folder').fill(join(work, 'out'));
    await page.getByLabel('Output folder').press('Tab');
    await page.getByLabel('Cover image (JPEG or PNG)').setInputFiles(join(work, 'cover.png'));
    await page.getByTestId('cover-preview').waitFor();
    const saved = (await app.rpc('getAlbum', {})).body.value as { arrangement: { albumTitle: string; albumArtist: string; outputDir: string; coverFile: string | null } };
    assert.equal(saved.arrangement.albumTitle, 'Aiko & Ken — Messages');
    assert.equal(saved.arrangement.albumArtist, 'Aiko & Ken');
    assert.equal(saved.arrangement.outputDir, join(work, 'out'));
    assert.ok(saved.arrangement.coverFile, 'the cover was checked, resized and kept');
    await screenshot(page, '18-album');
  });

  it('exports with progress and says where the album is', async () => {
    await page.getByRole('button', { name: 'Export the album' }).click();
    await page.getByTestId('export-done').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
    assert.match(await page.getByTestId('export-done').innerText(), /3 tracks/);
    const files = (await readdir(join(work, 'out'))).filter((f) => !f.startsWith('.')).sort();
    assert.ok(files.includes('01 - Yumi.mp3') && files.includes('02 - あいこ.mp3') && files.includes('03 - Ken.mp3'), files.join(', '));
    assert.ok(files.some((f) => f.endsWith('.m3u8')));
    const probe = await ffprobe(join(work, 'out', '01 - Yumi.mp3'));
    assert.deepEqual([probe.stream.codec_name, probe.stream.sample_rate], ['mp3', '44100']);
    assert.equal(await page.locator('[data-testid="tracklist"] li .track-status[data-status="done"]').count(), 3);
    await page.getByRole('button', { name: 'Show in folder' }).click();
    await page.getByText(join(work, 'out'), { exact: true }).last().waitFor();
    await screenshot(page, '19-album-exported');
  });

  it('cancels an export cleanly: nothing that looks complete is left half-written', async () => {
    const added: string[] = [];
    for (let i = 0; i < 8; i++) {
      added.push(addDownloadedTake(app.core, { from: `+81905555000${i}`, wav: messageWav(40), createdAt: `2026-11-23T1${i}:00:00.000Z` }));
    }
    // The checks run on the audio worker: wait for them to finish, not for a time.
    await app.core.libraryService.checkPending();
    assert.ok(app.core.libraryStore.list().every((e) => e.health !== null), 'health checks');
    const out = join(work, 'cancelled');
    const view = (await app.rpc('getAlbum', {})).body.value;
    assert.ok(view);
    await app.rpc('saveAlbum', { arrangement: { ...view.arrangement, outputDir: out, recordingSids: view.available.map((a) => a.recordingSid) } });
    // The first long message renders; the others' ffmpeg waits until the export is cancelled, so Cancel lands mid-export.
    const [first, ...held] = added;
    await withFfmpegGate(work, held.map((sid) => `*${sid}*.partial*`), async () => {
      await page.reload();
      await page.getByRole('button', { name: 'Album', exact: true }).click();
      await page.getByRole('button', { name: 'Export the album' }).click();
      await page.locator(`[data-testid="tracklist"] [data-recording="${first}"] .track-status[data-status="done"]`).waitFor({ timeout: 120_000 });
      await page.locator('.track-status[data-status="rendering"]').first().waitFor();
      await page.getByRole('button', { name: 'Cancel' }).click();
      const alert = page.locator('[role="alert"][data-code="export-cancelled"]');
      await alert.waitFor({ timeout: 60_000 });
      assert.match(await alert.innerText(), /cancel/i);
      await screenshot(page, '20-album-cancelled');
    });
    const left = await readdir(out).catch(() => [] as string[]);
    assert.ok(!left.some((f) => f.endsWith('.m3u8')), 'no playlist for an unfinished album');
    assert.ok(!left.some((f) => /\.(tmp|part|partial)$/.test(f) || f.startsWith('.tmp')), `no temporary files left: ${left.join(', ')}`);
    const mp3s = left.filter((f) => f.endsWith('.mp3'));
    assert.ok(mp3s.length >= 1 && mp3s.length < 11, `some tracks finished, not all: ${mp3s.join(', ')}`);
    for (const file of mp3s) {
      // Whole: it decodes to the end without an error.
      await ffmpeg('-v', 'error', '-xerror', '-i', join(out, file), '-f', 'null', '-');
    }
    const long = (await Promise.all(mp3s.map(async (f) => (await ffprobe(join(out, f))).duration))).filter((d) => d > 30);
    assert.equal(long.length, 1, 'the one long message let through is there, whole');
  });
});
