import { basicAuth, TWILIO_API_ORIGIN, type TwilioCredentials } from '../twilio/client.ts';

/** Twilio's upload host for function and asset versions (the SDK doesn't upload). */
const UPLOAD_ORIGIN = 'https://serverless-upload.twilio.com';

/** A refusal from the upload host, shaped like the SDK's RestException so the same explanations apply. */
export class UploadRefused extends Error {
  override readonly name = 'UploadRefused';
  readonly status: number;
  readonly code: number | undefined;

  constructor(status: number, code: number | undefined, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export interface VersionUpload {
  readonly serviceSid: string;
  readonly kind: 'function' | 'asset';
  /** The function's or asset's SID (ZH…). */
  readonly sid: string;
  readonly path: string;
  readonly visibility: 'public' | 'protected' | 'private';
  readonly content: Uint8Array | string;
  readonly contentType: string;
  /** A file name for the multipart part (Twilio shows it nowhere; it must just be there). */
  readonly fileName: string;
}

/**
 * Uploads one version as multipart/form-data (Content, Path, Visibility), the way Twilio's
 * serverless toolkit did, and returns its SID (ZN…). `apiBase` re-addresses the upload host
 * like every other Twilio host (tests: the emulator).
 */
export async function uploadVersion(credentials: TwilioCredentials, apiBase: string, upload: VersionUpload): Promise<string> {
  const base = new URL(apiBase).origin === TWILIO_API_ORIGIN ? UPLOAD_ORIGIN : apiBase.replace(/\/+$/, '');
  const collection = upload.kind === 'function' ? 'Functions' : 'Assets';
  const form = new FormData();
  const bytes = typeof upload.content === 'string' ? new TextEncoder().encode(upload.content) : upload.content;
  form.append('Content', new Blob([new Uint8Array(bytes)], { type: upload.contentType }), upload.fileName);
  form.append('Path', upload.path);
  form.append('Visibility', upload.visibility);
  const response = await fetch(`${base}/v1/Services/${upload.serviceSid}/${collection}/${upload.sid}/Versions`, {
    method: 'POST',
    headers: { authorization: basicAuth(credentials) },
    body: form,
    signal: AbortSignal.timeout(120_000),
  });
  const body = (await response.json().catch(() => null)) as { sid?: unknown; code?: unknown; message?: unknown } | null;
  if (!response.ok) {
    throw new UploadRefused(response.status, typeof body?.code === 'number' ? body.code : undefined, typeof body?.message === 'string' ? body.message : `HTTP ${response.status}`);
  }
  if (typeof body?.sid !== 'string') throw new UploadRefused(502, undefined, 'Twilio accepted the upload but did not say which version it made');
  return body.sid;
}
