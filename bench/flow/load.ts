/**
 * The load generator for `npm run bench:flow`, in its own process (forked with an IPC channel) so it
 * never shares a thread with the line it measures. Raw HTTP, no audio, no TwiML parsing: each call
 * walks the webhooks Twilio sends for a guest who records, presses 3, records again and presses 1,
 * signed as Twilio signs them (HMAC-SHA1 of URL + sorted parameters, keyed by the auth token).
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { PATHS } from '../../server/call-flow/paths.ts';

/** One measured run: `calls` calls, `concurrency` of them at once, through the line at `base`. */
export interface LoadRun {
  readonly base: string;
  readonly authToken: string;
  readonly concurrency: number;
  readonly calls: number;
  /** Distinguishes the CallSids of different runs. */
  readonly runId: number;
}

export interface LoadResult {
  readonly webhooks: number;
  readonly failed: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly wallMs: number;
  /** The generator's own CPU in this run (it should stay well under the server's). */
  readonly generatorCpuMs: number;
}

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
// Connections are kept alive within a run; each run starts on fresh ones (a line closes idle ones after 5 s).
let agent = new Agent({ keepAlive: true, maxSockets: Infinity });

function sign(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params).sort().reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data).digest('base64');
}

/** One webhook, signed and encoded before the clock starts. */
interface Prepared {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string | number>>;
  readonly expected: number;
}

function prepare(run: LoadRun, path: string, params: Record<string, string>, expected: number): Prepared {
  const url = `${run.base}${path}`;
  const body = new URLSearchParams(params).toString();
  return { url, body, expected, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'x-twilio-signature': sign(run.authToken, url, params) } };
}

function post(webhook: Prepared): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(webhook.url, { method: 'POST', agent, headers: webhook.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(webhook.body);
  });
}

const hex32 = (n: number, tag: number) => `${tag.toString(16).padStart(8, '0')}${n.toString(16).padStart(24, '0')}`;

/** A guest's call: voice, recorded, recording-status, menu 3, recorded, recording-status, menu 1, call-status. */
function callWebhooks(run: LoadRun, n: number): Prepared[] {
  const call = { CallSid: `CA${hex32(n, run.runId)}`, AccountSid: ACCOUNT_SID, From: `+8190${String(n % 1e8).padStart(8, '0')}`, To: '+815012345678', ApiVersion: '2010-04-01', Direction: 'inbound' };
  const recording = (take: number) => {
    const RecordingSid = `RE${hex32(n * 2 + take, run.runId)}`;
    return { RecordingSid, RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${RecordingSid}`, RecordingDuration: '5' };
  };
  const steps: [string, Record<string, string>, number][] = [[PATHS.voice, { ...call, CallStatus: 'ringing' }, 200]];
  for (const [take, key] of [[0, '3'], [1, '1']] as const) {
    const rec = recording(take);
    steps.push(
      [PATHS.recorded, { ...call, ...rec, CallStatus: 'in-progress', Digits: '#' }, 200],
      [PATHS.recordingStatus, { ...call, ...rec, RecordingStatus: 'completed' }, 204],
      [`${PATHS.menu}?take=${rec.RecordingSid}`, { ...call, CallStatus: 'in-progress', Digits: key }, 200],
    );
  }
  steps.push([PATHS.callStatus, { ...call, CallStatus: 'completed' }, 204]);
  return steps.map(([path, params, expected]) => prepare(run, path, params, expected));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export async function runLoad(run: LoadRun): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures = { count: 0 };
  const calls = Array.from({ length: run.calls }, (_, n) => callWebhooks(run, n));
  agent.destroy();
  agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: run.concurrency }, async () => {
      for (let call = calls[next++]; call; call = calls[next++]) {
        for (const webhook of call) {
          const { status, ms } = await post(webhook);
          latencies.push(ms);
          if (status !== webhook.expected) failures.count++;
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const sorted = latencies.sort((a, b) => a - b);
  return { webhooks: sorted.length, failed: failures.count, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, wallMs, generatorCpuMs: (used.user + used.system) / 1000 };
}

// As a forked child: each message is a run; the reply is its result.
if (process.send) {
  process.on('message', (run: LoadRun) => void runLoad(run).then((result) => process.send?.(result)));
}
