/**
 * npm run bench:database — what synchronous=FULL costs a commit, next to NORMAL, in the same run
 * (why a call's own steps commit NORMAL and everything else FULL: `Durability` in server/store/database.ts).
 * Each commit is one webhook's write (a call row upsert and a take insert) in the data folder's
 * file system (the OS temp folder here). Prints commits per second and the FULL/NORMAL time ratio.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CallState } from '../server/call-flow/call-state.ts';
import { takeWrites } from '../server/call-flow/take-writes.ts';
import { CallStore } from '../server/store/call-store.ts';
import { openDatabase } from '../server/store/database.ts';

const COMMITS = Number(process.env['BENCH_COMMITS'] ?? 1000);

async function run(synchronous: 'NORMAL' | 'FULL'): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), `shukuden-bench-db-${synchronous}-`));
  const db = openDatabase(dir);
  db.exec(`PRAGMA synchronous = ${synchronous}`);
  const calls = new CallStore(db);
  const started = performance.now();
  for (let i = 0; i < COMMITS; i++) {
    const now = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
    const call: CallState = {
      callSid: `CA${String(i).padStart(32, '0')}`, accountSid: `AC${'0'.repeat(32)}`, from: '+819000000000', to: '+815000000000', kind: 'guest',
      step: 'menu', startedAt: now, endedAt: null, recordCount: 1, emptyCount: 0, currentTakeSid: `RE${String(i).padStart(32, '0')}`, menuTimeouts: 0, invalidKeys: 0,
    };
    calls.save(call, takeWrites([{ kind: 'add', take: { recordingSid: `RE${String(i).padStart(32, '0')}`, callSid: call.callSid, takeNumber: 1, recordingUrl: 'https://api.twilio.com/x', durationSeconds: 12, status: 'pending', createdAt: now, updatedAt: now } }], [], now));
  }
  const ms = performance.now() - started;
  db.close();
  await rm(dir, { recursive: true, force: true });
  return ms;
}

// Alternate, so drift on a shared machine hits both alike.
const times = { NORMAL: 0, FULL: 0 };
for (let round = 0; round < 3; round++) {
  times.NORMAL += await run('NORMAL');
  times.FULL += await run('FULL');
}
for (const mode of ['NORMAL', 'FULL'] as const) {
  const perCommit = times[mode] / (3 * COMMITS);
  console.log(`synchronous=${mode}: ${(1000 / perCommit).toFixed(0)} commits/s, ${perCommit.toFixed(3)} ms per webhook write`);
}
console.log(`FULL / NORMAL: ${(times.FULL / times.NORMAL).toFixed(2)}x`);
