import assert from 'node:assert/strict';
import { readdir, readFile, utimes, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { removePartials, writeFileAtomic } from '../../../server/store/atomic-file.ts';

test('partial files left by an earlier run are removed; one being written by this run is left to finish', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shukuden-partials-'));
  try {
    const old = join(dir, '.RE1.wav.partial');
    await writeFile(old, 'half a file from before a crash');
    const earlier = new Date(performance.timeOrigin - 60_000);
    await utimes(old, earlier, earlier);
    const current = join(dir, '.RE2.wav.partial');
    await writeFile(current, 'a guest upload being written right now');
    await writeFileAtomic(join(dir, 'RE3.wav'), Buffer.from('whole'));
    assert.equal(await removePartials(dir), 1);
    assert.deepEqual((await readdir(dir)).sort(), ['.RE2.wav.partial', 'RE3.wav']);
    assert.equal(await readFile(join(dir, 'RE3.wav'), 'utf8'), 'whole');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
