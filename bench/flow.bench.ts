/**
 * npm run bench:flow — webhook latency with 100 concurrent simulated calls.
 * The server runs as its own process (as `npm run serve`); the voice simulator runs here.
 *
 * "paced": 100 calls in progress at once, each at 1/20 of real-call time (a 40-second
 *   call takes 2 s), arriving over 2 s. This is the figure the target applies to:
 *   p99 under 20 ms on a 2-core machine (Twilio allows a webhook 15 s).
 * "burst": the same 100 calls with no pauses at all, so every webhook of every call
 *   queues at once. A stress figure: it mostly measures the simulator sharing 2 cores.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TwilioEmulator } from '../server/twilio-emulator/emulator.ts';
import { scriptedCaller } from '../server/voice-sim/caller.ts';
import { placeCall, type SimulatedCall } from '../server/voice-sim/simulator.ts';
import { speechLike } from '../server/voice-sim/speech.ts';
import { ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER } from '../tests/support/line-harness.ts';
import { freePort, spawnServe } from '../tests/support/spawn-serve.ts';

const CALLS = Number(process.env['BENCH_CALLS'] ?? 100);
const TARGET_P99_MS = 20;
const TIME_SCALE = 0.05;
const ARRIVAL_SPREAD_MS = 2000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const work = await mkdtemp(join(tmpdir(), 'shukuden-bench-'));
const emulator = await new TwilioEmulator({ accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN }] }).start();
const port = await freePort();
const serve = spawnServe(['--data-dir', work, '--port', String(port), '--public-url', `http://127.0.0.1:${port}`], {
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  SHUKUDEN_TWILIO_API_BASE: emulator.url,
});
try {
  const webhook = await serve.line('Voice webhook:');
  const audio = speechLike(5);
  const oneCall = (i: number, timeScale: number) =>
    placeCall({
      voiceUrl: webhook,
      statusCallback: webhook.replace('/twilio/voice', '/twilio/call-status'),
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: `+8190${String(i).padStart(8, '0')}`,
      to: LINE_NUMBER,
      timeScale,
      // Re-record once, so each call exercises every webhook of the normal path.
      caller: scriptedCaller([
        { on: 'record', reply: { kind: 'speak', audio, end: 'key' } },
        { on: 'gather', reply: { kind: 'press', digits: '3' } },
        { on: 'record', reply: { kind: 'speak', audio, end: 'key' } },
        { on: 'gather', reply: { kind: 'press', digits: '1' } },
      ]),
      recordings: emulator,
    });

  const report = (name: string, calls: readonly SimulatedCall[], wallMs: number) => {
    const webhooks = calls.flatMap((c) => c.requests);
    const callbacks = calls.flatMap((c) => c.callbacks);
    const failed = [...webhooks, ...callbacks].filter((r) => r.status < 200 || r.status >= 300).length;
    const sorted = webhooks.map((r) => r.ms).sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    console.log(
      `${name.padEnd(6)} ${calls.length} calls, ${webhooks.length} webhooks + ${callbacks.length} callbacks in ${wallMs.toFixed(0)} ms: ` +
        `p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(2)} ms, failed ${failed}`,
    );
    if (process.env['BENCH_DETAIL']) {
      const byPath = new Map<string, number[]>();
      for (const r of webhooks) {
        const path = new URL(r.url).pathname;
        byPath.set(path, [...(byPath.get(path) ?? []), r.ms]);
      }
      for (const [path, ms] of byPath) {
        const s = ms.sort((a, b) => a - b);
        console.log(`  ${path.padEnd(24)} n=${s.length} p50 ${percentile(s, 50).toFixed(2)} p99 ${percentile(s, 99).toFixed(2)}`);
      }
    }
    return { p99, failed };
  };

  await Promise.all(Array.from({ length: 10 }, (_, i) => oneCall(9_000_000 + i, 0))); // warm-up

  let started = performance.now();
  const paced = await Promise.all(
    Array.from({ length: CALLS }, async (_, i) => {
      await sleep((ARRIVAL_SPREAD_MS * i) / CALLS);
      return oneCall(i, TIME_SCALE);
    }),
  );
  const pacedResult = report('paced', paced, performance.now() - started);

  started = performance.now();
  const burst = await Promise.all(Array.from({ length: CALLS }, (_, i) => oneCall(1_000_000 + i, 0)));
  report('burst', burst, performance.now() - started);

  const met = pacedResult.p99 < TARGET_P99_MS && pacedResult.failed === 0;
  console.log(`target: paced p99 < ${TARGET_P99_MS} ms with no failures: ${met ? 'met' : 'NOT met'}`);
} finally {
  serve.child.kill('SIGTERM');
  await serve.exited();
  await emulator.stop();
  await rm(work, { recursive: true, force: true });
}
