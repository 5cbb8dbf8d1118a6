import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { BodyFault } from './faults.ts';
import { errorJson } from './twilio-json.ts';

/** What a route answers, before it is written to the wire. */
export type Reply =
  | { readonly kind: 'json'; readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'no-content' }
  | { readonly kind: 'media'; readonly contentType: string; readonly body: Buffer };

/** A Twilio error reply: `{code, message, more_info, status}`. */
export function twilioError(status: number, code: number, message: string, headers?: Readonly<Record<string, string>>): Reply {
  return { kind: 'json', status, body: errorJson(status, code, message), ...(headers ? { headers } : {}) };
}

export function notFound(pathname: string): Reply {
  return twilioError(404, 20404, `The requested resource ${pathname} was not found`);
}

/** Reads a request body up to `limit` bytes (Twilio's REST parameters are small). */
export async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error(`Request body over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Waits `ms`, or less if the emulator stops meanwhile. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleepFor(ms, undefined, { signal });
  } catch {
    // Aborted by stop(): the socket is going away anyway.
  }
}

/** Writes a reply; a media body goes through `fault` if one applies. */
export async function send(res: ServerResponse, reply: Reply, fault: BodyFault | null, signal: AbortSignal): Promise<void> {
  switch (reply.kind) {
    case 'json': {
      const body = JSON.stringify(reply.body);
      res.writeHead(reply.status, { ...reply.headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    case 'no-content':
      res.writeHead(204).end();
      return;
    case 'media':
      return sendMedia(res, reply.contentType, reply.body, fault, signal);
    default:
      reply satisfies never;
  }
}

async function sendMedia(res: ServerResponse, contentType: string, body: Buffer, fault: BodyFault | null, signal: AbortSignal): Promise<void> {
  const bytes = fault?.kind === 'corrupt' ? garbleHeader(body) : body;
  res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
  if (fault === null || fault.kind === 'corrupt') {
    res.end(bytes);
    return;
  }
  switch (fault.kind) {
    case 'truncate':
      // Flush the partial body before cutting the connection, so the client sees a short read.
      await new Promise<void>((resolve) => res.write(bytes.subarray(0, fault.bytes), () => resolve()));
      res.destroy();
      return;
    case 'stall':
      res.write(bytes.subarray(0, fault.afterBytes));
      await sleep(fault.ms, signal);
      res.end(bytes.subarray(fault.afterBytes));
      return;
    default:
      fault satisfies never;
  }
}

/** Same length, but the first four bytes ("RIFF" for WAV) no longer say what the file is. */
function garbleHeader(body: Buffer): Buffer {
  const copy = Buffer.from(body);
  for (let i = 0; i < Math.min(4, copy.length); i++) copy[i] = (copy[i] ?? 0) ^ 0xff;
  return copy;
}
