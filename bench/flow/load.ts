/**
 * The load generator for `npm run bench:flow`, in its own process (forked with an IPC channel) so it
 * never shares a thread with the line it measures. Raw HTTP (request bytes prepared before the clock
 * starts, written on a keep-alive socket), no audio, no TwiML parsing: each call
 * walks the webhooks Twilio sends for a guest who records, presses 3, records again and presses 1,
 * signed as Twilio signs them (HMAC-SHA1 of URL + sorted parameters, keyed by the auth token).
 */
import { createHmac } from 'node:crypto';
import { connect, type Socket } from 'node:net';
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
  /** Every webhook's latency in ms, sorted (for percentiles over several runs). */
  readonly latencies: readonly number[];
}

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;

function sign(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params).sort().reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data).digest('base64');
}

/** One webhook as the bytes Twilio would send, signed and encoded before the clock starts. */
interface Prepared {
  readonly request: Buffer;
  readonly expected: number;
}

function prepare(run: LoadRun, path: string, params: Record<string, string>, expected: number): Prepared {
  const url = `${run.base}${path}`;
  const body = new URLSearchParams(params).toString();
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: ${new URL(run.base).host}`,
    'Content-Type: application/x-www-form-urlencoded',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Twilio-Signature: ${sign(run.authToken, url, params)}`,
    'Connection: keep-alive',
  ];
  return { request: Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`), expected };
}

/**
 * A keep-alive connection that sends one request at a time and reads just enough of each
 * response (status, then Content-Length or chunked body) to know where it ends. Node's HTTP client
 * costs more CPU per request than the line it measures; this stays light, so the two cores go to
 * the line under test.
 */
class Connection {
  readonly #socket: Socket;
  /** Settles once the connection is open (or has failed: `send` then reports 0). */
  readonly opened: Promise<void>;
  #buffer: Buffer = Buffer.alloc(0);
  #waiting: ((status: number) => void) | null = null;
  #failed = false;

  constructor(base: string) {
    const { hostname, port } = new URL(base);
    // Responses are read into one buffer per connection, reused (no allocation per read).
    const onread = { buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES), callback: (bytes: number, buffer: Uint8Array) => this.#received(buffer.subarray(0, bytes)) };
    this.#socket = connect({ host: hostname, port: Number(port), noDelay: true, onread });
    this.opened = new Promise((resolve) => {
      this.#socket.once('connect', resolve);
      this.#socket.once('error', resolve);
    });
    const fail = () => {
      this.#failed = true;
      this.#settle(0);
    };
    this.#socket.on('error', fail);
    this.#socket.on('close', fail);
  }

  /** Sends one request; resolves with the response's status (0: the connection failed). */
  send(request: Buffer): Promise<number> {
    if (this.#failed) return Promise.resolve(0);
    return new Promise((resolve) => {
      this.#waiting = resolve;
      this.#socket.write(request);
    });
  }

  close(): void {
    this.#socket.destroy();
  }

  /** Always true: keep reading. */
  #received(chunk: Uint8Array): boolean {
    this.#buffer = this.#buffer.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([this.#buffer, chunk]);
    this.#parse();
    // What is left (part of a response) must not stay in the read buffer the next read overwrites.
    if (this.#buffer.length > 0) this.#buffer = Buffer.from(this.#buffer);
    return true;
  }

  #settle(status: number): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.(status);
  }

  #parse(): void {
    const buffer = this.#buffer;
    const headEnd = buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = buffer.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    let end = headEnd + 4;
    if (length) end += Number(length[1]);
    else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
      // Chunks until the empty one: size line, data, CRLF.
      for (;;) {
        const lineEnd = buffer.indexOf('\r\n', end);
        if (lineEnd < 0) return;
        const size = parseInt(buffer.toString('latin1', end, lineEnd), 16);
        end = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
    }
    if (buffer.length < end) return;
    this.#buffer = buffer.subarray(end);
    this.#settle(status);
  }
}

/** Larger than any response of the line's (TwiML of a few hundred bytes). */
const READ_BUFFER_BYTES = 64 * 1024;

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

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export async function runLoad(run: LoadRun): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures = { count: 0 };
  const calls = Array.from({ length: run.calls }, (_, n) => callWebhooks(run, n));
  let next = 0;
  // One connection per guest in progress, as Twilio's requests arrive on their own connections;
  // opened before the clock starts, so a round times webhooks, not 60 TCP handshakes at once.
  const connections = Array.from({ length: run.concurrency }, () => new Connection(run.base));
  await Promise.all(connections.map((connection) => connection.opened));
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    connections.map(async (connection) => {
      try {
        for (let call = calls[next++]; call; call = calls[next++]) {
          for (const webhook of call) {
            const sent = performance.now();
            const status = await connection.send(webhook.request);
            latencies.push(performance.now() - sent);
            if (status !== webhook.expected) failures.count++;
          }
        }
      } finally {
        connection.close();
      }
    }),
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const sorted = latencies.sort((a, b) => a - b);
  return { webhooks: sorted.length, failed: failures.count, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, wallMs, generatorCpuMs: (used.user + used.system) / 1000, latencies: sorted };
}

// As a forked child: each message is a run; the reply is its result.
if (process.send) {
  process.on('message', (run: LoadRun) => void runLoad(run).then((result) => process.send?.(result)));
}
