/**
 * npm run bench:ui
 * 1. Time from a webhook hitting the TwiML server to the live-call row appearing in the
 *    organiser page (Chromium, web mode). Target: p95 under 200 ms.
 * 2. Cold start of `npm run serve` to ready (the "Organiser UI:" line).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import { launchBrowser, RENDERER_DIR } from '../tests/support/browser.ts';
import { ACCOUNT_SID, GUEST_NUMBER, LINE_NUMBER } from '../tests/support/line-harness.ts';
import { startOrganiserApp } from '../tests/support/organiser-app.ts';
import { spawnServe } from '../tests/support/spawn-serve.ts';

const ROUNDS = 40;
const TARGET_P95_MS = 200;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const app = await startOrganiserApp({ rendererDir: RENDERER_DIR });
const browser = await launchBrowser();
try {
  await app.rpc('finishSetup', { mode: 'rehearsal' });
  const page = await browser.newPage();
  await page.goto(app.organiser.uiUrl);
  await page.getByText(/Live calls|通話中/).waitFor();
  const token = app.core.authToken;
  const url = `${app.twiml.url}/twilio/voice`;
  const latencies: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const callSid = `CA${randomBytes(16).toString('hex')}`;
    const params = { CallSid: callSid, AccountSid: ACCOUNT_SID, From: GUEST_NUMBER, To: LINE_NUMBER, CallStatus: 'ringing' };
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(token, url, params) },
      body: new URLSearchParams(params).toString(),
    });
    if (!response.ok) throw new Error(`webhook failed: ${response.status}`);
    await page.locator(`tr[data-call="${callSid}"]`).waitFor({ timeout: 5000 });
    latencies.push(performance.now() - started);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const p95 = percentile(sorted, 95);
  console.log(`webhook → live row: ${ROUNDS} calls, p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms`);
  console.log(`target p95 < ${TARGET_P95_MS} ms: ${p95 < TARGET_P95_MS ? 'met' : 'NOT met'}`);
} finally {
  await browser.close();
  await app.close();
}

const work = await mkdtemp(join(tmpdir(), 'shukuden-bench-ui-'));
try {
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const serve = spawnServe(['--data-dir', join(work, String(i)), '--port', '0']);
    await serve.line('Organiser UI:');
    starts.push(performance.now() - started);
    serve.child.kill('SIGTERM');
    await serve.exited();
  }
  const sorted = starts.sort((a, b) => a - b);
  console.log(`cold start of npm run serve to ready: median ${percentile(sorted, 50).toFixed(0)} ms (min ${sorted[0]?.toFixed(0)}, max ${sorted.at(-1)?.toFixed(0)})`);
} finally {
  await rm(work, { recursive: true, force: true });
}
